"""Loading the signed-in user and the rules every session obeys."""

from __future__ import annotations

import hmac
import secrets

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.domain import clock
from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.services import signin

# Pages a user who must enrol in two-factor sign-in can still reach.
ENROLMENT_ENDPOINTS = {"auth.two_factor", "auth.logout", "static"}
PASSWORD_ENDPOINTS = {"auth.change_password", "auth.logout", "static"}


def load_user(user_id: str) -> User | None:
    """The user behind a session id "<id>:<token>"; a rotated token signs nobody in."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


def start_session(user: User) -> None:
    """A brand-new session for `user`: new id, sign-in time for the absolute lifetime."""
    session.clear()
    login_user(user)
    session.permanent = True  # idle timeout = PERMANENT_SESSION_LIFETIME, refreshed per request
    session["sid"] = secrets.token_urlsafe(16)
    session["login_at"] = int(clock.now().timestamp())


def two_factor_required(user: User) -> bool:
    """Admins need two-factor sign-in (outside local development); everyone when the setting says so."""
    config = current_app.config
    return (user.role is Role.ADMIN and config["REQUIRE_2FA_ADMINS"]) or config["REQUIRE_2FA_ALL"]


def end_session(action: str, message: str) -> None:
    """Audit (a logout also ends every session of the user), commit, then forget the signed-in user."""
    from app.auth.actor import current_actor

    signin.sign_out(current_actor(), action)
    db.session.commit()
    logout_user()
    session.clear()
    flash(message, "info")


def must_enrol_two_factor(user: User) -> bool:
    return two_factor_required(user) and not user.has_two_factor


def enforce_session_rules():
    """Absolute session lifetime, and two-factor enrolment before anything else."""
    from app.auth.tokens import is_api_request

    if is_api_request() or not current_user.is_authenticated:  # the API has tokens, not sessions
        return None
    max_age = current_app.config["SESSION_MAX_HOURS"] * 3600
    if clock.now().timestamp() - session.get("login_at", 0) > max_age:
        end_session("session.expired", _("Your session has ended; please sign in again."))
        return redirect(url_for("auth.login"))
    if current_user.must_change_password and request.endpoint not in PASSWORD_ENDPOINTS:
        flash(_("An admin reset your password: choose your own to continue."), "warning")
        return redirect(url_for("auth.change_password"))
    if must_enrol_two_factor(current_user) and request.endpoint not in ENROLMENT_ENDPOINTS:
        flash(_("Your role requires two-factor sign-in: set it up to continue."), "warning")
        return redirect(url_for("auth.two_factor"))
    return None
