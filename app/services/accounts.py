"""Accounts: creating users, passwords, roles, assignments and sign-in checks."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
import sqlalchemy.orm as so
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.domain.enums import Role
from app.domain.text import Message
from app.extensions import db
from app.models import State, User
from app.models.user import new_session_token
from app.services import ServiceError, audit
from app.services.audit import Actor


class WrongPassword(ServiceError):
    """The current password given to confirm a change is not the user's."""


PASSWORD_MIN = 12
PASSWORD_MAX = 128
_hasher = PasswordHasher()


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively, so they are stored lower-cased."""
    return email.strip().lower()


LOCAL_DOMAINS = (".local", ".test")  # reserved names the desk itself uses for local and demo accounts


def checked_email(email: str) -> str:
    """The address, normalised, once it passes the web form's check (email-validator's syntax).

    Addresses under `.local` or `.test`, which that check refuses as reserved, are accepted when
    they are otherwise valid: `make run` and `make load` create such accounts on a closed desk.
    """
    from email_validator import EmailNotValidError, validate_email

    address = email.strip()
    local, _, domain = address.rpartition("@")
    if domain.lower().endswith(LOCAL_DOMAINS) and "." in domain:
        probe = f"{local}@{domain.rsplit('.', 1)[0]}.example"  # the same syntax under a public-looking name
    else:
        probe = address
    try:
        validate_email(probe, check_deliverability=False)
    except EmailNotValidError as error:
        raise ServiceError(Message("Not a valid email address: %(reason)s", reason=_email_reason(error))) from None
    return normalise_email(address)


class PasswordAdvice:
    """"This password is too easy to guess." and zxcvbn's advice, each sentence in the reader's language.

    zxcvbn writes its warnings and suggestions in English; each is a msgid of our catalogue
    (listed in `_zxcvbn_messages`), so it is translated like any message when shown.
    """

    def __init__(self, advice: list[str]) -> None:
        self.advice = advice

    def __str__(self) -> str:
        return " ".join([str(Message("This password is too easy to guess.")), *(str(Message(a)) for a in self.advice)])


def _zxcvbn_messages() -> None:  # pragma: no cover - never called; read by pybabel
    """zxcvbn's feedback (zxcvbn/feedback.py), marked for extraction so that it is translated."""
    Message("Use a few words, avoid common phrases.")
    Message("No need for symbols, digits, or uppercase letters.")
    Message("Add another word or two. Uncommon words are better.")
    Message("Straight rows of keys are easy to guess.")
    Message("Short keyboard patterns are easy to guess.")
    Message("Use a longer keyboard pattern with more turns.")
    Message('Repeats like "aaa" are easy to guess.')
    Message('Repeats like "abcabcabc" are only slightly harder to guess than "abc".')
    Message("Avoid repeated words and characters.")
    Message('Sequences like "abc" or "6543" are easy to guess.')
    Message("Avoid sequences.")
    Message("Recent years are easy to guess.")
    Message("Avoid recent years.")
    Message("Avoid years that are associated with you.")
    Message("Dates are often easy to guess.")
    Message("Avoid dates and years that are associated with you.")
    Message("This is a top-10 common password.")
    Message("This is a top-100 common password.")
    Message("This is a very common password.")
    Message("This is similar to a commonly used password.")
    Message("A word by itself is easy to guess.")
    Message("Names and surnames by themselves are easy to guess.")
    Message("Common names and surnames are easy to guess.")
    Message("Capitalization doesn't help very much.")
    Message("All-uppercase is almost as easy to guess as all-lowercase.")
    Message("Reversed words aren't much harder to guess.")
    Message("Predictable substitutions like '@' instead of 'a' don't help very much.")


def _email_reason(error) -> Message:
    """Why an address is refused, in the reader's language (email-validator explains in English)."""
    text = str(error)
    if "must have an @-sign" in text:
        return Message("it has no @-sign.")
    if "after the @-sign" in text:
        return Message("the part after the @-sign is not a valid domain name.")
    if "before the @-sign" in text:
        return Message("the part before the @-sign is not valid.")
    return Message("it is not written as name@domain.")


