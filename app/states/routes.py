"""State pages: the table, one state's page, its profile and its status."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import scope
from app.auth.access import EDIT_ROLES, READ_ROLES, allow
from app.auth.actor import current_actor
from app.campaign_context import current_campaign, current_campaign_or_404
from app.domain import clock
from app.domain.enums import RegionalGroup, Role, SupportStatus
from app.extensions import db
from app.params import page_arg, parse_id
from app.services import data_version
from app.services import states as state_service
from app.services.status import change_status, position_for
from app.services.timeline import state_page_data
from app.states import bp
from app.states.forms import ProfileForm, StatusForm, evidence_from, set_condition_choices
from app.web import commit_or_keep, viewer_page

STATUS_EDIT_ROLES = (*EDIT_ROLES, Role.ENVOY)
SORT_KEYS = {
    "name": lambda r: r.name.casefold(),
    "group": lambda r: (r.group.value if r.group else "~", r.name),
    "status": lambda r: (list(SupportStatus).index(r.status), r.name),
    "electorate": lambda r: (not r.in_electorate, r.name),
    "priority": lambda r: (r.priority.value, r.name),
}


def _load_state(iso3: str):
    state = state_service.get_state(iso3)
    if state is None:
        abort(404)
    return state


def _filters_from_request() -> state_service.StateFilters:
    args = request.args
    envoy = args.get("envoy", "")
    filters = state_service.StateFilters(
        group=args.get("group", "") if args.get("group", "") in {g.value for g in RegionalGroup} else "",
        status=args.get("status", "") if args.get("status", "") in {s.value for s in SupportStatus} else "",
        electorate=args.get("electorate", "") if args.get("electorate") in {"yes", "no"} else "",
        envoy_id=parse_id(envoy),
        text=args.get("q", "")[:100],
    )
    filters.only_iso3 = scope.visible_iso3(current_user)
    if args.get("overdue") == "1":
        from app.services.followups import states_with_overdue

        filters.extra_iso3 = states_with_overdue()
    return filters


@bp.route("/")
@allow(*READ_ROLES)
def index():
    campaign = current_campaign()
    # The same for a viewer, address, language and day until the data changes (every write bumps the version).
    key = (data_version.current(db.session), "states", campaign.id if campaign else None, str(get_locale()),
           clock.today().isoformat())
    return viewer_page(key, lambda slot: _index(campaign, slot))


def _index(campaign, csrf_slot: str | None) -> str:
    """The states table, filtered and sorted as the address asks."""
    rows = state_service.state_rows(campaign, _filters_from_request())
    sort = request.args.get("sort", "name")
    rows.sort(key=SORT_KEYS.get(sort, SORT_KEYS["name"]), reverse=request.args.get("dir") == "desc")
    counts = {s: sum(1 for r in rows if r.status is s) for s in SupportStatus}
    envoys = sorted(
        {(uid, name) for pairs in state_service.envoys_by_state().values() for uid, name in pairs}, key=lambda p: p[1]
    )
    return render_template(
        "states/index.html",
        rows=rows,
        counts=counts,
        campaign=campaign,
        groups=RegionalGroup,
        envoys=envoys,
        sort=sort,
        **({"csrf_token": lambda: csrf_slot} if csrf_slot else {}),
    )


@bp.route("/<iso3>")
@allow(*READ_ROLES, state_arg="iso3")
def detail(iso3: str):
    state = _load_state(iso3)
    campaign = current_campaign_or_404()
    data = state_page_data(campaign, state, page_arg())
    form = StatusForm(version=str(data.position.version), status=data.position.status.value)
    set_condition_choices(form, state)
    return render_template("states/detail.html", state=state, campaign=campaign, data=data, status_form=form)


@bp.route("/<iso3>/profile", methods=["GET", "POST"])
@allow(*EDIT_ROLES)
def edit_profile(iso3: str):
    state = _load_state(iso3)
    form = ProfileForm(obj=state)
    if request.method == "GET":
        form.priority.data, form.version.data = state.priority.value, str(state.profile_version)
    status = None
    if form.validate_on_submit():
        # On a stale save what was typed stays in the form; saving again knowingly replaces the newer version.
        values, version = form.values(state_service.PROFILE_FIELDS), int(form.version.data)
        status = commit_or_keep(
            lambda: state_service.update_profile(state, values, expected_version=version, actor=current_actor()),
            form, lambda: state.profile_version, _("Profile of %(name)s saved.", name=state.name)).status
        if status is None:
            return redirect(url_for("states.detail", iso3=state.iso3))
    return render_template("states/profile.html", state=state, form=form), status or 200


@bp.route("/<iso3>/status", methods=["POST"])
@allow(*STATUS_EDIT_ROLES, state_arg="iso3")
def change(iso3: str):
    state, campaign, form = _load_state(iso3), current_campaign_or_404(), StatusForm()
    set_condition_choices(form, state)
    status: int | None = 400
    if form.validate_on_submit():
        status = commit_or_keep(lambda: change_status(
            campaign, state, to_status=SupportStatus(form.status.data), expected_version=int(form.version.data),
            actor=current_actor(), reason=form.reason.data, effective_on=form.effective_on.data,
            evidence=evidence_from(form)), form, lambda: position_for(campaign, state).version,
            _("Status of %(name)s changed.", name=state.name)).status
        if status is None:
            return redirect(url_for("states.detail", iso3=state.iso3))
    return _rerender(state, campaign, form), status


def _rerender(state, campaign, form):
    """The state page again with the submitted form and its messages (nothing lost)."""
    data = state_page_data(campaign, state)
    return render_template("states/detail.html", state=state, campaign=campaign, data=data,
                           status_form=form, status_form_open=True)
