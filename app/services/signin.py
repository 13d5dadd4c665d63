"""Signing in and changing one's password: each step throttled and audited here, never in a route.

Every function takes the `Actor` of the request (its address is what the per-address throttle
counts) and the lock length from the settings; the route keeps only the session and the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.models import User
from app.models.types import utcnow
from app.services import ServiceError, accounts, audit, throttle
from app.services import two_factor as totp
from app.services.audit import Actor

SIGNED_IN, NEEDS_CODE, WRONG, THROTTLED, CODES_LOCKED = "signed_in", "needs_code", "wrong", "throttled", "codes_locked"


@dataclass(frozen=True)
class Attempt:
    """What a sign-in step came to: the outcome, the user it found, and until when a lock holds."""

    outcome: str
    user: User | None = None
    until: datetime | None = None


class Throttled(ServiceError):
    """Too many wrong passwords: refused before the password is even checked."""

    def __init__(self, until: datetime) -> None:
        super().__init__("Too many wrong passwords.")
        self.until = until


def password_step(email: str, password: str, origin: Actor, lock_for: timedelta) -> Attempt:
    """The first step: throttle, check the password, then sign in or ask for the second factor."""
    email = accounts.normalise_email(email)
    until = throttle.locked_until(email, origin.address)
    if until is not None:
        audit.record("login.throttled", origin, "user", "", email=email)
        return Attempt(THROTTLED, until=until)
    user = accounts.authenticate(email, password)
    if user is None:
        locked = throttle.record_failure(email, origin.address, lock_for)
        audit.record("login.failure", origin, "user", "", email=email)
        if locked == throttle.ACCOUNT:
            # Wrong passwords for this account from many addresses: the account itself is locked.
            audit.record("login.account_locked", origin, "user", "", email=email,
                         failures=throttle.ACCOUNT_MAX_FAILURES, window_minutes=60)
        return Attempt(WRONG)
    if user.has_two_factor:
        code_lock = throttle.code_locked_until(user.id)
        if code_lock is not None:
            # The second factor is locked: a correct password does not open it again.
            audit.record("login.2fa_locked", origin.as_user(user), "user", user.id)
            return Attempt(CODES_LOCKED, user, code_lock)
        return Attempt(NEEDS_CODE, user)
    return _signed_in(user, origin)


def code_step(user: User, code: str, origin: Actor, lock_for: timedelta) -> Attempt:
    """The second step: a TOTP or recovery code signs in; wrong codes count towards a lock."""
    actor = origin.as_user(user)
    if throttle.code_locked_until(user.id) is not None:
        return Attempt(CODES_LOCKED, user)
    if totp.verify_code(user, code) or totp.use_recovery_code(user, code):
        return _signed_in(user, origin)
    locked = throttle.record_code_failure(user.id, lock_for)
    audit.record("login.2fa_failure", actor, "user", user.id)
    if locked:
        audit.record("login.2fa_locked", actor, "user", user.id)
        return Attempt(CODES_LOCKED, user)
    return Attempt(WRONG, user)


def _signed_in(user: User, origin: Actor) -> Attempt:
    throttle.clear(user.email, origin.address)
    throttle.clear_codes(user.id)
    user.last_login_at = utcnow()
    audit.record("login.success", origin.as_user(user), "user", user.id)
    return Attempt(SIGNED_IN, user)


def change_own_password(actor: Actor, current: str, new: str, lock_for: timedelta) -> None:
    """The user's new password (ending every other session), after the current one.

    Raises `Throttled` while locked, `accounts.WrongPassword` for a wrong current password (the
    failure is counted and audited: the caller commits it), `ServiceError` for a refused new one.
    """
    user = actor.signed_in
    until = throttle.locked_until(user.email, actor.address)
    if until is not None:
        raise Throttled(until)
    try:
        accounts.change_own_password(user, current, new)
    except accounts.WrongPassword:
        throttle.record_failure(user.email, actor.address, lock_for)
        audit.record("user.password_change_failure", actor, "user", user.id)
        raise
    audit.record("user.password_change", actor, "user", user.id)


def sign_out(actor: Actor, action: str = "logout") -> None:
    """End every session of the user (logout) or just record that one ended (`session.expired`)."""
    user = actor.signed_in
    if action == "logout":
        accounts.end_all_sessions(user)
    audit.record(action, actor, "user", user.id)
