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
REQUESTS_PAGE = 100  # requests per page of the register


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

    requests: list[ReciprocalRequest]  # one page of them, newest year first
    conflicts: list[list[ReciprocalRequest]] = field(default_factory=list)
    conflict_ids: set[int] = field(default_factory=set)
    stale_ids: set[int] = field(default_factory=set)  # among the page's requests
    stale_count: int = 0  # pending too long, over the whole register
    page: int = 1
    has_more: bool = False


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


def conflicts() -> list[list[ReciprocalRequest]]:
    """Agreed support for one post and year given to different states, whichever candidatures the
    promises were traded for (only promises we made can collide: "they ask us" requests we agreed to)."""
    agreed = defaultdict(list)
    for r in db.session.scalars(
        sa.select(ReciprocalRequest)
        .where(ReciprocalRequest.direction == RequestDirection.THEY_ASK_US,
               ReciprocalRequest.status.in_((RequestStatus.AGREED, RequestStatus.FULFILLED)))
        .options(so.joinedload(ReciprocalRequest.state), so.joinedload(ReciprocalRequest.campaign))
        .order_by(ReciprocalRequest.year.desc(), ReciprocalRequest.body, ReciprocalRequest.post, ReciprocalRequest.id)
    ):
        agreed[_post_key(r)].append(r)
    return [group for group in agreed.values() if len({r.state_id for r in group}) > 1]


def register(page: int = 1) -> Register:
    """One page of the requests of every campaign, with the conflicts (all of them) and stale replies flagged."""
    cutoff = utcnow() - timedelta(days=PENDING_ALERT_DAYS)
    stale = sa.and_(ReciprocalRequest.status == RequestStatus.PENDING, ReciprocalRequest.created_at < cutoff)
    rows = list(
        db.session.scalars(
            sa.select(ReciprocalRequest)
            .options(so.joinedload(ReciprocalRequest.state), so.joinedload(ReciprocalRequest.decided_by),
                     so.joinedload(ReciprocalRequest.campaign))
            .order_by(ReciprocalRequest.year.desc(), ReciprocalRequest.body, ReciprocalRequest.post,
                      ReciprocalRequest.id)
            .limit(REQUESTS_PAGE + 1).offset((page - 1) * REQUESTS_PAGE)
        )
    )
    result = Register(requests=rows[:REQUESTS_PAGE], page=page, has_more=len(rows) > REQUESTS_PAGE)
    result.conflicts = conflicts()
    result.conflict_ids = {r.id for group in result.conflicts for r in group}
    result.stale_ids = {r.id for r in result.requests if r.status is RequestStatus.PENDING and r.created_at < cutoff}
    result.stale_count = db.session.scalar(sa.select(sa.func.count()).select_from(ReciprocalRequest).where(stale)) or 0
    return result
