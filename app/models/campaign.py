"""Campaigns and each state's current position in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import CampaignOutcome, StageResult, SupportStatus
from app.extensions import Model
from app.models.state import State
from app.models.types import EditLock, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.stage import Stage
    from app.models.user import User


class Campaign(EditLock, Model):
    """A candidature to an elective post, decided in one or more stages."""

    __tablename__ = "campaigns"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    office: so.Mapped[str] = so.mapped_column(sa.String(200))
    candidate_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    candidate_state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id"))
    # The campaign a user sees until they pick another in the switcher.
    is_default: so.Mapped[bool] = so.mapped_column(default=False)
    # A finished campaign: read-only, still viewable, its documents still downloadable.
    archived_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Where the campaign's facts come from (announcements, reports), shown on its page.
    source: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # Admin-edited probabilities for expected votes: {"<status>": p, ..., "conditional_factor": f};
    # None means the defaults in domain/tally_math.py.
    vote_weights: so.Mapped[dict[str, float] | None] = so.mapped_column(sa.JSON(none_as_null=True))
    # Admin-edited split of the votes not cast for us, for the ballot forecast:
    # {"rivals": r, "abstain": a}; None means services/forecast.py's DEFAULT_SPLIT.
    forecast_split: so.Mapped[dict[str, float] | None] = so.mapped_column(sa.JSON(none_as_null=True))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    candidate_state: so.Mapped[State] = so.relationship()
    stages: so.Mapped[list[Stage]] = so.relationship(
        back_populates="campaign", order_by="Stage.sequence", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Campaign {self.name!r}>"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def current_stage(self) -> Stage | None:
        """The first stage still to be decided, else the last one."""
        for stage in self.stages:
            if not stage.result.is_decided:
                return stage
        return self.stages[-1] if self.stages else None

    @property
    def election_date(self) -> date | None:
        """The date of the current stage (the next vote, or the last one held)."""
        stage = self.current_stage
        return stage.held_on if stage else None

    @property
    def outcome(self) -> CampaignOutcome:
        """Won when the last stage elected us, lost when any stage did not."""
        if any(s.result is StageResult.NOT_ELECTED for s in self.stages):
            return CampaignOutcome.LOST
        if self.stages and self.stages[-1].result is StageResult.ELECTED:
            return CampaignOutcome.WON
        return CampaignOutcome.LIVE


class Position(Model):
    """A state's current support status in one campaign, with a version for optimistic locking.

    The status is a cache of the history: the latest change by the date it was expressed,
    ties broken by the later record (services/status.py keeps it so).
    """

    __tablename__ = "positions"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "state_id", name="uq_positions_pair"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    campaign_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id", ondelete="CASCADE"))
    status: so.Mapped[SupportStatus] = so.mapped_column(
        enum_column(SupportStatus), default=SupportStatus.NOT_APPROACHED
    )
    conditional: so.Mapped[bool] = so.mapped_column(default=False)
    version: so.Mapped[int] = so.mapped_column(default=1)
    updated_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    campaign: so.Mapped[Campaign] = so.relationship()
    state: so.Mapped[State] = so.relationship()
    updated_by: so.Mapped[User | None] = so.relationship()
