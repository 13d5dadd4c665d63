"""Campaign pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import READ_ROLES, allow
from app.campaigns import bp
from app.campaigns.forms import CampaignForm
from app.extensions import db
from app.forms import options
from app.models import Campaign, State
from app.models.enums import ElectorateMode, RegionalGroup, Role, WinningRule
from app.services import ServiceError, audit
from app.services.campaigns import CampaignInput, electorate_states, save_campaign
from app.services.tally_math import votes_needed


def _summary(campaign: Campaign) -> dict:
    voters = electorate_states(campaign)
    turnout = min(campaign.expected_turnout or len(voters), len(voters))
    by_group: dict[str, int] = {}
    for state in voters:
        key = state.regional_group.value if state.regional_group else "—"
        by_group[key] = by_group.get(key, 0) + 1
    return {"voters": voters, "needed": votes_needed(campaign.winning_rule, turnout), "turnout": turnout, "by_group": by_group}


@bp.route("/")
@allow(*READ_ROLES)
def index():
    campaigns = db.session.scalars(sa.select(Campaign).order_by(Campaign.is_active.desc(), Campaign.election_date.desc())).all()
    return render_template("campaigns/index.html", campaigns=campaigns, summaries={c.id: _summary(c) for c in campaigns})


def _form_choices(form: CampaignForm) -> None:
    states = db.session.execute(sa.select(State.id, State.name).order_by(State.name)).all()
    form.candidate_state.choices = options([(str(i), n) for i, n in states])
    form.manual_electors.choices = options([(str(i), n) for i, n in states])


def _snapshot(campaign: Campaign) -> dict:
    """The audited fields of a campaign as JSON-ready values."""
    fields = ("name", "office", "body", "election_date", "candidate_name", "candidate_state_id", "group_in_turn",
              "winning_rule", "expected_turnout", "electorate_mode", "is_active")
    values = {f: audit.jsonable(getattr(campaign, f)) for f in fields}
    values["manual_electors"] = sorted(s.iso3 for s in campaign.manual_electors)
    return values


def _input(form: CampaignForm) -> CampaignInput:
    return CampaignInput(
        name=form.name.data, office=form.office.data, body=form.body.data,
        election_date=form.election_date.data, candidate_name=form.candidate_name.data or "",
        candidate_state_id=int(form.candidate_state.data),
        group_in_turn=RegionalGroup(form.group_in_turn.data) if form.group_in_turn.data else None,
        winning_rule=WinningRule(form.winning_rule.data), expected_turnout=form.expected_turnout.data,
        electorate_mode=ElectorateMode(form.electorate_mode.data),
        manual_elector_ids=[int(v) for v in form.manual_electors.data or []], is_active=form.is_active.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(campaign_id: int | None = None):
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
    if campaign_id and campaign is None:
        abort(404)
    form = CampaignForm(obj=campaign)
    _form_choices(form)
    if campaign is not None and not form.is_submitted():
        form.candidate_state.data = str(campaign.candidate_state_id)
        form.group_in_turn.data = campaign.group_in_turn.value if campaign.group_in_turn else ""
        form.winning_rule.data = campaign.winning_rule.value
        form.electorate_mode.data = campaign.electorate_mode.value
        form.manual_electors.data = [str(s.id) for s in campaign.manual_electors]
    if form.validate_on_submit():
        before = _snapshot(campaign) if campaign else {}
        try:
            saved = save_campaign(campaign, _input(form))
        except ServiceError as error:
            form.name.errors.append(str(error))
        else:
            audit.record("campaign.save", current_user, "campaign", saved.id, before=before, after=_snapshot(saved))
            db.session.commit()
            flash(_("Campaign saved."), "success")
            return redirect(url_for("campaigns.index"))
    return render_template("campaigns/edit.html", form=form, campaign=campaign)
