"""The one access decorator and the default-deny guard that backs it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.auth import scope
from app.domain.enums import Role, TokenScope
from app.extensions import login_manager

ALL_ROLES = frozenset(Role)
READ_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.LEADERSHIP, Role.ENVOY})
EDIT_ROLES = frozenset({Role.ADMIN, Role.STAFF})
PUBLIC = "public"


def public(view: Callable) -> Callable:
    """Open a view to anonymous users (login page and the like)."""
    view.access_rule = PUBLIC  # type: ignore[attr-defined]  # a mark on the view, read by enforce_default_deny
    return view


StateScope = str | Callable[[dict[str, Any]], set[str]]


def _states_in_scope(scope: StateScope, kwargs: dict[str, Any]) -> set[str]:
    if callable(scope):
        return scope(kwargs)
    return {str(kwargs.get(scope, "")).upper()}


class TokenRule(frozenset):
    """The access rule of an API view: these roles, through a token carrying `scope`."""

    scope: TokenScope


def allow(
    *roles: Role, state_arg: StateScope | None = None, token: TokenScope | None = None
) -> Callable[[Callable], Callable]:
    """Open a view to signed-in users with one of `roles`.

    With `state_arg`, envoys additionally reach only the states assigned to them: either the
    name of the view's ISO3 keyword argument, or a function from the view's keyword arguments
    to the ISO3 codes of the states the request touches (an envoy needs one of them).

    With `token`, the view belongs to the API: its user comes only from a bearer token with
    that scope (401 without one, 403 with a read token on a write), never from a session.
    Envoys' states are then checked by the API's query scope (app/api/scope.py).
    """
    allowed = frozenset(roles)
    if token is not None:
        return _allow_token(allowed, token)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            if state_arg is not None:
                visible = scope.visible_iso3(current_user)
                if visible is not None and not _states_in_scope(state_arg, kwargs) & visible:
                    abort(403)
            return view(*args, **kwargs)

        wrapper.access_rule = allowed  # type: ignore[attr-defined]  # read by enforce_default_deny
        return wrapper

    return decorator


def _allow_token(allowed: frozenset[Role], scope: TokenScope) -> Callable[[Callable], Callable]:
    from app.auth.tokens import request_token

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            token = request_token()
            if token is None:
                abort(401, description="Send a valid personal access token as 'Authorization: Bearer <token>'.")
            if not token.allows(scope):
                abort(403, description="This token is read-only.")
            if token.user.role not in allowed:
                abort(403, description="Your role may not do this.")
            return view(*args, **kwargs)

        rule = TokenRule(allowed)
        rule.scope = scope
        wrapper.access_rule = rule  # type: ignore[attr-defined]  # read by enforce_default_deny
        return wrapper

    return decorator


def enforce_default_deny() -> Any:
    """Before every request: refuse any endpoint that no decorator has opened."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    rule = getattr(view, "access_rule", None)
    if rule is None:
        abort(403)
    if rule == PUBLIC or isinstance(rule, TokenRule):
        return None  # API views answer 401 themselves: there is no sign-in page to send a token to
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def can_edit_states() -> bool:
    """Whether the current user may edit state profiles (for showing buttons)."""
    return current_user.is_authenticated and current_user.role in EDIT_ROLES
