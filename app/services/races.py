"""Every stage of a campaign with its own line, votes and result, as the pages draw them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.ballot_math import RoundVerdict
from app.domain.tally_math import Tally, Voter
from app.domain.text import Message
from app.models import BallotRound, Campaign, Stage
from app.services.stages import electorate, verdict
from app.services.tally import load_voters, stage_tally


@dataclass(frozen=True)
class StageSummary:
    """One stage: who votes, the line, our votes among its electorate, and what happened."""

    stage: Stage
    electorate_size: int
    membership: int
    warning: str | Message
    tally: Tally
    voters: list[Voter]
    days_to_go: int
    rounds: list[tuple[BallotRound, RoundVerdict]]
    is_current: bool

    @property
    def awaiting_result(self) -> bool:
        """The date has passed and nothing is recorded: the desk asks for the result."""
        return self.days_to_go < 0 and not self.stage.result.is_decided and not self.rounds


def stage_summaries(campaign: Campaign, today: date) -> list[StageSummary]:
    """A summary per stage, in order (a few queries per stage; campaigns have one to three)."""
    current = campaign.current_stage
    summaries = []
    for stage in campaign.stages:
        found = electorate(stage)
        voters = load_voters(campaign, stage)
        summaries.append(StageSummary(
            stage=stage, electorate_size=len(found.ids), membership=found.membership, warning=found.warning,
            tally=stage_tally(stage, voters), voters=voters, days_to_go=(stage.held_on - today).days,
            rounds=[(r, verdict(stage, r)) for r in stage.rounds], is_current=stage is current,
        ))
    return summaries
