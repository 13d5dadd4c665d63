"""Optimistic locking of records edited in forms: a stale save is refused, naming who saved since."""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa

from app.domain.text import Message, Sentences
from app.extensions import db
from app.models.types import utcnow
from app.services import ServiceError
from app.services.audit import Actor

# The first sentence of a conflict, one per kind of record (a translation needs the whole sentence).
CHANGED_MEANWHILE = {
    "contact": "This contact was changed meanwhile by %(who)s (%(when)s).",
    "request": "This request was changed meanwhile by %(who)s (%(when)s).",
    "follow-up": "This follow-up was changed meanwhile by %(who)s (%(when)s).",
    "campaign": "This campaign was changed meanwhile by %(who)s (%(when)s).",
}


def _conflict_messages() -> None:  # pragma: no cover - never called; read by pybabel
    Message("This contact was changed meanwhile by %(who)s (%(when)s).")
    Message("This request was changed meanwhile by %(who)s (%(when)s).")
    Message("This follow-up was changed meanwhile by %(who)s (%(when)s).")
    Message("This campaign was changed meanwhile by %(who)s (%(when)s).")
    Message("This record was changed meanwhile by %(who)s (%(when)s).")


class EditConflict(ServiceError):
    """Someone else saved the record since the form was opened."""

    def __init__(self, record, what: str) -> None:
        who = record.edited_by.name if record.edited_by else Message("someone")
        when = record.edited_at.strftime("%Y-%m-%d %H:%M UTC") if record.edited_at else ""
        first = CHANGED_MEANWHILE.get(what, "This record was changed meanwhile by %(who)s (%(when)s).")
        super().__init__(Sentences(Message(first, who=who, when=when), Message(
            "Nothing was saved; your entry was kept below: check it against the current one and save again.")))
        self.record = record


def claim_edit(record, expected_version: int | None, actor: Actor, what: str) -> None:
    """Check-and-set the version in one statement; a new record (no id yet) is only stamped."""
    model = type(record)
    if record.id is None or expected_version is None:
        record.edited_at, record.edited_by_id = utcnow(), actor.id
        return
    claimed = db.session.execute(
        sa.update(model).where(model.id == record.id, model.version == expected_version)
        .values(version=model.version + 1, edited_at=utcnow(), edited_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(record)
    if cast(sa.CursorResult, claimed).rowcount != 1:  # an UPDATE returns a CursorResult
        raise EditConflict(record, what)
