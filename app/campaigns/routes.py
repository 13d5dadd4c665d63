"""Campaign pages: the list, one campaign with its stages, stage settings, results and the switcher."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import EDIT_ROLES, READ_ROLES, allow
from app.auth.actor import current_actor
from app.campaigns import bp
from app.campaigns.forms import CampaignForm, DecisionForm, StageForm, SwitchForm, round_form_for
from app.domain import clock
from app.domain.enums import Role, StageResult
from app.extensions import db
from app.forms import options, state_options
from app.models import Campaign, Stage
from app.params import MAX_ID
from app.services.campaigns import all_campaigns, remember_campaign, save_campaign
from app.services.races import campaign_summaries, listed_campaigns, stage_summaries
from app.services.reconciliation import suggested_weights
from app.services.stages import record_decision, record_round, save_stage
from app.services.states import all_states
from app.web import commit_or_keep, safe_next

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


@bp.route("/")
@allow(*READ_ROLES)
def index():
    campaigns = listed_campaigns()
    figures = current_user.role in FIGURE_ROLES
    return render_template("campaigns/index.html", campaigns=campaigns, figures=figures,
                           summaries=campaign_summaries(campaigns, clock.today()) if figures else {})


@bp.route("/<int:campaign_id>")
@allow(*READ_ROLES)
def detail(campaign_id: int):
    campaign = _campaign_or_404(campaign_id)
    figures = current_user.role in FIGURE_ROLES
    summaries = stage_summaries(campaign, clock.today())
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
    form, status = _campaign_form(campaign), None
    if form.validate_on_submit():
        saved = commit_or_keep(
            lambda: save_campaign(campaign, form.values(), current_actor(), form.expected_version()),
            form,
            lambda: campaign.version if campaign else 0,
            _("Campaign saved."),
            refused_to=form.name,
        )
        if saved.ok:
            return redirect(url_for("campaigns.detail", campaign_id=saved.value.id))
        status = saved.status
    return render_template(
        "campaigns/edit.html", form=form, campaign=campaign, learnt=suggested_weights() if campaign is None else None
    ), status or (400 if form.errors else 200)


def _campaign_form(campaign: Campaign | None) -> CampaignForm:
    form = CampaignForm(obj=campaign)
    form.candidate_state.choices = state_options((s.id, s.name, s.iso3, s.iso2) for s in all_states())
    if campaign is not None and not form.is_submitted():
        form.candidate_state.data = str(campaign.candidate_state_id)
        form.archived.data, form.version.data = campaign.is_archived, str(campaign.version)
    return form


@bp.route("/<int:campaign_id>/stages/new", methods=["GET", "POST"])
@bp.route("/<int:campaign_id>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_stage(campaign_id: int, stage_id: int | None = None):
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id) if stage_id else None
    form = _stage_form(stage)
    if form.validate_on_submit() and commit_or_keep(lambda: save_stage(campaign, stage, form.values(), current_actor()),
                                                    success=_("Stage saved.")).ok:
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    status = 400 if form.is_submitted() else 200
    return render_template("campaigns/stage_form.html", form=form, campaign=campaign, stage=stage), status


def _stage_form(stage: Stage | None) -> StageForm:
    """The stage form with every state as a choice, filled from the stage when it is first shown."""
    form = StageForm(obj=stage)
    states = [(s.id, s.name, s.iso3, s.iso2) for s in all_states()]
    form.manual_electors.choices = form.non_voters.choices = state_options(states)
    for rival in form.rivals:
        rival.form.state.choices = options([("", "—")]) + state_options(states)
    if stage is not None and not form.is_submitted():
        form.fill(stage)
    return form


def _form_errors(form) -> str:
    """A form's errors in one line: "Label: message; …"."""
    return "; ".join(
        f"{getattr(form, name).label.text}: {' '.join(map(str, errs))}" for name, errs in form.errors.items()
    )


@bp.route("/<int:campaign_id>/stages/<int:stage_id>/rounds", methods=["POST"])
@allow(*EDIT_ROLES)
def add_round(campaign_id: int, stage_id: int):
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    form = round_form_for(stage.candidates)(prefix=f"r{stage.id}")
    if not form.validate_on_submit():
        flash(_("The round was not recorded: %(errors)s", errors=_form_errors(form)), "danger")
    elif (saved := commit_or_keep(lambda: record_round(stage, form.values(stage.candidates), current_actor()))).ok:
        flash(_("Round recorded: %(voting)s present and voting, line %(line)s — %(outcome)s.",
                voting=saved.value.present_and_voting, line=saved.value.line, outcome=saved.value.outcome.label),
              "success")
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
    commit_or_keep(lambda: record_decision(stage, StageResult(form.result.data), form.note.data, current_actor()),
                   success=_("Result recorded."))
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/stages/<int:stage_id>/reconciliation")
@bp.route("/<int:campaign_id>/stages/<int:stage_id>/reconciliation.pdf", endpoint="reconciliation_pdf")
@allow(*FIGURE_ROLES)
def reconciliation(campaign_id: int, stage_id: int):
    from app.campaigns.reconciliation import reconciliation_response

    campaign = _campaign_or_404(campaign_id)
    return reconciliation_response(campaign, _stage_or_404(campaign, stage_id),
                                   pdf=(request.endpoint or "").endswith("_pdf"))
