"""Campaigns: which one a user works on, archiving, and the position rows they carry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, Position, Stage, State, User
from app.models.types import utcnow
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.locking import claim_edit


class CampaignArchived(ServiceError):
    """A write aimed at a finished campaign, which is read-only."""

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(Message("“%(campaign)s” is archived: it can be read and downloaded, not changed.",
                                 campaign=campaign.name))


def live_campaigns() -> list[Campaign]:
    """The campaigns not archived (those an entry may serve), in the order of `all_campaigns`."""
    return [c for c in all_campaigns() if not c.is_archived]


def all_campaigns() -> list[Campaign]:
    """Live campaigns first, then archived ones, each newest first; stages loaded in the same query."""
    return list(
        db.session.scalars(
            sa.select(Campaign)
            .options(so.selectinload(Campaign.stages))
            .order_by(Campaign.archived_at.is_not(None), Campaign.created_at.desc(), Campaign.id.desc())
        )
    )


def default_campaign() -> Campaign | None:
    """The campaign the desk opens on for a user who has chosen none."""
    return db.session.scalar(
        sa.select(Campaign)
        .order_by(Campaign.is_default.desc(), Campaign.archived_at.is_not(None), Campaign.id)
        .limit(1)
    )


def campaign_for(user: User | None, requested_id: int | None = None) -> Campaign | None:
    """The campaign a page shows: the one in the link, else the user's choice, else the default."""
    for candidate_id in (requested_id, user.current_campaign_id if user else None):
        if candidate_id is not None:
            campaign = db.session.get(Campaign, candidate_id)
            if campaign is not None:
                return campaign
    return default_campaign()


def remember_campaign(user: User, campaign: Campaign) -> None:
    """The switcher's choice, kept for the user's next visits."""
    user.current_campaign_id = campaign.id
    db.session.flush()


def ensure_open(campaign: Campaign) -> None:
    """Refuse a change to an archived campaign."""
    if campaign.is_archived:
        raise CampaignArchived(campaign)


@contextmanager
def reopened(campaign: Campaign) -> Iterator[Campaign]:
    """Write history into a finished campaign (the demo loader), archiving it again afterwards."""
    archived_at = campaign.archived_at
    campaign.archived_at = None
    try:
        yield campaign
    finally:
        campaign.archived_at = archived_at
        db.session.flush()


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


@dataclass(frozen=True)
class CampaignInput:
    """The fields an admin sets on a campaign (its stages have their own form)."""

    name: str
    office: str
    candidate_name: str
    candidate_state_id: int
    is_default: bool
    archived: bool
    source: str = ""
    learnt_weights: bool = False  # a new campaign starts with the weights learnt from past ballots


def snapshot(campaign: Campaign) -> dict:
    """The audited fields of a campaign as JSON-ready values."""
    return {
        "name": campaign.name, "office": campaign.office, "candidate_name": campaign.candidate_name,
        "candidate_state_id": campaign.candidate_state_id, "is_default": campaign.is_default,
        "archived": campaign.is_archived, "source": campaign.source,
    }


def save_campaign(campaign: Campaign | None, data: CampaignInput, actor: Actor,
                  expected_version: int | None = None) -> Campaign:
    """Create (campaign None) or update a campaign; one default at most; audited; stale edits refused."""
    name = data.name.strip()
    clash = db.session.scalar(
        sa.select(Campaign.id).where(Campaign.name == name, Campaign.id != (campaign.id if campaign else -1))
    )
    if clash is not None:
        raise ServiceError(Message("Another campaign already has this name."))
    if db.session.get(State, data.candidate_state_id) is None:
        raise ServiceError(Message("Unknown candidate state."))
    before, creating = (snapshot(campaign) if campaign else {}), campaign is None
    if campaign is None:
        campaign = Campaign()
        db.session.add(campaign)
    claim_edit(campaign, expected_version, actor, "campaign")
    campaign.name, campaign.office = name, data.office.strip()
    campaign.candidate_name, campaign.candidate_state_id = data.candidate_name.strip(), data.candidate_state_id
    campaign.source = data.source.strip()
    if data.archived and not campaign.is_archived:
        campaign.archived_at = utcnow()
    elif not data.archived:
        campaign.archived_at = None
    if data.is_default:
        db.session.execute(sa.update(Campaign).where(Campaign.id != (campaign.id or -1)).values(is_default=False))
    campaign.is_default = data.is_default
    db.session.flush()
    ensure_positions(campaign)
    audit.record("campaign.save", actor, "campaign", campaign.id, before=before, after=snapshot(campaign))
    if creating and data.learnt_weights:
        _start_with_learnt_weights(campaign, actor)
    return campaign


def _start_with_learnt_weights(campaign: Campaign, actor: Actor) -> None:
    """The weights learnt from decided ballots (when there are any), set and audited like an admin's."""
    from app.domain.tally_math import DEFAULT_CONDITIONAL_FACTOR
    from app.services.reconciliation import suggested_weights
    from app.services.tally import set_weights

    learnt = suggested_weights()
    if learnt is not None:
        set_weights(campaign, learnt.by_status, DEFAULT_CONDITIONAL_FACTOR, actor)


def stage_of(campaign: Campaign, stage_id: int | None) -> Stage | None:
    """A stage of this campaign by id (None when it belongs elsewhere), else the current one."""
    if stage_id is None:
        return campaign.current_stage
    return next((s for s in campaign.stages if s.id == stage_id), None)
