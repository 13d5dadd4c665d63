"""Spreadsheet import: upload, map columns, preview every row, then apply all or nothing."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/import")

from app.imports import routes  # noqa: F401
