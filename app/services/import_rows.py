"""One spreadsheet row checked against the desk: what it will change, or every problem it has."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email

from app.domain.enums import Channel, ImportKind, InterlocutorLevel, PledgeForm, SupportStatus
from app.domain.limits import LONG_TEXT_MAX
from app.domain.text import Message, Number
from app.models import Campaign, Position, State
from app.services.contacts import ContactInput
from app.services.outreach import OutreachInput
from app.services.state_search import normalise, search_terms
from app.services.status import Evidence


@dataclass(frozen=True)
class Field:
    """A value an import needs, the column names it is guessed from, and its limits."""

    name: str
    label: Message
    required: bool = False
    max_length: int = 200
    synonyms: tuple[str, ...] = ()


STATE = Field("state", Message("State"), True, 200,
              ("state", "country", "member state", "negara", "iso3", "iso", "code"))
FIELDS: dict[ImportKind, tuple[Field, ...]] = {
    ImportKind.POSITIONS: (
        STATE,
        Field("status", Message("Status"), True, 60, ("status", "position", "stance", "support")),
        Field("effective_on", Message("Date expressed"), False, 40,
            ("date expressed", "date", "effective on", "as of", "tanggal")),
        Field("pledge_form", Message("Evidence: pledge form"), False, 60,
            ("evidence", "pledge form", "form", "pledge")),
        Field("note_reference", Message("Note reference"), False, 120, ("note reference", "reference", "ref", "note")),
        Field("reason", Message("Reason"), False, LONG_TEXT_MAX, ("reason", "why", "comment", "comments", "remarks")),
    ),
    ImportKind.CONTACTS: (
        STATE,
        Field("name", Message("Name"), True, 200, ("name", "full name", "contact", "nama")),
        Field("title", Message("Title"), False, 200, ("title", "position", "function", "jabatan")),
        Field("organisation", Message("Organisation"), False, 200,
            ("organisation", "organization", "ministry", "office")),
        Field("email", Message("Email"), False, 254, ("email", "e-mail", "mail")),
        Field("phone", Message("Phone"), False, 60, ("phone", "telephone", "tel", "mobile")),
    ),
    ImportKind.OUTREACH: (
        Field("occurred_on", Message("Date"), True, 40, ("date", "occurred on", "when", "tanggal")),
        Field("states", Message("State(s), separated by ;"), True, 2000, ("states", "state", "countries", "country")),
        Field("channel", Message("Channel"), True, 80, ("channel", "type", "how", "means")),
        Field("level", Message("Level"), True, 80, ("level", "interlocutor level", "interlocutor", "with")),
        Field("location", Message("Place"), False, 200, ("place", "location", "where", "venue")),
        Field("summary", Message("Summary"), True, LONG_TEXT_MAX,
            ("summary", "notes", "note", "outcome", "description")),
    ),
}

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan", "januari"), ("february", "feb", "februari"), ("march", "mar", "maret"), ("april", "apr"),
    ("may", "mei"), ("june", "jun", "juni"), ("july", "jul", "juli"), ("august", "aug", "agustus", "agu"),
    ("september", "sep", "sept"), ("october", "oct", "oktober", "okt"), ("november", "nov"),
    ("december", "dec", "desember", "des")), 1) for name in names}
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([a-z]+)\.?[ -,]*(\d{4})")


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD (a spreadsheet date arrives so), or "30 November 2026" / "30 Nov 2026"; else None."""
    text = text.strip().casefold()
    try:
        return (
            date.fromisoformat(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}( .*)?", text) else _day_month_year(text)
        )
    except ValueError:
        return None


def _day_month_year(text: str) -> date | None:
    match = DAY_MONTH_YEAR.fullmatch(text)
    if match is None or match.group(2) not in MONTHS:
        return None
    return date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))


def parse_choice(enum_cls, text: str):
    """An enum member by its value or its label, case- and accent-insensitively; None if neither."""
    needle = normalise(text.replace("_", " "))
    for member in enum_cls:
        if needle in (normalise(member.value.replace("_", " ")), normalise(str(member.label))):
            return member
    return None


