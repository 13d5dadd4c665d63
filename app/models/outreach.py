"""Outreach entries (meetings, calls, notes verbales) and their edit history."""

from __future__ import annotations

from collections.abc import Iterable
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

# Derived from the entries and their links, never written by hand: one row per live entry, state it
# names and campaign it served, with the entry's day. "A state's latest entries in a campaign" is then
# a walk of one index from its newest end, and "how many" a count of one range of it, whatever the history.
outreach_listings = sa.Table(
    "outreach_listings",
    db.metadata,
    sa.Column("entry_id", sa.ForeignKey("outreach_entries.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("state_id", sa.ForeignKey("states.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("occurred_on", sa.Date(), nullable=False),
    sa.Index("ix_outreach_listings_campaign_state_day", "campaign_id", "state_id", "occurred_on", "entry_id"),
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


# What an entry's listings are made of: a change to any of these rewrites them.
_LISTED = ("occurred_on", "deleted_at", "states", "campaigns")


def refresh_listings(connection: sa.Connection, entry_ids: Iterable[int] | None = None) -> None:
    """Rewrite the `outreach_listings` of these entries (of every entry when None) from the entries."""
    entries = OutreachEntry.__table__
    delete = sa.delete(outreach_listings)
    rows = (
        sa.select(entries.c.id, outreach_states.c.state_id, outreach_campaigns.c.campaign_id, entries.c.occurred_on)
        .join(outreach_states, outreach_states.c.entry_id == entries.c.id)
        .join(outreach_campaigns, outreach_campaigns.c.entry_id == entries.c.id)
        .where(entries.c.deleted_at.is_(None))
    )
    if entry_ids is not None:
        ids = sorted(set(entry_ids))
        if not ids:
            return
        delete = delete.where(outreach_listings.c.entry_id.in_(ids))
        rows = rows.where(entries.c.id.in_(ids))
    connection.execute(delete)
    connection.execute(sa.insert(outreach_listings).from_select(
        ["entry_id", "state_id", "campaign_id", "occurred_on"], rows))


@sa.event.listens_for(so.Session, "after_flush")
def _relist(session: so.Session, _context: so.UOWTransaction) -> None:
    """Every ORM write of an entry keeps its listings: new entries, and a changed day, deletion,
    states or campaigns (after the flush, when the link tables hold the new rows)."""
    changed = [e.id for e in session.new if isinstance(e, OutreachEntry)] + [
        e.id for e in session.dirty if isinstance(e, OutreachEntry)
        and any(sa.inspect(e).attrs[name].history.has_changes() for name in _LISTED)]
    if changed:
        refresh_listings(session.connection(), changed)
