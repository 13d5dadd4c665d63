"""Forecast histogram: how many votes we got across the simulated ballots, against the line."""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing

from app.charts import INK, MUTED, Line, Rect, Scene, Text, text_width, to_drawing, to_svg
from app.domain.forecast_math import Forecast
from app.pdf.translate import ENGLISH, Translator

WON = "#1e6b35"
SHORT = "#c7ccd1"
WINNING = "#b3202a"
LINE_BAND = "#f6d5d7"
GRID = "#e1e5ea"
AXIS = "#9aa5b1"
# Phone first: on a 360 px phone the dashboard's card leaves about 280 px (main's px-4 and the
# card body's padding), so a 320-wide layout shrinks to 0.87 and 12 px labels stay above 10 px.
# (trend.py's 720-wide layout shrinks to 0.39 there.) A wider screen may show it larger through
# `display_width`; the text then grows with it.
DEFAULT_WIDTH = 320
TICK, LEGEND, HEADLINE, SUBLINE = 12.0, 12.0, 16.0, 12.5
MIN_SPAN = 12  # vote totals shown at least, so a near-certain outcome is not one fat bar


@dataclass(frozen=True)
class Frame:
    """Plot box and scales: vote totals lo..hi across, share of draws up."""

    left: float
    top: float
    width: float
    height: float
    lo: int
    hi: int
    y_max: float

    def x(self, votes: float) -> float:
        """Left edge of the bar for `votes` (so the line at x(line) parts short from won)."""
        return self.left + self.width * (votes - self.lo) / (self.hi + 1 - self.lo)

    def y(self, share: float) -> float:
        """Vertical position of a share of draws."""
        return self.top + self.height * (1 - share / self.y_max)


def percent(p: float, t: Translator = ENGLISH) -> str:
    """A probability in whole percent; 0% and 100% only when every draw agreed."""
    if 0 < p < 0.01:
        return "<1%"
    if 0.99 < p < 1:
        return ">99%"
    return t.percent(p)


def nice_step(peak: float, target: int = 4) -> float:
    """A 1-2-5 step giving about `target` ticks up to `peak`."""
    raw = max(peak, 1e-12) / target
    base = 10 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= raw * (1 - 1e-9))


