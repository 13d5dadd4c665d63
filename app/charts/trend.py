"""Trend chart: firm and expected votes per week against the winning line."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.graphics.shapes import Drawing

from app.charts import MUTED, Circle, Line, Scene, Text, text_width, to_drawing, to_svg
from app.domain.tally_math import TrendPoint
from app.pdf.translate import ENGLISH, Translator

FIRM = "#1e6b35"
EXPECTED = "#2f6fb0"
WINNING = "#b3202a"
GRID = "#e1e5ea"
AXIS = "#9aa5b1"
MAX_X_LABELS = 6
X_LABEL_PITCH = 80  # pixels per date label at most: "24 Nov 2025" needs about 60
LEGEND_ROW = 16
MAX_MARKERS = 26  # beyond this the dots merge into a thick line


@dataclass(frozen=True)
class Frame:
    """Plot box and the date and vote scales, shared by both renderers."""

    left: float
    top: float
    width: float
    height: float
    first: date
    last: date
    y_max: float

    def x(self, day: date) -> float:
        """Horizontal position of a day; dates, not indices, so uneven gaps show as such."""
        span = (self.last - self.first).days
        return self.left + self.width * (day - self.first).days / span

    def y(self, votes: float) -> float:
        """Vertical position of a vote count."""
        return self.top + self.height * (1 - votes / self.y_max)


def _step(peak: float, target: int = 5) -> int:
    """A 1-2-5 step giving about `target` whole-vote ticks up to `peak`."""
    raw = max(peak / target, 1)
    base = 10 ** math.floor(math.log10(raw))
    return int(next(m * base for m in (1, 2, 5, 10) if m * base >= raw))


def y_ticks(y_max: float) -> list[int]:
    """Tick values from 0 to `y_max` inclusive."""
    step = _step(y_max)
    return list(range(0, int(y_max) + 1, step))


def trend_frame(
    points: list[TrendPoint], votes_needed: int, electorate: int, width: float, height: float, top: float = 34
) -> Frame:
    """Scales for the chart: the whole electorate on y so the line sits in context."""
    peak = max([electorate, votes_needed, 1] + [max(p.firm, p.expected) for p in points])
    step = _step(peak)
    days = [p.week_end for p in points] or [date(2000, 1, 1)]  # no points: x is never used
    first, last = min(days), max(days)
    if first == last:  # one week: centre it rather than divide by a zero span
        first, last = first - timedelta(days=7), last + timedelta(days=7)
    right = 92  # room for the end-of-line values
    y_max = math.ceil(peak / step) * step  # end the axis on a tick
    return Frame(38, top, width - 38 - right, height - top - 26, first, last, y_max)


def _day_label(day: date, with_year: bool, t: Translator) -> str:
    return t.day_month(day, with_year)


def _x_labels(points: list[TrendPoint], t: Translator, span: float) -> list[tuple[date, str]]:
    """At most MAX_X_LABELS dates (fewer on a narrow chart), evenly picked, the year shown where it changes."""
    most = max(2, min(MAX_X_LABELS, int(span // X_LABEL_PITCH)))
    every = max(1, math.ceil(len(points) / most))
    picked = [p.week_end for p in points[::every]]
    labels, year = [], None
    for day in picked:
        labels.append((day, _day_label(day, day.year != year, t)))
        year = day.year
    return labels


def _draw_axes(scene: Scene, frame: Frame, points: list[TrendPoint], t: Translator) -> None:
    right = frame.left + frame.width
    for tick in y_ticks(frame.y_max):
        y = frame.y(tick)
        scene.add(
            Line(((frame.left, y), (right, y)), AXIS if tick == 0 else GRID, 0.8),
            Text(frame.left - 6, y + 3.5, t.number(tick), 10.5, "end", fill=MUTED),
        )
    base = frame.top + frame.height
    for day, label in _x_labels(points, t, frame.width):
        x = frame.x(day)
        scene.add(
            Line(((x, base), (x, base + 4)), AXIS, 0.8),
            Text(x, base + 16, label, 10.5, "middle", fill=MUTED),
        )


def _draw_series(scene: Scene, frame: Frame, points: list[TrendPoint], t: Translator) -> None:
    firm = tuple((frame.x(p.week_end), frame.y(p.firm)) for p in points)
    expected = tuple((frame.x(p.week_end), frame.y(p.expected)) for p in points)
    if len(points) > 1:
        scene.add(Line(expected, EXPECTED, 2.0), Line(firm, FIRM, 2.4))
    shown = points if len(points) <= MAX_MARKERS else points[-1:]
    for p in shown:
        title = t.gettext("Week to %(day)s: %(firm)s firm, %(expected)s expected", day=_day_label(p.week_end, True, t),
                          firm=p.firm, expected=t.number(p.expected, 1))
        scene.add(
            Circle(frame.x(p.week_end), frame.y(p.expected), 2.8, EXPECTED, title),
            Circle(frame.x(p.week_end), frame.y(p.firm), 3.2, FIRM, title),
        )
    if points:
        _draw_end_labels(scene, frame, points[-1], t)


def _draw_end_labels(scene: Scene, frame: Frame, last: TrendPoint, t: Translator) -> None:
    """Latest values beside the lines' ends, pushed apart when they would overlap."""
    x = frame.x(last.week_end) + 8
    y_firm, y_exp = frame.y(last.firm) + 3.5, frame.y(last.expected) + 3.5
    if abs(y_firm - y_exp) < 12:
        mid = (y_firm + y_exp) / 2
        # The larger value keeps the upper slot, as on the lines.
        up, down = (mid - 6, mid + 6)
        y_firm, y_exp = (up, down) if last.firm >= last.expected else (down, up)
    scene.add(
        Text(x, y_firm, t.gettext("%(votes)s firm", votes=last.firm), 10.5, bold=True, fill=FIRM),
        Text(x, y_exp, t.gettext("%(votes)s expected", votes=t.number(last.expected, 1)), 10.5, bold=True,
             fill=EXPECTED),
    )


