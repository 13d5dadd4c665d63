"""Outreach entries: new (with status and follow-up), view, edit, delete."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import scope
from app.auth.access import EDIT_ROLES, READ_ROLES, allow
from app.campaign_context import current_campaign_or_404
from app.domain.enums import Channel, InterlocutorLevel, Role, SupportStatus
from app.extensions import db
from app.forms import options, state_options
from app.models import Campaign, Contact, OutreachEntry, State, User
from app.models.types import utcnow
from app.outreach import bp
from app.outreach.forms import DeleteForm, OutreachForm, outreach_form_for
from app.params import parse_id
from app.services import ServiceError
from app.services.campaigns import all_campaigns
from app.services.outreach import (
    FollowUpRequest,
    OutreachInput,
    StatusMove,
    can_edit,
    delete_outreach,
    edit_outreach,
    log_outreach,
)
from app.services.states import get_state
from app.services.status import StatusConflict, position_for
from app.states.forms import set_condition_choices
from app.states.routes import evidence_from

WRITE_ROLES = (*EDIT_ROLES, Role.ENVOY)


def entry_states(kwargs: dict[str, Any]) -> set[str]:
    """ISO3 codes an entry covers, for the envoy scope check."""
    return set(
        db.session.scalars(
            sa.select(State.iso3).join(OutreachEntry.states).where(OutreachEntry.id == kwargs.get("entry_id"))
        )
    )


def _entry_or_404(entry_id: int) -> OutreachEntry:
    entry = db.session.get(OutreachEntry, entry_id)
    if entry is None or entry.is_deleted:
        abort(404)
    return entry


def _choices(form: OutreachForm, state_ids: set[int], campaigns: list[Campaign]) -> None:
    """States an author may pick (envoys: their own), contacts of the chosen states, owners, campaigns."""
    query = (sa.select(State.id, State.name, State.iso3, State.iso2)
             .where(scope.states_clause(current_user, State.id)).order_by(State.name))
    state_ids = scope.keep_visible(current_user, state_ids)  # never contacts of a state out of scope
    # The states already chosen come first, so they are visible without scrolling.
    rows = sorted(db.session.execute(query), key=lambda r: r[0] not in state_ids)
    form.states.choices = state_options(rows)
    contacts = db.session.execute(
        sa.select(Contact.id, Contact.name, State.name)
        .join(State)
        .where(Contact.state_id.in_(state_ids))
        .order_by(State.name, Contact.name)
    )
    form.contacts.choices = options([(str(i), f"{n} ({s})") for i, n, s in contacts])
    form.follow_up_owner.choices = options([("", "—")] + scope.owner_choices(current_user))
    form.campaigns.choices = options([(str(c.id), c.name) for c in campaigns])


def _input(form: OutreachForm) -> OutreachInput:
    return OutreachInput(
        occurred_on=form.occurred_on.data, channel=Channel(form.channel.data),
        level=InterlocutorLevel(form.level.data), location=form.location.data,
        our_participants=form.our_participants.data or "", their_participants=form.their_participants.data or "",
        summary=form.summary.data, state_ids=[int(v) for v in form.states.data],
        contact_ids=[int(v) for v in form.contacts.data or []],
        campaign_ids=[int(v) for v in form.campaigns.data or []],
    )


def _submitted_state_ids(fallback: set[int]) -> set[int]:
    raw = request.form.getlist("states") if request.method == "POST" else []
    return {v for v in map(parse_id, raw) if v is not None} or fallback


def _live_campaigns() -> list[Campaign]:
    return [c for c in all_campaigns() if not c.is_archived]


@bp.route("/states/<iso3>/outreach/new", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg="iso3")
def new(iso3: str):
    state = get_state(iso3)
    if state is None:
        abort(404)
    campaign = current_campaign_or_404()
    live = _live_campaigns()
    covered = _covered_states(state)
    form = outreach_form_for(live, covered)()
    _choices(form, {s.id for s in covered}, live)
    if not form.is_submitted():
        form.states.data = [str(state.id)]
        form.campaigns.data = [str(campaign.id)] if not campaign.is_archived else []
        form.occurred_on.data = utcnow().date()
    # Versions are read when the form is shown; a state added in the picker gets its own on re-render.
    _fill_versions(form, live, covered, only_missing=True)
    set_condition_choices(form, state)
    if form.validate_on_submit():
        try:
            _save_new(form, live, campaign, state, covered)
        except StatusConflict as conflict:
            db.session.rollback()
            _fill_versions(form, live, covered)
            flash(str(conflict), "warning")
            return _render_new(form, state, live, covered, 409)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Outreach recorded."), "success")
            return redirect(url_for("states.detail", iso3=state.iso3))
    return _render_new(form, state, live, covered, 400 if form.is_submitted() else 200)


def _covered_states(page_state: State) -> list[State]:
    """The states the form offers statuses for: those submitted (in scope), else the page's state."""
    ids = scope.keep_visible(current_user, _submitted_state_ids({page_state.id}))
    found = list(db.session.scalars(sa.select(State).where(State.id.in_(ids)).order_by(State.name))) if ids else []
    return found or [page_state]


