"""Choosing the language: the account page and the footer switch (signed in or not)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import bp
from app.auth.access import ALL_ROLES, allow, public
from app.auth.actor import current_actor
from app.auth.forms import LanguageForm
from app.extensions import db
from app.i18n import COOKIE, COOKIE_MAX_AGE, LANGUAGES
from app.services import accounts
from app.web import safe_next


@bp.route("/account/language", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def language():
    """The signed-in user's language, for pages and for the documents they download."""
    form = LanguageForm(locale=current_user.locale)
    if form.validate_on_submit():
        accounts.set_locale(current_actor(), form.locale.data)
        db.session.commit()
        with force_locale(form.locale.data):  # confirm in the language just chosen
            flash(_("Language saved: %(name)s.", name=LANGUAGES[form.locale.data]), "success")
        return redirect(url_for("auth.language"))
    return render_template("auth/language.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def switch_language():
    """The footer switch: a signed-in user's choice is saved on the account; before sign-in it is
    kept in a cookie, which wins over the browser's Accept-Language. A POST with a CSRF token, like
    every other change, and `next` only ever leads back into the desk."""
    form = LanguageForm()
    target = safe_next(form.next.data or request.referrer, url_for("main.index"))
    if not form.validate_on_submit():
        return redirect(target)
    response = redirect(target)
    if current_user.is_authenticated:
        accounts.set_locale(current_actor(), form.locale.data)
        db.session.commit()
    else:
        response.set_cookie(COOKIE, form.locale.data, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
