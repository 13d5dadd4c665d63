"""The ballot forecast of each stage, read from the desk: who votes, their odds, the cached analysis.

The arithmetic is `forecast_math` (pure NumPy); this module turns a stage into a `Ballot`:

- **p_for**: each member's weight, `Weights.for_status(status, conditional)`, as in the tally.
- **p_for_up / p_for_down**: the weight one rung up / down `tally_math.SUPPORT_ORDER`. Rungs whose
  weight would not move in that direction (an equal weight, such as approached and not approached
  at 0.15, or a lower one above when admins set unusual weights or a conditional discount applies)
  are skipped, so a move always changes the chance of winning. A pledge's condition travels with it
  (a conditional verbal pledge moving up becomes a conditional written pledge); a state that has
  not pledged moves up to an unconditional pledge.
- **p_present**: the stage's electorate is already without its non-voters (Article 19 arrears and
  the like: `stages.electorate`), which is the per-state override: they neither vote nor count in
  the line, while an absolute majority still counts them in the body's membership. A delegation
  known to be away can be listed there too; there is no separate "known absent" list.
- **Turnout without double counting**: the desk's expected turnout means members *present and
  voting*. Absence and abstention both keep a member out of that count, so p_present is chosen
  such that the mean number present and voting equals the expected turnout *after* the campaign's
  abstention share is applied (`turnout_odds`). With the default split (no abstention) that is
  simply expected turnout ÷ electorate (`turnout_probability`); with no expected turnout
  everybody is present and voting, so nobody abstains, whatever the split says.

Analyses are cached in-process (`CACHE`), keyed by a data version and the ballot itself: a page
view on unchanged data does not re-simulate; any status, weight, split or stage change gives a new
ballot and so new figures on the next request.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

import sqlalchemy as sa

from app.domain.dashboard import StageForecast, SwingRow
from app.domain.enums import Role, SupportStatus, WinningRule
from app.domain.forecast_math import (
    Analysis,
    Ballot,
    Split,
    VoterOdds,
    turnout_probability,
)
from app.domain.tally_math import SUPPORT_ORDER, Voter, Weights
from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, Position, Stage, State, User, assignments
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import ensure_open
from app.services.forecast_cache import ForecastCache
from app.services.races import StageSummary
from app.services.tally import weights_for

# Votes not cast for us all go to rivals: a secret ballot in the Assembly or a group sees few
# abstentions, and an expected turnout already leaves out those who do not vote.
DEFAULT_SPLIT = {"rivals": 1.0, "abstain": 0.0}
SWING_ROWS = 10  # "where to act this week"
# Stages of a few campaigns and their back-tests; an analysis is a few hundred kB at most.
CACHE = ForecastCache(maxsize=64)


@dataclass(frozen=True)
class Move:
    """Where one rung up or down the ladder takes a member: the status and its weight."""

    status: SupportStatus
    weight: float


def ladder_moves(weights: Weights, status: SupportStatus, conditional: bool) -> tuple[Move | None, Move | None]:
    """The nearest rung up and down SUPPORT_ORDER that actually raises / lowers the weight."""
    conditional = conditional and status.is_pledge
    rung = SUPPORT_ORDER.index(status)
    own = weights.for_status(status, conditional)

    def move(s: SupportStatus) -> Move:
        return Move(s, weights.for_status(s, conditional))

    up = next((m for s in reversed(SUPPORT_ORDER[:rung]) if (m := move(s)).weight > own), None)
    down = next((m for s in SUPPORT_ORDER[rung + 1:] if (m := move(s)).weight < own), None)
    return up, down


def turnout_odds(p_for: Sequence[float], expected_turnout: int | None, split: Split) -> tuple[float, Split]:
    """Chance each member attends, and the split to use, so that the mean number present and
    voting is the expected turnout (abstentions counted once: see the module docstring)."""
    n = len(p_for)
    target = n if expected_turnout is None else min(max(expected_turnout, 0), n)
    a = split.abstain_share
    if n == 0 or a == 0 or target == 0:
        return turnout_probability(target, n), split
    short = math.fsum(1 - w for w in p_for)  # members who would not vote for us, all present
    voting_if_all_attend = n - a * short
    if target <= voting_if_all_attend:
        return target / voting_if_all_attend, split
    # Even with everyone there, the abstention share would leave fewer voting than expected:
    # everyone attends and fewer abstain, just enough to meet the expected turnout.
    abstain = (n - target) / short
    return 1.0, Split(rivals=1 - abstain, abstain=abstain)


def build_ballot(
    voters: Sequence[Voter],
    weights: Weights,
    rule: WinningRule,
    expected_turnout: int | None,
    membership: int,
    split: Split,
) -> tuple[Ballot, dict[str, tuple[Move | None, Move | None]]]:
    """The stage as plain odds (pure), and each member's moves up and down by ISO3."""
    p_for = [weights.for_status(v.status, v.conditional) for v in voters]
    p_present, used = turnout_odds(p_for, expected_turnout, split)
    moves = {v.iso3: ladder_moves(weights, v.status, v.conditional) for v in voters}
    odds = tuple(
        VoterOdds(v.iso3, p_present, w, *(m.weight if m else None for m in moves[v.iso3]))
        for v, w in zip(voters, p_for, strict=True)
    )
    return Ballot(odds, rule, membership, used), moves


