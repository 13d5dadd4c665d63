"""What a user may read, as query scopes: the one place the envoy rule is written.

Envoys see only the states assigned to them: their contacts, statuses, follow-ups, requests,
briefs and outreach; never another state's records or the whole campaign's tally. Every other
role reads everything. Reads take these scopes rather than checking roles themselves, so a list,
a form's choices, a PDF and a re-rendered form cannot forget the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.models.user import assignments


def limited(user: User) -> bool:
    """Whether the user's reads are limited to assigned states (envoys)."""
    return user.role is Role.ENVOY


def visible_state_ids(user: User) -> set[int] | None:
    """Ids of the states the user may read, or None for every state."""
    return {s.id for s in user.assigned_states} if limited(user) else None


def visible_iso3(user: User) -> set[str] | None:
    """ISO3 codes of the states the user may read, or None for every state."""
    return {s.iso3 for s in user.assigned_states} if limited(user) else None


def states_clause(user: User, column: sa.ColumnElement[int] | so.QueryableAttribute[int]) -> sa.ColumnElement[bool]:
    """A WHERE clause on a state-id column keeping only the states the user may read."""
    ids = visible_state_ids(user)
    return sa.true() if ids is None else column.in_(sorted(ids))


def keep_visible(user: User, state_ids: Iterable[int]) -> set[int]:
    """The given state ids (e.g. submitted by a form) without those the user may not read."""
    ids = visible_state_ids(user)
    return set(state_ids) if ids is None else set(state_ids) & ids


def can_see_state(user: User, state_id: int | None) -> bool:
    ids = visible_state_ids(user)
    return ids is None or state_id in ids


def sees_whole_campaign(user: User) -> bool:
    """Whether the user may see campaign-wide figures (the tally, counts by status)."""
    return not limited(user)


def owner_choices(user: User) -> list[tuple[str, str]]:
    """People a follow-up may be given to, as (id, name): everyone active, but for an envoy only
    themselves and the envoys who share one of their states (not the desk's whole staff list)."""
    query = sa.select(User.id, User.name).where(User.active).order_by(User.name)
    if limited(user):
        colleagues = sa.select(assignments.c.user_id).where(
            assignments.c.state_id.in_(sorted(visible_state_ids(user) or {-1}))
        )
        query = query.where(sa.or_(User.id == user.id, sa.and_(User.role == Role.ENVOY, User.id.in_(colleagues))))
    return [(str(i), n) for i, n in db.session.execute(query)]


def record_states(model: Any, key: str) -> Callable[[dict], set[str]]:
    """For `@allow(state_arg=…)`: the ISO3 codes of the states of the record the URL names by `key`
    (an outreach entry's covered states; a contact's, follow-up's or request's one state)."""
    from app.models import OutreachEntry, State

    def states(kwargs: dict) -> set[str]:
        record_id = kwargs.get(key)
        if model is OutreachEntry:
            query = sa.select(State.iso3).join(OutreachEntry.states).where(OutreachEntry.id == record_id)
        else:
            query = sa.select(State.iso3).join(model, model.state_id == State.id).where(model.id == record_id)
        return set(db.session.scalars(query))

    return states
