"""Sign-in, sign-out and password change."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import bp
from app.auth.access import ALL_ROLES, allow, public
from app.auth.forms import LoginForm, LogoutForm, PasswordChangeForm
from app.extensions import db
from app.services import ServiceError, accounts
from app.web import safe_next


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()
            form.password.errors.append(_("Unknown email or wrong password."))
        else:
            session.clear()  # a fresh session at sign-in (no fixation)
            login_user(user)
            session.permanent = True
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(*ALL_ROLES)
def logout():
    if LogoutForm().validate_on_submit():
        accounts.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def change_password():
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(user, form.current.data, form.new.data)
        except ServiceError as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            session.clear()
            login_user(user)  # keep this session; the others ended with the new token
            flash(_("Your password has been changed; other sessions were signed out."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
