"""What an API caller may read: the desk's one need-to-know rule (app/auth/scope.py) as API queries."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.scope import can_see_state, visible_state_ids
from app.extensions import db
from app.models import OutreachEntry, State, User, outreach_states


def can_see(user: User, state_id: int) -> bool:
    return can_see_state(user, state_id)


def restrict(query: sa.Select, state_id_column, user: User) -> sa.Select:
    """`query` limited to rows whose state the user may see."""
    visible = visible_state_ids(user)
    return query if visible is None else query.where(state_id_column.in_(visible))


def states(user: User) -> sa.Select:
    """The states the user may see."""
    return restrict(sa.select(State), State.id, user)


def state_by_iso3(user: User, iso3: str) -> State | None:
    """A visible state by ISO3 code, else None (unknown and unassigned look alike)."""
    return db.session.scalar(states(user).where(State.iso3 == iso3.upper()[:3]))


def outreach_entries(user: User) -> sa.Select:
    """Live entries covering at least one visible state (the rule of the web page of an entry)."""
    query = sa.select(OutreachEntry).where(OutreachEntry.deleted_at.is_(None))
    visible = visible_state_ids(user)
    if visible is None:
        return query
    return query.where(OutreachEntry.id.in_(
        sa.select(outreach_states.c.entry_id).where(outreach_states.c.state_id.in_(visible))))