def split_for(campaign: Campaign) -> Split:
    """The campaign's rivals/abstention split, the default where an admin has set none."""
    return Split.from_mapping(campaign.forecast_split or DEFAULT_SPLIT)


def set_forecast_split(campaign: Campaign, abstain: float, actor: Actor) -> None:
    """Store the share of non-supporters present that abstain (the rest vote for rivals); audited."""
    if not (math.isfinite(abstain) and 0.0 <= abstain <= 1.0):
        raise ServiceError(Message("The abstention share must lie between 0 and 1."))
    ensure_open(campaign)
    before = campaign.forecast_split
    campaign.forecast_split = {"rivals": round(1.0 - abstain, 4), "abstain": round(abstain, 4)}
    db.session.flush()
    audit.record("campaign.forecast_split", actor, "campaign", campaign.id, before=before,
                 after=campaign.forecast_split)


def data_version(campaign: Campaign) -> Hashable:
    """Changes whenever a position of the campaign does (one query); names cache entries."""
    count, versions, latest = db.session.execute(
        sa.select(sa.func.count(Position.id), sa.func.coalesce(sa.func.sum(Position.version), 0),
                  sa.func.max(Position.updated_at)).where(Position.campaign_id == campaign.id)
    ).one()
    return campaign.id, int(count), int(versions), latest.isoformat() if latest else ""


def _stage_version(campaign_version: Hashable, stage: Stage, weights: Weights, split: Split) -> Hashable:
    return (campaign_version, stage.id, stage.winning_rule.value, stage.expected_turnout,
            stage.held_on.isoformat(), tuple(sorted(s.id for s in stage.non_voters)),
            tuple(sorted((s.value, w) for s, w in weights.by_status.items())), weights.conditional_factor,
            split.rivals, split.abstain)


def envoys_of(codes: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Names of the active envoys assigned to each state, in one query."""
    if not codes:
        return {}
    rows = db.session.execute(
        sa.select(State.iso3, User.name)
        .join(assignments, assignments.c.state_id == State.id)
        .join(User, User.id == assignments.c.user_id)
        .where(State.iso3.in_(set(codes)), User.role == Role.ENVOY, User.active)
        .order_by(User.name)
    )
    found: dict[str, list[str]] = {}
    for iso3, name in rows:
        found.setdefault(iso3, []).append(name)
    return {k: tuple(v) for k, v in found.items()}


def analyse_stage(voters: Sequence[Voter], stage: Stage, membership: int, weights: Weights, split: Split,
                  version: Hashable) -> tuple[Ballot, Analysis, dict[str, tuple[Move | None, Move | None]]]:
    """Build the stage's ballot and analyse it through the cache."""
    ballot, moves = build_ballot(voters, weights, stage.winning_rule, stage.expected_turnout, membership, split)
    return ballot, CACHE.analyse(ballot, version), moves


def _swing_rows(analysis: Analysis, voters: Sequence[Voter],
                moves: dict[str, tuple[Move | None, Move | None]]) -> list[SwingRow]:
    by_code = {v.iso3: v for v in voters}
    top = [s for s in analysis.swings if s.stake > 0][:SWING_ROWS]
    envoys = envoys_of([s.key for s in top])
    rows = []
    for s in top:
        v, (up, down) = by_code[s.key], moves[s.key]
        rows.append(SwingRow(v.iso3, v.name, v.status, v.conditional, up.status if up else None, s.up, s.up_se,
                             down.status if down else None, s.down, s.down_se, envoys.get(v.iso3, ()),
                             v.last_contact))
    return rows


def stage_forecasts(campaign: Campaign, summaries: Sequence[StageSummary]) -> list[StageForecast]:
    """A forecast for every stage still to be voted on; decided ones say so instead."""
    weights, split = weights_for(campaign), split_for(campaign)
    version = data_version(campaign)
    result = []
    for summary in summaries:
        stage = summary.stage
        made = partial(StageForecast, stage_id=stage.id, stage_name=stage.name, is_current=summary.is_current)
        if stage.result.is_decided or stage.rounds:
            result.append(made(note=Message("Voted on: the recorded result stands in for a forecast.")))
            continue
        if not summary.voters:
            result.append(made(note=Message("No voting members known for this stage yet.")))
            continue
        ballot, analysis, moves = analyse_stage(summary.voters, stage, summary.membership, weights, split,
                                                _stage_version(version, stage, weights, split))
        result.append(made(
            forecast=analysis.forecast, p_present=ballot.voters[0].p_present,
            abstain_share=ballot.split.abstain_share, split_abstain=split.abstain_share,
            expected_turnout=summary.tally.turnout,
            swings=_swing_rows(analysis, summary.voters, moves), by_state={s.key: s for s in analysis.swings},
        ))
    return result


def forecast_for_stage(stage: Stage, today: date) -> StageForecast:
    """One stage's forecast (the API's tally): the same figures, and the same cache, as the dashboard."""
    from app.services.races import stage_summaries

    summaries = [s for s in stage_summaries(stage.campaign, today) if s.stage.id == stage.id]
    return stage_forecasts(stage.campaign, summaries)[0]
