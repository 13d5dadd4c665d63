"""Secrets a user holds outside the session: API access tokens and calendar feed keys.

Only a SHA-256 digest of each secret is stored. The secrets are 256 random bits made by the
desk, not passwords a person chose, so a slow hash (Argon2) would add no protection against
guessing and would cost every API request; a fast digest also lets the lookup use an index.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import TokenScope
from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class ApiToken(Model):
    """A personal access token: acts with its user's role and state scope, never more."""

    __tablename__ = "api_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    # The first characters of the token, shown in lists so a holder can tell tokens apart.
    prefix: so.Mapped[str] = so.mapped_column(sa.String(16))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    scope: so.Mapped[TokenScope] = so.mapped_column(enum_column(TokenScope))
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: so.Mapped[User] = so.relationship(foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        """Not revoked, not expired, and its user still active."""
        return self.revoked_at is None and self.expires_at > now and self.user.active

    def allows(self, scope: TokenScope) -> bool:
        return self.scope is TokenScope.WRITE or scope is TokenScope.READ


class CalendarFeed(Model):
    """The secret key of a user's calendar feed URL (one live key per user; revoking makes a new one)."""

    __tablename__ = "calendar_feeds"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped[User] = so.relationship()
