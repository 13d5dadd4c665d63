"""Follow-up pages."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import scope
from app.auth.access import EDIT_ROLES, READ_ROLES, allow
from app.auth.actor import current_actor
from app.campaign_context import current_campaign_or_404
from app.domain.enums import Role
from app.extensions import db
from app.followups import bp
from app.followups.forms import FollowUpForm, ToggleForm
from app.forms import options
from app.models import FollowUp, User
from app.params import page_arg
from app.services.followups import add_follow_up, list_follow_ups, set_done, today
from app.services.states import get_state
from app.web import commit_or_keep, safe_next

WRITE_ROLES = (*EDIT_ROLES, Role.ENVOY)


@bp.route("/follow-ups")
@allow(*READ_ROLES)
def index():
    # Staff, leadership and admins may look at everyone's list; envoys see their own.
    everyone = request.args.get("who") == "all" and current_user.role is not Role.ENVOY
    include_done = request.args.get("done") == "1"
    campaign = current_campaign_or_404()
    page = page_arg()
    items, has_more = list_follow_ups(campaign, None if everyone else current_user.id, include_done,
                                      only_iso3=scope.visible_iso3(current_user), page=page)
    return render_template("followups/index.html", items=items, everyone=everyone, include_done=include_done,
                           campaign=campaign, page=page, has_more=has_more,
                           today=today(), toggle=ToggleForm())


@bp.route("/states/<iso3>/follow-ups", methods=["GET", "POST"])
@allow(*WRITE_ROLES, state_arg="iso3")
def new(iso3: str):
    state, campaign = get_state(iso3) or abort(404), current_campaign_or_404()
    form = FollowUpForm(owner=str(current_user.id))
    form.owner.choices = options(scope.owner_choices(current_user))
    if form.validate_on_submit() and commit_or_keep(lambda: add_follow_up(
            campaign, state, text=form.text.data, due_on=form.due_on.data,
            owner=db.session.get(User, int(form.owner.data)), actor=current_actor()),
            success=_("Follow-up added.")).ok:
        return redirect(url_for("states.detail", iso3=state.iso3))
    return render_template("followups/form.html", form=form, state=state), 400 if form.is_submitted() else 200


@bp.route("/follow-ups/<int:follow_up_id>/<any(done, reopen):action>", methods=["POST"])
@allow(*WRITE_ROLES, state_arg=scope.record_states(FollowUp, "follow_up_id"))
def toggle(follow_up_id: int, action: str):
    follow_up, form = db.session.get(FollowUp, follow_up_id) or abort(404), ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    version = int(form.version.data) if form.version.data else None
    commit_or_keep(lambda: set_done(follow_up, action == "done", current_actor(), expected_version=version),
                   success=_("Follow-up marked done.") if action == "done" else _("Follow-up reopened."))
    # Back where the button was, filters and all (no referrer is sent: Referrer-Policy no-referrer).
    return redirect(safe_next(request.form.get("next"), url_for("followups.index")))
