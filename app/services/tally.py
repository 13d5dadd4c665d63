"""The tally of a campaign read from the database: the one place figures are computed from."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import cast

import sqlalchemy as sa

from app.domain.enums import SupportStatus
from app.domain.tally_math import (
    DEFAULT_CONDITIONAL_FACTOR,
    DEFAULT_STATUS_WEIGHTS,
    Tally,
    TrendPoint,
    Voter,
    Weights,
    bucket,
    compute_tally,
    trend_point,
    week_ends,
)
from app.domain.text import Message
from app.extensions import db
from app.models import (
    Campaign,
    OutreachEntry,
    Position,
    Stage,
    State,
    StatusChange,
    outreach_states,
)
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import ensure_open
from app.services.stages import Electorate, electorate, verdict
from app.services.trend_snapshots import History, code, history

TREND_WEEKS = 52  # the dashboard's trend: a year of weeks, whatever the campaign's age
_BUCKETS = {code(s, c): bucket(s, c) for s in SupportStatus for c in (False, True)}
_NOT_APPROACHED = code(SupportStatus.NOT_APPROACHED, False)


def weights_for(campaign: Campaign) -> Weights:
    """The campaign's probabilities, defaults where an admin has set none."""
    stored = campaign.vote_weights or {}
    by_status = {s: float(stored.get(s.value, DEFAULT_STATUS_WEIGHTS[s])) for s in SupportStatus}
    return Weights(
        by_status=by_status, conditional_factor=float(stored.get("conditional_factor", DEFAULT_CONDITIONAL_FACTOR))
    )


def set_weights(
    campaign: Campaign, by_status: dict[SupportStatus, float], conditional_factor: float, actor: Actor
) -> None:
    """Store new probabilities (validated by Weights) and audit the change."""
    try:
        new = Weights(by_status=by_status, conditional_factor=conditional_factor)
    except ValueError:
        raise ServiceError(Message("Each probability must lie between 0 and 1.")) from None
    ensure_open(campaign)
    before = campaign.vote_weights
    campaign.vote_weights = {s.value: new.by_status[s] for s in SupportStatus} | {
        "conditional_factor": conditional_factor
    }
    db.session.flush()
    audit.record("campaign.weights", actor, "campaign", campaign.id, before=before, after=campaign.vote_weights)


def refresh_last_contacts(state_ids) -> None:
    """Recompute `State.last_contact_on` of these states from their live entries (every outreach write
    calls this; a few states' entries, not the history). A Core UPDATE: read the column, not the object."""
    ids = list(state_ids)
    if not ids:
        return
    states = cast(sa.Table, State.__table__)
    latest = (
        sa.select(sa.func.max(OutreachEntry.occurred_on))
        .join(outreach_states, outreach_states.c.entry_id == OutreachEntry.id)
        .where(outreach_states.c.state_id == states.c.id, OutreachEntry.deleted_at.is_(None))
        .scalar_subquery()
    )
    db.session.execute(sa.update(states).where(states.c.id.in_(ids)).values(last_contact_on=latest))


def last_contacts(state_ids: set[int] | frozenset[int]) -> dict[int, date]:
    """Date of the latest live outreach entry per state, whatever campaign it served (kept per state)."""
    rows = db.session.execute(
        sa.select(State.id, State.last_contact_on).where(State.id.in_(state_ids), State.last_contact_on.is_not(None))
    )
    return {state_id: day for state_id, day in rows if day is not None}


def load_voters(campaign: Campaign, stage: Stage | None = None) -> list[Voter]:
    """A stage's electorate (the current stage by default) with each voter's status in the campaign."""
    stage = stage or campaign.current_stage
    ids = electorate(stage).ids if stage else frozenset()
    if not ids:
        return []
    rows = db.session.execute(
        # The date as a column, read fresh: the object may be older than the last outreach write.
        sa.select(State, Position, State.last_contact_on)
        .outerjoin(Position, sa.and_(Position.state_id == State.id, Position.campaign_id == campaign.id))
        .where(State.id.in_(ids))
        .order_by(State.name)
    )
    return [
        Voter(
            iso3=state.iso3, name=state.name, group=state.regional_group,
            status=position.status if position else SupportStatus.NOT_APPROACHED,
            conditional=bool(position and position.conditional),
            last_contact=last_contact,
        )
        for state, position, last_contact in rows
    ]


