"""The sections of one state's brief, each a list of flowables built from a StateBrief."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.domain.brief_data import StateBrief, StatusEvidence
from app.domain.enums import SupportStatus
from app.pdf import fonts
from app.pdf.cells import Run
from app.pdf.common import (
    CONTENT_WIDTH,
    Heading,
    Paragraph,
    cap,
    cell,
    data_table,
    key_value_table,
    none_recorded,
    para,
    safe,
    split_text,
)
from app.pdf.styles import ALERT, MUTED, RULE, status_colour, stylesheet
from app.pdf.translate import ENGLISH, Translator

# Table rows cannot break across pages, so every cell must stay well under a page tall:
# free-text cells are capped, and outreach summaries are spread over several rows.
SUMMARY_CHUNK = 1200  # in the summary column
CONTINUED_CHUNK = 2400  # in a run-on row spanning all columns after the date
LONG_CELL = 700
SHORT_CELL = 300
PEOPLE_CELL = 200  # each side of a meeting, in a narrow column
LABEL_CELL = 120  # enum labels and names of things: a few words in practice
BAR_WIDTH = 4
BOX_PADDING = 10


def state_story(
    brief: StateBrief, key: str, candidate_state: str, toc: bool, t: Translator = ENGLISH
) -> list[Flowable]:
    """All sections of one state's brief, in reading order."""
    return [
        *_title_block(brief, key, toc, t),
        *_status_section(brief, key, t),
        *_ask_section(brief, key, t),
        *_requests_section(brief, key, t),
        *_history_section(brief, key, t),
        *_outreach_section(brief, key, t),
        *_follow_up_section(brief, key, t),
        *_contacts_section(brief, key, t),
        *_profile_section(brief, key, candidate_state, t),
    ]


def status_marker(status: SupportStatus, t: Translator = ENGLISH) -> list[Run]:
    """A coloured square followed by the status label."""
    return [Run("■", colour=status_colour(status)), Run(f"\u00a0{t.label(status)}")]


def _section(title: str, key: str, slug: str) -> Heading:
    """A section heading with a rule, listed in the outline under its state."""
    return Heading(title, "H2", key=f"{key}-{slug}", level=1, rule=True)


def _title_block(brief: StateBrief, key: str, toc: bool, t: Translator) -> list[Flowable]:
    """State name, group, membership and priority, as a heading and a facts strip."""
    member = t.gettext("UN member state") if brief.un_member else t.gettext("Not a UN member state")
    term = "—"
    if brief.hrc_term_start and brief.hrc_term_end:
        term = f"{brief.hrc_term_start}–{brief.hrc_term_end}"
    electorate = t.gettext("Member") if brief.in_electorate else t.gettext("Not a member")
    facts = [
        (t.gettext("Regional group"), brief.regional_group),
        (t.gettext("Electorate"), electorate),
        (t.gettext("HRC term"), term),
        (t.gettext("Priority"), brief.priority),
    ]
    strip = Table(
        [
            [para(label.upper(), "Label") for label, _ in facts],
            [para(cap(value, LABEL_CELL, t), "CellBold") for _, value in facts],
        ],
        colWidths=[CONTENT_WIDTH * share for share in (0.4, 0.2, 0.2, 0.2)],
        hAlign="LEFT",
    )
    strip.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    return [
        para(t.gettext("STATE BRIEF"), "Overline"),
        Heading(brief.name, "Title", key=key, level=0, toc=toc),
        para(f"{member} · {brief.iso3}", "Subtitle"),
        strip,
    ]