def _fill_versions(form: OutreachForm, live: list[Campaign], covered: list[State], only_missing: bool = False) -> None:
    """The lock version of each (campaign, state) status the form offers."""
    by_id, states = {c.id: c for c in live}, {s.id: s for s in covered}
    for cid, sid, _status, version in form.status_fields():
        if not (only_missing and version.data):
            version.data = str(position_for(by_id[cid], states[sid]).version)


def _render_new(form, state, campaigns, covered, status=200):
    positions = {(c.id, s.id): position_for(c, s) for c in campaigns for s in covered}
    return render_template("outreach/form.html", form=form, state=state, positions=positions, covered=covered,
                           campaigns={c.id: c for c in campaigns}), status


def _save_new(form: OutreachForm, live: list[Campaign], current: Campaign, state: State, covered: list[State]) -> None:
    """Thin: the form as plain values, then the one use case (the route commits)."""
    campaigns, states = {c.id: c for c in live}, {s.id: s for s in covered}
    moves = []
    for cid, sid, status, version in form.status_fields():
        if status.data:
            if not (version.data or "").isdigit():
                raise ServiceError("The form lost its version; reload the page.")
            moves.append(StatusMove(campaigns[cid], states[sid], SupportStatus(status.data), int(version.data)))
    follow_up = None
    if (form.follow_up_text.data or "").strip():
        follow_up = FollowUpRequest(form.follow_up_text.data, form.follow_up_due.data,
                                    db.session.get(User, int(form.follow_up_owner.data)), state)
    log_outreach(_input(form), moves, evidence_from(form), form.status_reason.data or form.summary.data[:500],
                 current_user, follow_up, current)


@bp.route("/outreach/<int:entry_id>")
@allow(*READ_ROLES, state_arg=entry_states)
def view(entry_id: int):
    entry = _entry_or_404(entry_id)
    return render_template("outreach/view.html", entry=entry, can_edit=can_edit(entry, current_user),
                           delete_form=DeleteForm())


@bp.route("/outreach/<int:entry_id>/edit", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg=entry_states)
def edit(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not can_edit(entry, current_user):
        abort(403)
    form = OutreachForm(obj=entry)
    served = _live_campaigns() + [c for c in entry.campaigns if c.is_archived]
    _choices(form, _submitted_state_ids({s.id for s in entry.states}), served)
    if not form.is_submitted():
        form.channel.data, form.level.data = entry.channel.value, entry.level.value
        form.states.data = [str(s.id) for s in entry.states]
        form.contacts.data = [str(c.id) for c in entry.contacts]
        form.campaigns.data = [str(c.id) for c in entry.campaigns]
    if form.validate_on_submit():
        try:
            edit_outreach(entry, _input(form), current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Entry updated; the previous version is kept."), "success")
            return redirect(url_for("outreach.view", entry_id=entry.id))
    return render_template(
        "outreach/form.html", form=form, entry=entry, state=entry.states[0] if entry.states else None, editing=True
    )


@bp.route("/outreach/<int:entry_id>/delete", methods=["POST"])
@allow(Role.ADMIN)
def delete(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for deleting the entry."), "danger")
        return redirect(url_for("outreach.view", entry_id=entry.id))
    delete_outreach(entry, form.reason.data, current_user)
    db.session.commit()
    flash(_("Entry deleted."), "success")
    return redirect(url_for("states.index"))
