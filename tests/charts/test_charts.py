"""Seat chart and trend: one geometry, two renderers (SVG for the page, Drawing for the PDF)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from reportlab.graphics import renderPDF

from app.charts.hemicycle import (
    Seat,
    hemicycle_drawing,
    hemicycle_svg,
    order_seats,
    row_count,
    seat_geometry,
)
from app.charts.trend import trend_drawing, trend_svg, y_ticks
from app.domain.enums import RegionalGroup, SupportStatus
from app.domain.tally_math import SUPPORT_ORDER, TrendPoint

SVG = "{http://www.w3.org/2000/svg}"
G = RegionalGroup
GROUPS = [G.AFRICAN] * 13 + [G.APG] * 13 + [G.GRULAC] * 8 + [G.WEOG] * 7 + [G.EEG] * 6
HOSTILE = "<script>alert(1)</script>"


def seats() -> list[Seat]:
    statuses = list(SupportStatus)
    result = [
        Seat(f"S{i:02d}", f"State {i}", g, statuses[i % len(statuses)], conditional=i % 5 == 0)
        for i, g in enumerate(GROUPS)
    ]
    result[0] = Seat("XSS", HOSTILE, G.AFRICAN, SupportStatus.AGAINST)
    return result


def seat_circles(svg: str) -> list[ET.Element]:
    return [c for c in ET.fromstring(svg).iter(f"{SVG}circle") if c.get("class") == "seat"]


def test_47_seats_make_a_four_row_hemicycle():
    geometry = seat_geometry(47)
    assert row_count(47) == geometry.rows == 4
    assert len({(round(p.x, 3), round(p.y, 3)) for p in geometry.positions}) == 47


@pytest.mark.parametrize("n", [1, 2, 3, 8, 9, 15, 47, 100, 193, 250])
def test_seats_do_not_overlap_and_run_left_to_right(n):
    geometry = seat_geometry(n)
    positions = geometry.positions
    assert len(positions) == n
    assert all(p.y >= -1e-9 and math.hypot(p.x, p.y) <= 1 + 1e-9 for p in positions)
    angles = [p.angle for p in positions]
    assert angles == sorted(angles, reverse=True)
    for i, a in enumerate(positions):
        for b in positions[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * geometry.seat_radius


def test_seats_are_ordered_by_group_then_support():
    ordered = order_seats(seats())
    ranks = [(list(G).index(s.group), SUPPORT_ORDER.index(s.status)) for s in ordered]
    assert ranks == sorted(ranks)


def test_seat_chart_svg_names_each_state_and_escapes_names():
    svg = hemicycle_svg(seats(), 24)
    circles = seat_circles(svg)
    assert len(circles) == 47
    titles = [c.find(f"{SVG}title").text for c in circles]
    assert all(t for t in titles)
    assert "State 5: written pledge, conditional" in titles
    assert "State 6: leaning against" in titles
    assert f"{HOSTILE}: against" in titles  # parsed back as text, never as markup
    assert "<script>" not in svg and "style=" not in svg
    assert not re.search(r"\son\w+=", svg)  # no event-handler attributes


def test_seat_chart_shows_the_winning_line_groups_and_legend():
    svg = hemicycle_svg(seats(), 24, width=720)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "24 needed to win" in texts
    assert {"African Group", "Asia-Pacific", "Eastern Europe", "GRULAC", "WEOG"} <= set(texts)
    assert "Written pledge 6" in texts and "Against 6" in texts
    pledged = sum(s.status.is_pledge for s in seats())
    assert str(pledged) in texts
    root = ET.fromstring(svg)
    assert root.get("width") == "720"


def test_a_state_in_no_regional_group_sits_last_under_its_own_label():
    holy_see = Seat("VAT", "Holy See", None, SupportStatus.UNDECIDED)
    svg = hemicycle_svg([*seats()[:10], holy_see], 6)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "No regional group" in texts and "0 of 1 pledged" in texts
    assert order_seats([holy_see, *seats()[:10]])[-1] is holy_see


def test_seat_chart_copes_with_no_seats_and_an_unreachable_line():
    assert len(seat_circles(hemicycle_svg([], 1))) == 0
    svg = hemicycle_svg(seats()[:3], 24)
    assert len(seat_circles(svg)) == 3
    assert "24 needed to win (only 3 seats)" in svg


@pytest.mark.parametrize("count", [0, 1, 47, 193])
def test_seat_chart_drawing_renders_to_pdf(count):
    many = (seats() * 5)[:count]
    drawing = hemicycle_drawing(many, count // 2 + 1, 480, 300)
    assert (drawing.width, drawing.height) == (480, 300)
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")


def trend_points(count: int) -> list[TrendPoint]:
    start = date(2025, 1, 5)
    return [
        TrendPoint(start + timedelta(weeks=i), min(i, 30), min(i * 1.3, 40.0)) for i in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, 2, 100])
def test_trend_chart_with_zero_one_and_many_points(count):
    svg = trend_svg(trend_points(count), 24, 47)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text.startswith("Firm and expected votes")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "24 needed to win" in texts
    dates = [t for t in texts if t and any(m in t for m in ("Jan", "Apr", "Jul", "Oct", "Dec"))]
    assert len(dates) <= 6
    if count:
        assert f"{min(count - 1, 30)} firm" in texts
    else:
        assert "No status history yet" in texts
    drawing = trend_drawing(trend_points(count), 24, 47, 480, 180)
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")


def test_trend_y_axis_reaches_the_electorate_on_a_round_tick():
    assert y_ticks(50) == [0, 10, 20, 30, 40, 50]
    svg = trend_svg(trend_points(3), 24, 47)
    ticks = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks[-1] == "50"
