"""Reciprocal requests: support asked in return, in either direction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import RequestDirection, RequestStatus
from app.extensions import Model
from app.models.types import EditLock, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.campaign import Campaign
    from app.models.state import State
    from app.models.user import User


class ReciprocalRequest(EditLock, Model):
    """"We back you for X, you back us for Y": what was asked, and where it stands."""

    __tablename__ = "reciprocal_requests"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # The candidature this request serves (the conflict check looks across all of them).
    campaign_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    state_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("states.id", ondelete="CASCADE"), index=True
    )
    direction: so.Mapped[RequestDirection] = so.mapped_column(enum_column(RequestDirection))
    body: so.Mapped[str] = so.mapped_column(sa.String(120))
    post: so.Mapped[str] = so.mapped_column(sa.String(200))
    year: so.Mapped[int]
    status: so.Mapped[RequestStatus] = so.mapped_column(
        enum_column(RequestStatus), default=RequestStatus.PENDING
    )
    decided_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    campaign: so.Mapped[Campaign] = so.relationship()
    state: so.Mapped[State] = so.relationship()
    decided_by: so.Mapped[User | None] = so.relationship(foreign_keys=[decided_by_id])
