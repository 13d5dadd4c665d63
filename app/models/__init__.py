"""The data model, one module per aggregate; importing this registers every table."""

from app.models.audit import AuditEvent
from app.models.campaign import Campaign, Position, campaign_electors
from app.models.contact import Contact
from app.models.followup import FollowUp
from app.models.outreach import OutreachEntry, OutreachRevision, outreach_contacts, outreach_states
from app.models.requests import ReciprocalRequest
from app.models.state import Membership, State
from app.models.status import StatusChange
from app.models.throttle import LoginThrottle
from app.models.user import User, assignments

__all__ = [
    "AuditEvent",
    "Campaign",
    "Contact",
    "FollowUp",
    "LoginThrottle",
    "Membership",
    "OutreachEntry",
    "OutreachRevision",
    "Position",
    "ReciprocalRequest",
    "State",
    "StatusChange",
    "User",
    "assignments",
    "campaign_electors",
    "outreach_contacts",
    "outreach_states",
]
