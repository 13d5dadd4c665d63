"""Reciprocal requests and the register's warnings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import RequestDirection, RequestStatus
from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, ReciprocalRequest, State
from app.models.types import utcnow
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import ensure_open
from app.services.locking import claim_edit

PENDING_ALERT_DAYS = 30


@dataclass(frozen=True)
class RequestInput:
    direction: RequestDirection
    body: str
    post: str
    year: int
    status: RequestStatus
    notes: str = ""
    campaign_id: int | None = None


@dataclass
class Register:
    """All requests with the conflicts and stale replies flagged."""

    requests: list[ReciprocalRequest]
    conflicts: list[list[ReciprocalRequest]] = field(default_factory=list)
    conflict_ids: set[int] = field(default_factory=set)
    stale_ids: set[int] = field(default_factory=set)


def requests_for_state(state: State) -> list[ReciprocalRequest]:
    return list(
        db.session.scalars(
            sa.select(ReciprocalRequest)
            .where(ReciprocalRequest.state_id == state.id)
            .options(so.joinedload(ReciprocalRequest.decided_by))
            .order_by(ReciprocalRequest.year.desc(), ReciprocalRequest.id.desc())
        )
    )


def save_request(state: State, data: RequestInput, actor: Actor, request: ReciprocalRequest | None = None,
                 expected_version: int | None = None) -> ReciprocalRequest:
    """Create or update a request; a change of status records who decided and when; stale edits refused."""
    creating = request is None
    campaign = db.session.get(Campaign, data.campaign_id) if data.campaign_id else None
    if campaign is None:
        raise ServiceError(Message("Choose the campaign this request serves."))
    if request is None or request.campaign_id != campaign.id:
        ensure_open(campaign)
    if request is None:
        request = ReciprocalRequest(state_id=state.id, created_by_id=actor.id, campaign_id=campaign.id)
        db.session.add(request)
    claim_edit(request, expected_version, actor, "request")
    request.campaign_id = campaign.id
    before = {} if creating else {
        "status": request.status.value, "post": request.post, "body": request.body, "year": request.year,
    }
    decided = creating or request.status is not data.status
    if decided and data.status is not RequestStatus.PENDING:
        request.decided_by_id, request.decided_at = actor.id, utcnow()
    request.direction = data.direction
    request.body, request.post = data.body.strip(), data.post.strip()
    request.year, request.status, request.notes = data.year, data.status, data.notes.strip()
    db.session.flush()
    audit.record("request.create" if creating else "request.update", actor, "request", request.id,
                 state=state.iso3, before=before,
                 after={"status": data.status.value, "post": request.post, "body": request.body, "year": data.year,
                        "campaign": campaign.id})
    return request


def _post_key(r: ReciprocalRequest) -> tuple[str, str, int]:
    return (r.body.strip().casefold(), r.post.strip().casefold(), r.year)


def register() -> Register:
    """Every request of every campaign; conflicts = agreed support for one post and year given to
    different states, whichever candidatures the promises were traded for."""
    requests = list(
        db.session.scalars(
            sa.select(ReciprocalRequest)
            .options(so.joinedload(ReciprocalRequest.state), so.joinedload(ReciprocalRequest.decided_by),
                     so.joinedload(ReciprocalRequest.campaign))
            .order_by(ReciprocalRequest.year.desc(), ReciprocalRequest.body, ReciprocalRequest.post)
        )
    )
    result = Register(requests=requests)
    agreed = defaultdict(list)
    for r in requests:
        # Only promises we made can collide: "they ask us" requests we agreed to.
        if r.direction is RequestDirection.THEY_ASK_US and r.status in (RequestStatus.AGREED, RequestStatus.FULFILLED):
            agreed[_post_key(r)].append(r)
    for group in agreed.values():
        if len({r.state_id for r in group}) > 1:
            result.conflicts.append(group)
            result.conflict_ids.update(r.id for r in group)
    cutoff = utcnow() - timedelta(days=PENDING_ALERT_DAYS)
    result.stale_ids = {r.id for r in requests if r.status is RequestStatus.PENDING and r.created_at < cutoff}
    return result
