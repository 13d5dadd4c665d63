"""Sign-in (with throttling and two-factor), sign-out, password and two-factor set-up."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import bp
from app.auth.access import ALL_ROLES, allow, public
from app.auth.actor import current_actor
from app.auth.forms import CodeForm, DisableTwoFactorForm, LoginForm, LogoutForm, PasswordChangeForm
from app.auth.session import end_session, must_enrol_two_factor, start_session, two_factor_required
from app.domain import clock
from app.extensions import db, limiter
from app.models import User
from app.services import ServiceError, accounts, signin, throttle
from app.services import two_factor as totp
from app.web import commit_or_keep, safe_next

PENDING_SECONDS = 300  # time allowed between the password and the second factor


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _lock_for() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def _minutes_left(until) -> int:
    return max(1, int((until.timestamp() - clock.now().timestamp()) // 60) + 1)


def _finish(user: User):
    start_session(user)
    db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("main.index")))


def _refuse(form: LoginForm, attempt: signin.Attempt):
    """The sign-in refused: the failure, its count and its audit event stay; the form says why."""
    db.session.commit()
    if attempt.outcome == signin.WRONG:
        form.password.errors.append(_("Unknown email or wrong password."))
        return render_template("auth/login.html", form=form), 200
    if attempt.outcome == signin.THROTTLED:
        message = _(
            "Too many failed sign-ins for this account. Try again in %(n)d minutes.", n=_minutes_left(attempt.until)
        )
    else:
        message = _(
            "Too many wrong codes for this account. Try again in %(n)d minutes.", n=_minutes_left(attempt.until)
        )
    form.password.errors.append(message)
    return render_template("auth/login.html", form=form), 429


def _ask_for_code(user: User):
    """The password was right and the account has two-factor sign-in: the code comes next."""
    db.session.commit()
    session.clear()
    session["pending_user"], session["pending_at"] = user.id, int(clock.now().timestamp())
    return redirect(url_for("auth.verify", next=request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.is_submitted() else 200
    attempt = signin.password_step(form.email.data, form.password.data, current_actor(), _lock_for())
    user = attempt.user  # set for both outcomes that go on
    if user is not None and attempt.outcome == signin.NEEDS_CODE:
        return _ask_for_code(user)
    return _finish(user) if user is not None and attempt.outcome == signin.SIGNED_IN else _refuse(form, attempt)


def _pending_user() -> User | None:
    """The user between the password and the code, while the pause allowed has not run out."""
    user_id, started = session.get("pending_user"), session.get("pending_at", 0)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active or clock.now().timestamp() - started > PENDING_SECONDS:
        return None
    return user


def _back_to_login(message: str, category: str):
    session.clear()
    flash(message, category)
    return redirect(url_for("auth.login"))


@bp.route("/login/verify", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def verify():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user = _pending_user()
    if user is None:
        return _back_to_login(_("Please sign in again."), "info")
    form = CodeForm()
    attempt = (
        signin.code_step(user, form.code.data, current_actor(), _lock_for()) if form.validate_on_submit() else None
    )
    if attempt is not None and attempt.outcome == signin.SIGNED_IN:
        return _finish(user)
    db.session.commit()
    if attempt is not None and attempt.outcome == signin.WRONG:
        form.code.errors.append(_("That code is not valid (each code works once)."))
    elif attempt is not None or throttle.code_locked_until(user.id) is not None:
        return _back_to_login(_("Too many wrong codes. Try again later."), "danger")
    return render_template("auth/verify.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(*ALL_ROLES)
def logout():
    if LogoutForm().validate_on_submit():
        end_session("logout", _("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def change_password():
    form = PasswordChangeForm()
    status = _change_password(form) if form.validate_on_submit() else 200
    if status is None:
        start_session(current_user._get_current_object())  # keep this session; the others ended with the new token
        flash(_("Your password has been changed; other sessions were signed out."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form), status


def _change_password(form: PasswordChangeForm) -> int | None:
    """None once the new password is committed, else the status of the page saying why not."""
    try:
        signin.change_own_password(current_actor(), form.current.data, form.new.data, _lock_for())
    except signin.Throttled as locked:
        form.current.errors.append(
            _("Too many wrong passwords. Try again in %(n)d minutes.", n=_minutes_left(locked.until))
        )
        return 429
    except accounts.WrongPassword as error:
        db.session.commit()  # the failure counts towards the lock and stays in the trail
        form.current.errors.append(str(error))
        return 200
    except ServiceError as error:
        db.session.rollback()
        form.new.errors.append(str(error))
        return 200
    db.session.commit()
    return None


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
    if form.validate_on_submit() and (saved := commit_or_keep(lambda: totp.enrol(current_actor(), form.code.data),
                                                              refused_to=form.code)).ok:
        return render_template("auth/recovery_codes.html", codes=saved.value)
    uri = totp.provisioning_uri(user, secret)
    return render_template("auth/two_factor_setup.html", form=form, qr=totp.qr_svg_data_uri(uri), secret=secret,
                           required=must_enrol_two_factor(user))


def _manage_two_factor(user: User):
    form = DisableTwoFactorForm()
    required = two_factor_required(user)
    if form.validate_on_submit():
        if required:
            abort(403)
        if totp.turn_off(current_actor(), form.password.data, form.code.data):
            db.session.commit()
            flash(_("Two-factor sign-in is off."), "info")
            return redirect(url_for("auth.two_factor"))
        form.code.errors.append(_("Password or code not valid."))
    return render_template("auth/two_factor_manage.html", form=form, required=required,
                           remaining=len(user.recovery_code_hashes or []))
