"""Contacts per state."""

from flask import Blueprint

bp = Blueprint("contacts", __name__)

from app.contacts import routes  # noqa: F401
