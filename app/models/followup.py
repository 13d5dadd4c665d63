"""Follow-ups: things someone owes a state by a date."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import Model
from app.models.types import EditLock, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.campaign import Campaign
    from app.models.outreach import OutreachEntry
    from app.models.state import State
    from app.models.user import User


class FollowUp(EditLock, Model):
    """An action with an owner and a due date, open until marked done."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        # The dashboard's oldest overdue follow-ups of a campaign: open ones only, in due order.
        sa.Index("ix_follow_ups_open_campaign_due", "campaign_id", "due_on", "id",
                 sqlite_where=sa.text("done_at IS NULL"), postgresql_where=sa.text("done_at IS NULL")),
        # A state's open follow-ups in a campaign, soonest due first: one range of the index, read from its start.
        sa.Index("ix_follow_ups_campaign_state_open", "campaign_id", "state_id", "done_at", "due_on", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    campaign_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    state_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("states.id", ondelete="CASCADE"), index=True
    )
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    due_on: so.Mapped[date] = so.mapped_column(index=True)
    owner_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    outreach_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("outreach_entries.id", ondelete="SET NULL")
    )
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    done_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    done_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    campaign: so.Mapped[Campaign] = so.relationship()
    state: so.Mapped[State] = so.relationship()
    owner: so.Mapped[User | None] = so.relationship(foreign_keys=[owner_id])
    outreach: so.Mapped[OutreachEntry | None] = so.relationship()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.due_on < today
