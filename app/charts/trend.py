"""Trend chart: firm and expected votes per week against the winning line."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing

from app.charts import Circle, Line, Scene, Text, to_drawing, to_svg
from app.services.tally_math import TrendPoint

FIRM = "#1e6b35"
EXPECTED = "#2f6fb0"
WINNING = "#b3202a"
GRID = "#d9dee4"
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Frame:
    """Plot area and scales shared by both renderers."""

    left: float
    top: float
    width: float
    height: float
    y_max: int
    count: int

    def x(self, index: int) -> float:
        return self.left + (self.width * index / (self.count - 1) if self.count > 1 else self.width / 2)

    def y(self, value: float) -> float:
        return self.top + self.height * (1 - value / self.y_max)


def _ticks(y_max: int) -> list[int]:
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if y_max / s <= 6)
    return list(range(0, y_max + 1, step))


def trend_scene(points: list[TrendPoint], votes_needed: int, electorate: int, width: float = 720,
                height: float = 260) -> Scene:
    """Lay the chart out once: axes, grid, winning line, two series, legend."""
    scene = Scene(width, height, "Firm and expected votes per week, with the winning line")
    y_max = max(electorate, votes_needed, 1)
    frame = Frame(left=40, top=28, width=width - 56, height=height - 70, y_max=y_max, count=max(len(points), 1))
    for tick in _ticks(y_max):
        y = frame.y(tick)
        scene.add(Line(((frame.left, y), (frame.left + frame.width, y)), GRID, 0.8),
                  Text(frame.left - 6, y + 4, str(tick), 10, "end", fill="#616e7c"))
    line_y = frame.y(votes_needed)
    scene.add(Line(((frame.left, line_y), (frame.left + frame.width, line_y)), WINNING, 1.5, (6, 4)),
              Text(frame.left + frame.width, line_y - 5, f"{votes_needed} needed to win", 10, "end", True, WINNING))
    if not points:
        scene.add(Text(frame.left + frame.width / 2, frame.top + frame.height / 2, "No status history yet", 12, "middle"))
    _series(scene, frame, [p.expected for p in points], EXPECTED)
    _series(scene, frame, [float(p.firm) for p in points], FIRM)
    every = max(1, -(-len(points) // MAX_X_LABELS))
    for i, point in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            scene.add(Text(frame.x(i), frame.top + frame.height + 16, point.week_end.strftime("%d %b %y"), 9.5, "middle",
                           fill="#616e7c"))
    _legend(scene, frame.left, 14)
    return scene


def _series(scene: Scene, frame: Frame, values: list[float], colour: str) -> None:
    coords = tuple((frame.x(i), frame.y(v)) for i, v in enumerate(values))
    if len(coords) > 1:
        scene.add(Line(coords, colour, 2.2))
    if coords:
        x, y = coords[-1]
        scene.add(Circle(x, y, 3.5, colour, title=f"{values[-1]:.1f}"))


def _legend(scene: Scene, x: float, y: float) -> None:
    for label, colour in (("Firm votes (pledges)", FIRM), ("Expected votes", EXPECTED)):
        scene.add(Line(((x, y - 4), (x + 18, y - 4)), colour, 2.2), Text(x + 24, y, label, 10))
        x += 150


def trend_svg(points: list[TrendPoint], votes_needed: int, electorate: int) -> str:
    """The trend as inline SVG for the dashboard."""
    return to_svg(trend_scene(points, votes_needed, electorate), css_class="chart trend")


def trend_drawing(points: list[TrendPoint], votes_needed: int, electorate: int, width: float, height: float) -> Drawing:
    """The same trend as a ReportLab Drawing for the report PDF."""
    return to_drawing(trend_scene(points, votes_needed, electorate, width, height), width, height)
