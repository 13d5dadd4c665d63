"""Campaigns: list, create and edit (admins), electorates for all."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

from app.campaigns import routes  # noqa: F401
