"""Writing the audit trail explicitly: every service that changes something records it here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from app.domain.text import Message
from app.extensions import db
from app.models import AuditEvent, User
from app.services import ServiceError

# Keys that must never reach the trail, whatever a caller passes.
SECRET_KEYS = {"password", "password_hash", "token", "session_token", "code", "totp", "secret"}
COMMAND_LINE = "cli"  # the address recorded for commands run on the server


@dataclass(frozen=True)
class Actor:
    """Who acts and from where, given by the caller (a route, the API, a command) to every writing service.

    `user` is None for a sign-in that has not named a user yet or a command run without one; `label`
    then says who it was in the trail. An API call carries its token, recorded with each event.
    """

    user: User | None
    address: str = ""
    label: str = ""
    token_id: int | None = None
    token_name: str = ""

    @property
    def id(self) -> int | None:
        """The acting user's id (None for nobody signed in)."""
        return self.user.id if self.user is not None else None

    @property
    def signed_in(self) -> User:
        """The acting user, for the services only a signed-in user reaches (the routes ensure one)."""
        if self.user is None:
            raise ServiceError(Message("Sign in first."))
        return self.user

    def as_user(self, user: User) -> Actor:
        """The same origin acting as `user` (a sign-in that has just found its user)."""
        return Actor(user, self.address, self.label, self.token_id, self.token_name)


def command_line(user: User | None = None) -> Actor:
    """The actor of a command run on the server (`flask users create`, `flask export`)."""
    return Actor(user, COMMAND_LINE, "command line")


def _clean(details: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in details.items() if k.lower() not in SECRET_KEYS}


def record(
    action: str,
    actor: Actor,
    target_type: str = "",
    target_id: object = "",
    **details: Any,
) -> AuditEvent:
    """Append one event: who, what, which record, from where, with before/after details."""
    # Nobody signed in and no label (a sign-in attempt): the email typed is who it was.
    label = actor.user.email if actor.user is not None else actor.label or str(details.pop("email", ""))
    if actor.token_id is not None:
        details.update(token_id=actor.token_id, token_name=actor.token_name)
    event = AuditEvent(
        user_id=actor.id,
        user_label=label,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        address=actor.address,
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


def access_denied(actor: Actor, target_type: str, target_id: object, **details: Any) -> None:
    """A refused access (a route no role opens, a pack naming states out of the user's scope)."""
    record("access.denied", actor, target_type, target_id, **details)


def download(actor: Actor, action: str, target_type: str, target_id: object, **details: Any) -> None:
    """A document or export leaving the desk (brief, pack, report, CSV): who took what."""
    record(action, actor, target_type, target_id, **details)


AUDIT_PAGE = 100  # events per page of the audit trail


@dataclass(frozen=True)
class AuditFilter:
    """What the audit trail is narrowed to: an action prefix, who, which record, which days."""

    action: str = ""
    who: str = ""
    target: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of the trail, newest first, with every action known and the actors' names."""

    events: list[AuditEvent]
    actions: list[str]
    names: dict[int, str]
    page: int


def search(wanted: AuditFilter, page: int) -> AuditPage:
    """The page `page` of events matching `wanted` (three queries whatever the trail's length)."""
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if wanted.action:
        query = query.where(AuditEvent.action.startswith(wanted.action))
    if wanted.who:
        query = query.where(AuditEvent.user_label.contains(wanted.who))
    if wanted.target:
        query = query.where(AuditEvent.target_id == wanted.target.upper())
    if wanted.since:
        query = query.where(AuditEvent.at >= datetime.combine(wanted.since, time.min, UTC))
    # The end of the day named; date.max has no next day, so it means "no upper bound".
    if wanted.until and wanted.until < date.max:
        query = query.where(AuditEvent.at < datetime.combine(wanted.until + timedelta(days=1), time.min, UTC))
    events = list(db.session.scalars(query.limit(AUDIT_PAGE).offset((page - 1) * AUDIT_PAGE)))
    actions = list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    ids = {e.user_id for e in events if e.user_id}
    names = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    return AuditPage(events, actions, names, page)
