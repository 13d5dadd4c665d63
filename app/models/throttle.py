"""Failed sign-ins per account, in the database so every worker and machine sees them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import Model
from app.models.types import UTCDateTime


class LoginThrottle(Model):
    """Failures of one account (by email, known or not) in the current window."""

    __tablename__ = "login_throttles"

    email: so.Mapped[str] = so.mapped_column(sa.String(254), primary_key=True)
    window_start: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    failures: so.Mapped[int] = so.mapped_column(default=0)
    locked_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
