"""Follow-up pages."""

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
from app.followups import bp
from app.followups.forms import FollowUpForm, ToggleForm
from app.forms import options
from app.models import FollowUp, State, User
from app.models.enums import Role
from app.params import page_arg
from app.services import ServiceError
from app.services.followups import add_follow_up, list_follow_ups, set_done, today
from app.services.states import get_state
from app.web import safe_next

WRITE_ROLES = (*EDIT_ROLES, Role.ENVOY)


def follow_up_state(kwargs: dict[str, Any]) -> set[str]:
    return set(db.session.scalars(
        sa.select(State.iso3).join(FollowUp, FollowUp.state_id == State.id).where(FollowUp.id == kwargs.get("follow_up_id"))
    ))


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
    state = get_state(iso3)
    if state is None:
        abort(404)
    campaign = current_campaign_or_404()
    form = FollowUpForm()
    form.owner.choices = options(scope.owner_choices(current_user))
    if not form.is_submitted():
        form.owner.data = str(current_user.id)
    if form.validate_on_submit():
        try:
            add_follow_up(campaign, state, text=form.text.data, due_on=form.due_on.data,
                          owner=db.session.get(User, int(form.owner.data)), actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Follow-up added."), "success")
            return redirect(url_for("states.detail", iso3=state.iso3))
    return render_template("followups/form.html", form=form, state=state), 400 if form.is_submitted() else 200


@bp.route("/follow-ups/<int:follow_up_id>/<any(done, reopen):action>", methods=["POST"])
@allow(*WRITE_ROLES, state_arg=follow_up_state)
def toggle(follow_up_id: int, action: str):
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None:
        abort(404)
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        set_done(follow_up, action == "done", current_user,
                 expected_version=int(form.version.data) if form.version.data else None)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("Follow-up marked done.") if action == "done" else _("Follow-up reopened."), "success")
    # Back where the button was, filters and all (no referrer is sent: Referrer-Policy no-referrer).
    return redirect(safe_next(request.form.get("next"), url_for("followups.index")))
