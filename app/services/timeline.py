"""Everything the state page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import BodyKind
from app.extensions import db
from app.models import (
    Campaign,
    Contact,
    FollowUp,
    Membership,
    OutreachEntry,
    Position,
    ReciprocalRequest,
    State,
    StatusChange,
    outreach_listings,
)
from app.services.stages import HRC, electorate
from app.services.status import position_for

TIMELINE_PAGE = 50  # timeline items per page of the state page
STATE_FOLLOW_UPS = 20  # open follow-ups on the state page, soonest due first (the list has them all)


@dataclass(frozen=True)
class TimelineItem:
    """An outreach entry or a status change, placed on one timeline."""

    kind: str  # "outreach" or "status"
    day: date
    at: datetime
    outreach: OutreachEntry | None = None
    change: StatusChange | None = None


@dataclass
class StatePageData:
    """The state page's content."""

    position: Position
    membership: Membership | None
    in_electorate: bool
    timeline: list[TimelineItem]
    changes: list[StatusChange]
    outreach: list[OutreachEntry]
    follow_ups: list[FollowUp]
    contacts: list[Contact]
    requests: list[ReciprocalRequest]
    page: int = 1
    has_older: bool = False
    more_follow_ups: bool = False  # open follow-ups beyond the STATE_FOLLOW_UPS shown

    @property
    def latest_change(self) -> StatusChange | None:
        return self.changes[0] if self.changes else None


def outreach_for_state(campaign: Campaign, state: State, limit: int | None = None) -> list[OutreachEntry]:
    """Live entries naming the state that served the campaign, newest first, with their links loaded.

    Read through `outreach_listings` in the order of its index, so the first `limit` cost the same
    whatever the state's history.
    """
    query = (
        sa.select(OutreachEntry)
        .join(outreach_listings, outreach_listings.c.entry_id == OutreachEntry.id)
        .where(outreach_listings.c.campaign_id == campaign.id, outreach_listings.c.state_id == state.id)
        .options(
            so.selectinload(OutreachEntry.states),
            so.selectinload(OutreachEntry.campaigns),
            so.selectinload(OutreachEntry.contacts),
            so.joinedload(OutreachEntry.author),
        )
        .order_by(outreach_listings.c.occurred_on.desc(), outreach_listings.c.entry_id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def status_changes(campaign: Campaign, state: State, limit: int | None = None) -> list[StatusChange]:
    """Status history, newest first, with its people and linked records loaded."""
    return list(
        db.session.scalars(
            sa.select(StatusChange)
            .where(StatusChange.campaign_id == campaign.id, StatusChange.state_id == state.id)
            .options(so.joinedload(StatusChange.changed_by), so.joinedload(StatusChange.condition_request))
            # The one rule for "current": latest by the day expressed, then by record.
            .order_by(StatusChange.effective_on.desc(), StatusChange.id.desc())
            .limit(limit)
        )
    )


def merge_timeline(entries: list[OutreachEntry], changes: list[StatusChange]) -> list[TimelineItem]:
    """One list, newest first; a change caused by an entry sits just above it."""
    items = [TimelineItem("outreach", e.occurred_on, e.created_at, outreach=e) for e in entries]
    items += [TimelineItem("status", c.effective_on, c.changed_at, change=c) for c in changes]
    return sorted(items, key=lambda i: (i.day, i.at, i.kind == "status"), reverse=True)


def state_page_data(campaign: Campaign, state: State, page: int = 1) -> StatePageData:
    """Position, membership, one page of the timeline (TIMELINE_PAGE items, newest first),
    follow-ups, contacts and requests of one state.

    Each stream is read up to the end of the page plus one (LIMIT), so the first page costs the
    same whatever the history's length; `has_older` says whether an older page exists.
    """
    from app.services.contacts import contacts_for_state
    from app.services.followups import open_follow_ups_for_state
    from app.services.requests import requests_for_state

    upto = page * TIMELINE_PAGE + 1
    entries = outreach_for_state(campaign, state, limit=upto)
    changes = status_changes(campaign, state, limit=upto)
    merged = merge_timeline(entries, changes)
    follow_ups = open_follow_ups_for_state(campaign, state, limit=STATE_FOLLOW_UPS + 1)
    stage = campaign.current_stage
    council = stage is not None and stage.body_kind is BodyKind.HUMAN_RIGHTS_COUNCIL
    return StatePageData(
        position=position_for(campaign, state),
        membership=state.membership_in(HRC, stage.held_on.year) if stage is not None and council else None,
        in_electorate=stage is not None and state.id in electorate(stage).ids,
        timeline=merged[(page - 1) * TIMELINE_PAGE:page * TIMELINE_PAGE],
        changes=changes,
        outreach=entries,
        follow_ups=follow_ups[:STATE_FOLLOW_UPS],
        more_follow_ups=len(follow_ups) > STATE_FOLLOW_UPS,
        contacts=contacts_for_state(state),
        requests=requests_for_state(state),
        page=page,
        has_older=len(merged) > page * TIMELINE_PAGE,
    )
