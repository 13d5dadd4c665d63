"""Promised against received: the pledges held at ballot time and the votes of a decided stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.domain.ballot_math import reconcile
from app.domain.enums import StageResult, SupportStatus
from app.domain.reconciliation import PledgeHolder, StageReconciliation
from app.domain.tally_math import DEFAULT_STATUS_WEIGHTS, StatusChangePoint, current_statuses
from app.extensions import db
from app.models import Campaign, Stage, State, StatusChange
from app.services.stages import electorate, verdict
from app.services.tally import weights_for


def N_(msgid: str) -> str:
    """Mark a msgid for extraction; pages and documents translate the kind when they show it."""
    return msgid


KINDS = (N_("Written pledges"), N_("Verbal pledges"), N_("Conditional pledges"))


def _kind(status: SupportStatus, conditional: bool) -> str | None:
    if not status.is_pledge:
        return None
    if conditional:
        return KINDS[2]
    return KINDS[0] if status is SupportStatus.WRITTEN_PLEDGE else KINDS[1]


def positions_on(campaign: Campaign, day: date, state_ids: frozenset[int]) -> dict[int, StatusChangePoint]:
    """Each member's position as it stood at the end of `day`, by the one rule for current."""
    rows = db.session.execute(
        sa.select(StatusChange.state_id, StatusChange.effective_on, StatusChange.to_status, StatusChange.conditional)
        .where(StatusChange.campaign_id == campaign.id, StatusChange.state_id.in_(state_ids),
               StatusChange.effective_on <= day)
        .order_by(StatusChange.id)
    )
    points = [StatusChangePoint(str(sid), d, s, bool(c)) for sid, d, s, c in rows]
    return {int(k): v for k, v in current_statuses(points).items()}


def reconcile_stage(stage: Stage) -> StageReconciliation | None:
    """The reconciliation of a stage's deciding round; None while no round is recorded."""
    if not stage.rounds or stage.our_candidate is None:
        return None
    ballot = stage.rounds[-1]
    judged = verdict(stage, ballot)
    voters = electorate(stage).ids
    held = positions_on(stage.campaign, ballot.held_on, voters)
    names = dict(db.session.execute(sa.select(State.id, State.name).where(State.id.in_(voters))).all())
    iso = dict(db.session.execute(sa.select(State.id, State.iso3).where(State.id.in_(voters))).all())
    holders = sorted(
        (PledgeHolder(iso[sid], names[sid], kind) for sid, point in held.items()
         if (kind := _kind(point.new_status, point.conditional))),
        key=lambda h: (KINDS.index(h.kind), h.name),
    )
    counts = {kind: sum(h.kind == kind for h in holders) for kind in KINDS}
    ours = next((v.votes for v in ballot.votes if v.candidate_id == stage.our_candidate.id), 0)
    weights = weights_for(stage.campaign)
    expected = sum(weights.for_status(p.new_status, p.conditional) for p in held.values())
    expected += (len(voters) - len(held)) * weights.for_status(SupportStatus.NOT_APPROACHED)
    return StageReconciliation(
        campaign_name=stage.campaign.name, stage_name=stage.name, held_on=ballot.held_on,
        round_number=ballot.number, votes_line=judged.line, result=stage.result,
        figures=reconcile(counts, ours, judged.present_and_voting), holders=holders,
        expected_at_ballot=expected, calibration=ours / expected if expected else None,
    )


@dataclass(frozen=True)
class SuggestedWeights:
    """Default weights for a new campaign, learnt from past ballots, with where they came from."""

    by_status: dict[SupportStatus, float]
    factor: float
    basis: list[tuple[str, int, float]]  # (stage, votes received, expected at ballot time)


def suggested_weights() -> SuggestedWeights | None:
    """Scale the default weights by votes received ÷ votes expected, pooled over decided ballots."""
    stages = db.session.scalars(sa.select(Stage).where(Stage.result != StageResult.PENDING)).all()
    basis = []
    for stage in stages:
        found = reconcile_stage(stage)
        if found is not None and found.expected_at_ballot > 0:
            basis.append((f"{found.campaign_name}: {found.stage_name}", found.figures.votes, found.expected_at_ballot))
    if not basis:
        return None
    factor = sum(v for _, v, _ in basis) / sum(e for _, _, e in basis)
    return SuggestedWeights(
        {s: round(min(1.0, w * factor), 2) for s, w in DEFAULT_STATUS_WEIGHTS.items()}, factor, basis
    )
