"""Two-factor sign-in with TOTP: enrolment, verification without replay, recovery codes.

Secrets are kept encrypted at rest (Fernet, keys from SUARA_TOTP_KEY; MultiFernet so a new key can
be put first while old ones still decrypt); the pending secret of an enrolment is kept the same way
on the user's row, never in the session cookie. Recovery codes are stored as Argon2id hashes, each
with its own salt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.domain.text import Message
from app.models import User
from app.services import ServiceError, audit
from app.services.audit import Actor

ISSUER = "Suara"
RECOVERY_CODES = 10
# A recovery code carries 48 random bits, so lighter Argon2id settings than passwords suffice
# (OWASP's minimum: 19 MiB, 2 passes) and ten of them check quickly at sign-in.
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_CODE_RE = re.compile(r"^[0-9a-f]{12}$")
LEGACY_PREFIX = "sha256:"  # unsalted SHA-256 digests from before, wrapped in Argon2id by a migration


_keys: list[str] = []


def install_keys(keys: list[str]) -> None:
    """The keys from the settings (TOTP_KEYS), given by the app factory at start-up: first encrypts."""
    _keys[:] = list(keys)


def cipher(keys: list[str] | None = None) -> MultiFernet:
    """The cipher for two-factor secrets: the first key encrypts, every key decrypts."""
    keys = keys if keys is not None else _keys
    if not keys:
        raise RuntimeError("No two-factor key installed: the app factory installs TOTP_KEYS.")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(secret: str) -> str:
    return cipher().encrypt(secret.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plain secret; a token no configured key opens is an error that names the setting."""
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise RuntimeError(
            "A two-factor secret cannot be decrypted: is SUARA_TOTP_KEY the key it was stored with?"
        ) from None


def secret_of(user: User) -> str | None:
    """The user's confirmed TOTP secret in plain text (only while verifying a code)."""
    return decrypt(user.totp_secret_encrypted) if user.totp_secret_encrypted else None


def set_secret(user: User, secret: str) -> None:
    """Store a confirmed TOTP secret, encrypted."""
    user.totp_secret_encrypted = encrypt(secret)


def new_secret() -> str:
    return pyotp.random_base32()


def pending_secret(user: User) -> str:
    """The secret of the enrolment in progress, created once and kept encrypted on the user's row."""
    if user.totp_pending_encrypted:
        return decrypt(user.totp_pending_encrypted)
    secret = new_secret()
    user.totp_pending_encrypted = encrypt(secret)
    return secret


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
    code = code.strip().replace(" ", "")
    if not code.isascii() or not code.isdigit() or len(code) != 6:
        return False
    secret = secret or secret_of(user)
    if not secret:
        return False
    step = _matching_step(secret, code, time.time() if now is None else now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def _normalise(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


def legacy_digest(normalised: str) -> str:
    """The unsalted digest earlier versions stored (kept only inside an Argon2id hash)."""
    return hashlib.sha256(normalised.encode()).hexdigest()


def hash_recovery_code(code: str) -> str:
    """A salted Argon2id hash of one recovery code."""
    return _code_hasher.hash(_normalise(code))


def _matches(stored: str, normalised: str) -> bool:
    legacy = stored.startswith(LEGACY_PREFIX)
    candidate = legacy_digest(normalised) if legacy else normalised
    try:
        return _code_hasher.verify(stored.removeprefix(LEGACY_PREFIX), candidate)
    except (VerificationError, InvalidHashError):
        return False


def new_recovery_codes(user: User) -> list[str]:
    """Fresh recovery codes, shown once; only their salted hashes are kept."""
    codes = ["-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODES)]
    user.recovery_code_hashes = [hash_recovery_code(c) for c in codes]
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Consume a recovery code (each works once)."""
    normalised = _normalise(code)
    if not _CODE_RE.match(normalised):
        return False  # not shaped like a recovery code: no hashing work for a mistyped TOTP code
    remaining = list(user.recovery_code_hashes or [])
    for stored in remaining:
        if _matches(stored, normalised):
            remaining.remove(stored)
            user.recovery_code_hashes = remaining
            return True
    return False


def enrol(actor: Actor, code: str) -> list[str]:
    """Confirm the pending enrolment with a first code (audited); returns the recovery codes to show once."""
    user = actor.signed_in
    if not user.totp_pending_encrypted:
        raise ServiceError(Message("The set-up expired; scan the new code and try again."))
    secret = decrypt(user.totp_pending_encrypted)
    if not verify_code(user, code, secret=secret):
        raise ServiceError(Message("That code does not match; check the time on your device and try again."))
    set_secret(user, secret)
    user.totp_pending_encrypted = None
    audit.record("user.2fa_enabled", actor, "user", user.id)
    return new_recovery_codes(user)


def disable(user: User) -> None:
    user.totp_secret_encrypted, user.totp_last_step, user.recovery_code_hashes = None, None, None
    user.totp_pending_encrypted = None


def turn_off(actor: Actor, password: str, code: str) -> bool:
    """The user turns two-factor sign-in off with their password and a current code (audited)."""
    from app.services.accounts import verify_password

    user = actor.signed_in
    if not (verify_password(user, password) and verify_code(user, code)):
        return False
    disable(user)
    audit.record("user.2fa_disabled", actor, "user", user.id)
    return True
