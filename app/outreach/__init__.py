"""The outreach log: recording, editing and deleting entries."""

from flask import Blueprint

bp = Blueprint("outreach", __name__)

from app.outreach import routes  # noqa: F401
