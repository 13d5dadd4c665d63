"""User administration and the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.admin.forms import ActionForm, UserCreateForm, UserEditForm
from app.auth.access import allow
from app.domain.enums import Role
from app.extensions import db
from app.forms import state_options
from app.models import AuditEvent, State, User
from app.params import day_arg, page_arg
from app.services import ServiceError, accounts, audit


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users", methods=["GET", "POST"])
@allow(Role.ADMIN)
def users():
    form = UserCreateForm()
    new_password = None
    if form.validate_on_submit():
        password = accounts.generate_password()
        try:
            user = accounts.create_user(form.email.data, form.name.data, Role(form.role.data), password,
                                           locale=current_app.config["DEFAULT_LOCALE"])
            user.must_change_password = True  # the generated password only opens the door once
        except ServiceError as error:
            form.email.errors.append(str(error))
        else:
            audit.record("user.create", current_user, "user", user.id, email=user.email, role=user.role.value)
            db.session.commit()
            new_password = (user.email, password)
            form = UserCreateForm(formdata=None)
    people = db.session.scalars(
        sa.select(User).options(so.selectinload(User.assigned_states)).order_by(User.name)
    ).all()
    return render_template("admin/users.html", users=people, form=form,
                           new_password=new_password), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = UserEditForm(obj=user)
    states = db.session.execute(sa.select(State.iso3, State.name, State.iso3, State.iso2).order_by(State.name)).all()
    form.assigned.choices = state_options(states)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.assigned.data = [s.iso3 for s in user.assigned_states]
    if form.validate_on_submit():
        if user.id == current_user.id and (Role(form.role.data) is not Role.ADMIN or not form.active.data):
            flash(_("You cannot remove your own admin role or deactivate yourself."), "danger")
            return redirect(url_for("admin.edit_user", user_id=user.id))
        before = {"name": user.name, "role": user.role.value, "active": user.active,
                  "states": [s.iso3 for s in user.assigned_states]}
        accounts.update_user(user, name=form.name.data, role=Role(form.role.data), active=form.active.data)
        accounts.set_assignments(user, form.assigned.data if user.role is Role.ENVOY else [])
        after = {"name": user.name, "role": user.role.value, "active": user.active,
                 "states": [s.iso3 for s in user.assigned_states]}
        audit.record("user.update", current_user, "user", user.id, before=before, after=after)
        db.session.commit()
        flash(_("User %(name)s saved.", name=user.name), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", user=user, form=form, reset_form=ActionForm())


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@allow(Role.ADMIN)
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = accounts.generate_password()
    accounts.set_password(user, password, temporary=True)
    audit.record("user.password_reset", current_user, "user", user.id)
    db.session.commit()
    return render_template("admin/password_reset.html", user=user, password=password)


@bp.route("/audit")
@allow(Role.ADMIN)
def audit_log():
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    who = request.args.get("user", "").strip().lower()
    target = request.args.get("target", "").strip()
    since, until = day_arg("since"), day_arg("until")
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if who:
        query = query.where(AuditEvent.user_label.contains(who))
    if target:
        query = query.where(AuditEvent.target_id == target.upper())
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min, UTC))
    # The end of the day named; date.max has no next day, so it means "no upper bound".
    if until and until < date.max:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min, UTC))
    page = page_arg()
    events = db.session.scalars(query.limit(100).offset((page - 1) * 100)).all()
    actions = db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    filters = {k: v for k, v in request.args.items() if k != "page"}
    ids = {e.user_id for e in events if e.user_id}
    names = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    return render_template("admin/audit.html", events=events, actions=actions, page=page, filters=filters,
                           names=names)


EXPORT_ACTIONS = ("brief.download", "pack.download", "report.download", "tally.export", "backup.export")


@bp.route("/downloads")
@allow(Role.ADMIN)
def downloads():
    """Every document and export that left the desk: who, what, when, from where."""
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.in_(EXPORT_ACTIONS))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(500)
    ).all()
    return render_template("admin/downloads.html", events=events)
