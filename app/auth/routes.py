"""Sign-in (with throttling and two-factor), sign-out, password and two-factor set-up."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import bp
from app.auth.access import ALL_ROLES, allow, public
from app.auth.forms import CodeForm, DisableTwoFactorForm, LoginForm, LogoutForm, PasswordChangeForm
from app.auth.session import end_session, must_enrol_two_factor, start_session, two_factor_required
from app.extensions import db, limiter
from app.models import User
from app.services import ServiceError, accounts, audit, throttle
from app.services import two_factor as totp
from app.web import safe_next

PENDING_SECONDS = 300  # time allowed between the password and the second factor


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _lock_for() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def _minutes_left(until) -> int:
    return max(1, int((until.timestamp() - time.time()) // 60) + 1)


def _address() -> str:
    return request.remote_addr or ""


def _finish(user: User):
    throttle.clear(user.email, _address())
    throttle.clear_codes(user.id)
    start_session(user)
    audit.record("login.success", user, "user", user.id)
    db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("main.index")))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.is_submitted() else 200
    email = accounts.normalise_email(form.email.data)
    until = throttle.locked_until(email, _address())
    if until is not None:
        audit.record("login.throttled", None, "user", "", email=email)
        db.session.commit()
        form.password.errors.append(
            _("Too many failed sign-ins for this account. Try again in %(n)d minutes.", n=_minutes_left(until))
        )
        return render_template("auth/login.html", form=form), 429
    user = accounts.authenticate(email, form.password.data)
    if user is None:
        locked = throttle.record_failure(email, _address(), _lock_for())
        audit.record("login.failure", None, "user", "", email=email)
        if locked == throttle.ACCOUNT:
            # Wrong passwords for this account from many addresses: the account itself is locked.
            audit.record("login.account_locked", None, "user", "", email=email,
                         failures=throttle.ACCOUNT_MAX_FAILURES, window_minutes=60)
        db.session.commit()
        form.password.errors.append(_("Unknown email or wrong password."))
        return render_template("auth/login.html", form=form), 200
    if user.has_two_factor:
        code_lock = throttle.code_locked_until(user.id)
        if code_lock is not None:
            return _refuse_locked_codes(form, user, code_lock)
        db.session.commit()
        session.clear()
        session["pending_user"], session["pending_at"] = user.id, int(time.time())
        return redirect(url_for("auth.verify", next=request.args.get("next")))
    return _finish(user)


def _refuse_locked_codes(form: LoginForm, user: User, until):
    """The second factor is locked: a correct password does not open it again."""
    db.session.rollback()  # keep the rehash/last-login of a sign-in that did not happen
    audit.record("login.2fa_locked", user, "user", user.id)
    db.session.commit()
    form.password.errors.append(
        _("Too many wrong codes for this account. Try again in %(n)d minutes.", n=_minutes_left(until))
    )
    return render_template("auth/login.html", form=form), 429


@bp.route("/login/verify", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def verify():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user_id, started = session.get("pending_user"), session.get("pending_at", 0)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active or time.time() - started > PENDING_SECONDS:
        session.clear()
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    if throttle.code_locked_until(user.id) is not None:
        session.clear()
        flash(_("Too many wrong codes. Try again later."), "danger")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        if totp.verify_code(user, code) or totp.use_recovery_code(user, code):
            return _finish(user)
        locked = throttle.record_code_failure(user.id, _lock_for())
        audit.record("login.2fa_failure", user, "user", user.id)
        if locked:
            audit.record("login.2fa_locked", user, "user", user.id)
        db.session.commit()
        if locked:
            session.clear()
            flash(_("Too many wrong codes. Try again later."), "danger")
            return redirect(url_for("auth.login"))
        form.code.errors.append(_("That code is not valid (each code works once)."))
    return render_template("auth/verify.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(*ALL_ROLES)
def logout():
    if LogoutForm().validate_on_submit():
        accounts.end_all_sessions(current_user)
        end_session("logout", _("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def change_password():
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        until = throttle.locked_until(user.email, _address())
        if until is not None:
            form.current.errors.append(
                _("Too many wrong passwords. Try again in %(n)d minutes.", n=_minutes_left(until))
            )
            return render_template("auth/password.html", form=form), 429
        try:
            accounts.change_own_password(user, form.current.data, form.new.data)
        except accounts.WrongPassword as error:
            db.session.rollback()
            throttle.record_failure(user.email, _address(), _lock_for())
            audit.record("user.password_change_failure", user, "user", user.id)
            db.session.commit()
            form.current.errors.append(str(error))
        except ServiceError as error:
            form.new.errors.append(str(error))
        else:
            audit.record("user.password_change", user, "user", user.id)
            db.session.commit()
            start_session(user)  # keep this session; the others ended with the new token
            flash(_("Your password has been changed; other sessions were signed out."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def two_factor():
    user = current_user._get_current_object()
    if user.has_two_factor:
        return _manage_two_factor(user)
    # The pending secret lives encrypted on the user's row, never in the (readable) session cookie.
    secret = totp.pending_secret(user)
    db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = totp.enrol(user, form.code.data)
        except ServiceError as error:
            form.code.errors.append(str(error))
        else:
            audit.record("user.2fa_enabled", user, "user", user.id)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes)
    uri = totp.provisioning_uri(user, secret)
    return render_template("auth/two_factor_setup.html", form=form, qr=totp.qr_svg_data_uri(uri), secret=secret,
                           required=must_enrol_two_factor(user))


def _manage_two_factor(user: User):
    form = DisableTwoFactorForm()
    required = two_factor_required(user)
    if form.validate_on_submit():
        if required:
            abort(403)
        if accounts.verify_password(user, form.password.data) and totp.verify_code(user, form.code.data):
            totp.disable(user)
            audit.record("user.2fa_disabled", user, "user", user.id)
            db.session.commit()
            flash(_("Two-factor sign-in is off."), "info")
            return redirect(url_for("auth.two_factor"))
        form.code.errors.append(_("Password or code not valid."))
    return render_template("auth/two_factor_manage.html", form=form, required=required,
                           remaining=len(user.recovery_code_hashes or []))
