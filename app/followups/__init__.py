"""Follow-ups: my list, adding one to a state, done and reopen."""

from flask import Blueprint

bp = Blueprint("followups", __name__)

from app.followups import routes  # noqa: F401
