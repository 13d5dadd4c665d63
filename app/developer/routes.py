"""Account pages for API tokens and the calendar feed, the admins' token list, the API reference."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import ALL_ROLES, allow, public
from app.auth.actor import current_actor
from app.developer import bp
from app.developer.forms import ConfirmForm, TokenForm
from app.developer.reference import reference_from
from app.domain.enums import Role, TokenScope
from app.extensions import db
from app.models import ApiToken
from app.models.types import utcnow
from app.services import ServiceError, tokens


def _user():
    return current_user._get_current_object()


@bp.route("/account/tokens", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def account_tokens():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, secret = tokens.create_token(current_actor(), form.name.data, TokenScope(form.scope.data),
                                                form.days.data, utcnow())
        except ServiceError as error:
            form.scope.errors.append(str(error))
        else:
            db.session.commit()
            # Shown on this response only: the desk keeps a digest, so it cannot show it again.
            return render_template("developer/token_created.html", token=token, secret=secret)
    return render_template("developer/tokens.html", form=form, tokens=tokens.tokens_of(_user()),
                           revoke_form=ConfirmForm(), now=utcnow()), 400 if form.is_submitted() else 200


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(*ALL_ROLES)
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    user = _user()
    if token is None or (token.user_id != user.id and user.role is not Role.ADMIN):
        abort(404)
    if ConfirmForm().validate_on_submit():
        tokens.revoke_token(token, current_actor(), utcnow())
        db.session.commit()
        flash(_("Token “%(name)s” revoked: it no longer works.", name=token.name), "success")
    if token.user_id != user.id:
        return redirect(url_for("developer.admin_tokens"))
    return redirect(url_for("developer.account_tokens"))


@bp.route("/admin/tokens")
@allow(Role.ADMIN)
def admin_tokens():
    return render_template("developer/admin_tokens.html", tokens=tokens.all_tokens(), revoke_form=ConfirmForm(),
                           now=utcnow())


@bp.route("/api-reference")
@allow(*ALL_ROLES)
def api_reference():
    from app.api.docs import document

    return render_template("developer/reference.html", ref=reference_from(document()))


@bp.route("/account/calendar", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def calendar():
    form = ConfirmForm()
    user = _user()
    if form.validate_on_submit():
        secret = tokens.issue_feed(current_actor(), utcnow())
        db.session.commit()
        return render_template("developer/calendar.html", url=url_for("developer.calendar_feed", key=secret,
                                                                        _external=True), form=form, has_feed=True,
                               revoke_form=ConfirmForm())
    return render_template("developer/calendar.html", url=None, form=form, has_feed=tokens.has_feed(user),
                           revoke_form=ConfirmForm())


@bp.route("/account/calendar/revoke", methods=["POST"])
@allow(*ALL_ROLES)
def revoke_calendar():
    if ConfirmForm().validate_on_submit():
        tokens.revoke_feeds(current_actor(), utcnow())
        db.session.commit()
        flash(_("Your calendar feed URL no longer works."), "success")
    return redirect(url_for("developer.calendar"))


@bp.route("/calendar/<key>.ics")
@public
def calendar_feed(key: str):
    """Public by URL: the secret key in it is the credential (calendar apps send no cookie or header)."""
    from flask import Response, request

    from app.services.calendar import feed_ics

    feed = tokens.find_feed(key)
    if feed is None:
        abort(404)
    now = utcnow()
    if feed.last_used_at is None or now - feed.last_used_at > tokens.TOUCH_EVERY:
        feed.last_used_at = now
        db.session.commit()
    # In the owner's language: the feed is theirs, whoever's calendar app fetches it.
    with force_locale(feed.user.locale or current_app.config.get("DEFAULT_LOCALE", "en")):
        body = feed_ics(feed.user, now, request.host.split(":")[0])
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "inline; filename=suara.ics"})
