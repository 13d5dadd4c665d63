"""Briefing packs: one state's brief and multi-state trip packs, as PDF."""

from flask import Blueprint

bp = Blueprint("briefs", __name__)

from app.briefs import routes  # noqa: F401
