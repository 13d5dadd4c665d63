"""The leadership dashboard, its report PDF and its CSV export."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from app.dashboard import routes  # noqa: F401
