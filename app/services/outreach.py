"""Recording, editing and deleting outreach entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain import clock
from app.domain.enums import Channel, InterlocutorLevel, Role, SupportStatus
from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, Contact, OutreachEntry, OutreachRevision, State, User
from app.models.types import utcnow
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import ensure_open
from app.services.followups import add_follow_up
from app.services.status import Evidence, change_status, position_for
from app.services.tally import refresh_last_contacts

EDITABLE = ("occurred_on", "channel", "level", "location", "our_participants", "their_participants", "summary")


@dataclass(frozen=True)
class OutreachInput:
    """The fields of an outreach entry as plain values."""

    occurred_on: date
    channel: Channel
    level: InterlocutorLevel
    location: str
    our_participants: str
    their_participants: str
    summary: str
    state_ids: list[int]
    contact_ids: list[int] = field(default_factory=list)
    campaign_ids: list[int] = field(default_factory=list)


def _check(data: OutreachInput) -> None:
    if data.occurred_on > clock.today():
        raise ServiceError(Message("The date cannot be in the future."))
    if not data.state_ids:
        raise ServiceError(Message("Choose at least one state."))
    if not data.campaign_ids:
        raise ServiceError(Message("Choose at least one campaign the entry served."))


def _snapshot(entry: OutreachEntry) -> dict:
    values = {name: audit.jsonable(getattr(entry, name)) for name in EDITABLE}
    values["states"] = sorted(s.iso3 for s in entry.states)
    values["contacts"] = sorted(c.id for c in entry.contacts)
    values["campaigns"] = sorted(c.id for c in entry.campaigns)
    return values


def _apply(entry: OutreachEntry, data: OutreachInput) -> None:
    for name in EDITABLE:
        value = getattr(data, name)
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    entry.states = list(db.session.scalars(sa.select(State).where(State.id.in_(data.state_ids))))
    if len(entry.states) != len(set(data.state_ids)):
        raise ServiceError(Message("Unknown state in the entry."))
    contacts = (list(db.session.scalars(sa.select(Contact).where(Contact.id.in_(data.contact_ids))))
                if data.contact_ids else [])
    # Participants must belong to one of the entry's states.
    if any(c.state_id not in set(data.state_ids) for c in contacts):
        raise ServiceError(Message("A chosen contact does not belong to the entry's states."))
    entry.contacts = contacts
    _apply_campaigns(entry, set(data.campaign_ids))


def _apply_campaigns(entry: OutreachEntry, wanted: set[int]) -> None:
    """Live campaigns may be added or removed; an archived one the entry served stays linked."""
    campaigns = {c.id: c for c in db.session.scalars(
        sa.select(Campaign).where(Campaign.id.in_(wanted | {c.id for c in entry.campaigns})))}
    if wanted - campaigns.keys():
        raise ServiceError(Message("Unknown campaign in the entry."))
    for campaign_id in wanted - {c.id for c in entry.campaigns}:
        ensure_open(campaigns[campaign_id])
    kept = [c for c in entry.campaigns if c.id in wanted or c.is_archived]
    entry.campaigns = kept + [campaigns[i] for i in sorted(wanted) if i not in {c.id for c in kept}]


def record_outreach(data: OutreachInput, actor: Actor) -> OutreachEntry:
    """A new outreach entry on one or more states, serving one or more campaigns."""
    _check(data)
    entry = OutreachEntry(author_id=actor.id, occurred_on=data.occurred_on, channel=data.channel, level=data.level)
    db.session.add(entry)
    _apply(entry, data)
    db.session.flush()
    refresh_last_contacts(s.id for s in entry.states)
    audit.record("outreach.create", actor, "outreach", entry.id, after=_snapshot(entry))
    return entry


def live_entry(entry_id: int, *, for_page: bool = False) -> OutreachEntry | None:
    """A live (not deleted) entry; `for_page` loads what its page shows (states, contacts, campaigns,
    author, every revision with its editor) in a fixed number of queries, however long its history."""
    query = sa.select(OutreachEntry).where(OutreachEntry.id == entry_id, OutreachEntry.deleted_at.is_(None))
    if for_page:
        query = query.options(
            so.joinedload(OutreachEntry.author), so.selectinload(OutreachEntry.states),
            so.selectinload(OutreachEntry.contacts), so.selectinload(OutreachEntry.campaigns),
            so.selectinload(OutreachEntry.revisions).joinedload(OutreachRevision.editor))
    return db.session.scalar(query)


def can_edit(entry: OutreachEntry, user: User) -> bool:
    """Authors and admins edit entries."""
    return user.role is Role.ADMIN or entry.author_id == user.id


def edit_outreach(entry: OutreachEntry, data: OutreachInput, actor: Actor) -> OutreachRevision | None:
    """Apply an edit and keep who, when, before and after; None when nothing changed."""
    if actor.user is None or not can_edit(entry, actor.user):
        raise ServiceError(Message("Only the author or an admin may edit this entry."))
    _check(data)
    before = _snapshot(entry)
    before_states = {s.id for s in entry.states}
    _apply(entry, data)
    after = _snapshot(entry)
    if before == after:
        return None
    entry.updated_at = utcnow()
    revision = OutreachRevision(entry_id=entry.id, editor_id=actor.id, before=before, after=after)
    db.session.add(revision)
    db.session.flush()
    refresh_last_contacts(before_states | {s.id for s in entry.states})
    audit.record("outreach.update", actor, "outreach", entry.id, before=before, after=after)
    return revision


def delete_outreach(entry: OutreachEntry, reason: str, actor: Actor) -> None:
    """Soft delete by an admin, with a reason; the row stays for the record."""
    if actor.user is None or actor.user.role is not Role.ADMIN:
        raise ServiceError(Message("Only admins delete outreach entries."))
    if not reason.strip():
        raise ServiceError(Message("Give a reason for deleting the entry."))
    entry.deleted_at, entry.deleted_by_id, entry.delete_reason = utcnow(), actor.id, reason.strip()
    db.session.flush()
    refresh_last_contacts(s.id for s in entry.states)
    audit.record("outreach.delete", actor, "outreach", entry.id, reason=entry.delete_reason)


@dataclass(frozen=True)
class StatusMove:
    """A new status for one covered state in one campaign the entry served, with its lock version."""

    campaign: Campaign
    state: State
    to_status: SupportStatus
    expected_version: int
    reason: str = ""  # for the API's moves, each with its own reason and evidence
    evidence: Evidence | None = None


@dataclass(frozen=True)
class FollowUpRequest:
    """The optional follow-up logged with an entry."""

    text: str
    due_on: date
    owner: User | None
    state: State | None = None  # the state it is owed to; the entry's first state if not covered


FIRST_CONTACT = "First contact recorded with this entry."


def record_with_moves(data: OutreachInput, moves: list[StatusMove], actor: Actor) -> tuple[OutreachEntry, list]:
    """The API's use case: an entry and the status changes it brought, each with its own reason and
    evidence (the entry's summary when none), as of the entry's day. No first contacts, no follow-up."""
    entry = record_outreach(data, actor)
    changes = [
        change_status(
            move.campaign,
            move.state,
            to_status=move.to_status,
            expected_version=move.expected_version,
            actor=actor,
            reason=move.reason or entry.summary[:500],
            effective_on=entry.occurred_on,
            evidence=move.evidence or Evidence(),
            outreach_id=entry.id,
        )
        for move in moves
    ]
    return entry, changes


def log_outreach(
    data: OutreachInput, moves: list[StatusMove], evidence: Evidence, reason: str, actor: Actor,
    follow_up: FollowUpRequest | None = None, follow_up_campaign: Campaign | None = None,
) -> OutreachEntry:
    """The entry, a status change per move, first contacts, and the follow-up: one use case.

    A move must name a state the entry covers and a campaign it served. A covered state still
    "not approached" in a served live campaign becomes "approached", with the entry as evidence,
    unless the user chose its status.
    """
    entry = record_outreach(data, actor)
    covered = {s.id: s for s in entry.states}
    served = {c.id: c for c in entry.campaigns if not c.is_archived}
    for move in moves:
        if move.campaign.id not in served:
            raise ServiceError(Message("A new status was chosen in “%(campaign)s”, which this entry does not serve.",
                                       campaign=move.campaign.name))
        if move.state.id not in covered:
            raise ServiceError(Message(
                "%(state)s is not among the states this entry covers, so its status cannot change.",
                                       state=move.state.name))
        change_status(move.campaign, move.state, to_status=move.to_status, expected_version=move.expected_version,
                      actor=actor, reason=reason, effective_on=entry.occurred_on, evidence=evidence,
                      outreach_id=entry.id)
    moved = {(m.campaign.id, m.state.id) for m in moves}
    for campaign in served.values():
        for state in covered.values():
            position = position_for(campaign, state)
            if (campaign.id, state.id) not in moved and position.status is SupportStatus.NOT_APPROACHED:
                change_status(campaign, state, to_status=SupportStatus.APPROACHED, expected_version=position.version,
                              actor=actor, reason=FIRST_CONTACT, effective_on=entry.occurred_on,
                              evidence=Evidence(source_level=entry.level), outreach_id=entry.id)
    if follow_up is not None and follow_up.text.strip():
        target = (follow_up_campaign if follow_up_campaign and follow_up_campaign.id in served
                  else next(iter(served.values()), None))
        if target is None:
            raise ServiceError(Message("A follow-up needs a live campaign among those the entry served."))
        owed_to = follow_up.state if follow_up.state and follow_up.state.id in covered else entry.states[0]
        add_follow_up(target, owed_to, text=follow_up.text, due_on=follow_up.due_on, owner=follow_up.owner,
                      actor=actor, outreach_id=entry.id)
    return entry
