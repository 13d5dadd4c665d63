"""The leadership report: figures, seat chart, trend and attention lists on a few A4 pages."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from app.charts.hemicycle import Seat, hemicycle_drawing
from app.charts.histogram import histogram_drawing, percent
from app.charts.trend import trend_drawing
from app.models.enums import SupportStatus
from app.pdf.brief_data import DocumentContext
from app.pdf.common import CONTENT_WIDTH, build_document, data_table, fmt_date, para
from app.services.dashboard import Dashboard
from app.services.forecast import StageForecast

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
    story = [*_headline(board), *_charts(board, seats), CondPageBreak(70 * mm), *_forecasts(board), *_breakdown(board),
             *_attention(board)]
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


def _points(change: float | None, to: SupportStatus | None) -> str:
    return "—" if change is None or to is None else f"{change * 100:+.1f} pts ({to.label})"


def _forecast(f: StageForecast) -> list[Flowable]:
    fc = f.forecast
    low, high = fc.interval
    story: list[Flowable] = [
        para(f"Chance of winning: {f.stage_name}", "H1"),
        para(f"{percent(fc.probability)} chance of reaching the line (Monte Carlo error ±{fc.standard_error * 100:.1f} "
             f"pts); median {fc.median_votes} votes, 80% between {low} and {high}; {fc.median_line} needed.", "Body"),
        histogram_drawing(fc, CONTENT_WIDTH * 0.62, 58 * mm),
        para(f"{fc.draws:,} simulated ballots: each voter present and voting with probability {f.p_present:.2f} "
             f"(expected turnout {f.expected_turnout} of {fc.electorate}), voting for us with its weight; "
             f"{f.abstain_share:.0%} of the others abstain, the rest vote for rivals.", "Muted"),
        para("Where to act this week", "H2"),
    ]
    if not f.swings:
        return [*story, para("No single state moving one rung changes the chance of winning.", "Muted")]
    rows = [[para(s.name, "Cell"), para(s.status.label + (" (conditional)" if s.conditional else ""), "Cell"),
             para(_points(s.up, s.up_to), "Cell"), para(_points(s.down, s.down_to), "Cell"),
             para(", ".join(s.envoys) or "—", "Cell"), para(fmt_date(s.last_contact) if s.last_contact else "never", "Cell")]
            for s in f.swings]
    widths = [34 * mm, 26 * mm, 34 * mm, 34 * mm, 28 * mm]
    return [*story, data_table(["State", "Now", "One rung up", "One rung down", "Envoy", "Last contact"], rows,
                               [*widths, CONTENT_WIDTH - sum(widths)])]


def _forecasts(board: Dashboard) -> list[Flowable]:
    """The chance of winning of each stage still to be voted on, with its swing list."""
    story: list[Flowable] = []
    for f in board.forecasts:
        if f.forecast is not None:
            story += [*_forecast(f), Spacer(0, 4 * mm)]
    return story


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
    # Empty lists in one line, so they never make a page of their own.
    empty = [title for title, items in board.attention_lists if not items]
    if empty:
        story.append(para(f"Nothing to act on: {'; '.join(empty)}.", "Muted"))
    for title, items in board.attention_lists:
        if not items:
            continue
        story.append(para(f"{title} ({len(items)})", "H2"))
        rows = [[para(i.name, "Cell"), para(i.detail, "Cell")] for i in items[:ATTENTION_ROWS]]
        story.append(data_table(["State", "Why"], rows, [55 * mm, CONTENT_WIDTH - 55 * mm]))
        if len(items) > ATTENTION_ROWS:
            story.append(para(f"{ATTENTION_ROWS} of {len(items)} shown; the full list is on the desk's dashboard "
                              "under “States that need attention”.", "Muted"))
    return story
