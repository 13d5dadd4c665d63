"""Outreach entries (meetings, calls, notes verbales) and their edit history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import Channel, InterlocutorLevel
from app.extensions import Model, db
from app.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.campaign import Campaign
    from app.models.contact import Contact
    from app.models.state import State
    from app.models.user import User

outreach_states = sa.Table(
    "outreach_states",
    db.metadata,
    sa.Column("entry_id", sa.ForeignKey("outreach_entries.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("state_id", sa.ForeignKey("states.id", ondelete="CASCADE"), primary_key=True),
    # state first: "this state's entries" reads one range of the index, entry ids included.
    sa.Index("ix_outreach_states_state_entry", "state_id", "entry_id"),
)

# The campaigns an entry served: one meeting can serve several candidatures.
outreach_campaigns = sa.Table(
    "outreach_campaigns",
    db.metadata,
    sa.Column("entry_id", sa.ForeignKey("outreach_entries.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_outreach_campaigns_campaign_id", "campaign_id"),
)

outreach_contacts = sa.Table(
    "outreach_contacts",
    db.metadata,
    sa.Column("entry_id", sa.ForeignKey("outreach_entries.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("contact_id", sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
)


class OutreachEntry(Model):
    """One contact with one or more states: a meeting, a call, a note verbale…"""

    __tablename__ = "outreach_entries"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    occurred_on: so.Mapped[date] = so.mapped_column(index=True)
    channel: so.Mapped[Channel] = so.mapped_column(enum_column(Channel))
    level: so.Mapped[InterlocutorLevel] = so.mapped_column(enum_column(InterlocutorLevel))
    location: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    our_participants: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    their_participants: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    summary: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    author_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    deleted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    deleted_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    delete_reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    campaigns: so.Mapped[list[Campaign]] = so.relationship(
        secondary=outreach_campaigns, order_by="Campaign.id"
    )
    author: so.Mapped[User | None] = so.relationship(foreign_keys=[author_id])
    states: so.Mapped[list[State]] = so.relationship(secondary=outreach_states, order_by="State.name")
    contacts: so.Mapped[list[Contact]] = so.relationship(secondary=outreach_contacts)
    revisions: so.Mapped[list[OutreachRevision]] = so.relationship(
        back_populates="entry", order_by="OutreachRevision.edited_at.desc()"
    )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class OutreachRevision(Model):
    """One edit of an outreach entry: who, when, and the fields before and after."""

    __tablename__ = "outreach_revisions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    entry_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("outreach_entries.id", ondelete="CASCADE"), index=True
    )
    editor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    before: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    after: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)

    entry: so.Mapped[OutreachEntry] = so.relationship(back_populates="revisions")
    editor: so.Mapped[User | None] = so.relationship()
