"""The append-only history of support status changes, with the evidence behind each."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import InterlocutorLevel, PledgeForm, SupportStatus
from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.outreach import OutreachEntry
    from app.models.requests import ReciprocalRequest
    from app.models.user import User


class StatusChange(Model):
    """One move of a state's status in a campaign; rows are never edited or deleted."""

    __tablename__ = "status_changes"
    # In the order of the one rule for "current", so a state's latest changes are one index range.
    __table_args__ = (
        sa.Index("ix_status_changes_campaign_state_day", "campaign_id", "state_id", "effective_on", "id"),
        # A campaign's changes of a few days (the trend's snapshots replay from one day to the next).
        sa.Index("ix_status_changes_campaign_day", "campaign_id", "effective_on", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    campaign_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id", ondelete="CASCADE"))
    from_status: so.Mapped[SupportStatus] = so.mapped_column(enum_column(SupportStatus, "from_status"))
    to_status: so.Mapped[SupportStatus] = so.mapped_column(enum_column(SupportStatus, "to_status"))
    changed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # The day the position was expressed (the meeting's date), which may precede changed_at.
    effective_on: so.Mapped[date]
    changed_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    outreach_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("outreach_entries.id", ondelete="SET NULL")
    )
    source_level: so.Mapped[InterlocutorLevel | None] = so.mapped_column(
        enum_column(InterlocutorLevel)
    )
    pledge_form: so.Mapped[PledgeForm | None] = so.mapped_column(enum_column(PledgeForm))
    note_reference: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    note_date: so.Mapped[date | None]
    conditional: so.Mapped[bool] = so.mapped_column(default=False)
    condition_request_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("reciprocal_requests.id", ondelete="SET NULL")
    )

    changed_by: so.Mapped[User | None] = so.relationship()
    outreach: so.Mapped[OutreachEntry | None] = so.relationship()
    condition_request: so.Mapped[ReciprocalRequest | None] = so.relationship()