def _draw_winning_line(scene: Scene, frame: Frame, votes_needed: int, t: Translator) -> None:
    y = frame.y(votes_needed)
    scene.add(
        Line(((frame.left, y), (frame.left + frame.width, y)), WINNING, 1.4, (6, 4)),
        Text(frame.left + 6, y - 5, t.gettext("%(votes)s needed to win", votes=votes_needed), 10.5,
             bold=True, fill=WINNING),
    )


def _legend_entries(t: Translator) -> tuple[tuple[str, str, tuple | None], ...]:
    return (
        (t.gettext("Firm votes (pledges)"), FIRM, None),
        (t.gettext("Expected votes (weighted)"), EXPECTED, None),
        (t.gettext("Winning line"), WINNING, (6, 4)),
    )


def _legend_rows(left: float, width: float, t: Translator) -> list[list[tuple[float, tuple]]]:
    """The legend's entries with their x, wrapped onto a new row where the chart's width ends."""
    rows: list[list[tuple[float, tuple]]] = [[]]
    x = left
    for entry in _legend_entries(t):
        step = 26 + text_width(entry[0], 10.5) + 18
        if rows[-1] and x + step - 18 > width:
            rows.append([])
            x = left
        rows[-1].append((x, entry))
        x += step
    return rows


def _draw_legend(scene: Scene, rows: list[list[tuple[float, tuple]]], y: float) -> None:
    for row in rows:
        for x, (label, colour, dash) in row:
            scene.add(
                Line(((x, y - 3.5), (x + 20, y - 3.5)), colour, 2.2 if dash is None else 1.4, dash),
                Text(x + 26, y, label, 10.5),
            )
        y += LEGEND_ROW


def trend_scene(
    points: list[TrendPoint],
    votes_needed: int,
    electorate: int,
    width: float = 720,
    height: float = 260,
    t: Translator = ENGLISH,
) -> Scene:
    """Lay the chart out once: legend, axes, winning line, then the two series on top."""
    points = sorted(points, key=lambda p: p.week_end)
    scene = Scene(width, height, t.gettext("Firm and expected votes per week, with the winning line"))
    legend = _legend_rows(38, width, t)
    frame = trend_frame(points, votes_needed, electorate, width, height, 34 + LEGEND_ROW * (len(legend) - 1))
    _draw_legend(scene, legend, 14)
    _draw_axes(scene, frame, points, t)
    _draw_winning_line(scene, frame, votes_needed, t)
    if points:
        _draw_series(scene, frame, points, t)
    else:
        centre = (frame.left + frame.width / 2, frame.top + frame.height / 2 + 20)
        scene.add(Text(*centre, t.gettext("No status history yet"), 12, "middle", fill=MUTED))
    return scene


def trend_svg(
    points: list[TrendPoint], votes_needed: int, electorate: int, width: float = 720, t: Translator = ENGLISH
) -> str:
    """The trend as inline SVG for the dashboard."""
    scene = trend_scene(points, votes_needed, electorate, width, max(220.0, width * 0.36), t)
    return to_svg(scene, "chart chart-trend")


def trend_drawing(
    points: list[TrendPoint], votes_needed: int, electorate: int, width: float, height: float,
    t: Translator = ENGLISH,
) -> Drawing:
    """The same trend as a ReportLab Drawing of width × height points for the PDF."""
    return to_drawing(trend_scene(points, votes_needed, electorate, width, height, t), width, height)
