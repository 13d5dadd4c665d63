"""Two-factor sign-in with TOTP: enrolment, verification without replay, recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno

from app.models import User
from app.services import ServiceError

ISSUER = "Suara"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """The enrolment QR code drawn here, as a data URI (no external service sees the secret)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (±1 for clock drift) whose code equals `code`."""
    totp = pyotp.TOTP(secret)
    step_now = int(now) // totp.interval
    for step in (step_now - 1, step_now, step_now + 1):
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def verify_code(user: User, code: str, secret: str | None = None, now: float | None = None) -> bool:
    """Accept a code once: a step at or before the last one used is refused (no replay)."""
    secret = secret or user.totp_secret
    code = code.strip().replace(" ", "")
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Fresh recovery codes, shown once; only their hashes are kept."""
    codes = ["-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODES)]
    user.recovery_code_hashes = [_hash(c) for c in codes]
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Consume a recovery code (each works once)."""
    digest = _hash(code)
    remaining = list(user.recovery_code_hashes or [])
    if digest not in remaining:
        return False
    remaining.remove(digest)
    user.recovery_code_hashes = remaining
    return True


def enrol(user: User, secret: str, code: str) -> list[str]:
    """Confirm enrolment with a first code; returns the recovery codes to show once."""
    if not verify_code(user, code, secret=secret):
        raise ServiceError("That code does not match; check the time on your device and try again.")
    user.totp_secret = secret
    return new_recovery_codes(user)


def disable(user: User) -> None:
    user.totp_secret, user.totp_last_step, user.recovery_code_hashes = None, None, None
