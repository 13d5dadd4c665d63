"""The tally of a campaign read from the database: the one place figures are computed from."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Campaign,
    OutreachEntry,
    Position,
    Stage,
    State,
    StatusChange,
    User,
    outreach_states,
)
from app.models.enums import SupportStatus
from app.services import ServiceError, audit
from app.services.campaigns import ensure_open
from app.services.stages import electorate, verdict
from app.services.tally_math import (
    DEFAULT_CONDITIONAL_FACTOR,
    DEFAULT_STATUS_WEIGHTS,
    StatusChangePoint,
    Tally,
    TrendPoint,
    Voter,
    Weights,
    compute_tally,
    weekly_trend,
)


def weights_for(campaign: Campaign) -> Weights:
    """The campaign's probabilities, defaults where an admin has set none."""
    stored = campaign.vote_weights or {}
    by_status = {s: float(stored.get(s.value, DEFAULT_STATUS_WEIGHTS[s])) for s in SupportStatus}
    return Weights(by_status=by_status, conditional_factor=float(stored.get("conditional_factor", DEFAULT_CONDITIONAL_FACTOR)))


def set_weights(campaign: Campaign, by_status: dict[SupportStatus, float], conditional_factor: float, actor: User) -> None:
    """Store new probabilities (validated by Weights) and audit the change."""
    try:
        new = Weights(by_status=by_status, conditional_factor=conditional_factor)
    except ValueError as error:
        raise ServiceError(str(error)) from None
    ensure_open(campaign)
    before = campaign.vote_weights
    campaign.vote_weights = {s.value: new.by_status[s] for s in SupportStatus} | {"conditional_factor": conditional_factor}
    db.session.flush()
    audit.record("campaign.weights", actor, "campaign", campaign.id, before=before, after=campaign.vote_weights)


def last_contacts(state_ids: set[int] | frozenset[int]) -> dict[int, date]:
    """Date of the latest live outreach entry per state, whatever campaign it served, in one query."""
    rows = db.session.execute(
        sa.select(outreach_states.c.state_id, sa.func.max(OutreachEntry.occurred_on))
        .join(OutreachEntry, OutreachEntry.id == outreach_states.c.entry_id)
        .where(outreach_states.c.state_id.in_(state_ids), OutreachEntry.deleted_at.is_(None))
        .group_by(outreach_states.c.state_id)
    )
    return dict(rows.all())


def load_voters(campaign: Campaign, stage: Stage | None = None) -> list[Voter]:
    """A stage's electorate (the current stage by default) with each voter's status in the campaign."""
    stage = stage or campaign.current_stage
    ids = electorate(stage).ids if stage else frozenset()
    if not ids:
        return []
    contacts = last_contacts(ids)
    rows = db.session.execute(
        sa.select(State, Position)
        .outerjoin(Position, sa.and_(Position.state_id == State.id, Position.campaign_id == campaign.id))
        .where(State.id.in_(ids))
        .order_by(State.name)
    )
    return [
        Voter(
            iso3=state.iso3, name=state.name, group=state.regional_group,
            status=position.status if position else SupportStatus.NOT_APPROACHED,
            conditional=bool(position and position.conditional),
            last_contact=contacts.get(state.id),
        )
        for state, position in rows
    ]


def stage_tally(stage: Stage, voters: list[Voter] | None = None) -> Tally:
    """Counts, firm and expected votes and the line of one stage.

    Before the vote the line follows the expected turnout; once a round is recorded, the
    turnout and line are those of the last round.
    """
    campaign = stage.campaign
    voters = load_voters(campaign, stage) if voters is None else voters
    turnout = stage.expected_turnout
    if stage.rounds:
        turnout = verdict(stage, stage.rounds[-1]).present_and_voting
    return compute_tally(voters, weights_for(campaign), stage.winning_rule, turnout, electorate(stage).membership)


def campaign_tally(campaign: Campaign, voters: list[Voter] | None = None) -> Tally:
    """The tally of the campaign's current stage."""
    return stage_tally(campaign.current_stage, voters)


def campaign_trend(campaign: Campaign, voters: list[Voter], end: date) -> list[TrendPoint]:
    """Firm and expected votes per week since the campaign began, replayed from the history."""
    changes = [
        StatusChangePoint(iso3=iso3, changed_on=day, new_status=status, conditional=conditional)
        for iso3, day, status, conditional in db.session.execute(
            sa.select(State.iso3, StatusChange.effective_on, StatusChange.to_status, StatusChange.conditional)
            .join(State, State.id == StatusChange.state_id)
            .where(StatusChange.campaign_id == campaign.id)
            .order_by(StatusChange.effective_on, StatusChange.id)
        )
    ]
    start = min([c.changed_on for c in changes] + [campaign.created_at.date()])
    return weekly_trend(changes, [v.iso3 for v in voters], start, max(end, start), weights_for(campaign))
