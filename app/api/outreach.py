"""Outreach entries: list, read, and record one with its status changes (the web form's services)."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.api import bp, scope
from app.api.common import (
    actor,
    campaign_or_404,
    commit_write,
    origin,
    state_or_404,
    writable_state,
)
from app.api.errors import invalid, not_found
from app.api.pagination import page
from app.api.schemas import DatedFilter, OutreachIn, OutreachOut, OutreachPage, RecordedOutreachOut
from app.auth.access import READ_ROLES, allow
from app.domain.enums import Role, TokenScope
from app.extensions import db
from app.models import OutreachEntry, outreach_campaigns, outreach_states
from app.services.outreach import OutreachInput, StatusMove, record_with_moves
from app.services.status import Evidence

WRITERS = (Role.ADMIN, Role.STAFF, Role.ENVOY)


def _entries():
    return scope.outreach_entries(actor()).options(
        so.selectinload(OutreachEntry.states), so.selectinload(OutreachEntry.campaigns),
        so.selectinload(OutreachEntry.contacts))


@bp.route("/outreach")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.arguments(DatedFilter, location="query")
@bp.response(200, OutreachPage)
@bp.doc(tags=["outreach"], summary="Outreach entries (filter by campaign, state and date)")
def list_outreach(args):
    query = _entries()
    if args.get("state"):
        state = state_or_404(args["state"])
        query = query.where(OutreachEntry.id.in_(
            sa.select(outreach_states.c.entry_id).where(outreach_states.c.state_id == state.id)))
    if args.get("campaign_id"):
        query = query.where(OutreachEntry.id.in_(
            sa.select(outreach_campaigns.c.entry_id).where(outreach_campaigns.c.campaign_id == args["campaign_id"])))
    if args.get("since"):
        query = query.where(OutreachEntry.occurred_on >= args["since"])
    if args.get("until"):
        query = query.where(OutreachEntry.occurred_on <= args["until"])
    return page(query, OutreachEntry.id, args)


@bp.route("/outreach/<int(max=2147483647):entry_id>")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.response(200, OutreachOut)
@bp.doc(tags=["outreach"], summary="One outreach entry")
def get_outreach(entry_id: int):
    entry = db.session.scalar(_entries().where(OutreachEntry.id == entry_id))
    if entry is None:
        not_found(f"No outreach entry {entry_id} among those you may see.")
    return entry


def _outreach_input(data: dict) -> OutreachInput:
    states = [writable_state(code, f"states.{i}") for i, code in enumerate(data["states"])]
    return OutreachInput(
        occurred_on=data["occurred_on"], channel=data["channel"], level=data["level"], location=data["location"],
        our_participants=data["our_participants"], their_participants=data["their_participants"],
        summary=data["summary"], state_ids=[s.id for s in states], contact_ids=data["contact_ids"],
        campaign_ids=data["campaign_ids"])


@bp.route("/outreach", methods=["POST"])
@allow(*WRITERS, token=TokenScope.WRITE)
@bp.arguments(OutreachIn)
@bp.response(201, RecordedOutreachOut)
@bp.doc(tags=["outreach"], summary="Record an entry and, optionally, the status changes it brought",
        description="Status changes use the position's `version` (from /positions) as `expected_version`; "
                    "if someone changed it meanwhile the answer is 409 and nothing is saved.")
def create_outreach(data: dict):
    entry_input = _outreach_input(data)
    moves = [_move(i, wanted, entry_input) for i, wanted in enumerate(data["status_changes"])]
    entry, changes = record_with_moves(entry_input, moves, origin())
    commit_write()
    entry.status_changes = changes  # type: ignore[attr-defined]  # for the response schema, not a column
    return entry


def _move(i: int, wanted: dict, entry: OutreachInput) -> StatusMove:
    """One requested status change, checked against the entry's states and campaigns (422 naming the field)."""
    state = writable_state(wanted["state"], f"status_changes.{i}.state")
    if state.id not in entry.state_ids:
        invalid(f"status_changes.{i}.state", f"{state.name} is not among the states this entry covers.")
    if wanted["campaign_id"] not in entry.campaign_ids:
        invalid(f"status_changes.{i}.campaign_id", "The entry does not serve this campaign.")
    evidence = wanted["evidence"] or {}
    return StatusMove(campaign_or_404(wanted["campaign_id"]), state, wanted["to_status"], wanted["expected_version"],
                      wanted["reason"] or "", Evidence(**{k: v for k, v in evidence.items() if v is not None}))
