"""Seat chart of the electing body: a hemicycle of states, one wedge per regional group."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing

from app.charts import MUTED, Circle, Line, Rect, Scene, Text, text_width, to_drawing, to_svg
from app.domain.enums import RegionalGroup, SupportStatus
from app.domain.tally_math import SUPPORT_ORDER
from app.pdf.translate import ENGLISH, Translator


def _l(msgid: str) -> str:
    """Mark a label for extraction; the chart's Translator translates it when drawing."""
    return msgid


# Short enough to sit beside the arc; the full names are in the enum labels (msgids, translated by `t`).
GROUP_SHORT = {
    RegionalGroup.AFRICAN: _l("African Group"),
    RegionalGroup.APG: _l("Asia-Pacific"),
    RegionalGroup.EEG: _l("Eastern Europe"),
    RegionalGroup.GRULAC: _l("GRULAC"),
    RegionalGroup.WEOG: _l("WEOG"),
}
INNER_RADIUS = 0.4  # of the outer row; leaves room for the headline in the middle
LINE_COLOUR = "#1f2933"
# Below this the centre headline no longer fits inside the inner row; smaller charts are
# laid out at this width and scaled down as a whole instead.
LAYOUT_WIDTH = 600


@dataclass(frozen=True)
class Seat:
    """One voting state as the chart draws it."""

    iso3: str
    name: str
    group: RegionalGroup | None  # None: in no regional group, drawn after the five groups
    status: SupportStatus
    conditional: bool = False


@dataclass(frozen=True)
class SeatPosition:
    """Centre of a seat on the unit hemicycle (centre at origin, y up, outer row at r = 1)."""

    x: float
    y: float
    angle: float
    row: int


@dataclass(frozen=True)
class Geometry:
    """Seat centres ordered left to right by angle, and the common seat radius."""

    positions: list[SeatPosition]
    seat_radius: float
    rows: int


def row_count(n: int) -> int:
    """Rows for n seats: each row about as deep as its seats are wide (47 seats → 4 rows)."""
    if n <= 0:
        return 0
    if n <= 8:  # a second row would crowd the centre headline for no gain
        return 1
    # Seats in k evenly spaced rows from radius 0.4 to 1 at equal pitch ≈ 3.67·k·(k−1).
    return max(1, min(n, round(0.5 + math.sqrt(0.25 + n / 3.67))))


def _row_sizes(n: int, radii: list[float]) -> list[int]:
    """Seats per row proportional to row length (largest remainder), at least one each."""
    total = sum(radii)
    quotas = [n * r / total for r in radii]
    sizes = [max(1, math.floor(q)) for q in quotas]
    by_remainder = sorted(range(len(radii)), key=lambda i: quotas[i] - sizes[i], reverse=True)
    for i in by_remainder[: n - sum(sizes)]:
        sizes[i] += 1
    while sum(sizes) > n:  # only when the floor of one forced too many rows up
        sizes[sizes.index(max(sizes))] -= 1
    return sizes


def seat_geometry(n: int) -> Geometry:
    """Positions of n seats in concentric arcs, ordered left → right across all rows."""
    rows = row_count(n)
    if rows == 0:
        return Geometry([], 0.0, 0)
    if rows == 1:
        radii = [1.0]
    else:
        radii = [INNER_RADIUS + (1 - INNER_RADIUS) * i / (rows - 1) for i in range(rows)]
    positions = []
    pitch = (1 - INNER_RADIUS) / (rows - 1) if rows > 1 else 0.5
    for row, (radius, size) in enumerate(zip(radii, _row_sizes(n, radii), strict=True)):
        for j in range(size):
            angle = math.pi * (1 - j / (size - 1)) if size > 1 else math.pi / 2
            positions.append(
                SeatPosition(radius * math.cos(angle), radius * math.sin(angle), angle, row)
            )
        if size > 1:
            pitch = min(pitch, 2 * radius * math.sin(math.pi / (size - 1) / 2))
    # Sorting by angle across rows is what turns consecutive seats into wedges.
    positions.sort(key=lambda p: (-p.angle, p.row))
    return Geometry(positions, 0.42 * pitch, rows)


