"""Read-only endpoints: states, campaigns and stages, tally, positions with history, requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort

from app.api import bp, scope
from app.api.common import actor, campaign_or_404, state_filter, state_or_404
from app.api.pagination import PageQuery, page
from app.api.schemas import (
    CampaignFilter,
    CampaignOut,
    CampaignPage,
    PositionPage,
    RequestPage,
    StageOut,
    StateOut,
    StatePage,
    StateQuery,
    TallyOut,
)
from app.auth.access import READ_ROLES, allow
from app.domain import clock
from app.domain.enums import Role, SupportStatus, TokenScope
from app.extensions import db
from app.models import Campaign, Position, ReciprocalRequest, Stage, State, StatusChange
from app.services.forecast import forecast_for_stage
from app.services.status import histories
from app.services.tally import stage_tally

VIEWERS = (Role.ADMIN, Role.STAFF, Role.LEADERSHIP)


@bp.route("/states")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.arguments(StateQuery, location="query")
@bp.response(200, StatePage)
@bp.doc(tags=["states"], summary="States with their profiles (envoys: their assigned states)")
def list_states(args):
    query = scope.states(actor())
    if args.get("regional_group"):
        query = query.where(State.regional_group == args["regional_group"])
    return page(query, State.id, args)


@bp.route("/states/<iso3>")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.response(200, StateOut)
@bp.doc(tags=["states"], summary="One state by ISO3 code, with its profile")
def get_state(iso3: str):
    return state_or_404(iso3)


def _campaigns():
    return sa.select(Campaign).options(so.selectinload(Campaign.stages).selectinload(Stage.candidates))


@bp.route("/campaigns")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.arguments(PageQuery, location="query")
@bp.response(200, CampaignPage)
@bp.doc(tags=["campaigns"], summary="Campaigns with their ordered stages")
def list_campaigns(args):
    return page(_campaigns(), Campaign.id, args)


@bp.route("/campaigns/<int(max=2147483647):campaign_id>")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.response(200, CampaignOut)
@bp.doc(tags=["campaigns"], summary="One campaign with its stages")
def get_campaign(campaign_id: int):
    return campaign_or_404(campaign_id)


@bp.route("/campaigns/<int(max=2147483647):campaign_id>/stages")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.response(200, StageOut(many=True))
@bp.doc(tags=["campaigns"], summary="A campaign's stages in order")
def list_stages(campaign_id: int):
    return campaign_or_404(campaign_id).stages


@bp.route("/stages/<int(max=2147483647):stage_id>/tally")
@allow(*VIEWERS, token=TokenScope.READ)
@bp.response(200, TallyOut)
@bp.doc(tags=["campaigns"], summary="The tally of one stage: line, firm and expected votes (as the dashboard)")
def stage_tally_view(stage_id: int):
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        abort(404, description=f"No stage {stage_id}.")
    tally = stage_tally(stage)
    outlook = forecast_for_stage(stage, clock.today()).forecast
    forecast = None if outlook is None else {
        "probability": outlook.probability, "standard_error": outlook.standard_error,
        "median_votes": outlook.median_votes, "interval_low": outlook.interval[0], "interval_high": outlook.interval[1],
        "expected_line": outlook.expected_line, "draws": outlook.draws,
    }
    return {"forecast": forecast,
        "stage_id": stage.id, "campaign_id": stage.campaign_id, "electorate": tally.electorate,
        "turnout": tally.turnout, "rule": tally.rule, "votes_needed": tally.votes_needed, "firm": tally.firm,
        "conditional_pledges": tally.conditional_pledges, "expected": tally.expected, "firm_gap": tally.firm_gap,
        "expected_gap": tally.expected_gap, "formula": tally.formula,
        "counts": [{"status": s, "count": tally.counts.get(s, 0)} for s in SupportStatus],
    }


@dataclass(frozen=True)
class PositionView:
    """A position with its history, as the API returns it."""

    id: int
    campaign_id: int
    state: State
    status: SupportStatus
    conditional: bool
    version: int
    updated_at: datetime | None
    history: list[StatusChange]


@bp.route("/positions")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.arguments(CampaignFilter, location="query")
@bp.response(200, PositionPage)
@bp.doc(tags=["positions"], summary="Each state's current position per campaign, with its history (oldest first)")
def list_positions(args):
    query = state_filter(sa.select(Position).options(so.joinedload(Position.state)), Position.state_id, args)
    if args.get("campaign_id"):
        query = query.where(Position.campaign_id == args["campaign_id"])
    result = page(query, Position.id, args)
    positions = result["items"]
    history = histories(positions)
    result["items"] = [PositionView(p.id, p.campaign_id, p.state, p.status, p.conditional, p.version, p.updated_at,
                                    history[(p.campaign_id, p.state_id)]) for p in positions]
    return result


@bp.route("/requests")
@allow(*READ_ROLES, token=TokenScope.READ)
@bp.arguments(CampaignFilter, location="query")
@bp.response(200, RequestPage)
@bp.doc(tags=["requests"], summary="Reciprocal requests")
def list_requests(args):
    query = state_filter(sa.select(ReciprocalRequest).options(so.joinedload(ReciprocalRequest.state)),
                         ReciprocalRequest.state_id, args)
    if args.get("campaign_id"):
        query = query.where(ReciprocalRequest.campaign_id == args["campaign_id"])
    return page(query, ReciprocalRequest.id, args)
