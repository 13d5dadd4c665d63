"""Brief and pack downloads: the service gathers, the renderer draws, the route sends."""

from __future__ import annotations

import io
import re
from datetime import date

import sqlalchemy as sa
from flask import abort, jsonify, render_template, request, send_file
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import scope
from app.auth.access import READ_ROLES, allow
from app.briefs import bp
from app.briefs.forms import PackForm
from app.campaign_context import current_campaign_or_404
from app.extensions import db
from app.forms import state_options
from app.i18n import reader_translator
from app.models import State
from app.pdf.brief import render_state_brief, render_trip_pack
from app.services import audit
from app.services.briefs import document_context, gather_briefs, trip_pack
from app.services.states import get_state


def _pdf_response(data: bytes, name: str):
    """Send PDF bytes under a name made here, never taken from the request."""
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "pack"


@bp.route("/states/<iso3>/brief.pdf")
@allow(*READ_ROLES, state_arg="iso3")
def state_brief(iso3: str):
    state = get_state(iso3)
    if state is None:
        abort(404)
    campaign = current_campaign_or_404()
    with force_locale(current_user.locale):  # the document in the reader's language
        brief = gather_briefs(campaign, [state])[0]
        data = render_state_brief(brief, document_context(campaign, current_user, reader_translator()))
    audit.record("brief.download", current_user, "state", state.iso3, states=[state.iso3], kind="state brief",
                 campaign=campaign.id)
    db.session.commit()
    return _pdf_response(data, f"brief-{state.iso3}-{date.today():%Y%m%d}.pdf")


def _choosable_states() -> list[State]:
    query = sa.select(State).where(scope.states_clause(current_user, State.id)).order_by(State.name)
    return list(db.session.scalars(query))


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _refuse(form: PackForm, message: str, status: int):
    if _wants_json():
        return jsonify(error=message, fields={k: [str(e) for e in v] for k, v in form.errors.items()}), status
    return render_template("briefs/packs.html", form=form, error=message), status


@bp.route("/packs", methods=["GET", "POST"])
@allow(*READ_ROLES)
def packs():
    form = PackForm()
    form.states.choices = state_options((s.iso3, s.name, s.iso3, s.iso2) for s in _choosable_states())
    if request.method == "GET":
        form.states.data = [s.iso3 for s in current_user.assigned_states]
        form.language.data = current_user.locale
        return render_template("briefs/packs.html", form=form)
    if not form.validate_on_submit():
        return _refuse(form, _("Please correct the fields marked below; no pack was built."), 400)
    codes = [c.upper() for c in form.states.data]
    states = list(db.session.scalars(sa.select(State).where(State.iso3.in_(codes))))
    if len(states) != len(set(codes)):
        return _refuse(form, _("Unknown state in the selection."), 400)
    visible = scope.visible_iso3(current_user)
    if visible is not None and not set(codes) <= visible:
        audit.record("access.denied", current_user, "pack", "", states=codes)
        db.session.commit()
        abort(403)
    campaign = current_campaign_or_404()
    states.sort(key=lambda s: codes.index(s.iso3))
    with force_locale(form.language.data or current_user.locale):  # the language chosen on the form
        pack = trip_pack(campaign, states, form.title.data, current_user, form.start_date.data, form.end_date.data)
        data = render_trip_pack(pack, document_context(campaign, current_user, reader_translator()))
    audit.record("pack.download", current_user, "pack", _slug(form.title.data), states=codes, kind="trip pack",
                 title=form.title.data, campaign=campaign.id)
    db.session.commit()
    return _pdf_response(data, f"pack-{_slug(form.title.data)}-{date.today():%Y%m%d}.pdf")
