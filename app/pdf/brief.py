"""Envoy briefing packs: one state's brief, or a trip pack of several, as PDF bytes."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from app.domain.brief_data import CampaignSnapshot, StateBrief, TripPack
from app.domain.tally_math import SUPPORT_ORDER
from app.pdf import fonts
from app.pdf.brief_sections import state_story, status_marker
from app.pdf.common import (
    CONTENT_WIDTH,
    Heading,
    build_document,
    cap,
    cell,
    data_table,
    fmt_utc,
    markup,
    para,
    safe,
)
from app.pdf.contents import contents_table
from app.pdf.context import DocumentContext
from app.pdf.styles import CLASSIFICATION, INK, RULE
from app.pdf.translate import Translator


def render_state_brief(brief: StateBrief, ctx: DocumentContext) -> bytes:
    """One state's brief as PDF bytes."""
    t = ctx.t
    story = state_story(brief, "state-1", ctx.candidate_state, toc=False, t=t)
    return build_document(
        story, ctx, title=t.gettext("State brief: %(name)s", name=brief.name),
        subject=_subject(ctx, t.gettext("State brief")), flowing=True,
    )


def render_trip_pack(pack: TripPack, ctx: DocumentContext) -> bytes:
    """A trip pack as PDF bytes: cover, contents, campaign snapshot, then one brief per state."""
    t = ctx.t
    story: list[Flowable] = [*_cover(pack, ctx), PageBreak(), *_contents(pack, t)]
    if pack.snapshot is not None:  # left out for readers who may not see the campaign's tally
        story += [PageBreak(), *_snapshot(pack.snapshot, t)]
    for number, brief in enumerate(pack.states, start=1):
        story.append(PageBreak())
        story += state_story(brief, f"state-{number}", ctx.candidate_state, toc=True, t=t)
    return build_document(
        story, ctx, title=pack.title, subject=_subject(ctx, t.gettext("Envoy trip pack")), toc=True, flowing=True
    )


def _subject(ctx: DocumentContext, kind: str) -> str:
    """The PDF subject line: what the document is and for which campaign."""
    return f"{kind} — {ctx.campaign_name}"


def _cover(pack: TripPack, ctx: DocumentContext) -> list[Flowable]:
    """Title, envoy, dates, the states to visit, and who the copy was prepared for."""
    t = ctx.t
    dates = f"{t.date(pack.start_date)} – {t.date(pack.end_date)}"
    states = [
        markup(f"{number}.&nbsp;&nbsp;{safe(brief.name)}", "CoverLine")
        for number, brief in enumerate(pack.states, start=1)
    ]
    names = {"candidate": ctx.candidate, "state": ctx.candidate_state, "office": ctx.office}
    if ctx.election_date:
        line = t.gettext("Candidate: %(candidate)s (%(state)s) for %(office)s, election on %(date)s",
                         date=t.date(ctx.election_date), **names)
    else:
        line = t.gettext("Candidate: %(candidate)s (%(state)s) for %(office)s", **names)
    campaign = f"{safe(ctx.campaign_name)}<br/>{safe(line)}"
    envoy_label, dates_label = safe(t.gettext("Envoy:")), safe(t.gettext("Dates:"))
    stamp = Table(
        [[para(cap(ctx.classification, 300), "CoverClassification")]], colWidths=[CONTENT_WIDTH]
    )
    stamp.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, CLASSIFICATION)]))
    return [
        Spacer(1, 30 * mm),
        para(t.gettext("ENVOY TRIP PACK"), "Overline"),
        para(pack.title, "CoverTitle"),
        markup(f"<b>{envoy_label}</b> {safe(pack.envoy)}", "CoverLine"),
        markup(f"<b>{dates_label}</b> {safe(dates)}", "CoverLine"),
        Spacer(1, 10 * mm),
        Heading(t.gettext("States to visit"), "H2", rule=True),
        *states,
        Spacer(1, 10 * mm),
        markup(campaign, "Muted"),
        Spacer(1, 22 * mm),
        stamp,
        Spacer(1, 4 * mm),
        para(t.gettext("Prepared for %(name)s on %(time)s", name=ctx.recipient,
                       time=fmt_utc(ctx.generated_at)), "Muted"),
    ]


def _contents(pack: TripPack, t: Translator) -> list[Flowable]:
    """The contents: snapshot and states, with page numbers filled in at save (one layout pass)."""
    entries = [(t.gettext("Campaign snapshot"), "snapshot")] if pack.snapshot is not None else []
    entries += [(brief.name, f"state-{number}") for number, brief in enumerate(pack.states, start=1)]
    return [Heading(t.gettext("Contents"), "H1"), contents_table(entries)]


