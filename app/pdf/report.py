"""The leadership report: figures, seat chart, trend and attention lists on a few A4 pages."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from app.charts.hemicycle import Seat, hemicycle_drawing
from app.charts.histogram import histogram_drawing, percent
from app.charts.trend import trend_drawing
from app.domain.dashboard import Dashboard, StageForecast
from app.domain.enums import SupportStatus
from app.domain.forecast_math import Forecast
from app.pdf.common import CONTENT_WIDTH, build_document, data_table, para
from app.pdf.context import DocumentContext
from app.pdf.translate import Translator

ATTENTION_ROWS = 20  # per list; the desk shows the rest
# Column heads short enough not to break mid-word in an A4 table.
def short_labels(t: Translator) -> dict[SupportStatus, str]:
    return {
        SupportStatus.NOT_APPROACHED: t.gettext("Not appr."), SupportStatus.APPROACHED: t.gettext("Appr."),
        SupportStatus.UNDECIDED: t.gettext("Undec."), SupportStatus.LEANING_FOR: t.gettext("Lean. for"),
        SupportStatus.VERBAL_PLEDGE: t.gettext("Verbal"), SupportStatus.WRITTEN_PLEDGE: t.gettext("Written"),
        SupportStatus.LEANING_AGAINST: t.gettext("Lean. ag."), SupportStatus.AGAINST: t.gettext("Against"),
    }


def render_report(board: Dashboard, seats: list[Seat], ctx: DocumentContext) -> bytes:
    """The dashboard as PDF bytes; draws what the service computed and nothing else."""
    t = ctx.t
    story = [*_headline(board, t), *_charts(board, seats, t), CondPageBreak(70 * mm), *_forecasts(board, t),
             *_breakdown(board, t), *_attention(board, t)]
    return build_document(story, ctx, title=t.gettext("Tally report — %(name)s", name=board.campaign_name),
                          subject=t.gettext("Tally against the winning line as of %(date)s", date=t.date(board.today)))


def _headline(board: Dashboard, t: Translator) -> list[Flowable]:
    y = board.tally
    firm_gap = (t.gettext("%(num)s more needed", num=y.firm_gap) if y.firm_gap > 0
                else t.gettext("clears the line by %(num)s", num=-y.firm_gap))
    expected_gap = (t.gettext("%(num)s short", num=t.number(y.expected_gap, 1)) if y.expected_gap > 0
                    else t.gettext("%(num)s above the line", num=t.number(-y.expected_gap, 1)))
    rows = [[para(v, "CellBold") for v in (y.electorate, y.votes_needed, y.firm, t.number(y.expected, 1))],
            [para(v, "CellMuted") for v in (t.gettext("%(num)s expected to vote", num=y.turnout), t.label(y.rule),
                                            firm_gap, expected_gap)]]
    return [
        para(t.gettext("Tally as of %(date)s", date=t.date(board.today)), "H1"),
        para(f"{board.campaign_name} · {board.stage_name} {t.date(board.election_date)}", "Subtitle"),
        data_table([t.gettext("Voters"), t.gettext("Needed to win"), t.gettext("Firm votes"),
                    t.gettext("Expected votes")], rows, [CONTENT_WIDTH / 4] * 4, groups=[2]),
        Spacer(0, 3 * mm),
        para(y.formula, "Muted"),
    ]


def _charts(board: Dashboard, seats: list[Seat], t: Translator) -> list[Flowable]:
    width = CONTENT_WIDTH
    return [
        para(t.gettext("Seat chart"), "H2"),
        hemicycle_drawing(seats, board.tally.votes_needed, width, width * 0.62, t),
        para(t.gettext("Firm and expected votes per week"), "H2"),
        trend_drawing(board.trend, board.tally.votes_needed, board.tally.electorate, width, 62 * mm, t),
    ]


def _points(change: float | None, to: SupportStatus | None, t: Translator) -> str:
    if change is None or to is None:
        return "—"
    return t.gettext("%(points)s pts (%(status)s)", points=t.signed(change * 100), status=t.label(to))


def _forecast(f: StageForecast, fc: Forecast, t: Translator) -> list[Flowable]:
    low, high = fc.interval
    story: list[Flowable] = [
        para(t.gettext("Chance of winning: %(stage)s", stage=f.stage_name), "H1"),
        para(t.gettext("%(chance)s chance of reaching the line (Monte Carlo error ±%(error)s pts); median %(median)s "
                       "votes, 80%% between %(low)s and %(high)s; %(line)s needed.",
                       chance=percent(fc.probability, t),
                       error=t.number(fc.standard_error * 100, 1), median=fc.median_votes, low=low, high=high,
                       line=fc.median_line), "Body"),
        histogram_drawing(fc, CONTENT_WIDTH * 0.62, 58 * mm, t),
        para(t.gettext("%(draws)s simulated ballots: each voter present and voting with probability %(p)s "
                       "(expected turnout %(turnout)s of %(electorate)s), voting for us with its weight; "
                       "%(abstain)s of the others abstain, the rest vote for rivals.",
                       draws=t.number(fc.draws), p=t.number(f.p_present, 2), turnout=f.expected_turnout,
                       electorate=fc.electorate, abstain=t.percent(f.abstain_share)), "Muted"),
        para(t.gettext("Where to act this week"), "H2"),
    ]
    if not f.swings:
        return [*story, para(t.gettext("No single state moving one rung changes the chance of winning."), "Muted")]
    rows = [[para(s.name, "Cell"),
             para(t.label(s.status) + (t.gettext(" (conditional)") if s.conditional else ""), "Cell"),
             para(_points(s.up, s.up_to, t), "Cell"), para(_points(s.down, s.down_to, t), "Cell"),
             para(", ".join(s.envoys) or "—", "Cell"),
             para(t.date(s.last_contact) if s.last_contact else t.gettext("never"), "Cell")]
            for s in f.swings]
    widths = [34 * mm, 26 * mm, 34 * mm, 34 * mm, 28 * mm]
    header = [t.gettext("State"), t.gettext("Now"), t.gettext("One rung up"), t.gettext("One rung down"),
              t.gettext("Envoy"), t.gettext("Last contact")]
    return [*story, data_table(header, rows, [*widths, CONTENT_WIDTH - sum(widths)])]


def _forecasts(board: Dashboard, t: Translator) -> list[Flowable]:
    """The chance of winning of each stage still to be voted on, with its swing list."""
    story: list[Flowable] = []
    for f in board.forecasts:
        if f.forecast is not None:
            story += [*_forecast(f, f.forecast, t), Spacer(0, 4 * mm)]
    return story


def _breakdown(board: Dashboard, t: Translator) -> list[Flowable]:
    statuses = list(SupportStatus)
    short = short_labels(t)
    header = [t.gettext("Group"), *[short[s] for s in statuses], t.gettext("Firm"), t.gettext("Exp."), t.gettext("All")]
    rows = [[para(r.group.value, "Cell"), *[para(r.counts[s] or "", "Cell") for s in statuses],
             para(r.firm, "CellBold"), para(t.number(r.expected, 1), "Cell"), para(r.total, "Cell")]
            for r in board.tally.by_group]
    first = 24 * mm
    rest = (CONTENT_WIDTH - first) / (len(header) - 1)
    story = [para(t.gettext("By regional group"), "H1"),
             data_table(header, rows, [first] + [rest] * (len(header) - 1)),
             Spacer(0, 2 * mm),
             para(t.gettext("Coverage: %(approached)s of the voters approached; %(recent)s contacted in the "
                            "last 30 days.", approached=t.percent(board.approached_share),
                            recent=t.percent(board.contacted_recently_share)), "Small")]
    header = [t.gettext("Stage"), t.gettext("Date"), t.gettext("Voters"), t.gettext("Line"), t.gettext("Firm"),
              t.gettext("Exp."), t.gettext("Result")]
    story += [para(t.gettext("Stages"), "H2"),
              data_table(header,
                         [[para(f"{st.stage.sequence}. {st.stage.name} ({st.stage.body_label})", "Cell"),
                           para(t.date(st.stage.held_on) + (t.gettext(" (provisional)") if st.stage.date_provisional
                                                            else ""), "Cell"),
                           para(st.electorate_size, "Cell"),
                           para(t.gettext("%(line)s of %(turnout)s", line=st.tally.votes_needed,
                                          turnout=st.tally.turnout), "Cell"),
                           para(st.tally.firm, "Cell"), para(t.number(st.tally.expected, 1), "Cell"),
                           para(t.label(st.stage.result) if not st.awaiting_result else t.gettext("Result awaited"),
                                "Cell")]
                          for st in board.stages],
                         [52 * mm, 30 * mm, 16 * mm, 20 * mm, 14 * mm, 14 * mm, CONTENT_WIDTH - 146 * mm])]
    return story


def _attention(board: Dashboard, t: Translator) -> list[Flowable]:
    story: list[Flowable] = [para(t.gettext("States that need attention"), "H1")]
    # Empty lists in one line, so they never make a page of their own.
    empty = [title for title, items in board.attention_lists if not items]
    if empty:
        story.append(para(t.gettext("Nothing to act on: %(lists)s.", lists="; ".join(map(str, empty))), "Muted"))
    for title, items in board.attention_lists:
        if not items:
            continue
        story.append(para(f"{title} ({len(items)})", "H2"))
        rows = [[para(i.name, "Cell"), para(i.detail, "Cell")] for i in items[:ATTENTION_ROWS]]
        story.append(data_table([t.gettext("State"), t.gettext("Why")], rows, [55 * mm, CONTENT_WIDTH - 55 * mm]))
        if len(items) > ATTENTION_ROWS:
            story.append(para(t.gettext("%(shown)s of %(total)s shown; the full list is on the desk's dashboard "
                                        "under “States that need attention”.", shown=ATTENTION_ROWS, total=len(items)),
                              "Muted"))
    return story
