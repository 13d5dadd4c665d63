"""Bearer tokens on the API: the only way in under /api (no session cookie is read or written there)."""

from __future__ import annotations

from flask import Flask, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from app.extensions import db
from app.models import ApiToken, User
from app.models.types import utcnow
from app.services import tokens

API_PREFIX = "/api/"


def is_api_request() -> bool:
    """Whether this request is for the JSON API."""
    return request.path.startswith(API_PREFIX)


class ApiWithoutSession(SecureCookieSessionInterface):
    """The API never sees the session: a cookie sent to /api is ignored and none is set.

    With no session there is nothing for a forged cross-site request to ride on, so the API
    needs no CSRF token; a token has to be sent explicitly in the Authorization header.
    """

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        if request.path.startswith(API_PREFIX):
            return SecureCookieSession()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if request.path.startswith(API_PREFIX):
            return None
        return super().save_session(app, session, response)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def request_token() -> ApiToken | None:
    """The usable token this API request carries (looked up once per request)."""
    if "api_token" not in g:
        secret = _bearer() if is_api_request() else None
        token = tokens.find_token(secret, utcnow()) if secret else None
        if token is not None and tokens.touch(token, utcnow()):
            db.session.commit()  # only the last-used time; the request has done nothing else yet
        g.api_token = token
    return g.api_token


def load_user_from_token(_request) -> User | None:
    """Flask-Login's request loader: on the API, the token's user is the current user."""
    token = request_token()
    return token.user if token is not None else None


def rate_limit_key() -> str:
    """Requests are counted per token; without a valid token, per address."""
    token = request_token()
    return f"token:{token.id}" if token is not None else f"addr:{request.remote_addr}"
