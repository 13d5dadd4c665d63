"""Reading and editing states: the overview table and the profile."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

import sqlalchemy as sa

from app.domain.enums import Priority, RegionalGroup, Role, SupportStatus
from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, Position, State, User, assignments
from app.models.types import utcnow
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.stages import electorate
from app.services.state_search import matches


@dataclass(frozen=True)
class StateRow:
    """One line of the states table."""

    iso3: str
    iso2: str
    name: str
    group: RegionalGroup | None
    un_member: bool
    in_electorate: bool
    status: SupportStatus
    priority: Priority
    envoys: tuple[str, ...]


@dataclass
class StateFilters:
    """What the states table is narrowed by; empty means no filter."""

    group: str = ""
    status: str = ""
    electorate: str = ""  # "yes", "no" or ""
    envoy_id: int | None = None
    text: str = ""
    only_iso3: set[str] | None = None
    extra_iso3: set[str] | None = field(default=None)  # e.g. states with overdue follow-ups


def envoys_by_state() -> dict[int, list[tuple[int, str]]]:
    """Assigned envoys per state id, in one query."""
    rows = db.session.execute(
        sa.select(assignments.c.state_id, User.id, User.name)
        .join(User, User.id == assignments.c.user_id)
        .where(User.role == Role.ENVOY, User.active)
        .order_by(User.name)
    )
    result: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for state_id, user_id, name in rows:
        result[state_id].append((user_id, name))
    return result


def state_rows(campaign: Campaign | None, filters: StateFilters) -> list[StateRow]:
    """Every state matching `filters`, with its status in `campaign` (3 queries in all)."""
    query = sa.select(State, Position.status).outerjoin(
        Position,
        sa.and_(Position.state_id == State.id, Position.campaign_id == (campaign.id if campaign else -1)),
    )
    stage = campaign.current_stage if campaign else None
    voters = electorate(stage).ids if stage else frozenset()
    envoys = envoys_by_state()
    rows = []
    for state, status in db.session.execute(query.order_by(State.name)):
        row = StateRow(
            iso3=state.iso3,
            iso2=state.iso2,
            name=state.name,
            group=state.regional_group,
            un_member=state.un_member,
            in_electorate=state.id in voters,
            status=status or SupportStatus.NOT_APPROACHED,
            priority=state.priority,
            envoys=tuple(name for _, name in envoys.get(state.id, [])),
        )
        if _matches(row, filters, {uid for uid, _ in envoys.get(state.id, [])}):
            rows.append(row)
    return rows


def _matches(row: StateRow, f: StateFilters, envoy_ids: set[int]) -> bool:
    if f.only_iso3 is not None and row.iso3 not in f.only_iso3:
        return False
    if f.extra_iso3 is not None and row.iso3 not in f.extra_iso3:
        return False
    if f.group and (row.group is None or row.group.value != f.group):
        return False
    if f.status and row.status.value != f.status:
        return False
    if f.electorate and row.in_electorate != (f.electorate == "yes"):
        return False
    if f.envoy_id is not None and f.envoy_id not in envoy_ids:
        return False
    return matches(f.text, row.iso3, row.iso2, row.name)


def get_state(iso3: str) -> State | None:
    return db.session.scalar(sa.select(State).where(State.iso3 == iso3.upper()))


def states_by_ids(ids: set[int]) -> list[State]:
    """These states, by name."""
    return (
        list(db.session.scalars(sa.select(State).where(State.id.in_(sorted(ids))).order_by(State.name))) if ids else []
    )


def all_states() -> list[State]:
    """Every state by name (pickers that any role allowed there may fill: candidates, electors, envoys)."""
    return list(db.session.scalars(sa.select(State).order_by(State.name)))


def visible_states(user: User) -> list[State]:
    """The states a user may read (an envoy's own), by name: the choices of every state picker."""
    from app.auth import scope

    return list(db.session.scalars(sa.select(State).where(scope.states_clause(user, State.id)).order_by(State.name)))


PROFILE_FIELDS = (
    "capital",
    "head_of_state",
    "foreign_minister",
    "mission_geneva",
    "mission_new_york",
    "our_embassy",
    "priority",
    "talking_points",
    "the_ask",
)


class ProfileConflict(ServiceError):
    """Someone else saved the profile since the form was opened."""

    def __init__(self, state: State) -> None:
        who = state.profile_updated_by.name if state.profile_updated_by else Message("someone")
        when = state.profile_updated_at.strftime("%Y-%m-%d %H:%M UTC") if state.profile_updated_at else ""
        super().__init__(Message(
            "The profile of %(state)s was changed meanwhile by %(who)s (%(when)s). Nothing was saved; "
            "your entry was kept below: compare it with the current profile and save again.",
            state=state.name, who=who, when=when))
        self.state = state


def update_profile(state: State, values: dict, *, expected_version: int | None = None,
                   actor: Actor) -> dict[str, tuple]:
    """Apply the profile fields (audited); returns {field: (before, after)} for what changed.

    With `expected_version`, a save based on an older version than the stored one raises
    ProfileConflict (one atomic check-and-set, as for statuses).
    """
    if expected_version is not None:
        claimed = db.session.execute(
            sa.update(State).where(State.id == state.id, State.profile_version == expected_version)
            .values(profile_version=State.profile_version + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(state)
        if cast(sa.CursorResult, claimed).rowcount != 1:  # an UPDATE returns a CursorResult
            raise ProfileConflict(state)
    changes = {}
    for name in PROFILE_FIELDS:
        new = values[name]
        old = getattr(state, name)
        if new != old:
            changes[name] = (old, new)
            setattr(state, name, new)
    if changes:
        state.profile_updated_at = utcnow()
        state.profile_updated_by_id = actor.id
        audit.record("state.profile", actor, "state", state.iso3, **audit.diff(changes))
    db.session.flush()
    return changes
