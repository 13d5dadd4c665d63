"""Signing in and out, and each user's own password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import language, routes  # noqa: F401
