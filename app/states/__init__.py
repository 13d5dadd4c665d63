"""The states table, state pages, profiles and statuses."""

from flask import Blueprint

bp = Blueprint("states", __name__, url_prefix="/states")

from app.states import routes  # noqa: F401
