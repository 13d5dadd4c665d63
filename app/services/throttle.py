"""Sign-in throttling kept in the database (holds across workers and machines).

Counters share one table, each row keyed by a short string:
- wrong passwords per account *and* client address (`ip:<digest>`), five a minute lock that pair:
  a stranger elsewhere cannot lock the user out of their own desk;
- wrong passwords per account from anywhere (the email), counted over an hour: only a much higher
  count (a distributed attack) locks the account itself, and that lock is audited;
- wrong second-factor codes per account (`2fa:<user id>`), never forgotten with time or with a
  correct password: only a successful second factor clears them, so rounds of "right password,
  four wrong codes" add up.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LoginThrottle
from app.models.types import utcnow

WINDOW = timedelta(minutes=1)
MAX_FAILURES = 5  # per account and address: the sixth attempt within the window is refused
ACCOUNT_WINDOW = timedelta(hours=1)
ACCOUNT_MAX_FAILURES = 50  # per account from every address together, within ACCOUNT_WINDOW
MAX_CODE_FAILURES = 5  # wrong codes before the second factor locks
MAX_CODE_LOCK = timedelta(hours=24)  # each further wrong code doubles the lock, up to this

PAIR, ACCOUNT = "address", "account"


def code_key(user_id: int) -> str:
    """The throttle key of an account's second-factor codes."""
    return f"2fa:{user_id}"


def pair_key(email: str, address: str) -> str:
    """The throttle key of one account tried from one address (a digest: emails run to 254 characters)."""
    return "ip:" + hashlib.sha256(f"{email}\n{address}".encode()).hexdigest()


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
        assert row is not None  # created just above, by this request or by another worker
    return row


def _count(key: str, window: timedelta, limit: int, lock_for: timedelta, now: datetime) -> bool:
    """One more failure in `key`'s window; returns whether this failure set a new lock."""
    row = _row_for_update(key, now)
    if now - row.window_start > window:
        row.window_start, row.failures = now, 0
    row.failures += 1
    newly = row.failures >= limit and not (row.locked_until and row.locked_until > now)
    if row.failures >= limit:
        row.locked_until = now + lock_for
    return newly


def locked_until(email: str, address: str, now: datetime | None = None) -> datetime | None:
    """When sign-in for this account from this address may be tried again, or None if now."""
    now = now or utcnow()
    locks = [t for t in (_locked(pair_key(email, address), now), _locked(email, now)) if t is not None]
    return max(locks, default=None)


def record_failure(email: str, address: str, lock_for: timedelta, now: datetime | None = None) -> str | None:
    """Count a wrong password; returns PAIR or ACCOUNT when this failure locked one, else None."""
    now = now or utcnow()
    pair_locked = _count(pair_key(email, address), WINDOW, MAX_FAILURES, lock_for, now)
    account_locked = _count(email, ACCOUNT_WINDOW, ACCOUNT_MAX_FAILURES, lock_for, now)
    db.session.flush()
    return ACCOUNT if account_locked else PAIR if pair_locked else None


def clear(email: str, address: str | None = None) -> None:
    """A successful sign-in forgets earlier wrong passwords (from that address and overall)."""
    keys = [email] + ([pair_key(email, address)] if address is not None else [])
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email.in_(keys)))


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
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == code_key(user_id)))
