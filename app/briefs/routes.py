"""Brief and pack downloads: the service gathers, renders and audits, the route sends."""

from __future__ import annotations

import io

from flask import abort, current_app, jsonify, render_template, request, send_file
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import READ_ROLES, allow
from app.auth.actor import current_actor
from app.briefs import bp
from app.briefs.forms import PackForm
from app.campaign_context import current_campaign_or_404
from app.domain import clock
from app.extensions import db
from app.forms import state_options
from app.i18n import reader_translator
from app.services import ServiceError
from app.services.briefs import OutOfScope, PackRequest, state_brief_pdf, trip_pack_pdf
from app.services.states import get_state, visible_states


def _pdf_response(data: bytes, name: str):
    """Send PDF bytes under a name made here, never taken from the request."""
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name)


@bp.route("/states/<iso3>/brief.pdf")
@allow(*READ_ROLES, state_arg="iso3")
def state_brief(iso3: str):
    state = get_state(iso3) or abort(404)
    campaign = current_campaign_or_404()
    with force_locale(current_user.locale):  # the document in the reader's language
        data = state_brief_pdf(current_actor(), campaign, state, reader_translator(),
                               current_app.config["CLASSIFICATION"])
    db.session.commit()
    return _pdf_response(data, f"brief-{state.iso3}-{clock.today():%Y%m%d}.pdf")


def _refuse(form: PackForm, message: str, status: int):
    if request.headers.get("X-Requested-With") == "fetch":
        return jsonify(error=message, fields={k: [str(e) for e in v] for k, v in form.errors.items()}), status
    return render_template("briefs/packs.html", form=form, error=message), status


def _pack_form() -> PackForm:
    """The states the reader may pack (an envoy's own, preselected) and the reader's language."""
    form = PackForm(states=[s.iso3 for s in current_user.assigned_states], language=current_user.locale)
    form.states.choices = state_options((s.iso3, s.name, s.iso3, s.iso2) for s in visible_states(current_user))
    return form


@bp.route("/packs", methods=["GET", "POST"])
@allow(*READ_ROLES)
def packs():
    form = _pack_form()
    if request.method == "GET":
        return render_template("briefs/packs.html", form=form)
    if not form.validate_on_submit():
        return _refuse(form, _("Please correct the fields marked below; no pack was built."), 400)
    wanted = PackRequest(form.title.data, form.start_date.data, form.end_date.data)
    try:
        with force_locale(form.language.data or current_user.locale):  # the language chosen on the form
            data = trip_pack_pdf(current_actor(), current_campaign_or_404(), form.states.data, wanted,
                                 reader_translator(), current_app.config["CLASSIFICATION"])
    except OutOfScope:
        db.session.commit()  # the refusal stays in the trail
        abort(403)
    except ServiceError:
        return _refuse(form, _("Unknown state in the selection."), 400)
    db.session.commit()
    return _pdf_response(data, f"pack-{wanted.slug}-{clock.today():%Y%m%d}.pdf")
