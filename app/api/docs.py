"""The OpenAPI document, generated from the routes and schemas by flask-smorest."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from app.api import meta
from app.auth.access import public


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this app's API."""
    return current_app.extensions["suara_api"].spec.to_dict()


@meta.route("/openapi.json")
@public
def openapi_json():
    """Public: the document describes the API and holds no data."""
    return jsonify(document())
