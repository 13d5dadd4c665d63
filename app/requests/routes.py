"""The reciprocal requests register and its forms."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth import scope
from app.auth.access import EDIT_ROLES, allow
from app.auth.actor import current_actor
from app.campaign_context import current_campaign
from app.domain.enums import Role
from app.extensions import db
from app.forms import options
from app.models import ReciprocalRequest, State
from app.params import page_arg
from app.requests import bp
from app.requests.forms import RequestForm
from app.services.campaigns import all_campaigns
from app.services.requests import PENDING_ALERT_DAYS, register, save_request
from app.services.states import get_state
from app.web import commit_or_keep


@bp.route("/requests")
@allow(Role.ADMIN, Role.STAFF, Role.LEADERSHIP)
def index():
    return render_template("requests/index.html", register=register(page_arg()), pending_days=PENDING_ALERT_DAYS)


def _save(form: RequestForm, state: State, existing: ReciprocalRequest | None):
    campaigns = [c for c in all_campaigns() if not c.is_archived or (existing and c.id == existing.campaign_id)]
    form.campaign.choices = options([(str(c.id), c.name) for c in campaigns])
    if not form.is_submitted():
        current = existing.campaign if existing else current_campaign()
        form.campaign.data = str(current.id) if current else ""
        form.version.data = str(existing.version) if existing else ""
    status = None
    if form.validate_on_submit():
        data = form.values()
        version = int(form.version.data) if existing and form.version.data else None
        status = commit_or_keep(lambda: save_request(state, data, current_actor(), existing, expected_version=version),
                                form, lambda: existing.version if existing else 0, _("Request saved.")).status
        if status is None:
            return redirect(url_for("states.detail", iso3=state.iso3, _anchor="requests"))
    return render_template("requests/form.html", form=form, state=state, existing=existing), \
        status or (400 if form.is_submitted() else 200)


@bp.route("/states/<iso3>/requests/new", methods=["GET", "POST"])
@allow(*EDIT_ROLES, Role.ENVOY, state_arg="iso3")
def new(iso3: str):
    state = get_state(iso3)
    if state is None:
        abort(404)
    return _save(RequestForm(), state, None)


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@allow(*EDIT_ROLES, Role.ENVOY, state_arg=scope.record_states(ReciprocalRequest, "request_id"))
def edit(request_id: int):
    existing = db.session.get(ReciprocalRequest, request_id)
    if existing is None:
        abort(404)
    form = RequestForm(obj=existing)
    if not form.is_submitted():
        form.direction.data, form.status.data = existing.direction.value, existing.status.value
    return _save(form, existing.state, existing)