def _snapshot(snapshot: CampaignSnapshot, t: Translator) -> list[Flowable]:
    """Key figures, the tally as a bar against the winning line, and counts by status."""
    return [
        Heading(t.gettext("Campaign snapshot"), "H1", key="snapshot", level=0, toc=True),
        _key_figures(snapshot, t),
        Spacer(1, 8 * mm),
        KeepTogether(
            [
                Heading(t.gettext("Tally against the winning line"), "H2", rule=True),
                _bar(snapshot, t),
                para(_gap_sentence(snapshot, t), "Muted"),
            ]
        ),
        Heading(t.gettext("States by status"), "H2", rule=True),
        _counts_table(snapshot, t),
    ]


def _key_figures(snapshot: CampaignSnapshot, t: Translator) -> Table:
    """Four large figures between two rules."""
    figures = [
        (t.number(snapshot.electorate_size), t.gettext("Electorate")),
        (t.number(snapshot.votes_needed), t.gettext("Votes needed to win")),
        (t.number(snapshot.firm_votes), t.gettext("Firm votes (pledges)")),
        (t.number(snapshot.expected_votes, 1), t.gettext("Expected votes")),
    ]
    tiles = Table(
        [
            [para(value, "Title") for value, _ in figures],
            [para(label, "Muted") for _, label in figures],
        ],
        colWidths=[CONTENT_WIDTH / 4] * 4,
        hAlign="LEFT",
    )
    tiles.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return tiles


def _gap_sentence(snapshot: CampaignSnapshot, t: Translator) -> str:
    """How far firm and expected votes stand from the winning line, in words."""
    gap = snapshot.votes_needed - snapshot.firm_votes
    if gap > 0:
        firm = t.ngettext("%(num)s short of the winning line", "%(num)s short of the winning line", gap)
    else:
        firm = t.gettext("at or past the winning line")
    return " ".join([
        t.gettext("Firm votes: %(firm)s of %(needed)s needed (%(gap)s).", firm=snapshot.firm_votes,
                  needed=snapshot.votes_needed, gap=firm),
        t.gettext("Expected votes: %(expected)s.", expected=t.number(snapshot.expected_votes, 1)),
        t.gettext("Bar order, left to right: written and verbal pledges, leaning for, undecided, "
                  "approached, not approached, leaning against, against."),
    ])


def _counts_table(snapshot: CampaignSnapshot, t: Translator) -> Flowable:
    """Counts by status with their share of the electorate."""
    total = snapshot.electorate_size or sum(count for _, count in snapshot.counts) or 1
    rows = [
        [
            cell(status_marker(status, t)),
            para(str(count), "CellRight"),
            para(t.percent(count / total), "CellRight"),
        ]
        for status, count in snapshot.counts
    ]
    widths = [CONTENT_WIDTH - 70 * mm, 35 * mm, 35 * mm]
    header = [
        t.gettext("Status"),
        para(t.gettext("States"), "CellHeadRight"),
        para(t.gettext("Share of electorate"), "CellHeadRight"),
    ]
    return data_table(header, rows, widths)


def _bar(snapshot: CampaignSnapshot, t: Translator) -> Drawing:
    """A stacked bar of states by status, most favourable first, with the winning line marked."""
    counts = dict(snapshot.counts)
    total = max(snapshot.electorate_size, sum(counts.values()), 1)
    width, height = CONTENT_WIDTH, 34
    drawing = Drawing(width, height + 16)
    x = 0.0
    for status in SUPPORT_ORDER:  # most favourable first: the bar fills towards the winning line
        share = width * counts.get(status, 0) / total
        if share:
            drawing.add(
                Rect(
                    x,
                    12,
                    share,
                    height - 12,
                    fillColor=HexColor(status.colour),
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
        x += share
    line_x = width * min(snapshot.votes_needed, total) / total
    drawing.add(Line(line_x, 6, line_x, height + 4, strokeColor=INK, strokeWidth=1.2))
    label = t.gettext("Winning line: %(line)s", line=snapshot.votes_needed)
    anchor = "end" if line_x > width - 60 else "start"
    offset = -3 if anchor == "end" else 3
    drawing.add(
        String(
            line_x + offset,
            height + 6,
            label,
            fontName=fonts.BOLD,
            fontSize=7.5,
            textAnchor=anchor,
            fillColor=INK,
        )
    )
    return drawing
