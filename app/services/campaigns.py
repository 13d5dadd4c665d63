"""Campaigns: their electorates, the active campaign and the position rows they carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Campaign, Membership, Position, State
from app.models.enums import ElectorateMode, RegionalGroup, WinningRule
from app.services import ServiceError


def active_campaign() -> Campaign | None:
    """The campaign the desk works on by default."""
    return db.session.scalar(
        sa.select(Campaign).where(Campaign.is_active).order_by(Campaign.id).limit(1)
    )


def campaign_or_active(campaign_id: int | None) -> Campaign | None:
    """The campaign asked for by id, else the active one."""
    if campaign_id is not None:
        return db.session.get(Campaign, campaign_id)
    return active_campaign()


def electorate_ids(campaign: Campaign) -> set[int]:
    """Ids of the states that vote in this campaign's election."""
    if campaign.electorate_mode is ElectorateMode.MANUAL:
        return {s.id for s in campaign.manual_electors}
    year = campaign.election_year
    return set(
        db.session.scalars(
            sa.select(Membership.state_id).where(
                Membership.body == campaign.body,
                Membership.term_start <= year,
                Membership.term_end >= year,
            )
        )
    )


def electorate_states(campaign: Campaign) -> list[State]:
    """The voting states, ordered by name."""
    ids = electorate_ids(campaign)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(State).where(State.id.in_(ids)).order_by(State.name)))


def ensure_positions(campaign: Campaign) -> int:
    """Give every state a position row in the campaign; returns how many were added."""
    have = set(
        db.session.scalars(sa.select(Position.state_id).where(Position.campaign_id == campaign.id))
    )
    missing = [sid for sid in db.session.scalars(sa.select(State.id)) if sid not in have]
    for state_id in missing:
        db.session.add(Position(campaign_id=campaign.id, state_id=state_id))
    db.session.flush()
    return len(missing)


@dataclass
class CampaignInput:
    """The fields an admin sets on a campaign."""

    name: str
    office: str
    body: str
    election_date: date
    candidate_name: str
    candidate_state_id: int
    group_in_turn: RegionalGroup | None
    winning_rule: WinningRule
    expected_turnout: int | None
    electorate_mode: ElectorateMode
    manual_elector_ids: list[int]
    is_active: bool


def _apply(campaign: Campaign, data: CampaignInput) -> None:
    clash = db.session.scalar(
        sa.select(Campaign.id).where(Campaign.name == data.name.strip(), Campaign.id != (campaign.id or -1))
    )
    if clash is not None:
        raise ServiceError("Another campaign already has this name.")
    campaign.name = data.name.strip()
    campaign.office = data.office.strip()
    campaign.body = data.body.strip().upper()
    campaign.election_date = data.election_date
    campaign.candidate_name = data.candidate_name.strip()
    campaign.candidate_state_id = data.candidate_state_id
    campaign.group_in_turn = data.group_in_turn
    campaign.winning_rule = data.winning_rule
    campaign.expected_turnout = data.expected_turnout
    campaign.electorate_mode = data.electorate_mode
    ids = set(data.manual_elector_ids)
    campaign.manual_electors = (
        list(db.session.scalars(sa.select(State).where(State.id.in_(ids)))) if ids else []
    )
    if data.is_active:
        db.session.execute(
            sa.update(Campaign).where(Campaign.id != (campaign.id or -1)).values(is_active=False)
        )
    campaign.is_active = data.is_active


def save_campaign(campaign: Campaign | None, data: CampaignInput) -> Campaign:
    """Create (campaign None) or update a campaign; one active campaign at most."""
    creating = campaign is None
    if creating:
        campaign = Campaign()
    with db.session.no_autoflush:
        _apply(campaign, data)
    if creating:
        db.session.add(campaign)
    db.session.flush()
    ensure_positions(campaign)
    return campaign
