"""Optimistic locking of records edited in forms: a stale save is refused, naming who saved since."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models.types import utcnow
from app.services import ServiceError
from app.services.audit import Actor


class EditConflict(ServiceError):
    """Someone else saved the record since the form was opened."""

    def __init__(self, record, what: str) -> None:
        who = record.edited_by.name if record.edited_by else "someone"
        when = record.edited_at.strftime("%Y-%m-%d %H:%M UTC") if record.edited_at else ""
        super().__init__(f"This {what} was changed meanwhile by {who} ({when}). Nothing was saved; your entry "
                         "was kept below: check it against the current one and save again.")
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
    if claimed.rowcount != 1:
        raise EditConflict(record, what)
