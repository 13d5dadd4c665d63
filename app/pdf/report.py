"""The leadership report: figures, seat chart, trend and attention lists on a few A4 pages."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from app.charts.hemicycle import Seat, hemicycle_drawing
from app.charts.trend import trend_drawing
from app.models.enums import SupportStatus
from app.pdf.brief_data import DocumentContext
from app.pdf.common import CONTENT_WIDTH, build_document, data_table, fmt_date, none_recorded, para
from app.services.dashboard import Dashboard

ATTENTION_ROWS = 20  # per list; the desk shows the rest
# Column heads short enough not to break mid-word in an A4 table.
SHORT_LABELS = {
    SupportStatus.NOT_APPROACHED: "Not appr.", SupportStatus.APPROACHED: "Appr.",
    SupportStatus.UNDECIDED: "Undec.", SupportStatus.LEANING_FOR: "Lean. for",
    SupportStatus.VERBAL_PLEDGE: "Verbal", SupportStatus.WRITTEN_PLEDGE: "Written",
    SupportStatus.LEANING_AGAINST: "Lean. ag.", SupportStatus.AGAINST: "Against",
}


def render_report(board: Dashboard, seats: list[Seat], ctx: DocumentContext) -> bytes:
    """The dashboard as PDF bytes; draws what the service computed and nothing else."""
    story = [*_headline(board), *_charts(board, seats), PageBreak(), *_breakdown(board), *_attention(board)]
    return build_document(story, ctx, title=f"Tally report — {board.campaign_name}",
                          subject=f"Tally against the winning line as of {board.today.isoformat()}")


def _headline(board: Dashboard) -> list[Flowable]:
    t = board.tally
    firm_gap = f"{t.firm_gap} more needed" if t.firm_gap > 0 else f"clears the line by {-t.firm_gap}"
    expected_gap = f"{t.expected_gap:.1f} short" if t.expected_gap > 0 else f"{-t.expected_gap:.1f} above the line"
    rows = [[para(v, "CellBold") for v in (t.electorate, t.votes_needed, t.firm, t.expected_display)],
            [para(v, "CellMuted") for v in (f"{t.turnout} expected to vote", str(t.rule.label), firm_gap, expected_gap)]]
    return [
        para(f"Tally as of {fmt_date(board.today)}", "H1"),
        para(f"{board.campaign_name} · {board.stage_name} {fmt_date(board.election_date)}", "Subtitle"),
        data_table(["Voters", "Needed to win", "Firm votes", "Expected votes"], rows, [CONTENT_WIDTH / 4] * 4, groups=[2]),
        Spacer(0, 3 * mm),
        para(t.formula, "Muted"),
    ]


def _charts(board: Dashboard, seats: list[Seat]) -> list[Flowable]:
    width = CONTENT_WIDTH
    return [
        para("Seat chart", "H2"),
        hemicycle_drawing(seats, board.tally.votes_needed, width, width * 0.62),
        para("Firm and expected votes per week", "H2"),
        trend_drawing(board.trend, board.tally.votes_needed, board.tally.electorate, width, 62 * mm),
    ]


def _breakdown(board: Dashboard) -> list[Flowable]:
    t = board.tally
    statuses = list(SupportStatus)
    header = ["Group", *[SHORT_LABELS[s] for s in statuses], "Firm", "Exp.", "All"]
    rows = [[para(r.group.value, "Cell"), *[para(r.counts[s] or "", "Cell") for s in statuses],
             para(r.firm, "CellBold"), para(f"{r.expected:.1f}", "Cell"), para(r.total, "Cell")] for r in t.by_group]
    first = 24 * mm
    rest = (CONTENT_WIDTH - first) / (len(header) - 1)
    story = [para("By regional group", "H1"),
             data_table(header, rows, [first] + [rest] * (len(header) - 1)),
             Spacer(0, 2 * mm),
             para(f"Coverage: {board.approached_share:.0%} of the voters approached; "
                  f"{board.contacted_recently_share:.0%} contacted in the last 30 days.", "Small")]
    story += [para("Stages", "H2"),
              data_table(["Stage", "Date", "Voters", "Line", "Firm", "Exp.", "Result"],
                         [[para(f"{st.stage.sequence}. {st.stage.name} ({st.stage.body_label})", "Cell"),
                           para(fmt_date(st.stage.held_on) + (" (provisional)" if st.stage.date_provisional else ""), "Cell"),
                           para(st.electorate_size, "Cell"), para(f"{st.tally.votes_needed} of {st.tally.turnout}", "Cell"),
                           para(st.tally.firm, "Cell"), para(st.tally.expected_display, "Cell"),
                           para(st.stage.result.label if not st.awaiting_result else "Result awaited", "Cell")]
                          for st in board.stages],
                         [52 * mm, 30 * mm, 16 * mm, 20 * mm, 14 * mm, 14 * mm, CONTENT_WIDTH - 146 * mm])]
    return story


def _attention(board: Dashboard) -> list[Flowable]:
    story: list[Flowable] = [para("States that need attention", "H1")]
    for title, items in board.attention_lists:
        story.append(para(f"{title} ({len(items)})", "H2"))
        if not items:
            story.append(none_recorded())
            continue
        rows = [[para(i.name, "Cell"), para(i.detail, "Cell")] for i in items[:ATTENTION_ROWS]]
        story.append(data_table(["State", "Why"], rows, [55 * mm, CONTENT_WIDTH - 55 * mm]))
        if len(items) > ATTENTION_ROWS:
            story.append(para(f"… and {len(items) - ATTENTION_ROWS} more in the desk.", "Muted"))
    return story
