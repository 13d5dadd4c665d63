"""Small helpers shared by the API views."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.api import scope
from app.extensions import db
from app.models import Campaign, State, User
from app.services.audit import Actor


def actor() -> User:
    """The token's user (the API's current user)."""
    return current_user._get_current_object()


def state_or_404(iso3: str) -> State:
    """A state the caller may see; an unassigned one answers like an unknown one."""
    state = scope.state_by_iso3(actor(), iso3)
    if state is None:
        abort(404, description=f"No state {iso3.upper()[:3]!r} among the states you may see.")
    return state


def campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404, description=f"No campaign {campaign_id}.")
    return campaign


def state_filter(query, column, args: dict):
    """The ?state= filter, within the caller's scope."""
    query = scope.restrict(query, column, actor())
    if args.get("state"):
        query = query.where(column == state_or_404(args["state"]).id)
    return query


def origin() -> Actor:
    """The token's user, from this address, with the token: every event the write leaves names the token."""
    from app.auth.actor import current_actor

    return current_actor()


def commit_write() -> None:
    """Commit the write (the services audited it, each event naming the token that made it)."""
    db.session.commit()


def writable_state(iso3: str, field: str) -> State:
    """A state the caller may write on, else a 422 naming the field."""
    from app.api.errors import invalid

    state = scope.state_by_iso3(actor(), iso3)
    if state is None:
        invalid(field, f"No state {iso3.upper()[:3]!r} among the states you may work on.")
    return state
