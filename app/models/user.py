"""Users of the desk, their roles and envoys' state assignments."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from app.domain.enums import Role
from app.extensions import Model, db
from app.models.state import State
from app.models.types import UTCDateTime, enum_column, utcnow

assignments = sa.Table(
    "assignments",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("state_id", sa.ForeignKey("states.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    """A fresh random token; changing it ends every session of the user."""
    return secrets.token_urlsafe(24)


class User(UserMixin, Model):
    """A person who signs in to the desk."""

    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Stored lower-cased by the service, so uniqueness is case-insensitive on every database.
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    role: so.Mapped[Role] = so.mapped_column(enum_column(Role))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    session_token: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_session_token)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Two-factor sign-in: the TOTP secret once enrolment is confirmed and the secret of an
    # enrolment in progress, both encrypted (services/two_factor.py); the last time step accepted
    # (so a code cannot be used twice) and salted hashes of unused recovery codes.
    totp_secret_encrypted: so.Mapped[str | None] = so.mapped_column(sa.String(512))
    totp_pending_encrypted: so.Mapped[str | None] = so.mapped_column(sa.String(512))
    totp_last_step: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    recovery_code_hashes: so.Mapped[list[str] | None] = so.mapped_column(sa.JSON(none_as_null=True))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # Set by an admin's password reset: the user must choose their own password at next sign-in.
    must_change_password: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # The language pages and documents are shown in ("en" or "id", app/i18n.py LANGUAGES);
    # new accounts get SUARA_DEFAULT_LOCALE, the user changes it on /account/language.
    locale: so.Mapped[str] = so.mapped_column(sa.String(8), default="en", server_default="en")
    # The campaign chosen in the switcher, remembered across sessions (created after the
    # campaigns table: users → campaigns → states → users is a cycle of foreign keys).
    current_campaign_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="SET NULL", use_alter=True)
    )

    assigned_states: so.Mapped[list[State]] = so.relationship(
        secondary=assignments, order_by="State.name"
    )

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Id plus session token, so rotating the token invalidates old cookies."""
        return f"{self.id}:{self.session_token}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret_encrypted is not None
