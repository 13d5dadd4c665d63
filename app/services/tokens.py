"""Personal access tokens and calendar feed keys: issue, find by secret, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import Role, TokenScope
from app.domain.text import Message
from app.extensions import db
from app.models import ApiToken, CalendarFeed, User
from app.services import ServiceError, audit
from app.services.audit import Actor

TOKEN_PREFIX = "suara_"
MAX_DAYS = 366
NAME_MAX = 100
# Writing last-used on every request would turn each read into a write; a minute is precise enough.
TOUCH_EVERY = timedelta(minutes=1)


def digest(secret: str) -> str:
    """SHA-256 of a secret, hex: what the database keeps instead of the secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """256 random bits, URL-safe, with a recognisable prefix (secret scanners can match it)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(actor: Actor, name: str, scope: TokenScope, days: int, now: datetime) -> tuple[ApiToken, str]:
    """A new token for the acting user; returns it with its secret, which is shown once and never stored."""
    user = actor.signed_in
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise ServiceError(Message("Give the token a name of at most %(max)d characters.", max=NAME_MAX))
    if not 1 <= days <= MAX_DAYS:
        raise ServiceError(Message("A token expires within 1 to %(max)d days.", max=MAX_DAYS))
    if scope is TokenScope.WRITE and user.role is Role.LEADERSHIP:
        raise ServiceError(Message("Leadership reads the desk and changes nothing: choose a read-only token."))
    secret = new_secret()
    token = ApiToken(user_id=user.id, name=name, prefix=secret[: len(TOKEN_PREFIX) + 6], token_hash=digest(secret),
                     scope=scope, expires_at=now + timedelta(days=days), created_at=now)
    db.session.add(token)
    db.session.flush()
    audit.record("token.create", actor, "api_token", token.id, name=name, scope=scope.value,
                 expires_at=token.expires_at.isoformat())
    return token, secret


def find_token(secret: str, now: datetime) -> ApiToken | None:
    """The usable token with this secret, else None (unknown, revoked, expired or user inactive)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(
        sa.select(ApiToken).options(so.joinedload(ApiToken.user)).where(ApiToken.token_hash == digest(secret))
    )
    return token if token is not None and token.is_usable(now) else None


def touch(token: ApiToken, now: datetime) -> bool:
    """Record the use; True when the row changed (at most once a minute)."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    token.last_used_at = now
    db.session.flush()
    return True


def tokens_of(user: User) -> list[ApiToken]:
    """A user's tokens, live ones first, newest first."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def all_tokens() -> list[ApiToken]:
    """Every token of every user, for admins."""
    return list(db.session.scalars(
        sa.select(ApiToken).options(so.joinedload(ApiToken.user))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_token(token: ApiToken, actor: Actor, now: datetime) -> None:
    """Its holder or an admin ends a token at once; revoking twice changes nothing."""
    if token.user_id != actor.id and actor.signed_in.role is not Role.ADMIN:
        raise ServiceError(Message("Only the token's holder or an admin may revoke it."))
    if token.revoked_at is not None:
        return
    token.revoked_at, token.revoked_by_id = now, actor.id
    db.session.flush()
    audit.record("token.revoke", actor, "api_token", token.id, holder=token.user_id, name=token.name)


def issue_feed(actor: Actor, now: datetime) -> str:
    """A new calendar feed key for the acting user (ending the previous one); returns the secret."""
    user = actor.signed_in
    for feed in db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                                 CalendarFeed.revoked_at.is_(None))):
        feed.revoked_at = now
    secret = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, key_hash=digest(secret), created_at=now))
    db.session.flush()
    audit.record("calendar.issue", actor, "user", user.id)
    return secret


def revoke_feeds(actor: Actor, now: datetime) -> None:
    """End the acting user's calendar feed URL."""
    user = actor.signed_in
    for feed in db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                                 CalendarFeed.revoked_at.is_(None))):
        feed.revoked_at = now
    db.session.flush()
    audit.record("calendar.revoke", actor, "user", user.id)


def has_feed(user: User) -> bool:
    return (db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed).where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))) or 0) > 0


def find_feed(secret: str) -> CalendarFeed | None:
    """The live feed with this key whose user is still active."""
    if len(secret) > 100:
        return None
    feed = db.session.scalar(sa.select(CalendarFeed).options(so.joinedload(CalendarFeed.user))
                             .where(CalendarFeed.key_hash == digest(secret)))
    if feed is None or feed.revoked_at is not None or not feed.user.active:
        return None
    return feed
