"""Follow-ups: list, create, mark done."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.api import bp, scope
from app.api.common import (
    actor,
    campaign_or_404,
    commit_write,
    origin,
    state_filter,
    writable_state,
)
from app.api.errors import invalid, not_found
from app.api.pagination import page
from app.api.schemas import FollowUpFilter, FollowUpIn, FollowUpOut, FollowUpPage
from app.auth.access import READ_ROLES, allow
from app.domain.enums import Role, TokenScope
from app.extensions import db
from app.models import FollowUp, OutreachEntry, User
from app.services.followups import add_follow_up, set_done

WRITERS = (Role.ADMIN, Role.STAFF, Role.ENVOY)


@bp.route("/follow-ups")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.arguments(FollowUpFilter, location="query")
@bp.response(200, FollowUpPage)
@bp.doc(tags=["follow-ups"], summary="Follow-ups (filter by campaign, state, due date, open or done)")
def list_follow_ups(args):
    query = state_filter(sa.select(FollowUp).options(so.joinedload(FollowUp.state)), FollowUp.state_id, args)
    if args.get("campaign_id"):
        query = query.where(FollowUp.campaign_id == args["campaign_id"])
    if args.get("since"):
        query = query.where(FollowUp.due_on >= args["since"])
    if args.get("until"):
        query = query.where(FollowUp.due_on <= args["until"])
    if "open" in args:
        query = query.where(FollowUp.done_at.is_(None) if args["open"] else FollowUp.done_at.is_not(None))
    return page(query, FollowUp.id, args)


@bp.route("/follow-ups", methods=["POST"])
@allow(*WRITERS, token=TokenScope.WRITE)
@bp.arguments(FollowUpIn)
@bp.response(201, FollowUpOut)
@bp.doc(tags=["follow-ups"], summary="Create a follow-up (owner: you, unless owner_id says otherwise)")
def create_follow_up(data: dict):
    state = writable_state(data["state"], "state")
    owner: User | None = actor()
    if data.get("owner_id") is not None:
        owner = db.session.get(User, data["owner_id"])
        if owner is None or not owner.active:
            invalid("owner_id", "No active user with this id.")
    outreach_id = data.get("outreach_id")
    if outreach_id is not None and db.session.scalar(
            scope.outreach_entries(actor()).where(OutreachEntry.id == outreach_id)) is None:
        invalid("outreach_id", "No outreach entry with this id among those you may see.")
    follow_up = add_follow_up(campaign_or_404(data["campaign_id"]), state, text=data["text"], due_on=data["due_on"],
                              owner=owner, actor=origin(), outreach_id=outreach_id)
    commit_write()
    return follow_up


@bp.route("/follow-ups/<int(max=2147483647):follow_up_id>/done", methods=["POST"])
@allow(*WRITERS, token=TokenScope.WRITE)
@bp.response(200, FollowUpOut)
@bp.doc(tags=["follow-ups"], summary="Mark a follow-up done (doing it twice keeps the first time)")
def mark_done(follow_up_id: int):
    follow_up = db.session.scalar(scope.restrict(sa.select(FollowUp), FollowUp.state_id, actor())
                                  .where(FollowUp.id == follow_up_id))
    if follow_up is None:
        not_found(f"No follow-up {follow_up_id} among those you may see.")
    if not follow_up.is_done:
        set_done(follow_up, True, origin())
        commit_write()
    return follow_up
