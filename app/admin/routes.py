"""User administration and the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.forms import ActionForm, UserCreateForm, UserEditForm
from app.auth.access import allow
from app.auth.actor import current_actor
from app.domain.enums import Role
from app.extensions import db
from app.forms import state_options
from app.models import AuditEvent, User
from app.params import day_arg, page_arg
from app.services import ServiceError, accounts
from app.services.states import all_states
from app.web import commit_or_keep


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
        password = accounts.generate_password()  # it only opens the door once: a temporary password
        try:
            user = accounts.create_user(form.email.data, form.name.data, Role(form.role.data), password,
                                        actor=current_actor(), locale=current_app.config["DEFAULT_LOCALE"],
                                        temporary=True)
        except ServiceError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            new_password, form = (user.email, password), UserCreateForm(formdata=None)
    return render_template("admin/users.html", users=accounts.all_users(), form=form,
                           new_password=new_password), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = UserEditForm(obj=user)
    form.assigned.choices = state_options((s.iso3, s.name, s.iso3, s.iso2) for s in all_states())
    if not form.is_submitted():
        form.role.data, form.assigned.data = user.role.value, [s.iso3 for s in user.assigned_states]
    if form.validate_on_submit():
        saved = commit_or_keep(lambda: accounts.update_user(
            user, name=form.name.data, role=Role(form.role.data), active=form.active.data, assigned=form.assigned.data,
            actor=current_actor()), success=_("User %(name)s saved.", name=form.name.data.strip()))
        return redirect(url_for("admin.users") if saved.ok else url_for("admin.edit_user", user_id=user_id))
    return render_template("admin/user_edit.html", user=user, form=form, reset_form=ActionForm())


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@allow(Role.ADMIN)
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = accounts.reset_password(user, current_actor())
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
