"""Back-test: what the forecast would have said on the eve of each recorded ballot, against the result.

For every recorded round (every campaign: learning pools past ballots, as `suggested_weights`
does), the positions are taken as they stood at the end of the day before the round
(`reconciliation.positions_on`), members with no position then count as not approached, and the
stage's own rule, expected turnout, electorate and non-voters apply. Weights and split are those
of the ballot's own campaign as they are now (the desk does not keep their history), and, for
comparison, those of the campaign being viewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import RoundOutcome, SupportStatus
from app.domain.forecast_math import Forecast, Split
from app.domain.tally_math import Voter, Weights
from app.extensions import db
from app.models import BallotRound, Campaign, Stage, State
from app.services.forecast import analyse_stage, split_for
from app.services.reconciliation import positions_on
from app.services.stages import electorate, verdict
from app.services.tally import weights_for


@dataclass(frozen=True)
class BacktestRow:
    """One recorded round: the eve-of-ballot forecast and what happened."""

    campaign_name: str
    stage_name: str
    body: str
    round_number: int
    held_on: date
    eve: date
    electorate: int
    expected_turnout: int
    forecast: Forecast  # with the ballot's own campaign's weights and split
    alternative: Forecast | None  # with the viewed campaign's weights and split, when they differ
    votes: int
    present_and_voting: int
    line: int
    outcome: RoundOutcome

    @property
    def reached_line(self) -> bool:
        return self.votes >= self.line

    @property
    def within_interval(self) -> bool:
        """Did the votes received fall in the forecast's 80% interval?"""
        low, high = self.forecast.interval
        return low <= self.votes <= high


def _eve_voters(stage: Stage, eve: date, ids: frozenset[int]) -> list[Voter]:
    """The electorate as it stood at the end of `eve` (no position then: not approached)."""
    held = positions_on(stage.campaign, eve, ids)
    states = db.session.scalars(sa.select(State).where(State.id.in_(ids)).order_by(State.name))
    voters = []
    for state in states:
        point = held.get(state.id)
        voters.append(Voter(state.iso3, state.name, state.regional_group,
                            point.new_status if point else SupportStatus.NOT_APPROACHED,
                            bool(point and point.conditional)))
    return voters


def _row(stage: Stage, ballot: BallotRound, viewed: tuple[Weights, Split] | None) -> BacktestRow | None:
    mine = stage.our_candidate
    found = electorate(stage)
    if mine is None or not found.ids:
        return None
    eve = ballot.held_on - timedelta(days=1)
    voters = _eve_voters(stage, eve, found.ids)
    own = (weights_for(stage.campaign), split_for(stage.campaign))
    version = ("backtest", stage.id, ballot.id, eve.isoformat())
    _, analysis, _ = analyse_stage(voters, stage, found.membership, *own, version)
    alternative = None
    if viewed is not None and viewed != own:
        alternative = analyse_stage(voters, stage, found.membership, *viewed, version)[1].forecast
    judged = verdict(stage, ballot)
    return BacktestRow(
        campaign_name=stage.campaign.name, stage_name=stage.name, body=stage.body_label,
        round_number=ballot.number, held_on=ballot.held_on, eve=eve, electorate=len(found.ids),
        expected_turnout=len(found.ids) if stage.expected_turnout is None else stage.expected_turnout,
        forecast=analysis.forecast, alternative=alternative,
        votes=next((v.votes for v in ballot.votes if v.candidate_id == mine.id), 0),
        present_and_voting=judged.present_and_voting, line=judged.line, outcome=judged.outcome,
    )


def backtest(viewed: Campaign | None = None) -> list[BacktestRow]:
    """Every recorded round, newest first, with its eve-of-ballot forecast and its result."""
    rounds = db.session.scalars(
        sa.select(BallotRound).join(Stage).join(Campaign)
        .options(so.selectinload(BallotRound.votes), so.joinedload(BallotRound.stage).joinedload(Stage.campaign))
        .order_by(BallotRound.held_on.desc(), Stage.id, BallotRound.number)
    ).unique().all()
    settings = (weights_for(viewed), split_for(viewed)) if viewed is not None else None
    return [row for ballot in rounds if (row := _row(ballot.stage, ballot, settings)) is not None]
