"""Follow-ups: creating, closing, reopening and listing them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain import clock
from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, FollowUp, State, User
from app.models.types import utcnow
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import ensure_open
from app.services.locking import claim_edit


def today() -> date:
    """The desk's today (the one clock, UTC): what "overdue" is measured against."""
    return clock.today()


def add_follow_up(
    campaign: Campaign, state: State, *, text: str, due_on: date, owner: User | None,
    actor: Actor, outreach_id: int | None = None,
) -> FollowUp:
    """A new open follow-up."""
    ensure_open(campaign)
    if not text.strip():
        raise ServiceError(Message("A follow-up needs a text."))
    follow_up = FollowUp(
        campaign_id=campaign.id, state_id=state.id, text=text.strip(), due_on=due_on,
        owner_id=owner.id if owner else None, outreach_id=outreach_id, created_by_id=actor.id,
    )
    db.session.add(follow_up)
    db.session.flush()
    audit.record("followup.create", actor, "follow_up", follow_up.id, state=state.iso3, due=due_on.isoformat())
    return follow_up


def set_done(follow_up: FollowUp, done: bool, actor: Actor, expected_version: int | None = None) -> None:
    """Mark done, or reopen; a click on a stale page (someone acted meanwhile) raises EditConflict."""
    ensure_open(follow_up.campaign)
    claim_edit(follow_up, expected_version, actor, "follow-up")
    follow_up.done_at = utcnow() if done else None
    follow_up.done_by_id = actor.id if done else None
    db.session.flush()
    audit.record("followup.done" if done else "followup.reopen", actor, "follow_up", follow_up.id)


def _base_query():
    return sa.select(FollowUp).options(
        so.joinedload(FollowUp.state), so.joinedload(FollowUp.owner)
    )


FOLLOW_UPS_PAGE = 100  # follow-ups per page of the list


def list_follow_ups(
    campaign: Campaign, owner_id: int | None, include_done: bool, only_iso3: set[str] | None = None, page: int = 1
) -> tuple[list[FollowUp], bool]:
    """One page of a campaign's follow-ups (one owner's or everyone's): open overdue first, then open
    by due date, done ones last; and whether more pages follow."""
    query = _base_query().where(FollowUp.campaign_id == campaign.id)
    if owner_id is not None:
        query = query.where(FollowUp.owner_id == owner_id)
    if not include_done:
        query = query.where(FollowUp.done_at.is_(None))
    if only_iso3 is not None:
        query = query.join(State, State.id == FollowUp.state_id).where(State.iso3.in_(only_iso3))
    done = sa.case((FollowUp.done_at.is_(None), 0), else_=1)
    overdue_first = sa.case((sa.and_(FollowUp.done_at.is_(None), FollowUp.due_on < today()), 0), else_=1)
    items = list(db.session.scalars(
        query.order_by(done, overdue_first, FollowUp.due_on, FollowUp.id)
        .limit(FOLLOW_UPS_PAGE + 1).offset((page - 1) * FOLLOW_UPS_PAGE)
    ))
    return items[:FOLLOW_UPS_PAGE], len(items) > FOLLOW_UPS_PAGE


def open_follow_ups_for_state(campaign: Campaign, state: State, limit: int | None = None) -> list[FollowUp]:
    """A state's open follow-ups for the campaign, soonest due first (at most `limit`)."""
    return list(
        db.session.scalars(
            _base_query()
            .where(FollowUp.state_id == state.id, FollowUp.campaign_id == campaign.id, FollowUp.done_at.is_(None))
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(limit)
        )
    )


def states_with_overdue() -> set[str]:
    """ISO3 codes of states with at least one open overdue follow-up."""
    return set(
        db.session.scalars(
            sa.select(State.iso3)
            .join(FollowUp, FollowUp.state_id == State.id)
            .where(FollowUp.done_at.is_(None), FollowUp.due_on < today())
            .distinct()
        )
    )
