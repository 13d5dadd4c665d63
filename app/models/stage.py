"""Stages of a campaign (a group ballot, a Council or Assembly election), candidates and ballots."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import BodyKind, ElectorateMode, RegionalGroup, StageResult, WinningRule
from app.extensions import Model, db
from app.models.state import State
from app.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.campaign import Campaign
    from app.models.user import User

stage_electors = sa.Table(
    "stage_electors",
    db.metadata,
    sa.Column("stage_id", sa.ForeignKey("stages.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("state_id", sa.ForeignKey("states.id", ondelete="CASCADE"), primary_key=True),
)

# Members of the body that do not vote in this stage (e.g. under Article 19 arrears).
stage_non_voters = sa.Table(
    "stage_non_voters",
    db.metadata,
    sa.Column("stage_id", sa.ForeignKey("stages.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("state_id", sa.ForeignKey("states.id", ondelete="CASCADE"), primary_key=True),
)


class Stage(Model):
    """One vote on the way to the post, with its electorate, its rule and its result."""

    __tablename__ = "stages"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "sequence", name="uq_stages_order"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    campaign_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    sequence: so.Mapped[int]
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    body_kind: so.Mapped[BodyKind] = so.mapped_column(enum_column(BodyKind))
    regional_group: so.Mapped[RegionalGroup | None] = so.mapped_column(enum_column(RegionalGroup))
    body_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    held_on: so.Mapped[date]
    # True while the date is an estimate (e.g. "June 2028, set by the Assembly").
    date_provisional: so.Mapped[bool] = so.mapped_column(default=False)
    electorate_mode: so.Mapped[ElectorateMode] = so.mapped_column(
        enum_column(ElectorateMode), default=ElectorateMode.DERIVED
    )
    winning_rule: so.Mapped[WinningRule] = so.mapped_column(
        enum_column(WinningRule), default=WinningRule.MAJORITY_PRESENT_VOTING
    )
    # Members expected present and voting; None follows the electorate's size.
    expected_turnout: so.Mapped[int | None]
    seats: so.Mapped[int] = so.mapped_column(default=1)
    result: so.Mapped[StageResult] = so.mapped_column(
        enum_column(StageResult), default=StageResult.PENDING
    )
    result_note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    source: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    campaign: so.Mapped[Campaign] = so.relationship(back_populates="stages")
    manual_electors: so.Mapped[list[State]] = so.relationship(
        secondary=stage_electors, order_by="State.name"
    )
    non_voters: so.Mapped[list[State]] = so.relationship(
        secondary=stage_non_voters, order_by="State.name"
    )
    candidates: so.Mapped[list[Candidate]] = so.relationship(
        back_populates="stage", order_by=lambda: (Candidate.is_ours.desc(), Candidate.id),
        cascade="all, delete-orphan",
    )
    rounds: so.Mapped[list[BallotRound]] = so.relationship(
        back_populates="stage", order_by="BallotRound.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Stage {self.name!r} of campaign {self.campaign_id}>"

    @property
    def body_label(self) -> str:
        """The electing body in words."""
        if self.body_kind is BodyKind.REGIONAL_GROUP and self.regional_group:
            return str(self.regional_group.label)
        if self.body_kind is BodyKind.OTHER:
            return self.body_name or str(self.body_kind.label)
        return str(self.body_kind.label)

    @property
    def our_candidate(self) -> Candidate | None:
        return next((c for c in self.candidates if c.is_ours), None)

    @property
    def rivals(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.is_ours]


class Candidate(Model):
    """Someone standing in a stage: ours, or a rival."""

    __tablename__ = "candidates"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    stage_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("stages.id", ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    state_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("states.id", ondelete="SET NULL"))
    is_ours: so.Mapped[bool] = so.mapped_column(default=False)

    stage: so.Mapped[Stage] = so.relationship(back_populates="candidates")
    state: so.Mapped[State | None] = so.relationship()

    @property
    def label(self) -> str:
        """The name with the state, when it adds something."""
        if self.state and self.state.name not in self.name:
            return f"{self.name} ({self.state.name})"
        return self.name


class BallotRound(Model):
    """The recorded result of one round of voting in a stage."""

    __tablename__ = "ballot_rounds"
    __table_args__ = (
        sa.UniqueConstraint("stage_id", "number", name="uq_ballot_rounds_number"),
        sa.CheckConstraint("present >= 0 AND abstentions >= 0 AND invalid >= 0", name="counts_positive"),
        sa.CheckConstraint("abstentions + invalid <= present", name="counts_within_present"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    stage_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("stages.id", ondelete="CASCADE"), index=True
    )
    number: so.Mapped[int]
    held_on: so.Mapped[date]
    present: so.Mapped[int]
    abstentions: so.Mapped[int] = so.mapped_column(default=0)
    invalid: so.Mapped[int] = so.mapped_column(default=0)
    source: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    stage: so.Mapped[Stage] = so.relationship(back_populates="rounds")
    votes: so.Mapped[list[BallotVote]] = so.relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    recorded_by: so.Mapped[User | None] = so.relationship()

    @property
    def present_and_voting(self) -> int:
        """Ballots that count: abstentions and invalid ballots are not votes."""
        return self.present - self.abstentions - self.invalid


class BallotVote(Model):
    """Votes one candidate received in one round."""

    __tablename__ = "ballot_votes"
    __table_args__ = (sa.CheckConstraint("votes >= 0", name="votes_positive"),)

    round_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("ballot_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    candidate_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    votes: so.Mapped[int]

    round: so.Mapped[BallotRound] = so.relationship(back_populates="votes")
    candidate: so.Mapped[Candidate] = so.relationship()