def _status_section(brief: StateBrief, key: str, t: Translator) -> list[Flowable]:
    """The current status in a box with a bar of its colour, and the evidence behind it."""
    when = t.date(brief.status_set_on)
    setter = cap(brief.status_set_by, LABEL_CELL, t)
    set_line = (t.gettext("Set %(date)s by %(name)s", date=when, name=setter) if setter
                else t.gettext("Set %(date)s", date=when))
    content: list[Flowable] = [
        para(t.gettext("CURRENT STATUS"), "Label"),
        cell(status_marker(brief.status, t), style="StatusValue"),
        para(set_line, "CellMuted"),
    ]
    pairs = _evidence_pairs(brief.evidence, t)
    inner = CONTENT_WIDTH - BAR_WIDTH - 2 * BOX_PADDING
    if pairs:
        content.append(Spacer(1, 3))
        content.append(key_value_table(pairs, [34 * mm, inner - 34 * mm], inset=0))
    box = Table([["", content]], colWidths=[BAR_WIDTH, CONTENT_WIDTH - BAR_WIDTH], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, 0), brief.status.colour),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (1, 0), (1, 0), BOX_PADDING),
                ("RIGHTPADDING", (1, 0), (1, 0), BOX_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [_section(t.gettext("Status"), key, "status"), box]


def _evidence_pairs(evidence: StatusEvidence | None, t: Translator) -> list[tuple[str, Flowable]]:
    """Label/value rows for whatever evidence was recorded."""
    if evidence is None:
        return []
    note = ""
    if evidence.note_reference or evidence.note_date:
        note = cap(evidence.note_reference, LABEL_CELL, t) or t.gettext("(no reference)")
        if evidence.note_date:
            note += t.gettext(", dated %(date)s", date=t.date(evidence.note_date))
    conditional: list[Run] = []
    if evidence.conditional:
        condition = cap(evidence.condition, SHORT_CELL, t) or t.gettext("condition not recorded")
        conditional = [Run(t.gettext("Yes"), fonts.BOLD, ALERT), Run(f" — {condition}")]
    rows: list[tuple[str, str | list[Run]]] = [
        (t.gettext("Pledge given by"), cap(evidence.level, LABEL_CELL, t)),
        (t.gettext("Form"), cap(evidence.form, LABEL_CELL, t)),
        (t.gettext("Note reference"), note),
        (t.gettext("Conditional"), conditional),
        (t.gettext("Reason"), cap(evidence.reason, LONG_CELL, t)),
    ]
    return [(label, cell(value)) for label, value in rows if value]


def _ask_section(brief: StateBrief, key: str, t: Translator) -> list[Flowable]:
    """What we ask of this state, highlighted, then the talking points as bullets."""
    ask = para(brief.ask, "Callout") if brief.ask.strip() else none_recorded(t)
    points = [line.strip() for line in brief.talking_points.splitlines() if line.strip()]
    bullets: list[Flowable] = [
        Paragraph(safe(point.lstrip("-*•–· ").strip()), stylesheet()["Bullet"], bulletText="•")
        for point in points
    ]
    return [
        _section(t.gettext("The ask"), key, "the-ask"),
        ask,
        _section(t.gettext("Talking points"), key, "talking-points"),
        *(bullets or [none_recorded(t)]),
    ]


def _requests_section(brief: StateBrief, key: str, t: Translator) -> list[Flowable]:
    """Reciprocal requests for support, both ways."""
    rows = []
    for request in brief.requests:
        detail = " · ".join(cap(str(part), LABEL_CELL, t) for part in (request.post, request.year) if part)
        election: list[str | Run] = [cap(request.body, SHORT_CELL, t)]
        if detail:
            election.append(Run(detail, colour=MUTED))
        rows.append(
            [
                para(cap(request.direction, LABEL_CELL, t), "Cell"),
                cell(*election),
                para(cap(request.status, LABEL_CELL, t), "CellBold"),
                para(cap(request.notes, LONG_CELL, t), "Cell"),
            ]
        )
    widths = [26 * mm, 56 * mm, 22 * mm, CONTENT_WIDTH - 104 * mm]
    header = (t.gettext("Direction"), t.gettext("Election"), t.gettext("Status"), t.gettext("Notes"))
    return [
        _section(t.gettext("Reciprocal requests"), key, "reciprocal-requests"),
        _table_or_none(header, rows, widths, t),
    ]


def _history_section(brief: StateBrief, key: str, t: Translator) -> list[Flowable]:
    """How the status got where it is."""
    rows = []
    for change in brief.history:
        before = status_marker(change.from_status, t) if change.from_status else "—"
        detail: list[str | Run] = [cap(change.reason, LONG_CELL, t)]
        if change.evidence:
            label = t.gettext("Evidence:")
            detail.append(Run(f"{label} {cap(change.evidence, SHORT_CELL, t)}", colour=MUTED))
        rows.append(
            [
                para(t.date(change.changed_at.date()), "Cell"),
                cell(before, [Run("→ "), *status_marker(change.to_status, t)]),
                para(cap(change.changed_by, LABEL_CELL, t), "Cell"),
                cell(*detail),
            ]
        )
    widths = [22 * mm, 40 * mm, 32 * mm, CONTENT_WIDTH - 94 * mm]
    header = (t.gettext("Date"), t.gettext("Change"), t.gettext("By"), t.gettext("Reason and evidence"))
    return [_section(t.gettext("Status history"), key, "status-history"), _table_or_none(header, rows, widths, t),
            *_older_changes(brief.older_history, t)]


def _outreach_section(brief: StateBrief, key: str, t: Translator) -> list[Flowable]:
    """Latest contacts; a long summary runs on over extra rows rather than being cut."""
    rows: list[list[Flowable | str]] = []
    groups: list[int] = []
    run_on: set[int] = set()
    for entry in brief.outreach:
        when: list[str | Run] = [t.date(entry.occurred_on)]
        if entry.location:
            when.append(Run(cap(entry.location, LABEL_CELL, t), colour=MUTED))
        who = [[Run(label, fonts.BOLD), Run(f" {cap(people, PEOPLE_CELL, t)}")]
               for label, people in ((t.gettext("Us:"), entry.our_participants),
                                     (t.gettext("Them:"), entry.their_participants)) if people]
        chunks = split_text(entry.summary, CONTINUED_CHUNK, first=SUMMARY_CHUNK)
        first: list[Flowable | str] = [
            cell(*when),
            para(cap(entry.channel, LABEL_CELL, t), "Cell"),
            para(cap(entry.level, LABEL_CELL, t), "Cell"),
            cell(*who) if who else para("—", "Cell"),
            para(chunks[0], "Cell"),
        ]
        rows.append(first)
        for chunk in chunks[1:]:
            rows.append([para(t.gettext("(continued)"), "CellMuted"), para(chunk, "Cell"), "", "", ""])
            run_on.add(len(rows))  # the full width after the date: easier to read, fewer pages
        groups.append(len(chunks))
    widths = [21 * mm, 22 * mm, 22 * mm, 32 * mm, CONTENT_WIDTH - 97 * mm]
    header = (t.gettext("Date"), t.gettext("Channel"), t.gettext("Level"), t.gettext("Who"),
              t.gettext("Summary"))
    if not rows:
        return [_section(t.gettext("Latest outreach"), key, "latest-outreach"), none_recorded(t),
                *_older_entries(brief.older_outreach, t)]
    table = data_table(header, rows, widths, groups, run_on=frozenset(run_on))
    return [
        _section(t.gettext("Latest outreach"), key, "latest-outreach"),
        table,
        *_older_entries(brief.older_outreach, t),
    ]


def _older_changes(count: int, t: Translator) -> list[Flowable]:
    """How many older status changes are left out; the desk holds them all."""
    if count <= 0:
        return []
    return [para(t.ngettext("%(num)s older status change not printed: see the state page on the desk.",
                            "%(num)s older status changes not printed: see the state page on the desk.", count),
                 "Muted")]


def _older_entries(count: int, t: Translator) -> list[Flowable]:
    """How many older outreach entries are left out; the desk holds them all."""
    if count <= 0:
        return []
    return [para(t.ngettext("%(num)s older entry not printed: see the state page on the desk.",
                            "%(num)s older entries not printed: see the state page on the desk.", count), "Muted")]


def _follow_up_section(brief: StateBrief, key: str, t: Translator) -> list[Flowable]:
    """Open actions, overdue ones flagged."""
    rows = []
    for item in brief.follow_ups:
        due: list[str | Run] = [t.date(item.due_on)]
        if item.overdue:
            due.append(Run(t.gettext("OVERDUE"), fonts.BOLD, ALERT))
        rows.append(
            [
                cell(*due),
                para(cap(item.text, LONG_CELL, t), "Cell"),
                para(cap(item.owner, LABEL_CELL, t) or "—", "Cell"),
            ]
        )
    widths = [26 * mm, CONTENT_WIDTH - 66 * mm, 40 * mm]
    header = (t.gettext("Due"), t.gettext("Action"), t.gettext("Owner"))
    more = []
    if brief.more_follow_ups > 0:
        more = [para(t.ngettext("%(num)s more open follow-up not printed: see the follow-ups on the desk.",
                                "%(num)s more open follow-ups not printed: see the follow-ups on the desk.",
                                brief.more_follow_ups), "Muted")]
    return [_section(t.gettext("Open follow-ups"), key, "open-follow-ups"), _table_or_none(header, rows, widths, t),
            *more]


def _contacts_section(brief: StateBrief, key: str, t: Translator) -> list[Flowable]:
    """People to reach, primary contacts first as recorded."""
    rows = []
    for contact in brief.contacts:
        name: list[str | Run] = [Run(cap(contact.name, SHORT_CELL, t), fonts.BOLD)]
        if contact.primary:
            name.append(Run(t.gettext("Primary contact"), colour=MUTED))
        role = [cap(part, SHORT_CELL, t) for part in (contact.title, contact.organisation) if part]
        rows.append(
            [
                cell(*name),
                cell(*(role or ["—"])),
                para(cap(contact.email, SHORT_CELL, t) or "—", "Cell"),
                para(cap(contact.phone, SHORT_CELL, t) or "—", "Cell"),
            ]
        )
    widths = [42 * mm, 56 * mm, 44 * mm, CONTENT_WIDTH - 142 * mm]
    header = (t.gettext("Name"), t.gettext("Title and organisation"), t.gettext("Email"), t.gettext("Phone"))
    return [_section(t.gettext("Contacts"), key, "contacts"), _table_or_none(header, rows, widths, t)]


def _profile_section(brief: StateBrief, key: str, candidate_state: str, t: Translator) -> list[Flowable]:
    """Reference facts on government and missions."""
    profile = brief.profile
    facts = [
        (t.gettext("Capital"), profile.capital),
        (t.gettext("Head of state"), profile.head_of_state),
        (t.gettext("Foreign minister"), profile.foreign_minister),
        (t.gettext("Mission in Geneva"), profile.mission_geneva),
        (t.gettext("Mission in New York"), profile.mission_new_york),
        (t.gettext("Embassy of %(state)s", state=candidate_state), profile.our_embassy),
    ]
    if not any(value for _, value in facts):
        return [_section(t.gettext("Profile"), key, "profile"), none_recorded(t)]
    pairs = [(label, para(cap(value, LONG_CELL, t) or "—", "Cell")) for label, value in facts]
    return [_section(t.gettext("Profile"), key, "profile"), key_value_table(pairs, [46 * mm, CONTENT_WIDTH - 46 * mm])]


def _table_or_none(header, rows, widths, t: Translator) -> Flowable:
    """The data table, or the "None recorded." line when there is nothing to show."""
    return data_table(header, rows, widths) if rows else none_recorded(t)