def stage_tally(stage: Stage, voters: list[Voter] | None = None, found: Electorate | None = None) -> Tally:
    """Counts, firm and expected votes and the line of one stage (`found`: its electorate, if known).

    Before the vote the line follows the expected turnout; once a round is recorded, the
    turnout and line are those of the last round.
    """
    campaign = stage.campaign
    voters = load_voters(campaign, stage) if voters is None else voters
    membership = (found or electorate(stage)).membership
    turnout = stage.expected_turnout
    if stage.rounds:
        turnout = verdict(stage, stage.rounds[-1], membership).present_and_voting
    return compute_tally(voters, weights_for(campaign), stage.winning_rule, turnout, membership)


def voters_of_campaigns(campaigns: list[Campaign]) -> dict[tuple[int, int], Voter]:
    """Every state as a voter of each campaign, keyed by (campaign id, state id): two queries for any
    number of campaigns (a list of campaigns keeps the electorate of each stage from these)."""
    positions = {(p.campaign_id, p.state_id): p for p in db.session.scalars(
        sa.select(Position).where(Position.campaign_id.in_([c.id for c in campaigns])))}
    states = db.session.execute(sa.select(State, State.last_contact_on).order_by(State.name)).all()
    return {
        (campaign.id, state.id): Voter(
            iso3=state.iso3, name=state.name, group=state.regional_group,
            status=position.status if position else SupportStatus.NOT_APPROACHED,
            conditional=bool(position and position.conditional), last_contact=last_contact)
        for campaign in campaigns for state, last_contact in states
        for position in [positions.get((campaign.id, state.id))]
    }


def campaign_tally(campaign: Campaign, voters: list[Voter] | None = None) -> Tally:
    """The tally of the campaign's current stage."""
    stage = campaign.current_stage
    if stage is None:
        raise ServiceError(Message("This campaign has no stage yet: add one before printing its figures."))
    return stage_tally(stage, voters)


def trend_days(campaign: Campaign, end: date) -> list[date]:
    """The trend's points: weekly back from `end` over the last TREND_WEEKS weeks, or since the campaign began."""
    first = db.session.scalar(sa.select(sa.func.min(StatusChange.effective_on))
                              .where(StatusChange.campaign_id == campaign.id))
    start = max(min([first, campaign.created_at.date()] if first else [campaign.created_at.date()]),
                end - timedelta(weeks=TREND_WEEKS))
    return week_ends(start, max(end, start))


def campaign_history(campaign: Campaign, end: date) -> History:
    """The statuses at each of the trend's points and the signals, from the stored snapshots."""
    return history(campaign, trend_days(campaign, end))


def campaign_trend(
    campaign: Campaign, voters: list[Voter], end: date, found: History | None = None
) -> list[TrendPoint]:
    """Firm and expected votes per week over the last TREND_WEEKS weeks (or since the campaign began).

    Counted from each point's snapshot (`trend_snapshots`), so not a replay of the history; equal to
    `weekly_trend` over every change, which `tests/services/test_trend_snapshots.py` holds it to.
    """
    found = found or campaign_history(campaign, end)
    electorate = list(dict.fromkeys(v.iso3 for v in voters))
    weights = weights_for(campaign)
    points = []
    for day in found.days:
        codes = found.statuses[day]
        counted = Counter(codes.get(iso3, _NOT_APPROACHED) for iso3 in electorate)
        points.append(trend_point(day, {_BUCKETS[c]: n for c, n in counted.items()}, weights))
    return points
