"""User administration and the audit log."""

from __future__ import annotations

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
from app.services import ServiceError, accounts, audit
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
    wanted = audit.AuditFilter(action=request.args.get("action", "").strip(),
                               who=request.args.get("user", "").strip().lower(),
                               target=request.args.get("target", "").strip(), since=day_arg("since"),
                               until=day_arg("until"))
    found = audit.search(wanted, page_arg())
    filters = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("admin/audit.html", events=found.events, actions=found.actions, page=found.page,
                           filters=filters, names=found.names)


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