def vote_range(forecast: Forecast) -> tuple[int, int]:
    """Vote totals worth showing: every total that occurred, and the line(s), padded."""
    seen = [v for v, count in enumerate(forecast.histogram) if count]
    lines = [line for line, _ in forecast.lines]
    lo, hi = min(seen + lines), max(seen + lines)
    lo, hi = max(lo - 1, 0), hi + 1
    missing = MIN_SPAN - (hi - lo + 1)
    if missing > 0:
        lo = max(lo - (missing + 1) // 2, 0)
        hi = max(hi, lo + MIN_SPAN - 1)
    return lo, hi


def histogram_frame(forecast: Forecast, width: float, height: float) -> Frame:
    """Scales for the chart; y ends on a tick above the tallest bar."""
    lo, hi = vote_range(forecast)
    peak = max(forecast.histogram) / forecast.draws
    step = nice_step(peak)
    top = 74  # headline, subline and legend
    # Headroom over the tallest bar keeps the line's label, drawn at the top, clear of it.
    y_max = math.ceil(peak * 1.15 / step) * step
    return Frame(44, top, width - 44 - 12, height - top - 26, lo, hi, y_max)


def _draw_header(scene: Scene, forecast: Forecast, t: Translator) -> None:
    """Headline chance, median and interval, then the legend."""
    low, high = forecast.interval
    scene.add(
        Text(
            0,
            17,
            t.gettext("%(chance)s chance of reaching the line", chance=percent(forecast.probability, t)),
            HEADLINE,
            bold=True,
        ),
        Text(
            0,
            36,
            t.gettext("Median %(median)s votes · 80%% between %(low)s and %(high)s",
                      median=forecast.median_votes, low=low, high=high),
            SUBLINE,
            fill=MUTED,
        ),
    )
    x = 0.0
    for label, colour, dashed in (
        (t.gettext("Won"), WON, False),
        (t.gettext("Fell short"), SHORT, False),
        (t.gettext("Line"), WINNING, True),
    ):
        if dashed:
            scene.add(Line(((x + 5, 47), (x + 5, 61)), colour, 1.6, (4, 3)))
        else:
            scene.add(Rect(x, 48, 11, 11, colour))
        scene.add(Text(x + 16, 58, label, LEGEND, fill=INK))
        x += 16 + text_width(label, LEGEND) + 16


def _draw_axes(scene: Scene, frame: Frame, t: Translator) -> None:
    right, base = frame.left + frame.width, frame.top + frame.height
    step = nice_step(frame.y_max)
    for k in range(round(frame.y_max / step) + 1):
        y = frame.y(k * step)
        label = t.percent(k * step, max(0, -math.floor(math.log10(step * 100))))
        scene.add(
            Line(((frame.left, y), (right, y)), AXIS if k == 0 else GRID, 0.8),
            Text(frame.left - 6, y + 4, label, TICK, "end", fill=MUTED),
        )
    every = max(1, int(nice_step(frame.hi - frame.lo + 1, 5)))
    for v in range(math.ceil(frame.lo / every) * every, frame.hi + 1, every):
        x = (frame.x(v) + frame.x(v + 1)) / 2
        scene.add(
            Line(((x, base), (x, base + 4)), AXIS, 0.8),
            Text(x, base + 17, str(v), TICK, "middle", fill=MUTED),
        )


def _draw_bars(scene: Scene, forecast: Forecast, frame: Frame, t: Translator) -> None:
    """One bar per vote total; its winning draws at the bottom, those that fell short above."""
    pitch = frame.x(1) - frame.x(0)
    gap = 1.0 if pitch >= 4 else 0.0
    base = frame.y(0)
    for v in range(frame.lo, min(frame.hi, forecast.electorate) + 1):
        count, won = forecast.histogram[v], forecast.winning_histogram[v]
        if not count:
            continue
        share = count / forecast.draws
        title = t.gettext("%(votes)s votes in %(share)s of draws; reached the line in %(won)s", votes=v,
                          share=t.percent(share, 1), won=t.percent(won / forecast.draws, 1))
        top_won, top_all = frame.y(won / forecast.draws), frame.y(share)
        if won:
            scene.add(Rect(frame.x(v), top_won, pitch - gap, base - top_won, WON, title))
        if count > won:
            scene.add(Rect(frame.x(v), top_all, pitch - gap, top_won - top_all, SHORT, title))


def _draw_line_band(scene: Scene, forecast: Forecast, frame: Frame) -> None:
    """When turnout moves the line between draws, its 80% range as a band behind the bars."""
    low, high = forecast.line_interval
    if high > low:
        top = frame.top - 4
        scene.add(
            Rect(frame.x(low), top, frame.x(high) - frame.x(low), frame.y(0) - top, LINE_BAND)
        )


def _draw_line(scene: Scene, forecast: Forecast, frame: Frame, t: Translator) -> None:
    """The winning line (the median line when it moves), labelled on whichever side has room."""
    low, high = forecast.line_interval
    label = t.gettext("%(votes)s needed", votes=forecast.median_line)
    if high > low:
        label += f" ({low}–{high})"
    x = frame.x(forecast.median_line)
    scene.add(Line(((x, frame.top - 4), (x, frame.y(0))), WINNING, 1.6, (4, 3)))
    if text_width(label, TICK, bold=True) + 6 <= frame.left + frame.width - x:
        scene.add(Text(x + 5, frame.top + 10, label, TICK, "start", bold=True, fill=WINNING))
    else:
        scene.add(Text(x - 5, frame.top + 10, label, TICK, "end", bold=True, fill=WINNING))


def histogram_scene(forecast: Forecast, width: float = DEFAULT_WIDTH, height: float = 250,
                    t: Translator = ENGLISH) -> Scene:
    """Lay the chart out once: header and legend, axes, line band, bars, then the line on top."""
    title = t.gettext("Our votes over %(draws)s simulated ballots: %(chance)s reach the line "
                      "(Monte Carlo error ±%(error)s)", draws=t.number(forecast.draws),
                      chance=percent(forecast.probability, t), error=t.percent(forecast.standard_error, 1))
    scene = Scene(width, height, title)
    _draw_header(scene, forecast, t)
    frame = histogram_frame(forecast, width, height)
    _draw_axes(scene, frame, t)
    if forecast.electorate == 0:
        centre = (frame.left + frame.width / 2, frame.top + frame.height / 2)
        scene.add(Text(*centre, t.gettext("No voting members to show"), 13, "middle", fill=MUTED))
        return scene
    _draw_line_band(scene, forecast, frame)
    _draw_bars(scene, forecast, frame, t)
    _draw_line(scene, forecast, frame, t)
    return scene


def histogram_svg(
    forecast: Forecast, width: float = DEFAULT_WIDTH, display_width: float | None = None, t: Translator = ENGLISH
) -> str:
    """The histogram as inline SVG for the dashboard, a hover title on every bar."""
    scene = histogram_scene(forecast, width, max(230.0, width * 0.6), t)
    return to_svg(scene, "chart chart-histogram", display_width=display_width)


def histogram_drawing(forecast: Forecast, width: float, height: float, t: Translator = ENGLISH) -> Drawing:
    """The same histogram as a ReportLab Drawing of width × height points for the PDF."""
    return to_drawing(histogram_scene(forecast, width, height, t), width, height)
