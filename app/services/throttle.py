"""Sign-in throttling kept in the database (holds across workers and machines).

Two counters share one table, each row keyed by a short string:
- wrong passwords per account (`email`), counted in a one-minute window;
- wrong second-factor codes per account (`2fa:<user id>`), never forgotten with time or with a
  correct password: only a successful second factor clears them, so rounds of "right password,
  four wrong codes" add up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LoginThrottle
from app.models.types import utcnow

WINDOW = timedelta(minutes=1)
MAX_FAILURES = 5  # the sixth attempt within the window is refused
MAX_CODE_FAILURES = 5  # wrong codes before the second factor locks
MAX_CODE_LOCK = timedelta(hours=24)  # each further wrong code doubles the lock, up to this


def code_key(user_id: int) -> str:
    """The throttle key of an account's second-factor codes."""
    return f"2fa:{user_id}"


def _locked(key: str, now: datetime) -> datetime | None:
    row = db.session.get(LoginThrottle, key)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def _row_for_update(key: str, now: datetime) -> LoginThrottle:
    """The counter row for `key`, created if missing and locked for this transaction."""
    row = db.session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(email=key, window_start=now, failures=0))
        except IntegrityError:  # another worker created it first
            pass
        row = db.session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    return row


def locked_until(email: str, now: datetime | None = None) -> datetime | None:
    """When the account's password lock ends, or None if it may try now."""
    return _locked(email, now or utcnow())


def record_failure(email: str, lock_for: timedelta, now: datetime | None = None) -> None:
    """Count a wrong password; the fifth within a minute locks the account for `lock_for`."""
    now = now or utcnow()
    row = _row_for_update(email, now)
    if now - row.window_start > WINDOW:
        row.window_start, row.failures = now, 0
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + lock_for
    db.session.flush()


def clear(email: str) -> None:
    """A successful sign-in forgets earlier wrong passwords."""
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == email))


def code_locked_until(user_id: int, now: datetime | None = None) -> datetime | None:
    """When the account's second-factor lock ends, or None if a code may be tried now."""
    return _locked(code_key(user_id), now or utcnow())


def record_code_failure(user_id: int, lock_for: timedelta, now: datetime | None = None) -> bool:
    """Count a wrong code; returns whether the account's second factor is now locked.

    The count has no time window: the fifth wrong code locks for `lock_for`, and every later
    wrong code locks again for twice as long as the previous one (capped at a day).
    """
    now = now or utcnow()
    row = _row_for_update(code_key(user_id), now)
    row.failures += 1
    if row.failures >= MAX_CODE_FAILURES:
        doublings = min(row.failures - MAX_CODE_FAILURES, 16)
        row.locked_until = now + min(lock_for * (2**doublings), MAX_CODE_LOCK)
    db.session.flush()
    return row.locked_until is not None and row.locked_until > now


def clear_codes(user_id: int) -> None:
    """A successful second factor forgets earlier wrong codes."""
    clear(code_key(user_id))
