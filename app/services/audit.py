"""Writing the audit trail explicitly from services and routes."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from app.extensions import db
from app.models import AuditEvent, User

# Keys that must never reach the trail, whatever a caller passes.
SECRET_KEYS = {"password", "password_hash", "token", "session_token", "code", "totp", "secret"}


def _address() -> str:
    return (request.remote_addr or "") if has_request_context() else "cli"


def _clean(details: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in details.items() if k.lower() not in SECRET_KEYS}


def record(
    action: str,
    actor: User | None = None,
    target_type: str = "",
    target_id: object = "",
    **details: Any,
) -> AuditEvent:
    """Append one event: who, what, which record, from where, with before/after details."""
    event = AuditEvent(
        user_id=actor.id if actor is not None else None,
        user_label=actor.email if actor is not None else str(details.pop("email", "")),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        address=_address(),
        details=_clean(details),
    )
    db.session.add(event)
    return event


def jsonable(value: Any) -> Any:
    """A value fit for the JSON details column (enums by value, dates as ISO text)."""
    if hasattr(value, "value") and hasattr(value, "label"):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def diff(changes: dict[str, tuple[Any, Any]]) -> dict[str, dict[str, Any]]:
    """{field: (before, after)} as JSON-ready before/after maps."""
    return {
        "before": {k: jsonable(b) for k, (b, _) in changes.items()},
        "after": {k: jsonable(a) for k, (_, a) in changes.items()},
    }
