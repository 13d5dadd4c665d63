"""The audit trail: who did what, when, from where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow


class AuditEvent(Model):
    """One recorded action; details never hold passwords, tokens or codes."""

    __tablename__ = "audit_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    user_label: so.Mapped[str] = so.mapped_column(sa.String(254), default="")
    action: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)
    target_type: so.Mapped[str] = so.mapped_column(sa.String(60), default="")
    target_id: so.Mapped[str] = so.mapped_column(sa.String(60), default="")
    address: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    details: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
