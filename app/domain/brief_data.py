"""Plain frozen dataclasses carrying everything a briefing pack needs; no ORM, no Flask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.enums import SupportStatus


@dataclass(frozen=True)
class StatusEvidence:
    """What backs the current status: who pledged, in what form, and why we believe it."""

    level: str | None = None  # label of the interlocutor level that gave the pledge
    form: str | None = None  # label of the pledge form
    note_reference: str | None = None
    note_date: date | None = None
    conditional: bool = False
    condition: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ReciprocalRequest:
    """A request for support in another election, in either direction."""

    direction: str  # label: "They ask us" / "We ask them"
    body: str
    post: str | None
    year: int | None
    status: str  # label of the request status
    notes: str | None = None


@dataclass(frozen=True)
class StatusChange:
    """One step of a state's status history."""

    changed_at: datetime
    from_status: SupportStatus | None  # None for the first status ever set
    to_status: SupportStatus
    changed_by: str
    reason: str | None = None
    evidence: str | None = None  # one-line summary of the evidence given


@dataclass(frozen=True)
class OutreachEntry:
    """One contact with the state: meeting, call, note, reception."""

    occurred_on: date
    channel: str  # label
    level: str  # label of the interlocutor level
    location: str | None
    our_participants: str | None
    their_participants: str | None
    summary: str


@dataclass(frozen=True)
class FollowUp:
    """An open action arising from outreach."""

    text: str
    due_on: date | None
    owner: str | None
    overdue: bool = False


@dataclass(frozen=True)
class Contact:
    """A person to reach in or about the state."""

    name: str
    title: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    primary: bool = False


@dataclass(frozen=True)
class StateProfile:
    """Reference facts about the state's government and missions."""

    capital: str | None = None
    head_of_state: str | None = None
    foreign_minister: str | None = None
    mission_geneva: str | None = None
    mission_new_york: str | None = None
    our_embassy: str | None = None


@dataclass(frozen=True)
class StateBrief:
    """Everything printed in one state's brief."""

    iso3: str
    name: str
    regional_group: str  # label
    un_member: bool
    in_electorate: bool
    hrc_term_start: int | None
    hrc_term_end: int | None
    status: SupportStatus
    status_set_on: date | None
    status_set_by: str | None
    evidence: StatusEvidence | None
    priority: str  # label
    ask: str
    talking_points: str
    requests: Sequence[ReciprocalRequest] = ()
    history: Sequence[StatusChange] = ()
    outreach: Sequence[OutreachEntry] = ()
    follow_ups: Sequence[FollowUp] = ()
    contacts: Sequence[Contact] = ()
    profile: StateProfile = field(default_factory=StateProfile)
    # How many older changes and entries the desk holds beyond those printed (a brief stays bounded).
    older_history: int = 0
    older_outreach: int = 0
    more_follow_ups: int = 0  # open follow-ups beyond those printed (the soonest due)


@dataclass(frozen=True)
class CampaignSnapshot:
    """The campaign's standing when a pack is printed."""

    electorate_size: int
    votes_needed: int
    counts: Sequence[tuple[SupportStatus, int]]
    firm_votes: int
    expected_votes: float


@dataclass(frozen=True)
class TripPack:
    """An envoy's trip: a cover, a snapshot and one brief per state visited."""

    title: str
    envoy: str
    start_date: date
    end_date: date
    states: Sequence[StateBrief]
    snapshot: CampaignSnapshot | None  # None when the recipient may not see campaign-wide figures
