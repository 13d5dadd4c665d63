"""The data model, one module per aggregate; importing this registers every table."""

from app.models.audit import AuditEvent
from app.models.campaign import Campaign, Position
from app.models.contact import Contact
from app.models.credential import ApiToken, CalendarFeed
from app.models.followup import FollowUp
from app.models.imports import ImportBatch, ImportMapping
from app.models.outreach import (
    OutreachEntry,
    OutreachRevision,
    outreach_campaigns,
    outreach_contacts,
    outreach_listings,
    outreach_states,
    refresh_listings,
)
from app.models.requests import ReciprocalRequest
from app.models.stage import (
    BallotRound,
    BallotVote,
    Candidate,
    Stage,
    stage_electors,
    stage_non_voters,
)
from app.models.state import Membership, State
from app.models.status import StatusChange
from app.models.throttle import LoginThrottle
from app.models.trend import TrendSnapshot
from app.models.user import User, assignments
from app.models.version import DataVersion

__all__ = [
    "ApiToken",
    "AuditEvent",
    "BallotRound",
    "BallotVote",
    "CalendarFeed",
    "Campaign",
    "Candidate",
    "Contact",
    "DataVersion",
    "FollowUp",
    "ImportBatch",
    "ImportMapping",
    "LoginThrottle",
    "Membership",
    "OutreachEntry",
    "OutreachRevision",
    "Position",
    "ReciprocalRequest",
    "Stage",
    "State",
    "StatusChange",
    "TrendSnapshot",
    "User",
    "assignments",
    "outreach_campaigns",
    "outreach_contacts",
    "outreach_listings",
    "outreach_states",
    "refresh_listings",
    "stage_electors",
    "stage_non_voters",
]
