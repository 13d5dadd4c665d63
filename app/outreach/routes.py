"""Outreach entries: new (with status and follow-up), view, edit, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import scope
from app.auth.access import EDIT_ROLES, READ_ROLES, allow
from app.auth.actor import current_actor
from app.campaign_context import current_campaign_or_404
from app.domain import clock
from app.domain.enums import Channel, InterlocutorLevel, Role, SupportStatus
from app.extensions import db
from app.forms import options, state_options
from app.models import Campaign, OutreachEntry, State
from app.outreach import bp
from app.outreach.forms import DeleteForm, OutreachForm, outreach_form_for
from app.params import parse_id
from app.services import ServiceError
from app.services.accounts import get_user
from app.services.campaigns import live_campaigns
from app.services.contacts import contact_choices
from app.services.outreach import (
    FollowUpRequest,
    OutreachInput,
    StatusMove,
    can_edit,
    delete_outreach,
    edit_outreach,
    live_entry,
    log_outreach,
)
from app.services.states import get_state, states_by_ids, visible_states
from app.services.status import position_for
from app.states.forms import evidence_from, set_condition_choices
from app.web import commit_or_keep

WRITE_ROLES = (*EDIT_ROLES, Role.ENVOY)
entry_states = scope.record_states(OutreachEntry, "entry_id")


def _entry_or_404(entry_id: int, for_page: bool = False) -> OutreachEntry:
    return live_entry(entry_id, for_page=for_page) or abort(404)


def _choices(form: OutreachForm, state_ids: set[int], campaigns: list[Campaign]) -> None:
    """States an author may pick (envoys: their own), contacts of the chosen states, owners, campaigns."""
    chosen = scope.keep_visible(current_user, state_ids)  # never contacts of a state out of scope
    # The states already chosen come first, so they are visible without scrolling.
    rows = sorted(
        ((s.id, s.name, s.iso3, s.iso2) for s in visible_states(current_user)), key=lambda r: r[0] not in chosen
    )
    form.states.choices = state_options(rows)
    form.contacts.choices = options([(str(i), f"{n} ({s})") for i, n, s in contact_choices(chosen)])
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


@bp.route("/states/<iso3>/outreach/new", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg="iso3")
def new(iso3: str):
    state, campaign = get_state(iso3) or abort(404), current_campaign_or_404()
    live, covered = live_campaigns(), _covered_states(state)
    form = outreach_form_for(live, covered)()
    _prepare_new(form, state, campaign, live, covered)
    status: int | None = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        status = commit_or_keep(
            lambda: _save_new(form, live, campaign, state, covered), success=_("Outreach recorded.")
        ).status
        if status is None:
            return redirect(url_for("states.detail", iso3=state.iso3))
        if status == 409:
            _fill_versions(form, live, covered)  # a status moved meanwhile: the versions it has now
    return _render_new(form, state, live, covered, status)


def _prepare_new(
    form: OutreachForm, state: State, campaign: Campaign, live: list[Campaign], covered: list[State]
) -> None:
    """Choices, the defaults of a blank form, the lock versions and the conditions a pledge may name."""
    _choices(form, {s.id for s in covered}, live)
    if not form.is_submitted():
        form.states.data = [str(state.id)]
        form.campaigns.data = [str(campaign.id)] if not campaign.is_archived else []
        form.occurred_on.data = clock.today()
    # Versions are read when the form is shown; a state added in the picker gets its own on re-render.
    _fill_versions(form, live, covered, only_missing=True)
    set_condition_choices(form, state)


def _covered_states(page_state: State) -> list[State]:
    """The states the form offers statuses for: those submitted (in scope), else the page's state."""
    return states_by_ids(scope.keep_visible(current_user, _submitted_state_ids({page_state.id}))) or [page_state]


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
                                    get_user(parse_id(form.follow_up_owner.data or "")), state)
    log_outreach(_input(form), moves, evidence_from(form), form.status_reason.data or form.summary.data[:500],
                 current_actor(), follow_up, current)


@bp.route("/outreach/<int:entry_id>")
@allow(*READ_ROLES, state_arg=entry_states)
def view(entry_id: int):
    entry = _entry_or_404(entry_id, for_page=True)
    return render_template("outreach/view.html", entry=entry, can_edit=can_edit(entry, current_user),
                           delete_form=DeleteForm())


@bp.route("/outreach/<int:entry_id>/edit", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg=entry_states)
def edit(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not can_edit(entry, current_user):
        abort(403)
    form = _edit_form(entry)
    if form.validate_on_submit() and commit_or_keep(lambda: edit_outreach(entry, _input(form), current_actor()),
                                                    success=_("Entry updated; the previous version is kept.")).ok:
        return redirect(url_for("outreach.view", entry_id=entry.id))
    return render_template(
        "outreach/form.html", form=form, entry=entry, state=entry.states[0] if entry.states else None, editing=True
    )


def _edit_form(entry: OutreachEntry) -> OutreachForm:
    """The entry's form: the campaigns it may serve (live ones, and the archived ones it served), filled in."""
    form = OutreachForm(obj=entry)
    served = live_campaigns() + [c for c in entry.campaigns if c.is_archived]
    _choices(form, _submitted_state_ids({s.id for s in entry.states}), served)
    if not form.is_submitted():
        form.channel.data, form.level.data = entry.channel.value, entry.level.value
        form.states.data = [str(s.id) for s in entry.states]
        form.contacts.data = [str(c.id) for c in entry.contacts]
        form.campaigns.data = [str(c.id) for c in entry.campaigns]
    return form


@bp.route("/outreach/<int:entry_id>/delete", methods=["POST"])
@allow(Role.ADMIN)
def delete(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for deleting the entry."), "danger")
        return redirect(url_for("outreach.view", entry_id=entry.id))
    delete_outreach(entry, form.reason.data, current_actor())
    db.session.commit()
    flash(_("Entry deleted."), "success")
    return redirect(url_for("states.index"))
