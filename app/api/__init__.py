"""The JSON API under /api/v1: bearer tokens only, problem details, an OpenAPI 3.1 document."""

from __future__ import annotations

import http

from flask import Blueprint as FlaskBlueprint
from flask import Flask, current_app
from flask_smorest import Api, Blueprint
from flask_smorest.spec import prepare_response

from app.api.problems import PROBLEM_TYPE
from app.api.schemas import Problem

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX, description="The desk's data for the ministry's other tools.")
# The document and nothing else, outside the described API.
meta = FlaskBlueprint("api_meta", __name__, url_prefix=PREFIX)

SPEC_OPTIONS = {
    "info": {"description": (
        "Every request carries a personal access token: `Authorization: Bearer <token>` (create one under "
        "Account → API tokens). A token acts with its user's role and, for envoys, only their assigned "
        "states. Lists are paged by cursor: pass `next_cursor` back as `cursor`. Errors are RFC 9457 "
        "problem details (`application/problem+json`) with field messages in `errors`.")},
    "security": [{"bearerAuth": []}],
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
}


class SuaraApi(Api):
    """flask-smorest with problem details as the documented error, and the app's own error handlers."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self) -> None:
        """Errors are answered by app/setup.py, which knows API requests from pages."""

    def _register_responses(self) -> None:
        """Every error response, by status and the default one, is problem details."""
        for name, description in [(s.name, s.phrase) for s in http.HTTPStatus] + [
                (self.DEFAULT_ERROR_RESPONSE_NAME, "Problem details (RFC 9457)")]:
            response = {"description": description, "schema": self.ERROR_SCHEMA}
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(name, response, lazy=True)


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def init_api(app: Flask) -> None:
    """Document and register the API; exempt it from CSRF (it reads no cookie) and limit it per token."""
    from app.api import contacts, docs, errors, followups, outreach, reads  # noqa: F401  (routes)
    from app.auth.tokens import rate_limit_key
    from app.extensions import csrf, limiter

    api = SuaraApi(app, spec_kwargs=SPEC_OPTIONS)
    csrf.exempt(bp)
    csrf.exempt(meta)
    limiter.limit(rate_limit, key_func=rate_limit_key)(bp)
    api.register_blueprint(bp)
    app.register_blueprint(meta)
    app.extensions["suara_api"] = api