class StateIndex:
    """Every name a state answers to (UN name, ISO codes, common names) → the states it names."""

    def __init__(self, states: list[State]) -> None:
        self.by_term: dict[str, list[State]] = {}
        for state in states:
            for term in set(search_terms(state.iso3, state.iso2, state.name)):
                self.by_term.setdefault(term, []).append(state)

    def resolve(self, text: str) -> tuple[State | None, Message | None]:
        """The one state a cell names, or a problem: unknown, or ambiguous (naming the candidates)."""
        found = self.by_term.get(normalise(text), [])
        if len(found) == 1:
            return found[0], None
        if not found:
            return None, Message(
                "“%(text)s” is not a state the desk knows (use its UN name, ISO code or common name)", text=text)
        return None, Message("“%(text)s” could be %(states)s: use the ISO code", text=text,
                            states=_either([s.name for s in found]))


def _either(names: list[str]) -> object:
    """"A or B or C", the "or" in the reader's language."""
    text: object = names[0]
    for name in names[1:]:
        text = Message("%(first)s or %(second)s", first=text, second=name)
    return text


class _Labels:
    """An enumeration's labels, "Janji tertulis, Janji lisan, …", in the locale in force when shown."""

    def __init__(self, enum_cls) -> None:
        self.enum_cls = enum_cls

    def __str__(self) -> str:
        return ", ".join(str(m.label) for m in self.enum_cls)


@dataclass
class RowPreview:
    """A row as the preview shows it; `plan` holds the plain values the import will apply."""

    number: int
    subject: str = ""
    changes: list[Message] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)
    plan: object | None = None


@dataclass(frozen=True)
class PositionPlan:
    """A status change to record, as plain values."""

    state: State
    to_status: SupportStatus
    effective_on: date
    evidence: Evidence
    reason: str


@dataclass(frozen=True)
class ContactPlan:
    """A contact to create, as plain values."""

    state: State
    data: ContactInput