def order_seats(seats: list[Seat]) -> list[Seat]:
    """Seats by regional group, then from most to least supportive within each group."""
    group_rank: dict[RegionalGroup | None, int] = {g: i for i, g in enumerate(RegionalGroup)}
    group_rank[None] = len(group_rank)
    status_rank = {s: i for i, s in enumerate(SUPPORT_ORDER)}
    return sorted(
        seats,
        key=lambda s: (group_rank[s.group], status_rank[s.status], s.conditional, s.name),
    )


def _status_words(t: Translator) -> dict[SupportStatus | None, str]:
    """Each status's label, translated once per chart rather than once per seat."""
    return {s: t.label(s).lower() for s in SupportStatus} | {None: t.gettext("conditional")}


def _seat_title(seat: Seat, words: dict) -> str:
    title = f"{seat.name}: {words[seat.status]}"
    return f"{title}, {words[None]}" if seat.conditional and seat.status.is_pledge else title


def _group_spans(
    seats: list[Seat], positions: list[SeatPosition]
) -> list[tuple[RegionalGroup | None, float, float, list[Seat]]]:
    """(group, left angle, right angle, seats) per wedge; wedges meet half-way between seats."""
    spans: list[tuple[RegionalGroup | None, float, float, list[Seat]]] = []
    left = math.pi
    i = 0
    while i < len(seats):
        j = i
        while j < len(seats) and seats[j].group is seats[i].group:
            j += 1
        right = (positions[j - 1].angle + positions[j].angle) / 2 if j < len(seats) else 0.0
        spans.append((seats[i].group, left, right, seats[i:j]))
        left, i = right, j
    return spans


def _group_name(group: RegionalGroup | None, t: Translator) -> str:
    """The wedge's label: the group's short name, or that the states belong to none."""
    if group is None:
        return t.gettext("No regional group")
    return t.gettext(GROUP_SHORT.get(group, group.msgid))


def _draw_group_labels(
    scene: Scene,
    seats: list[Seat],
    positions: list[SeatPosition],
    cx: float,
    cy: float,
    radius: float,
    t: Translator,
) -> None:
    """A bracket over each wedge, labelled with the group and its pledges."""
    gap = math.radians(1.2)
    for group, left, right, members in _group_spans(seats, positions):
        a0 = left - (gap if left < math.pi else 0)
        a1 = right + (gap if right > 0 else 0)
        steps = max(2, int(math.degrees(a0 - a1) / 3))
        arc = [(a0 + (a1 - a0) * k / steps) for k in range(steps + 1)]
        pts = [(cx + radius * math.cos(a), cy - radius * math.sin(a)) for a in arc]
        scene.add(Line(tuple(pts), MUTED, 1.0))
        mid = (a0 + a1) / 2
        lx, ly = cx + (radius + 8) * math.cos(mid), cy - (radius + 8) * math.sin(mid)
        cos = math.cos(mid)
        anchor = "end" if cos < -0.35 else "start" if cos > 0.35 else "middle"
        top = ly - 25 * (0.5 + 0.5 * math.sin(mid))
        pledged = sum(1 for s in members if s.status.is_pledge)
        scene.add(
            Text(lx, top + 10, _group_name(group, t), 11, anchor, bold=True),
            Text(lx, top + 23, t.gettext("%(pledged)s of %(members)s pledged", pledged=pledged, members=len(members)),
                 10, anchor, fill=MUTED),
        )


def _draw_support_bar(
    scene: Scene, seats: list[Seat], needed: int, x0: float, width: float, y: float, t: Translator
) -> None:
    """Every vote as a cell, most supportive first, with the winning line dashed across."""
    ranked = sorted(seats, key=lambda s: SUPPORT_ORDER.index(s.status))
    cell = width / len(ranked)
    gap = 1.0 if cell >= 5 else 0.0
    words = _status_words(t)
    for k, seat in enumerate(ranked):
        scene.add(Rect(x0 + k * cell, y, cell - gap, 14, seat.status.colour, _seat_title(seat, words)))
    if needed <= 0:
        return
    line_x = x0 + min(needed, len(ranked)) * cell - gap / 2
    label = t.gettext("%(votes)s needed to win", votes=needed)
    if needed > len(ranked):
        label += " " + t.gettext("(only %(seats)s seats)", seats=len(ranked))
    half = text_width(label, 11, bold=True) / 2
    label_x = min(max(line_x, x0 + half), x0 + width - half)
    scene.add(
        Line(((line_x, y - 6), (line_x, y + 20)), LINE_COLOUR, 1.5, (3, 2)),
        Text(label_x, y - 9, label, 11, "middle", bold=True),
    )


