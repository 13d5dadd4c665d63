"""Every stage of a campaign with its own line, votes and result, as the pages draw them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.ballot_math import RoundVerdict
from app.domain.tally_math import Tally, Voter
from app.domain.text import Message
from app.extensions import db
from app.models import BallotRound, Campaign, Stage
from app.services.stages import electorate, verdict
from app.services.tally import stage_tally, voters_of_campaigns


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
    """A summary per stage, in order."""
    return campaign_summaries([campaign], today)[campaign.id]


def listed_campaigns() -> list[Campaign]:
    """Every campaign as the list draws it (live first, newest first), with all it shows loaded at once."""
    stages = so.selectinload(Campaign.stages)
    return list(db.session.scalars(
        sa.select(Campaign).options(
            so.joinedload(Campaign.candidate_state), stages.selectinload(Stage.non_voters),
            stages.selectinload(Stage.manual_electors), stages.selectinload(Stage.candidates),
            stages.selectinload(Stage.rounds).selectinload(BallotRound.votes))
        .order_by(Campaign.archived_at.is_not(None), Campaign.created_at.desc(), Campaign.id.desc())))


def campaign_summaries(campaigns: list[Campaign], today: date) -> dict[int, list[StageSummary]]:
    """Each campaign's stage summaries, in a number of queries that does not grow with the campaigns:
    the voters of all of them at once, each body's members once (a GA's, a group's, a Council year's)."""
    memo: dict = {}
    voters_by = voters_of_campaigns(campaigns) if any(c.stages for c in campaigns) else {}
    result: dict[int, list[StageSummary]] = {}
    for campaign in campaigns:
        current = campaign.current_stage
        result[campaign.id] = []
        for stage in campaign.stages:
            found = electorate(stage, memo)
            voters = sorted((voters_by[(campaign.id, sid)] for sid in found.ids), key=lambda v: v.name)
            result[campaign.id].append(StageSummary(
                stage=stage, electorate_size=len(found.ids), membership=found.membership, warning=found.warning,
                tally=stage_tally(stage, voters, found), voters=voters, days_to_go=(stage.held_on - today).days,
                rounds=[(r, verdict(stage, r, found.membership)) for r in stage.rounds], is_current=stage is current,
            ))
    return result
