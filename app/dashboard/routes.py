"""Dashboard pages: the figures, the report PDF, the CSV and the probabilities."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import allow
from app.charts.hemicycle import Seat, hemicycle_svg
from app.dashboard import bp
from app.dashboard.csv_export import tally_csv
from app.dashboard.forms import WeightsForm
from app.extensions import db
from app.models import Campaign
from app.models.enums import Role, SupportStatus
from app.params import id_arg
from app.services import ServiceError, audit
from app.services.briefs import document_context
from app.services.campaigns import campaign_or_active
from app.services.dashboard import build_dashboard
from app.services.tally import set_weights, weights_for

VIEWERS = (Role.ADMIN, Role.STAFF, Role.LEADERSHIP)


def _campaign() -> Campaign:
    campaign = campaign_or_active(id_arg("campaign"))
    if campaign is None:
        abort(404)
    return campaign


def seats_of(board) -> list[Seat]:
    return [Seat(v.iso3, v.name, v.group, v.status, v.conditional) for v in board.voters]


@bp.route("/")
@allow(*VIEWERS)
def index():
    campaign = _campaign()
    board = build_dashboard(campaign)
    from app.charts.trend import trend_svg

    campaigns = db.session.scalars(sa.select(Campaign).order_by(Campaign.election_date.desc())).all()
    return render_template(
        "dashboard/index.html", board=board, campaign=campaign, campaigns=campaigns,
        seat_chart=hemicycle_svg(seats_of(board), board.tally.votes_needed, width=720),
        trend_chart=trend_svg(board.trend, board.tally.votes_needed, board.tally.electorate),
        weights=weights_for(campaign),
    )


@bp.route("/report.pdf")
@allow(*VIEWERS)
def report():
    from app.pdf.report import render_report

    campaign = _campaign()
    board = build_dashboard(campaign)
    data = render_report(board, seats_of(board), document_context(campaign, current_user))
    audit.record("report.download", current_user, "campaign", campaign.id, kind="dashboard report")
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"tally-report-{date.today():%Y%m%d}.pdf")


@bp.route("/tally.csv")
@allow(*VIEWERS)
def tally_export():
    campaign = _campaign()
    body = tally_csv(build_dashboard(campaign))
    audit.record("tally.export", current_user, "campaign", campaign.id, kind="tally CSV")
    db.session.commit()
    return send_file(io.BytesIO(body.encode("utf-8-sig")), mimetype="text/csv", as_attachment=True,
                     download_name=f"tally-{date.today():%Y%m%d}.csv")


@bp.route("/weights", methods=["GET", "POST"])
@allow(Role.ADMIN)
def weights():
    campaign = _campaign()
    current = weights_for(campaign)
    form = WeightsForm()
    if not form.is_submitted():
        form.conditional_factor.data = Decimal(str(current.conditional_factor))
        for status in SupportStatus:
            getattr(form, status.value).data = Decimal(str(current.by_status[status]))
    if form.validate_on_submit():
        try:
            set_weights(campaign, {s: float(getattr(form, s.value).data) for s in SupportStatus},
                        float(form.conditional_factor.data), current_user)
        except ServiceError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Probabilities saved; expected votes use them from now on."), "success")
            return redirect(url_for("dashboard.index", campaign=campaign.id))
    return render_template("dashboard/weights.html", form=form, campaign=campaign,
                           status_fields=[getattr(form, s.value) for s in SupportStatus])