def _draw_legend(scene: Scene, seats: list[Seat], x0: float, width: float, y: float, t: Translator) -> float:
    """Status swatches with counts, wrapped to the width; returns the bottom y."""
    counts = Counter(s.status for s in seats)
    entries = [
        (s.colour, f"{t.label(s)} {counts.get(s, 0)}", counts.get(s, 0) > 0) for s in SUPPORT_ORDER
    ]
    x, line_y = x0, y
    for colour, label, present in entries:
        w = 14 + text_width(label, 11) + 16
        if x + w > x0 + width and x > x0:
            x, line_y = x0, line_y + 18
        scene.add(
            Circle(x + 5, line_y - 4, 5, colour),
            Text(x + 14, line_y, label, 11, fill="#1f2933" if present else MUTED),
        )
        x += w
    if any(s.conditional and s.status.is_pledge for s in seats):
        line_y += 18
        scene.add(
            Circle(x0 + 5, line_y - 4, 5, SupportStatus.VERBAL_PLEDGE.colour),
            Circle(x0 + 5, line_y - 4, 1.8, "#ffffff"),
            Text(x0 + 14, line_y, t.gettext("white dot: conditional pledge"), 11, fill=MUTED),
        )
    return line_y + 8


def hemicycle_scene(seats: list[Seat], votes_needed: int, width: float = 640, t: Translator = ENGLISH) -> Scene:
    """Lay out the seat chart at `width` pixels (at least LAYOUT_WIDTH); the height follows."""
    width = max(width, LAYOUT_WIDTH)
    seats = order_seats(seats)
    geo = seat_geometry(len(seats))
    pledged = sum(1 for s in seats if s.status.is_pledge)
    scene = Scene(
        width, 0, t.gettext("%(pledged)s of %(states)s states pledged; %(votes)s votes needed to win",
                            pledged=pledged, states=len(seats), votes=votes_needed)
    )
    widest = max((text_width(t.gettext(m), 11, True) for m in GROUP_SHORT.values()), default=0)
    margin = min(widest + 24, width * 0.22)
    outer = (width - 2 * margin) / 2  # pixels from centre to the edge of the outer seats
    radius = outer / (1 + geo.seat_radius)
    cx, cy = width / 2, 46 + outer
    words = _status_words(t)
    for seat, pos in zip(seats, geo.positions, strict=True):
        x, y, r = cx + pos.x * radius, cy - pos.y * radius, geo.seat_radius * radius
        scene.add(Circle(x, y, r, seat.status.colour, _seat_title(seat, words), "seat"))
        if seat.conditional and seat.status.is_pledge:
            scene.add(Circle(x, y, r * 0.35, "#ffffff"))
    if seats:
        _draw_group_labels(scene, seats, geo.positions, cx, cy, outer + 6, t)
        scene.add(
            Text(cx, cy - 24, str(pledged), 34, "middle", bold=True),
            Text(cx, cy - 6, t.gettext("pledged · %(votes)s needed", votes=votes_needed), 11, "middle", fill=MUTED),
        )
        bar_y = cy + geo.seat_radius * radius + 36
        _draw_support_bar(scene, seats, votes_needed, cx - outer, 2 * outer, bar_y, t)
        bottom = _draw_legend(scene, seats, cx - outer, 2 * outer, bar_y + 40, t)
    else:
        scene.add(Text(cx, cy - 20, t.gettext("No voting members to show"), 13, "middle", fill=MUTED))
        bottom = cy
    scene.height = bottom
    return scene


def hemicycle_svg(seats: list[Seat], votes_needed: int, width: float = 640, t: Translator = ENGLISH) -> str:
    """Seat chart as an inline SVG string with a hover title on every seat."""
    scene = hemicycle_scene(seats, votes_needed, width, t)
    return to_svg(scene, "chart chart-hemicycle", display_width=width)


def hemicycle_drawing(seats: list[Seat], votes_needed: int, width: float, height: float,
                      t: Translator = ENGLISH) -> Drawing:
    """Seat chart as a ReportLab Drawing of width × height points for the PDF."""
    return to_drawing(hemicycle_scene(seats, votes_needed, LAYOUT_WIDTH, t), width, height)
