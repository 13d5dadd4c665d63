"""Working with other tools: personal access tokens, the API reference, calendar feeds."""

from flask import Blueprint

bp = Blueprint("developer", __name__)

from app.developer import routes  # noqa: F401
