"""Moving a state's support status, with evidence, under optimistic locking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import sqlalchemy as sa

from app.domain import clock
from app.domain.enums import InterlocutorLevel, PledgeForm, SupportStatus
from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, Position, State, StatusChange
from app.models.types import utcnow
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import ensure_open


@dataclass(frozen=True)
class Evidence:
    """What backs a status: who gave it, in what form, and on what condition."""

    source_level: InterlocutorLevel | None = None
    pledge_form: PledgeForm | None = None
    note_reference: str = ""
    note_date: date | None = None
    conditional: bool = False
    condition_request_id: int | None = None


class StatusConflict(ServiceError):
    """Someone else changed the status since the form was opened."""

    def __init__(self, position: Position) -> None:
        who = position.updated_by.name if position.updated_by else Message("someone")
        when = position.updated_at.strftime("%Y-%m-%d %H:%M UTC") if position.updated_at else ""
        super().__init__(Message(
            "The status was changed meanwhile by %(who)s (%(when)s): it is now “%(status)s”. "
            "Your entry was kept below; check it and save again.", who=who, when=when, status=position.status.label))
        self.position = position


def position_for(campaign: Campaign, state: State) -> Position:
    """The position row (created on the fly for a state added after the campaign)."""
    position = db.session.scalar(
        sa.select(Position).where(Position.campaign_id == campaign.id, Position.state_id == state.id)
    )
    if position is None:
        position = Position(campaign_id=campaign.id, state_id=state.id)
        db.session.add(position)
        db.session.flush()
    return position


def histories(positions: list[Position]) -> dict[tuple[int, int], list[StatusChange]]:
    """Each position's status changes, oldest first, keyed by (campaign, state): one query for the page."""
    history: dict[tuple[int, int], list[StatusChange]] = {(p.campaign_id, p.state_id): [] for p in positions}
    if not history:
        return history
    changes = db.session.scalars(
        sa.select(StatusChange).where(StatusChange.campaign_id.in_({c for c, _ in history}),
                                      StatusChange.state_id.in_({s for _, s in history}))
        .order_by(StatusChange.effective_on, StatusChange.id))
    for change in changes:
        history.get((change.campaign_id, change.state_id), []).append(change)
    return history


def latest_change(campaign_id: int, state_id: int) -> StatusChange:
    """The change that is a state's current position: latest by day expressed, then by record."""
    return db.session.scalars(
        sa.select(StatusChange)
        .where(StatusChange.campaign_id == campaign_id, StatusChange.state_id == state_id)
        .order_by(StatusChange.effective_on.desc(), StatusChange.id.desc())
        .limit(1)
    ).one()


def change_status(
    campaign: Campaign,
    state: State,
    *,
    to_status: SupportStatus,
    expected_version: int,
    actor: Actor,
    reason: str = "",
    effective_on: date | None = None,
    evidence: Evidence | None = None,
    outreach_id: int | None = None,
) -> StatusChange:
    """Record a status change; raises StatusConflict if the version moved since it was read.

    The change joins the history; the position then becomes the latest change by the day it
    was expressed (ties to the later record), so a back-dated meeting never overrides a newer
    one. Version check and update are one atomic statement.
    """
    ensure_open(campaign)
    evidence = evidence or Evidence()
    position = position_for(campaign, state)
    before = position.status
    change = StatusChange(
        campaign_id=campaign.id,
        state_id=state.id,
        from_status=before,
        to_status=to_status,
        effective_on=effective_on or clock.today(),
        changed_by_id=actor.id,
        reason=reason.strip(),
        outreach_id=outreach_id,
        source_level=evidence.source_level,
        pledge_form=evidence.pledge_form if to_status.is_pledge else None,
        note_reference=evidence.note_reference.strip(),
        note_date=evidence.note_date,
        conditional=evidence.conditional and to_status.is_pledge,
        condition_request_id=evidence.condition_request_id,
    )
    db.session.add(change)
    db.session.flush()
    current = latest_change(campaign.id, state.id)
    result = db.session.execute(
        sa.update(Position)
        .where(Position.id == position.id, Position.version == expected_version)
        .values(
            status=current.to_status,
            conditional=current.conditional,
            version=Position.version + 1,
            updated_at=utcnow(),
            updated_by_id=actor.id,
        )
        .execution_options(synchronize_session=False)
    )
    if cast(sa.CursorResult, result).rowcount != 1:  # an UPDATE returns a CursorResult
        db.session.delete(change)
        db.session.flush()
        db.session.refresh(position)
        raise StatusConflict(position)
    db.session.refresh(position)
    audit.record(
        "status.change", actor, "state", state.iso3,
        campaign=campaign.id, before=before.value, after=to_status.value, current=current.to_status.value,
        effective_on=change.effective_on.isoformat(), reason=change.reason,
    )
    return change

