"""Enumerations of the domain, each member carrying its display label."""

import enum
from typing import Self

from app.domain.text import Message


def _l(msgid: str) -> str:
    """Mark a label for extraction (pybabel reads `_l`); it is translated when shown."""
    return msgid


class LabelledEnum(enum.Enum):
    """An enum whose members carry a human label as their second value element.

    `msgid` is the English label as written; `label` is it translated into the locale in force
    when it is turned into text (a domain Message), so a template, a flash or a PDF built under
    `force_locale` shows it in the reader's language.
    """

    msgid: str

    # Members are declared as (value, label); `Cls(value)` looks one up, hence the default.
    def __new__(cls, value: str, label: str = "") -> Self:
        obj = object.__new__(cls)
        obj._value_ = value
        obj.msgid = label
        return obj

    @property
    def label(self) -> Message:
        return Message(self.msgid)

    def __str__(self) -> str:
        return str(self.label)

    @classmethod
    def choices(cls) -> list[tuple[str, Message]]:
        """Pairs (value, label) for a select field."""
        return [(m.value, m.label) for m in cls]


class RegionalGroup(LabelledEnum):
    AFRICAN = "AFRICAN", _l("African Group")
    APG = "APG", _l("Asia-Pacific Group")
    EEG = "EEG", _l("Eastern European Group")
    GRULAC = "GRULAC", _l("Latin American and Caribbean Group")
    WEOG = "WEOG", _l("Western European and Others Group")


class Role(LabelledEnum):
    ADMIN = "admin", _l("Admin")
    STAFF = "staff", _l("Campaign staff")
    ENVOY = "envoy", _l("Envoy")
    LEADERSHIP = "leadership", _l("Leadership")


class Priority(LabelledEnum):
    HIGH = "high", _l("High")
    NORMAL = "normal", _l("Normal")
    LOW = "low", _l("Low")


class SupportStatus(LabelledEnum):
    """Where a state stands; declaration order is the display order."""

    NOT_APPROACHED = "not_approached", _l("Not approached")
    APPROACHED = "approached", _l("Approached")
    UNDECIDED = "undecided", _l("Undecided")
    LEANING_FOR = "leaning_for", _l("Leaning for")
    VERBAL_PLEDGE = "verbal_pledge", _l("Verbal pledge")
    WRITTEN_PLEDGE = "written_pledge", _l("Written pledge")
    LEANING_AGAINST = "leaning_against", _l("Leaning against")
    AGAINST = "against", _l("Against")

    @property
    def is_pledge(self) -> bool:
        return self in (SupportStatus.VERBAL_PLEDGE, SupportStatus.WRITTEN_PLEDGE)

    @property
    def colour(self) -> str:
        """Colour used for this status in charts and badges."""
        return STATUS_COLOURS[self.value]


# One palette for badges, charts and PDFs: each colour distinct from its neighbours on the ladder,
# and its text colour (suara.css) at 4.5:1 or more.
STATUS_COLOURS = {
    "not_approached": "#d5d9de",
    "approached": "#4a5d8f",
    "undecided": "#f0c24b",
    "leaning_for": "#8fd19e",
    "verbal_pledge": "#2e7d46",
    "written_pledge": "#14532d",
    "leaning_against": "#f0936b",
    "against": "#b03a2e",
}


class WinningRule(LabelledEnum):
    MAJORITY_PRESENT_VOTING = "majority", _l("Majority of members present and voting")
    ABSOLUTE_MAJORITY = "absolute_majority", _l("Absolute majority of the body's membership")
    TWO_THIRDS = "two_thirds", _l("Two-thirds of members present and voting")


class ElectorateMode(LabelledEnum):
    DERIVED = "derived", _l("Derived from the body's membership on the stage's date")
    MANUAL = "manual", _l("Set by hand")


