"""What an API caller may read: the desk's one need-to-know rule (app/auth/scope.py) as API queries."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.scope import can_see_state, limited, states_clause
from app.extensions import db
from app.models import OutreachEntry, State, User, outreach_states


def can_see(user: User, state_id: int) -> bool:
    return can_see_state(user, state_id)


def restrict(query: sa.Select, state_id_column, user: User) -> sa.Select:
    """`query` limited to rows whose state the user may see (the envoy rule's one WHERE clause)."""
    return query.where(states_clause(user, state_id_column))


def states(user: User) -> sa.Select:
    """The states the user may see."""
    return restrict(sa.select(State), State.id, user)


def state_by_iso3(user: User, iso3: str) -> State | None:
    """A visible state by ISO3 code, else None (unknown and unassigned look alike)."""
    return db.session.scalar(states(user).where(State.iso3 == iso3.upper()[:3]))


def outreach_entries(user: User) -> sa.Select:
    """Live entries covering at least one visible state (the rule of the web page of an entry)."""
    query = sa.select(OutreachEntry).where(OutreachEntry.deleted_at.is_(None))
    if not limited(user):
        return query
    return query.where(OutreachEntry.id.in_(
        sa.select(outreach_states.c.entry_id).where(states_clause(user, outreach_states.c.state_id))))
