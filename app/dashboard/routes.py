"""Dashboard pages: the figures, the report PDF, the CSV and the probabilities."""

from __future__ import annotations

import io
from decimal import Decimal

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.auth.access import allow
from app.auth.actor import current_actor
from app.campaign_context import current_campaign_or_404
from app.charts.hemicycle import Seat, hemicycle_svg
from app.charts.histogram import histogram_svg, percent
from app.dashboard import bp
from app.dashboard.csv_export import tally_csv
from app.dashboard.forms import SplitForm, WeightsForm
from app.domain import clock
from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.i18n import reader_translator
from app.models import Campaign
from app.services import ServiceError, audit, data_version
from app.services.briefs import document_context
from app.services.dashboard import build_dashboard
from app.services.forecast import set_forecast_split, split_for
from app.services.forecast_backtest import backtest as run_backtest
from app.services.reconciliation import suggested_weights
from app.services.tally import set_weights, weights_for
from app.web import commit_or_keep, viewer_page

VIEWERS = (Role.ADMIN, Role.STAFF, Role.LEADERSHIP)


def _campaign() -> Campaign:
    return current_campaign_or_404()


def seats_of(board) -> list[Seat]:
    return [Seat(v.iso3, v.name, v.group, v.status, v.conditional) for v in board.voters]


@bp.route("/")
@allow(*VIEWERS)
def index():
    campaign = _campaign()
    # The figures are the same for every viewer of a role, language and day until the data changes:
    # rendered once per data version (bumped by every write). The page around them (the viewer's
    # name, the switcher) is kept per viewer and address, with a fresh CSRF token put in each time;
    # a page with messages to show once is rendered afresh.
    key = (data_version.current(db.session), "dashboard", campaign.id, str(get_locale()), current_user.role.value,
           clock.today().isoformat())
    return viewer_page(key, lambda slot: _page(campaign, key, slot))


def _page(campaign: Campaign, key: tuple, csrf_slot: str | None = None) -> str:
    body = data_version.FRAGMENTS.get(key, lambda: _body(campaign))
    slot = {"csrf_token": lambda: csrf_slot} if csrf_slot else {}
    return render_template("dashboard/index.html", body=Markup(body), campaign=campaign, **slot)


def _body(campaign: Campaign) -> str:
    board = build_dashboard(campaign)
    db.session.commit()  # keeps the trend snapshots the figures stored (derived: the data version stays)
    from app.charts.trend import trend_svg

    t = reader_translator()
    return render_template(
        "dashboard/_body.html", board=board, campaign=campaign, viewer_role=current_user.role,
        seat_chart=hemicycle_svg(seats_of(board), board.tally.votes_needed, width=720, t=t),
        trend_chart=trend_svg(board.trend, board.tally.votes_needed, board.tally.electorate, t=t),
        # Laid out for a phone's width, so its labels stay at 10 px or more there.
        trend_chart_phone=trend_svg(board.trend, board.tally.votes_needed, board.tally.electorate, width=340, t=t),
        histograms={f.stage_id: histogram_svg(f.forecast, t=t) for f in board.forecasts if f.forecast},
        weights=weights_for(campaign), percent=lambda p: percent(p, t),
    )


@bp.route("/backtest")
@allow(*VIEWERS)
def backtest():
    campaign = _campaign()
    return render_template("dashboard/backtest.html", campaign=campaign, rows=run_backtest(campaign),
                           split=split_for(campaign), percent=lambda p: percent(p, reader_translator()))


@bp.route("/report.pdf")
@allow(*VIEWERS)
def report():
    from app.pdf.report import render_report

    campaign = _campaign()
    with force_locale(current_user.locale):  # the report in the reader's language
        board = build_dashboard(campaign)
        data = render_report(board, seats_of(board), document_context(campaign, current_user, reader_translator()))
    audit.download(current_actor(), "report.download", "campaign", campaign.id, kind="dashboard report")
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"tally-report-{clock.today():%Y%m%d}.pdf")


@bp.route("/tally.csv")
@allow(*VIEWERS)
def tally_export():
    campaign = _campaign()
    body = tally_csv(build_dashboard(campaign))
    audit.download(current_actor(), "tally.export", "campaign", campaign.id, kind="tally CSV")
    db.session.commit()
    return send_file(io.BytesIO(body.encode("utf-8-sig")), mimetype="text/csv", as_attachment=True,
                     download_name=f"tally-{clock.today():%Y%m%d}.csv")


@bp.route("/weights", methods=["GET", "POST"])
@allow(Role.ADMIN)
def weights():
    campaign = _campaign()
    current = weights_for(campaign)
    learnt = suggested_weights()
    form = WeightsForm()
    if not form.is_submitted():
        form.fill(learnt.by_status if learnt and request.args.get("from") == "results" else current.by_status,
                  current.conditional_factor)
    if form.validate_on_submit() and commit_or_keep(
            lambda: set_weights(campaign, *form.values(), current_actor()),
            success=_("Probabilities saved; expected votes use them from now on.")).ok:
        return redirect(url_for("dashboard.index", campaign=campaign.id))
    return _weights_page(campaign, form, learnt, _split_form(campaign))


def _split_form(campaign: Campaign) -> SplitForm:
    form = SplitForm(prefix="split")
    if "split-abstain_share" not in request.form:  # not this form's own submission
        form.abstain_share.data = Decimal(str(round(split_for(campaign).abstain_share, 2)))
    return form


def _weights_page(campaign: Campaign, form: WeightsForm, learnt, split_form: SplitForm):
    return render_template("dashboard/weights.html", form=form, campaign=campaign, learnt=learnt,
                           split_form=split_form, status_fields=[getattr(form, s.value) for s in SupportStatus])


@bp.route("/split", methods=["POST"])
@allow(Role.ADMIN)
def split():
    campaign = _campaign()
    form = _split_form(campaign)
    if form.validate_on_submit():
        try:
            set_forecast_split(campaign, float(form.abstain_share.data), current_actor())
        except ServiceError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Split saved; the chance of winning uses it from now on."), "success")
            return redirect(url_for("dashboard.index", campaign=campaign.id))
    weights_form = WeightsForm(formdata=None)
    current = weights_for(campaign)
    weights_form.conditional_factor.data = Decimal(str(current.conditional_factor))
    for status in SupportStatus:
        getattr(weights_form, status.value).data = Decimal(str(current.by_status[status]))
    return _weights_page(campaign, weights_form, suggested_weights(), form)
