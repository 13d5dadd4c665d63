"""Seat chart and trend: one geometry, two renderers (SVG for the page, Drawing for the PDF)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from reportlab.graphics import renderPDF

from app.charts.hemicycle import Seat, hemicycle_drawing, hemicycle_svg, seat_geometry
from app.charts.trend import trend_drawing, trend_svg
from app.models.enums import RegionalGroup, SupportStatus
from app.services.tally_math import TrendPoint

SVG = "{http://www.w3.org/2000/svg}"
GROUPS = [RegionalGroup.AFRICAN] * 13 + [RegionalGroup.APG] * 13 + [RegionalGroup.GRULAC] * 8 + \
    [RegionalGroup.WEOG] * 7 + [RegionalGroup.EEG] * 6


def seats() -> list[Seat]:
    statuses = list(SupportStatus)
    result = [Seat(f"S{i:02d}", f"State {i}", g, statuses[i % len(statuses)]) for i, g in enumerate(GROUPS)]
    result[0] = Seat("XSS", "<script>alert(1)</script>", RegionalGroup.AFRICAN, SupportStatus.AGAINST)
    return result


def test_geometry_places_every_seat_once():
    geometry = seat_geometry(47)
    points = {(round(p.x, 3), round(p.y, 3)) for p in geometry.positions}
    assert len(geometry.positions) == 47 == len(points)


def test_seat_chart_svg_names_each_state_and_escapes_names():
    svg = hemicycle_svg(seats(), 24)
    root = ET.fromstring(svg)
    titled = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    assert len(titled) == 47
    names = " ".join(c.find(f"{SVG}title").text for c in titled)
    assert "State 5" in names and "<script>alert(1)</script>" in names  # as text, parsed back
    assert "<script>" not in svg and "style=" not in svg
    assert "24 needed" in svg


def test_seat_chart_drawing_renders_to_pdf():
    drawing = hemicycle_drawing(seats(), 24, 480, 300)
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")


def test_trend_chart_with_zero_one_and_many_points():
    start = date(2025, 1, 5)
    for count in (0, 1, 100):
        points = [TrendPoint(start + timedelta(weeks=i), min(i, 30), min(i * 1.3, 40.0)) for i in range(count)]
        root = ET.fromstring(trend_svg(points, 24, 47))
        assert root.find(f"{SVG}title").text.startswith("Firm and expected votes")
        assert "24 needed to win" in ET.tostring(root, encoding="unicode")
        assert renderPDF.drawToString(trend_drawing(points, 24, 47, 480, 180)).startswith(b"%PDF")
