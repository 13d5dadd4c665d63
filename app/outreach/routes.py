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
from app.extensions import db
from app.forms import options
from app.models import Campaign, Contact, OutreachEntry, State, User
from app.models.enums import Channel, InterlocutorLevel, Role, SupportStatus
from app.models.types import utcnow
from app.outreach import bp
from app.outreach.forms import DeleteForm, OutreachForm, outreach_form_for
from app.params import parse_id
from app.services import ServiceError
from app.services.campaigns import all_campaigns
from app.services.followups import add_follow_up
from app.services.outreach import (
    OutreachInput,
    can_edit,
    delete_outreach,
    edit_outreach,
    record_outreach,
)
from app.services.states import get_state
from app.services.status import StatusConflict, change_status, position_for
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
    query = sa.select(State.id, State.name).where(scope.states_clause(current_user, State.id)).order_by(State.name)
    state_ids = scope.keep_visible(current_user, state_ids)  # never contacts of a state out of scope
    # The states already chosen come first, so they are visible without scrolling.
    rows = sorted(db.session.execute(query), key=lambda r: r[0] not in state_ids)
    form.states.choices = options([(str(i), n) for i, n in rows])
    contacts = db.session.execute(
        sa.select(Contact.id, Contact.name, State.name).join(State).where(Contact.state_id.in_(state_ids)).order_by(State.name, Contact.name)
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


def _render_new(form, state, campaigns, status=200):
    positions = {c.id: position_for(c, state) for c in campaigns}
    return render_template("outreach/form.html", form=form, state=state, positions=positions,
                           campaigns={c.id: c for c in campaigns}), status


@bp.route("/states/<iso3>/outreach/new", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg="iso3")
def new(iso3: str):
    state = get_state(iso3)
    if state is None:
        abort(404)
    campaign = current_campaign_or_404()
    live = _live_campaigns()
    form = outreach_form_for(live)()
    _choices(form, _submitted_state_ids({state.id}), live)
    if not form.is_submitted():
        form.states.data = [str(state.id)]
        form.campaigns.data = [str(campaign.id)] if not campaign.is_archived else []
        form.occurred_on.data = utcnow().date()
        for cid, _status, version in form.status_fields():
            version.data = str(position_for(db.session.get(Campaign, cid), state).version)
    set_condition_choices(form, state)
    if form.validate_on_submit():
        try:
            _save_new(form, {c.id: c for c in live}, campaign, state)
        except StatusConflict as conflict:
            db.session.rollback()
            for cid, _status, version in form.status_fields():
                version.data = str(position_for(db.session.get(Campaign, cid), state).version)
            flash(str(conflict), "warning")
            return _render_new(form, state, live, 409)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Outreach recorded."), "success")
            return redirect(url_for("states.detail", iso3=state.iso3))
    return _render_new(form, state, live, 400 if form.is_submitted() else 200)


def _save_new(form: OutreachForm, live: dict[int, Campaign], current: Campaign, state: State) -> None:
    """Entry, then a status per campaign it moved, then the follow-up: one transaction the route commits."""
    data = _input(form)
    entry = record_outreach(data, current_user)
    for campaign_id, status, version in form.status_fields():
        if not status.data:
            continue
        campaign = live[campaign_id]
        if campaign_id not in data.campaign_ids:
            raise ServiceError(f"A new status was chosen in “{campaign.name}”, which this entry does not serve.")
        if state.id not in data.state_ids:
            raise ServiceError(f"{state.name} is not among the states this entry covers, so its status cannot change.")
        if not (version.data or "").isdigit():
            raise ServiceError("The form lost its version; reload the page.")
        change_status(
            campaign, state, to_status=SupportStatus(status.data), expected_version=int(version.data),
            actor=current_user, reason=form.status_reason.data or form.summary.data[:500],
            effective_on=entry.occurred_on, evidence=evidence_from(form), outreach_id=entry.id,
        )
    if (form.follow_up_text.data or "").strip():
        owner = db.session.get(User, int(form.follow_up_owner.data))
        target = current if current.id in data.campaign_ids else live[data.campaign_ids[0]]
        add_follow_up(target, state, text=form.follow_up_text.data, due_on=form.follow_up_due.data,
                      owner=owner, actor=current_user, outreach_id=entry.id)


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
    return render_template("outreach/form.html", form=form, entry=entry, state=entry.states[0] if entry.states else None, editing=True)


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
