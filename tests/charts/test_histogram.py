"""Forecast histogram: one scene drawn as SVG for the page and as a Drawing for the PDF."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from reportlab.graphics import renderPDF

from app.charts import text_width
from app.charts.histogram import (
    SHORT,
    WINNING,
    WON,
    histogram_drawing,
    histogram_scene,
    histogram_svg,
    nice_step,
    percent,
)
from app.domain.forecast_math import Ballot, Forecast, Split, VoterOdds, simulate

SVG = "{http://www.w3.org/2000/svg}"
PHONE = 280  # CSS px a dashboard card leaves on a 360 px phone (main px-4, card body padding)


def forecast(n: int = 193, rule: str = "majority", p_present: float = 0.97, **kw) -> Forecast:
    """About half the votes expected: a contested ballot."""
    voters = tuple(VoterOdds(f"S{i}", p_present, (i % 10) / 10 + 0.05) for i in range(n))
    return simulate(Ballot(voters, rule, split=kw.pop("split", Split(1, 0)), draws=4000, **kw))


def texts(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{SVG}text"))


def test_histogram_shows_the_chance_the_spread_and_a_moving_line():
    result = forecast()
    svg = histogram_svg(result)
    root = ET.fromstring(svg)
    assert f"{result.draws:,} simulated ballots" in root.find(f"{SVG}title").text
    shown = [t.text for t in texts(svg)]
    assert f"{percent(result.probability)} chance of reaching the line" in shown
    low, high = result.interval
    assert f"Median {result.median_votes} votes · 80% between {low} and {high}" in shown
    line_low, line_high = result.line_interval
    assert line_low < line_high  # turnout varies, so does the line
    assert f"{result.median_line} needed ({line_low}–{line_high})" in shown
    assert {"Won", "Fell short", "Line"} <= set(shown)
    assert "style=" not in svg and not re.search(r"\son\w+=", svg)


def test_bars_split_won_from_short_at_a_fixed_line():
    result = forecast(rule="absolute_majority")
    scene = histogram_scene(result)
    assert result.lines == ((97, result.draws),)
    dashed = [i for i in scene.items if getattr(i, "stroke", None) == WINNING and i.dash]
    line_x = max(dashed, key=lambda i: i.points[-1][1]).points[0][0]  # the legend's is shorter
    bars = [i for i in scene.items if getattr(i, "fill", None) in (WON, SHORT) and i.title]
    assert bars and all((b.fill == WON) == (b.x >= line_x - 1e-6) for b in bars)
    assert "97 needed" in [t.text for t in scene.items if hasattr(t, "text")]
    heights = sum(b.h for b in bars)
    titled = {b.title for b in bars}
    assert len(titled) == sum(1 for c in result.histogram if c) and heights > 0


def test_labels_stay_readable_on_a_phone_and_inside_the_chart():
    for result in (forecast(), forecast(n=9, p_present=1.0), forecast(n=40, rule="two_thirds")):
        svg = histogram_svg(result)
        root = ET.fromstring(svg)
        width = float(root.get("viewBox").split()[2])
        shrink = min(1.0, PHONE / float(root.get("width")))
        for t in texts(svg):
            size = float(t.get("font-size"))
            assert size * shrink >= 10, (t.text, size * shrink)
            w = text_width(t.text, size, t.get("font-weight") == "bold")
            left = {"start": 0, "middle": w / 2, "end": w}[t.get("text-anchor")]
            assert -0.5 <= float(t.get("x")) - left and float(t.get("x")) - left + w <= width + 0.5


def test_an_unreachable_line_is_still_drawn_inside():
    voters = tuple(VoterOdds(f"S{i}", 1.0, 0.0) for i in range(5))
    result = simulate(Ballot(voters, "absolute_majority", membership=193, draws=200))
    shown = [t.text for t in texts(histogram_svg(result))]
    assert "0% chance of reaching the line" in shown and "97 needed" in shown


@pytest.mark.parametrize("n", [0, 1, 47, 193])
def test_histogram_drawing_renders_to_pdf(n):
    result = forecast(n=n)
    drawing = histogram_drawing(result, 480, 240)
    assert (drawing.width, drawing.height) == (480, 240)
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")
    if n == 0:
        assert "No voting members to show" in histogram_svg(result)


def test_percent_and_steps():
    assert [percent(p) for p in (0, 0.004, 0.5449, 0.995, 1)] == [
        "0%",
        "<1%",
        "54%",
        ">99%",
        "100%",
    ]
    assert [nice_step(x) for x in (0.08, 0.011, 40, 1)] == [0.02, 0.005, 10, 0.5]
