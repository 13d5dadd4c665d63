"""Per-account sign-in throttling kept in the database (holds across workers and machines)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LoginThrottle
from app.models.types import utcnow

WINDOW = timedelta(minutes=1)
MAX_FAILURES = 5  # the sixth attempt within the window is refused


def locked_until(email: str, now: datetime | None = None) -> datetime | None:
    """When the account's lock ends, or None if it may try now."""
    now = now or utcnow()
    row = db.session.get(LoginThrottle, email)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def record_failure(email: str, lock_for: timedelta, now: datetime | None = None) -> None:
    """Count a failure; the fifth within a minute locks the account for `lock_for`."""
    now = now or utcnow()
    row = db.session.get(LoginThrottle, email, with_for_update=True)
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(email=email, window_start=now, failures=0))
        except IntegrityError:  # another worker created it first
            pass
        row = db.session.get(LoginThrottle, email, with_for_update=True, populate_existing=True)
    if now - row.window_start > WINDOW:
        row.window_start, row.failures = now, 0
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + lock_for
    db.session.flush()


def clear(email: str) -> None:
    """A successful sign-in forgets earlier failures."""
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == email))
