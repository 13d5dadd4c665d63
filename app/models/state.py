"""States (UN members and observers), their profiles and their memberships of bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import Priority, RegionalGroup
from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class State(Model):
    """A state the campaign may approach, with the profile staff keep up to date."""

    __tablename__ = "states"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    iso3: so.Mapped[str] = so.mapped_column(sa.String(3), unique=True)
    iso2: so.Mapped[str] = so.mapped_column(sa.String(2), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    regional_group: so.Mapped[RegionalGroup | None] = so.mapped_column(enum_column(RegionalGroup))
    un_member: so.Mapped[bool] = so.mapped_column(default=True)
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    capital: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    head_of_state: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    foreign_minister: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    mission_geneva: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    mission_new_york: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    our_embassy: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    priority: so.Mapped[Priority] = so.mapped_column(enum_column(Priority), default=Priority.NORMAL)
    talking_points: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    the_ask: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    profile_updated_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Optimistic locking of the profile: a save names the version it was read at (services/states.py).
    profile_version: so.Mapped[int] = so.mapped_column(default=1, server_default="1")
    # Day of the latest live outreach entry naming the state, whatever campaign it served; kept by
    # `tally.refresh_last_contacts` on every outreach write so the dashboard reads 195 dates, not the history.
    last_contact_on: so.Mapped[date | None]
    profile_updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    profile_updated_by: so.Mapped[User | None] = so.relationship(foreign_keys=[profile_updated_by_id])

    memberships: so.Mapped[list[Membership]] = so.relationship(
        back_populates="state", cascade="all, delete-orphan", order_by="Membership.term_start"
    )

    def __repr__(self) -> str:
        return f"<State {self.iso3}>"

    def membership_in(self, body: str, year: int) -> Membership | None:
        """The membership of `body` whose term covers `year`, if any."""
        for membership in self.memberships:
            if membership.body == body and membership.covers(year):
                return membership
        return None


class Membership(Model):
    """A state's term on a body such as the Human Rights Council."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("state_id", "body", "term_start", name="uq_memberships_term"),
        sa.CheckConstraint("term_end >= term_start", name="term_order"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id", ondelete="CASCADE"))
    body: so.Mapped[str] = so.mapped_column(sa.String(20), index=True)
    term_start: so.Mapped[int]
    term_end: so.Mapped[int]
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    state: so.Mapped[State] = so.relationship(back_populates="memberships")

    def covers(self, year: int) -> bool:
        """Whether the term includes `year` (terms run 1 January to 31 December)."""
        return self.term_start <= year <= self.term_end

    @property
    def term_label(self) -> str:
        return f"{self.term_start}–{self.term_end}"