class BodyKind(LabelledEnum):
    """Who votes in a stage; the electorate is derived from it unless set by hand."""

    REGIONAL_GROUP = "group", _l("A regional group")
    HUMAN_RIGHTS_COUNCIL = "hrc", _l("Human Rights Council")
    GENERAL_ASSEMBLY = "ga", _l("General Assembly")
    OTHER = "other", _l("Another body (electorate set by hand)")


class StageResult(LabelledEnum):
    """Where a stage stands: pending until a ballot or a recorded decision settles it."""

    PENDING = "pending", _l("Pending")
    ELECTED = "elected", _l("Elected")
    NOT_ELECTED = "not_elected", _l("Not elected")

    @property
    def is_decided(self) -> bool:
        return self is not StageResult.PENDING


class RoundOutcome(LabelledEnum):
    """What one recorded round of voting decided."""

    ELECTED = "elected", _l("Elected")
    NOT_ELECTED = "not_elected", _l("Not elected")
    NEXT_ROUND = "next_round", _l("No one reached the line: next round")


class CampaignOutcome(LabelledEnum):
    """A campaign as a whole, from its stages' results."""

    LIVE = "live", _l("Live")
    WON = "won", _l("Won")
    LOST = "lost", _l("Lost")


class Channel(LabelledEnum):
    IN_PERSON = "in_person", _l("In-person meeting")
    VIRTUAL = "virtual", _l("Virtual meeting")
    PHONE = "phone", _l("Phone call")
    NOTE_VERBALE = "note_verbale", _l("Note verbale or letter")
    DEMARCHE = "demarche", _l("Démarche")
    SIDELINES = "sidelines", _l("On the sidelines of a multilateral meeting")
    RECEPTION = "reception", _l("Reception or informal")


class InterlocutorLevel(LabelledEnum):
    HEAD_OF_STATE = "head_of_state", _l("Head of state or government")
    MINISTER = "minister", _l("Minister")
    DEPUTY_MINISTER = "deputy_minister", _l("Deputy minister")
    PR_GENEVA = "pr_geneva", _l("Permanent representative in Geneva")
    PR_NEW_YORK = "pr_new_york", _l("Permanent representative in New York")
    AMBASSADOR_CAPITAL = "ambassador_capital", _l("Ambassador in capital")
    SENIOR_OFFICIAL = "senior_official", _l("Senior official")
    WORKING_LEVEL = "working_level", _l("Working level")

    @property
    def is_capital(self) -> bool:
        """Capital-level interlocutors (as opposed to the mission that votes)."""
        return self in (
            InterlocutorLevel.HEAD_OF_STATE,
            InterlocutorLevel.MINISTER,
            InterlocutorLevel.DEPUTY_MINISTER,
        )

    @property
    def is_mission(self) -> bool:
        return self in (InterlocutorLevel.PR_GENEVA, InterlocutorLevel.PR_NEW_YORK)


class PledgeForm(LabelledEnum):
    VERBAL_MEETING = "verbal_meeting", _l("Verbal, in a meeting")
    NOTE_VERBALE = "note_verbale", _l("Note verbale")
    LETTER = "letter", _l("Letter")
    PUBLIC_STATEMENT = "public_statement", _l("Public statement")


class RequestDirection(LabelledEnum):
    THEY_ASK_US = "they_ask_us", _l("They ask us")
    WE_ASK_THEM = "we_ask_them", _l("We ask them")


class RequestStatus(LabelledEnum):
    PENDING = "pending", _l("Pending")
    AGREED = "agreed", _l("Agreed")
    DECLINED = "declined", _l("Declined")
    FULFILLED = "fulfilled", _l("Fulfilled")


class TokenScope(LabelledEnum):
    """What a personal access token may do; write includes read."""

    READ = "read", _l("Read")
    WRITE = "write", _l("Read and write")


class ImportKind(LabelledEnum):
    """What a spreadsheet import brings in."""

    POSITIONS = "positions", _l("Positions (status per state)")
    CONTACTS = "contacts", _l("Contacts")
    OUTREACH = "outreach", _l("Outreach entries")
