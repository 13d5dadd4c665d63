"""The sections of one state's brief, each a list of flowables built from a StateBrief."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.models.enums import SupportStatus
from app.pdf.brief_data import StateBrief, StatusEvidence
from app.pdf.common import (
    CONTENT_WIDTH,
    Heading,
    cap,
    data_table,
    fmt_date,
    key_value_table,
    markup,
    none_recorded,
    para,
    safe,
    split_text,
)
from app.pdf.styles import ALERT_HEX, MUTED_HEX, RULE, stylesheet

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


def state_story(brief: StateBrief, key: str, candidate_state: str, toc: bool) -> list[Flowable]:
    """All sections of one state's brief, in reading order."""
    return [
        *_title_block(brief, key, toc),
        *_status_section(brief, key),
        *_ask_section(brief, key),
        *_requests_section(brief, key),
        *_history_section(brief, key),
        *_outreach_section(brief, key),
        *_follow_up_section(brief, key),
        *_contacts_section(brief, key),
        *_profile_section(brief, key, candidate_state),
    ]


def status_marker(status: SupportStatus) -> str:
    """Markup for a coloured square followed by the status label."""
    return f'<font color="{status.colour}">■</font>&nbsp;{safe(status.label)}'


def _section(title: str, key: str) -> Heading:
    """A section heading with a rule, listed in the outline under its state."""
    slug = title.lower().replace(" ", "-")
    return Heading(title, "H2", key=f"{key}-{slug}", level=1, rule=True)


