"""The actor of the current request, built here so services never read the request themselves."""

from __future__ import annotations

from flask import g, request
from flask_login import current_user

from app.services.audit import Actor


def client_address() -> str:
    """The client's address as the proxy set-up reports it (ProxyFix applies the trusted hops)."""
    return request.remote_addr or ""


def current_actor() -> Actor:
    """The signed-in user (or nobody) from this request's address; an API call with its token."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    token = g.get("api_token")
    if token is not None:
        return Actor(user, client_address(), token_id=token.id, token_name=token.name)
    return Actor(user, client_address())
