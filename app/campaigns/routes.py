"""Campaign pages: the list, one campaign with its stages, stage settings, results and the switcher."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import EDIT_ROLES, READ_ROLES, allow
from app.campaigns import bp
from app.campaigns.forms import CampaignForm, DecisionForm, StageForm, SwitchForm, round_form_for
from app.domain.enums import BodyKind, ElectorateMode, RegionalGroup, Role, StageResult, WinningRule
from app.domain.tally_math import DEFAULT_CONDITIONAL_FACTOR
from app.extensions import db
from app.forms import options, state_options
from app.models import Campaign, Stage, State
from app.models.types import utcnow
from app.params import MAX_ID
from app.services import ServiceError
from app.services.campaigns import CampaignInput, all_campaigns, remember_campaign, save_campaign
from app.services.locking import EditConflict
from app.services.races import stage_summaries
from app.services.reconciliation import suggested_weights
from app.services.stages import RoundInput, StageInput, record_decision, record_round, save_stage
from app.services.tally import set_weights
from app.web import safe_next

FIGURE_ROLES = (Role.ADMIN, Role.STAFF, Role.LEADERSHIP)


def _campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id) if 0 < campaign_id <= MAX_ID else None
    if campaign is None:
        abort(404)
    return campaign


def _stage_or_404(campaign: Campaign, stage_id: int) -> Stage:
    stage = next((s for s in campaign.stages if s.id == stage_id), None)
    if stage is None:
        abort(404)
    return stage


def _state_rows() -> list[tuple]:
    return db.session.execute(sa.select(State.id, State.name, State.iso3, State.iso2).order_by(State.name)).all()


@bp.route("/")
@allow(*READ_ROLES)
def index():
    campaigns = all_campaigns()
    today = utcnow().date()
    figures = current_user.role in FIGURE_ROLES
    return render_template("campaigns/index.html", campaigns=campaigns, figures=figures,
                           summaries={c.id: stage_summaries(c, today) for c in campaigns} if figures else {})


@bp.route("/<int:campaign_id>")
@allow(*READ_ROLES)
def detail(campaign_id: int):
    campaign = _campaign_or_404(campaign_id)
    figures = current_user.role in FIGURE_ROLES
    summaries = stage_summaries(campaign, utcnow().date())
    round_forms = {s.stage.id: round_form_for(s.stage.candidates)(prefix=f"r{s.stage.id}") for s in summaries}
    return render_template("campaigns/detail.html", campaign=campaign, summaries=summaries, figures=figures,
                           round_forms=round_forms, decision_form=DecisionForm(),
                           can_record=current_user.role in EDIT_ROLES and not campaign.is_archived)


@bp.route("/switch", methods=["POST"])
@allow(*READ_ROLES)
def switch():
    form = SwitchForm()
    form.campaign.choices = options([(str(c.id), c.name) for c in all_campaigns()])
    target = safe_next(form.next.data, url_for("main.index"))
    if not form.validate_on_submit():
        flash(_("Choose a campaign from the list."), "danger")
        return redirect(target)
    campaign = _campaign_or_404(int(form.campaign.data))
    remember_campaign(current_user, campaign)
    db.session.commit()
    # The page the user was on, now for the chosen campaign (a campaign's own page: the chosen one's).
    path = target.split("?", 1)[0]
    if path.startswith("/campaigns/") and path.split("/")[2].isdigit():
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return redirect(f"{path}?campaign={campaign.id}")


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(campaign_id: int | None = None):
    campaign = _campaign_or_404(campaign_id) if campaign_id else None
    form = CampaignForm(obj=campaign)
    form.candidate_state.choices = state_options(_state_rows())
    if campaign is not None and not form.is_submitted():
        form.candidate_state.data = str(campaign.candidate_state_id)
        form.archived.data = campaign.is_archived
        form.version.data = str(campaign.version)
    if form.validate_on_submit():
        try:
            saved = save_campaign(campaign, CampaignInput(
                name=form.name.data, office=form.office.data, candidate_name=form.candidate_name.data or "",
                candidate_state_id=int(form.candidate_state.data), is_default=form.is_default.data,
                archived=form.archived.data, source=form.source.data or ""), current_user,
                expected_version=int(form.version.data) if campaign and form.version.data else None)
            learnt = suggested_weights() if campaign is None and form.learnt_weights.data else None
            if learnt is not None:
                set_weights(saved, learnt.by_status, DEFAULT_CONDITIONAL_FACTOR, current_user)
        except EditConflict as conflict:
            db.session.rollback()
            form.version.data = str(db.session.get_one(Campaign, campaign.id).version)
            flash(str(conflict), "warning")
            return render_template("campaigns/edit.html", form=form, campaign=campaign, learnt=None), 409
        except ServiceError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Campaign saved."), "success")
            return redirect(url_for("campaigns.detail", campaign_id=saved.id))
    return render_template("campaigns/edit.html", form=form, campaign=campaign,
                           learnt=suggested_weights() if campaign is None else None), 400 if form.errors else 200


def _stage_input(form: StageForm) -> StageInput:
    return StageInput(
        name=form.name.data, body_kind=BodyKind(form.body_kind.data),
        regional_group=RegionalGroup(form.regional_group.data) if form.regional_group.data else None,
        body_name=form.body_name.data or "", held_on=form.held_on.data, date_provisional=form.date_provisional.data,
        electorate_mode=ElectorateMode(form.electorate_mode.data), winning_rule=WinningRule(form.winning_rule.data),
        expected_turnout=form.expected_turnout.data, seats=form.seats.data, source=form.source.data or "",
        manual_elector_ids=[int(v) for v in form.manual_electors.data or []],
        non_voter_ids=[int(v) for v in form.non_voters.data or []],
        rivals=[(r.form.name.data or "", int(r.form.state.data) if (r.form.state.data or "").isdigit() else None)
                for r in form.rivals],
    )


@bp.route("/<int:campaign_id>/stages/new", methods=["GET", "POST"])
@bp.route("/<int:campaign_id>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_stage(campaign_id: int, stage_id: int | None = None):
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id) if stage_id else None
    form = StageForm(obj=stage)
    states = _state_rows()
    form.manual_electors.choices = state_options(states)
    form.non_voters.choices = state_options(states)
    for rival in form.rivals:
        rival.form.state.choices = options([("", "—")]) + state_options(states)
    if stage is not None and not form.is_submitted():
        form.body_kind.data, form.winning_rule.data = stage.body_kind.value, stage.winning_rule.value
        form.electorate_mode.data = stage.electorate_mode.value
        form.regional_group.data = stage.regional_group.value if stage.regional_group else ""
        form.manual_electors.data = [str(s.id) for s in stage.manual_electors]
        form.non_voters.data = [str(s.id) for s in stage.non_voters]
        for sub, rival in zip(form.rivals, stage.rivals, strict=False):
            sub.form.name.data, sub.form.state.data = rival.name, str(rival.state_id or "")
    if form.validate_on_submit():
        try:
            save_stage(campaign, stage, _stage_input(form), current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Stage saved."), "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    status = 400 if form.is_submitted() else 200
    return render_template("campaigns/stage_form.html", form=form, campaign=campaign, stage=stage), status


@bp.route("/<int:campaign_id>/stages/<int:stage_id>/rounds", methods=["POST"])
@allow(*EDIT_ROLES)
def add_round(campaign_id: int, stage_id: int):
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    form = round_form_for(stage.candidates)(prefix=f"r{stage.id}")
    if form.validate_on_submit():
        votes = {c.id: getattr(form, f"votes_{c.id}").data for c in stage.candidates}
        try:
            result = record_round(stage, RoundInput(held_on=form.held_on.data, present=form.present.data,
                                                    abstentions=form.abstentions.data, invalid=form.invalid.data,
                                                    votes=votes, source=form.source.data or ""), current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Round recorded: %(voting)s present and voting, line %(line)s — %(outcome)s.",
                    voting=result.present_and_voting, line=result.line, outcome=result.outcome.label), "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    else:
        flash(_("The round was not recorded: %(errors)s", errors="; ".join(
            f"{getattr(form, name).label.text}: {' '.join(map(str, errs))}" for name, errs in form.errors.items())),
              "danger")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/stages/<int:stage_id>/decision", methods=["POST"])
@allow(*EDIT_ROLES)
def decide(campaign_id: int, stage_id: int):
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Say how the stage was decided."), "danger")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    try:
        record_decision(stage, StageResult(form.result.data), form.note.data, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("Result recorded."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/stages/<int:stage_id>/reconciliation")
@bp.route("/<int:campaign_id>/stages/<int:stage_id>/reconciliation.pdf", endpoint="reconciliation_pdf")
@allow(*FIGURE_ROLES)
def reconciliation(campaign_id: int, stage_id: int):
    from app.campaigns.reconciliation import reconciliation_response

    campaign = _campaign_or_404(campaign_id)
    return reconciliation_response(campaign, _stage_or_404(campaign, stage_id),
                                   pdf=(request.endpoint or "").endswith("_pdf"))
