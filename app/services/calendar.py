"""The iCalendar feed of a user: their follow-ups and the campaigns' stage dates, within their scope.

Its words ("Done:", "Follow-up in …", "provisional date", the result) are in the feed owner's
language: the route builds it under that user's locale, as a download is built under its reader's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
import sqlalchemy as sa
import sqlalchemy.orm as so

from app.api import scope
from app.domain.text import Message
from app.extensions import db
from app.models import Campaign, FollowUp, Stage, User


def _follow_ups(user: User) -> list[FollowUp]:
    query = (sa.select(FollowUp).options(so.joinedload(FollowUp.state), so.joinedload(FollowUp.campaign))
             .where(FollowUp.owner_id == user.id).order_by(FollowUp.due_on, FollowUp.id))
    return list(db.session.scalars(scope.restrict(query, FollowUp.state_id, user)))


def _stages() -> list[Stage]:
    return list(db.session.scalars(sa.select(Stage).join(Campaign).options(so.joinedload(Stage.campaign))
                                   .where(Campaign.archived_at.is_(None)).order_by(Stage.held_on, Stage.id)))


def _day_event(uid: str, day, summary: str, stamp: datetime, description: str = "") -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    return event


def feed_ics(user: User, now: datetime, host: str) -> bytes:
    """The feed as iCalendar bytes; done follow-ups stay, marked done, so calendars update rather than forget."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Suara campaign desk//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Suara — {user.name}")
    for follow_up in _follow_ups(user):
        done = follow_up.is_done
        summary = f"{follow_up.state.name}: {follow_up.text}"
        if done:
            summary = str(Message("Done: %(follow_up)s", follow_up=summary))
        event = _day_event(f"follow-up-{follow_up.id}@{host}", follow_up.due_on, summary, now,
                           str(Message("Follow-up in “%(campaign)s”.", campaign=follow_up.campaign.name)))
        event.add("status", "CANCELLED" if done else "CONFIRMED")
        # A new sequence whenever it is moved or closed, so subscribed calendars replace the old copy.
        event.add("sequence", (follow_up.due_on.toordinal() % 100000) + (1 if done else 0))
        event.add("categories", ["follow-up"])
        calendar.add_component(event)
    for stage in _stages():
        when = " " + str(Message("(provisional date)")) if stage.date_provisional else ""
        event = _day_event(f"stage-{stage.id}@{host}", stage.held_on, f"{stage.campaign.name}: {stage.name}{when}",
                           now, str(Message("%(body)s; result: %(result)s.", body=stage.body_label,
                                            result=stage.result.label)))
        event.add("categories", ["stage"])
        calendar.add_component(event)
    return calendar.to_ical()