def _title_block(brief: StateBrief, key: str, toc: bool) -> list[Flowable]:
    """State name, group, membership and priority, as a heading and a facts strip."""
    member = "UN member state" if brief.un_member else "Not a UN member state"
    term = "—"
    if brief.hrc_term_start and brief.hrc_term_end:
        term = f"{brief.hrc_term_start}–{brief.hrc_term_end}"
    electorate = "Member" if brief.in_electorate else "Not a member"
    facts = [
        ("Regional group", brief.regional_group),
        ("Electorate", electorate),
        ("HRC term", term),
        ("Priority", brief.priority),
    ]
    strip = Table(
        [
            [para(label.upper(), "Label") for label, _ in facts],
            [para(cap(value, LABEL_CELL), "CellBold") for _, value in facts],
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
        para("STATE BRIEF", "Overline"),
        Heading(brief.name, "Title", key=key, level=0, toc=toc),
        para(f"{member} · {brief.iso3}", "Subtitle"),
        strip,
    ]


def _status_section(brief: StateBrief, key: str) -> list[Flowable]:
    """The current status in a box with a bar of its colour, and the evidence behind it."""
    setter = f" by {cap(brief.status_set_by, LABEL_CELL)}" if brief.status_set_by else ""
    content: list[Flowable] = [
        para("CURRENT STATUS", "Label"),
        markup(status_marker(brief.status), "StatusValue"),
        para(f"Set {fmt_date(brief.status_set_on)}{setter}", "CellMuted"),
    ]
    pairs = _evidence_pairs(brief.evidence)
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
    return [_section("Status", key), box]


def _evidence_pairs(evidence: StatusEvidence | None) -> list[tuple[str, Flowable]]:
    """Label/value rows for whatever evidence was recorded."""
    if evidence is None:
        return []
    note = ""
    if evidence.note_reference or evidence.note_date:
        note = cap(evidence.note_reference, LABEL_CELL) or "(no reference)"
        if evidence.note_date:
            note += f", dated {fmt_date(evidence.note_date)}"
    conditional = ""
    if evidence.conditional:
        condition = safe(cap(evidence.condition, SHORT_CELL)) or "condition not recorded"
        conditional = f'<font color="{ALERT_HEX}"><b>Yes</b></font> — {condition}'
    rows = [
        ("Pledge given by", safe(cap(evidence.level, LABEL_CELL))),
        ("Form", safe(cap(evidence.form, LABEL_CELL))),
        ("Note reference", safe(note)),
        ("Conditional", conditional),
        ("Reason", safe(cap(evidence.reason, LONG_CELL))),
    ]
    return [(label, markup(value, "Cell")) for label, value in rows if value]


def _ask_section(brief: StateBrief, key: str) -> list[Flowable]:
    """What we ask of this state, highlighted, then the talking points as bullets."""
    ask = para(brief.ask, "Callout") if brief.ask.strip() else none_recorded()
    points = [line.strip() for line in brief.talking_points.splitlines() if line.strip()]
    bullets: list[Flowable] = [
        Paragraph(safe(point.lstrip("-*•–· ").strip()), stylesheet()["Bullet"], bulletText="•")
        for point in points
    ]
    return [
        _section("The ask", key),
        ask,
        _section("Talking points", key),
        *(bullets or [none_recorded()]),
    ]


def _requests_section(brief: StateBrief, key: str) -> list[Flowable]:
    """Reciprocal requests for support, both ways."""
    rows = []
    for request in brief.requests:
        election = safe(cap(request.body, SHORT_CELL))
        detail = " · ".join(
            safe(cap(str(part), LABEL_CELL)) for part in (request.post, request.year) if part
        )
        if detail:
            election += f"<br/><font color='{MUTED_HEX}'>{detail}</font>"
        rows.append(
            [
                para(cap(request.direction, LABEL_CELL), "Cell"),
                markup(election, "Cell"),
                para(cap(request.status, LABEL_CELL), "CellBold"),
                para(cap(request.notes, LONG_CELL), "Cell"),
            ]
        )
    widths = [26 * mm, 56 * mm, 22 * mm, CONTENT_WIDTH - 104 * mm]
    header = ("Direction", "Election", "Status", "Notes")
    return [_section("Reciprocal requests", key), _table_or_none(header, rows, widths)]


def _history_section(brief: StateBrief, key: str) -> list[Flowable]:
    """How the status got where it is."""
    rows = []
    for change in brief.history:
        before = status_marker(change.from_status) if change.from_status else "—"
        detail = safe(cap(change.reason, LONG_CELL))
        if change.evidence:
            evidence = safe(cap(change.evidence, SHORT_CELL))
            detail += f"<br/><font color='{MUTED_HEX}'>Evidence: {evidence}</font>"
        rows.append(
            [
                para(fmt_date(change.changed_at.date()), "Cell"),
                markup(f"{before}<br/>→ {status_marker(change.to_status)}", "Cell"),
                para(cap(change.changed_by, LABEL_CELL), "Cell"),
                markup(detail, "Cell"),
            ]
        )
    widths = [22 * mm, 40 * mm, 32 * mm, CONTENT_WIDTH - 94 * mm]
    header = ("Date", "Change", "By", "Reason and evidence")
    return [_section("Status history", key), _table_or_none(header, rows, widths),
            *_older(brief.older_history, "status change")]


def _outreach_section(brief: StateBrief, key: str) -> list[Flowable]:
    """Latest contacts; a long summary runs on over extra rows rather than being cut."""
    rows: list[list[Flowable | str]] = []
    groups: list[int] = []
    spans: list[tuple] = []
    for entry in brief.outreach:
        when = safe(fmt_date(entry.occurred_on))
        if entry.location:
            where = safe(cap(entry.location, LABEL_CELL))
            when += f"<br/><font color='{MUTED_HEX}'>{where}</font>"
        who = []
        if entry.our_participants:
            who.append(f"<b>Us:</b> {safe(cap(entry.our_participants, PEOPLE_CELL))}")
        if entry.their_participants:
            who.append(f"<b>Them:</b> {safe(cap(entry.their_participants, PEOPLE_CELL))}")
        chunks = split_text(entry.summary, CONTINUED_CHUNK, first=SUMMARY_CHUNK)
        first = [
            markup(when, "Cell"),
            para(cap(entry.channel, LABEL_CELL), "Cell"),
            para(cap(entry.level, LABEL_CELL), "Cell"),
            markup("<br/>".join(who) or "—", "Cell"),
            para(chunks[0], "Cell"),
        ]
        rows.append(first)
        for chunk in chunks[1:]:
            rows.append([para("(continued)", "CellMuted"), para(chunk, "Cell"), "", "", ""])
            # Run-on text takes the full width after the date: easier to read, fewer pages.
            spans.append(("SPAN", (1, len(rows)), (-1, len(rows))))
        groups.append(len(chunks))
    widths = [21 * mm, 22 * mm, 22 * mm, 32 * mm, CONTENT_WIDTH - 97 * mm]
    header = ("Date", "Channel", "Level", "Who", "Summary")
    if not rows:
        return [_section("Latest outreach", key), none_recorded(), *_older(brief.older_outreach, "entry")]
    table = data_table(header, rows, widths, groups, extra=spans)
    return [_section("Latest outreach", key), table, *_older(brief.older_outreach, "entry")]


def _older(count: int, noun: str) -> list[Flowable]:
    """A line saying how much older history is left out; the desk and the CSV/API hold it all."""
    if count <= 0:
        return []
    plural = noun if count == 1 else ("entries" if noun == "entry" else f"{noun}s")
    return [para(f"{count:,} older {plural} not printed: see the state page on the desk.", "Muted")]


def _follow_up_section(brief: StateBrief, key: str) -> list[Flowable]:
    """Open actions, overdue ones flagged."""
    rows = []
    for item in brief.follow_ups:
        due = safe(fmt_date(item.due_on))
        if item.overdue:
            due += f"<br/><font color='{ALERT_HEX}'><b>OVERDUE</b></font>"
        rows.append(
            [
                markup(due, "Cell"),
                para(cap(item.text, LONG_CELL), "Cell"),
                para(cap(item.owner, LABEL_CELL) or "—", "Cell"),
            ]
        )
    widths = [26 * mm, CONTENT_WIDTH - 66 * mm, 40 * mm]
    header = ("Due", "Action", "Owner")
    return [_section("Open follow-ups", key), _table_or_none(header, rows, widths)]


def _contacts_section(brief: StateBrief, key: str) -> list[Flowable]:
    """People to reach, primary contacts first as recorded."""
    rows = []
    for contact in brief.contacts:
        name = f"<b>{safe(cap(contact.name, SHORT_CELL))}</b>"
        if contact.primary:
            name += f"<br/><font color='{MUTED_HEX}'>Primary contact</font>"
        role = "<br/>".join(
            safe(cap(part, SHORT_CELL)) for part in (contact.title, contact.organisation) if part
        )
        rows.append(
            [
                markup(name, "Cell"),
                markup(role or "—", "Cell"),
                para(cap(contact.email, SHORT_CELL) or "—", "Cell"),
                para(cap(contact.phone, SHORT_CELL) or "—", "Cell"),
            ]
        )
    widths = [42 * mm, 56 * mm, 44 * mm, CONTENT_WIDTH - 142 * mm]
    header = ("Name", "Title and organisation", "Email", "Phone")
    return [_section("Contacts", key), _table_or_none(header, rows, widths)]


def _profile_section(brief: StateBrief, key: str, candidate_state: str) -> list[Flowable]:
    """Reference facts on government and missions."""
    profile = brief.profile
    facts = [
        ("Capital", profile.capital),
        ("Head of state", profile.head_of_state),
        ("Head of government", profile.head_of_government),
        ("Foreign minister", profile.foreign_minister),
        ("Mission in Geneva", profile.mission_geneva),
        ("Mission in New York", profile.mission_new_york),
        (f"Embassy of {candidate_state}", profile.our_embassy),
    ]
    if not any(value for _, value in facts):
        return [_section("Profile", key), none_recorded()]
    pairs = [(label, para(cap(value, LONG_CELL) or "—", "Cell")) for label, value in facts]
    return [_section("Profile", key), key_value_table(pairs, [46 * mm, CONTENT_WIDTH - 46 * mm])]


def _table_or_none(header, rows, widths) -> Flowable:
    """The data table, or the "None recorded." line when there is nothing to show."""
    return data_table(header, rows, widths) if rows else none_recorded()