def check_password_rules(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Length limits (checked first, so a huge input costs nothing), then strength.

    Strength is zxcvbn's estimate (dictionaries of common passwords, names, keyboard patterns,
    repeats); a score below 3 of 4 is refused with its advice. Only the first 100 characters are
    scored: zxcvbn slows down on long inputs, and 100 characters are strong enough to judge.
    """
    if len(password) < PASSWORD_MIN:
        raise ServiceError(Message("The password must be at least %(min)d characters long.", min=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        raise ServiceError(Message("The password must be at most %(max)d characters long.", max=PASSWORD_MAX))
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])
    if result["score"] < 3:
        feedback = result["feedback"]
        advice = [text for text in (feedback.get("warning"), *feedback.get("suggestions", [])) if text]
        raise ServiceError(PasswordAdvice(advice))


def generate_password() -> str:
    """A random password that meets the rules, for first admins and resets."""
    return secrets.token_urlsafe(15)


def hash_password(password: str, user_inputs: tuple[str, ...] = ()) -> str:
    check_password_rules(password, user_inputs)
    return _hasher.hash(password)


def get_user(user_id: int | None) -> User | None:
    """The user with this id, or None."""
    return db.session.get(User, user_id) if user_id else None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, role: Role, password: str, *, actor: Actor, locale: str = "en",
                temporary: bool = False) -> User:
    """Create a user reading the desk in `locale` (the desk's default for new users), audited; refuses a
    taken email. A `temporary` password (made by an admin) must be replaced at the first sign-in."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise ServiceError(Message("A user with this email already exists."))
    user = User(email=email, name=name.strip(), role=role, locale=locale,
                password_hash=hash_password(password, (email, email.split("@")[0], name)),
                must_change_password=temporary)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor, "user", user.id, email=user.email, role=user.role.value)
    return user


def set_locale(actor: Actor, locale: str) -> None:
    """The language the acting user reads pages and documents in; recorded in the audit trail."""
    user = actor.signed_in
    if locale == user.locale:
        return
    before, user.locale = user.locale, locale
    audit.record("user.locale", actor, "user", user.id, before=before, after=locale)


def verify_password(user: User, password: str) -> bool:
    """Check a password, upgrading the stored hash when the parameters have changed."""
    if len(password) > PASSWORD_MAX:
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same answer for every failure)."""
    user = find_user_by_email(email)
    if user is None:
        _hasher.hash("timing-equaliser")  # do similar work so timing does not reveal emails
        return None
    if not verify_password(user, password) or not user.active:
        return None
    return user


def end_all_sessions(user: User) -> None:
    """Rotate the session token: every cookie issued before no longer signs in."""
    user.session_token = new_session_token()


def set_password(user: User, password: str, temporary: bool = False) -> None:
    """A new password (ending every session); a temporary one must be replaced at next sign-in."""
    user.password_hash = hash_password(password, (user.email, user.email.split("@")[0], user.name))
    user.must_change_password = temporary
    end_all_sessions(user)


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user, current):
        raise WrongPassword(Message("The current password is not correct."))
    if new == current:
        raise ServiceError(Message("The new password must differ from the current one."))
    set_password(user, new)


def reset_password(user: User, actor: Actor) -> str:
    """An admin's reset: a generated temporary password (returned, shown once), every session ended."""
    password = generate_password()
    set_password(user, password, temporary=True)
    audit.record("user.password_reset", actor, "user", user.id)
    return password


def _profile(user: User) -> dict:
    return {"name": user.name, "role": user.role.value, "active": user.active,
            "states": [s.iso3 for s in user.assigned_states]}


def update_user(user: User, *, name: str, role: Role, active: bool, actor: Actor,
                assigned: list[str] | None = None) -> None:
    """Change name, role, active flag and (envoys) assigned states, audited; a role or activity change
    ends sessions. Admins may not take away their own admin role or deactivate themselves."""
    if user.id == actor.id and (role is not Role.ADMIN or not active):
        raise ServiceError(Message("You cannot remove your own admin role or deactivate yourself."))
    before = _profile(user)
    if (role is not user.role) or (active != user.active):
        end_all_sessions(user)
    user.name = name.strip()
    user.role = role
    user.active = active
    set_assignments(user, (assigned or []) if role is Role.ENVOY else [])
    audit.record("user.update", actor, "user", user.id, before=before, after=_profile(user))


def set_assignments(user: User, iso3s: list[str]) -> None:
    """Replace an envoy's assigned states."""
    wanted = {code.upper() for code in iso3s}
    states = db.session.scalars(sa.select(State).where(State.iso3.in_(wanted))).all()
    if len(states) != len(wanted):
        raise ServiceError(Message("Unknown state code in the assignment."))
    user.assigned_states = sorted(states, key=lambda s: s.name)


def all_users() -> list[User]:
    """Every user with their assigned states, by name (the admins' list)."""
    return list(db.session.scalars(
        sa.select(User).options(so.selectinload(User.assigned_states)).order_by(User.name)))


def count_users() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id))) or 0
