"""Campaigns, their electorates and each state's current position in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models.enums import ElectorateMode, RegionalGroup, SupportStatus, WinningRule
from app.models.state import State
from app.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.user import User

campaign_electors = sa.Table(
    "campaign_electors",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("state_id", sa.ForeignKey("states.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(db.Model):
    """A candidature to an elective post, decided by the members of a body."""

    __tablename__ = "campaigns"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    office: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.String(20))
    election_date: so.Mapped[date]
    candidate_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    candidate_state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id"))
    group_in_turn: so.Mapped[RegionalGroup | None] = so.mapped_column(enum_column(RegionalGroup))
    winning_rule: so.Mapped[WinningRule] = so.mapped_column(
        enum_column(WinningRule), default=WinningRule.MAJORITY_PRESENT_VOTING
    )
    expected_turnout: so.Mapped[int | None]
    electorate_mode: so.Mapped[ElectorateMode] = so.mapped_column(
        enum_column(ElectorateMode), default=ElectorateMode.DERIVED
    )
    is_active: so.Mapped[bool] = so.mapped_column(default=False)
    # Admin-edited probabilities for expected votes: {"<status>": p, ..., "conditional_factor": f};
    # None means the defaults in services/tally_math.py.
    vote_weights: so.Mapped[dict[str, float] | None] = so.mapped_column(sa.JSON(none_as_null=True))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    candidate_state: so.Mapped[State] = so.relationship()
    manual_electors: so.Mapped[list[State]] = so.relationship(
        secondary=campaign_electors, order_by="State.name"
    )

    def __repr__(self) -> str:
        return f"<Campaign {self.name!r}>"

    @property
    def election_year(self) -> int:
        return self.election_date.year


class Position(db.Model):
    """A state's current support status in one campaign, with a version for optimistic locking."""

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