@dataclass
class Desk:
    """What the rows are checked against, loaded once per preview, and what earlier rows claimed."""

    campaign: Campaign | None
    today: date
    states: StateIndex
    positions: dict[int, Position]
    latest: dict[int, date]
    contacts: set[tuple[int, str]]
    outreach_on: Callable[[date], set[tuple]]
    seen: dict[tuple, int] = field(default_factory=dict)
    approached: set[int] = field(default_factory=set)

    def status_of(self, state: State) -> SupportStatus:
        position = self.positions.get(state.id)
        return position.status if position else SupportStatus.NOT_APPROACHED

    def first_seen(self, key: tuple, number: int) -> int | None:
        """The earlier row with the same key, else None (and this row is remembered)."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = number
        return earlier


def check_cells(kind: ImportKind, cells: dict[str, str], row: RowPreview) -> None:
    """Empty required cells, text too long, control characters."""
    for spec in FIELDS[kind]:
        value = cells.get(spec.name, "")
        if spec.required and not value:
            row.problems.append(Message("%(column)s is empty", column=spec.label))
        if len(value) > spec.max_length:
            row.problems.append(Message(
                "%(column)s is too long (%(length)s characters; at most %(max)s)", column=spec.label,
                                         length=Number(len(value)), max=Number(spec.max_length)))
        if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
            row.problems.append(Message("%(column)s holds invisible control characters", column=spec.label))


def _day(cells: dict[str, str], name: str, label: Message, desk: Desk, row: RowPreview) -> date | None:
    text = cells.get(name, "")
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        row.problems.append(Message("%(column)s “%(text)s” is not a date: write it as YYYY-MM-DD (e.g. 2026-11-30)",
                                     column=label, text=text))
    elif day > desk.today:
        row.problems.append(Message("%(column)s %(day)s is in the future", column=label, day=day.isoformat()))
    return day


def _choice(enum_cls, text: str, label: Message, row: RowPreview):
    if not text:
        return None
    member = parse_choice(enum_cls, text)
    if member is None:
        row.problems.append(Message("%(column)s “%(text)s” is not one of: %(allowed)s", column=label, text=text,
                                    allowed=_Labels(enum_cls)))
    return member


def _state(text: str, desk: Desk, row: RowPreview) -> State | None:
    if not text:
        return None
    state, problem = desk.states.resolve(text)
    if problem:
        row.problems.append(problem)
    return state


def check_position(cells: dict[str, str], desk: Desk, row: RowPreview) -> None:
    """A status for a state in the campaign: what it moves, or why it cannot."""
    state = _state(cells["state"], desk, row)
    to_status = _choice(SupportStatus, cells["status"], Message("Status"), row)
    day = _day(cells, "effective_on", Message("Date expressed"), desk, row) or desk.today
    pledge_form = _choice(PledgeForm, cells["pledge_form"], Message("Evidence"), row)
    if pledge_form and to_status and not to_status.is_pledge:
        row.problems.append(Message("An evidence form goes only with a verbal or written pledge"))
    if state is None:
        return
    row.subject = state.name
    earlier = desk.first_seen(("state", state.id), row.number)
    if earlier:
        row.problems.append(Message(
            "%(state)s is also on row %(row)d: keep one row per state", state=state.name, row=earlier))
    if to_status is None or row.problems:
        return
    current = desk.status_of(state)
    latest = desk.latest.get(state.id)
    if current is to_status:
        row.changes.append(Message(
            "%(state)s: already %(status)s; nothing to change", state=state.name, status=to_status.label))
        return
    if latest and day < latest:
        row.changes.append(Message("%(state)s: %(status)s on %(day)s joins the history; the current status stays "
                                   "%(current)s (a later change, %(latest)s)", state=state.name, status=to_status.label,
                                   day=day.isoformat(), current=current.label, latest=latest.isoformat()))
    else:
        row.changes.append(Message("%(state)s: %(current)s → %(status)s", state=state.name, current=current.label,
                                   status=to_status.label))
    evidence = Evidence(pledge_form=pledge_form, note_reference=cells["note_reference"])
    row.plan = PositionPlan(state, to_status, day, evidence, cells["reason"] or "Imported from a spreadsheet.")


def check_contact(cells: dict[str, str], desk: Desk, row: RowPreview) -> None:
    """A new contact of a state."""
    state = _state(cells["state"], desk, row)
    name, email = cells["name"], cells["email"]
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            row.problems.append(Message("Email “%(email)s” is not an email address", email=email))
    if state is None or not name:
        return
    row.subject = state.name
    key = (state.id, normalise(name))
    earlier = desk.first_seen(("contact", *key), row.number)
    if earlier:
        row.problems.append(Message("Duplicate of row %(row)d (same state and name)", row=earlier))
    if key in desk.contacts:
        row.problems.append(Message(
            "%(state)s already has a contact named %(name)s on the desk", state=state.name, name=name))
    if row.problems:
        return
    row.changes.append(Message("%(state)s: new contact %(name)s", state=state.name,
                               name=name + (f", {cells['title']}" if cells["title"] else "")))
    row.plan = ContactPlan(state, ContactInput(name=name, title=cells["title"], organisation=cells["organisation"],
                                               email=email, phone=cells["phone"]))


def check_outreach(cells: dict[str, str], desk: Desk, row: RowPreview) -> None:
    """A new outreach entry serving the campaign; first contacts move states to approached."""
    day = _day(cells, "occurred_on", Message("Date"), desk, row)
    channel = _choice(Channel, cells["channel"], Message("Channel"), row)
    level = _choice(InterlocutorLevel, cells["level"], Message("Level"), row)
    states: list[State] = []
    for part in (p.strip() for p in cells["states"].split(";")):
        state = _state(part, desk, row) if part else None
        if state is not None and state in states:
            row.problems.append(Message("%(state)s is listed twice", state=state.name))
        elif state is not None:
            states.append(state)
    row.subject = "; ".join(s.name for s in states)
    if row.problems or not (day and channel and level and states and cells["summary"]):
        return
    key = (day, tuple(sorted(s.id for s in states)), channel, level, normalise(cells["summary"]))
    earlier = desk.first_seen(("outreach", *key), row.number)
    if earlier:
        row.problems.append(Message("Duplicate of row %(row)d", row=earlier))
    if key in desk.outreach_on(day):
        row.problems.append(Message("The same entry (date, states, channel, level and summary) is already on the desk"))
    if row.problems:
        return
    row.changes.append(Message("New entry on %(day)s (%(channel)s, %(level)s): %(states)s", day=day.isoformat(),
                               channel=channel.label, level=level.label, states=row.subject))
    for state in states:
        if desk.status_of(state) is SupportStatus.NOT_APPROACHED and state.id not in desk.approached:
            desk.approached.add(state.id)
            row.changes.append(Message("%(state)s: %(before)s → %(after)s (first contact)", state=state.name,
                                       before=SupportStatus.NOT_APPROACHED.label, after=SupportStatus.APPROACHED.label))
    row.plan = OutreachInput(
        occurred_on=day, channel=channel, level=level, location=cells["location"], our_participants="",
        their_participants="", summary=cells["summary"], state_ids=[s.id for s in states],
        campaign_ids=[desk.campaign.id] if desk.campaign else [],
    )


CHECKERS = {ImportKind.POSITIONS: check_position, ImportKind.CONTACTS: check_contact,
            ImportKind.OUTREACH: check_outreach}
