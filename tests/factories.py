"""Small factories for test records, built through the services like the app does."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.enums import Channel, InterlocutorLevel, RequestDirection, RequestStatus
from app.models import Campaign, Contact, FollowUp, OutreachEntry, ReciprocalRequest, User
from app.services.audit import Actor
from app.services.campaigns import default_campaign
from app.services.contacts import ContactInput, save_contact
from app.services.followups import add_follow_up as add_follow_up_service
from app.services.outreach import OutreachInput, record_outreach
from app.services.requests import RequestInput, save_request
from app.services.states import get_state


def as_actor(user: User | None) -> Actor:
    """A user acting from the test client's address, as a route would pass them to a service."""
    return Actor(user, "127.0.0.1")


def add_outreach(
    campaign: Campaign,
    codes: list[str],
    author: User,
    summary: str = "Met the ambassador.",
    occurred_on: date | None = None,
    level: InterlocutorLevel = InterlocutorLevel.PR_GENEVA,
) -> OutreachEntry:
    return record_outreach(OutreachInput(
        occurred_on=occurred_on or date.today() - timedelta(days=1), channel=Channel.IN_PERSON, level=level,
        location="Geneva", our_participants="Our PR", their_participants="Their PR", summary=summary,
        state_ids=[get_state(c).id for c in codes], campaign_ids=[campaign.id]), as_actor(author))


def add_follow_up(
    campaign: Campaign, code: str, owner: User, due: date | None = None, text: str = "Send the note verbale"
) -> FollowUp:
    return add_follow_up_service(campaign, get_state(code), text=text, due_on=due or date.today() + timedelta(days=3),
                                 owner=owner, actor=as_actor(owner))


def add_contact(code: str, actor: User, name: str = "Keo Remy") -> Contact:
    return save_contact(get_state(code), ContactInput(name=name, title="Senior Minister"), as_actor(actor))


def add_request(code: str, actor: User, post: str = "Member of the Executive Board", year: int = 2027,
                status: RequestStatus = RequestStatus.PENDING,
                direction: RequestDirection = RequestDirection.THEY_ASK_US) -> ReciprocalRequest:
    return save_request(
        get_state(code),
        RequestInput(
            direction=direction, body="UNESCO", post=post, year=year, status=status, campaign_id=default_campaign().id
        ),
        as_actor(actor),
    )
