"""Charts as backend-neutral scenes, drawn either as inline SVG or as a ReportLab Drawing.

Each chart lays itself out once, in pixels with y pointing down, as a list of primitives;
`to_svg` and `to_drawing` only translate, so the web page and the PDF cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.graphics import shapes
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
# Metric-compatible with Helvetica, so text measured with ReportLab fits in the browser too.
SVG_FONTS = "Helvetica, Arial, 'Liberation Sans', sans-serif"
INK = "#1f2933"
MUTED = "#616e7c"
# The entities Jinja writes, so a name reads the same in a chart as on the rest of the page.
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def escape(text: object) -> str:
    """Text made safe for SVG markup and attribute values."""
    return str(text).translate(_ENTITIES)


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    title: str | None = None
    css_class: str | None = None


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str | None = None


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0
    dash: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float = 11.0
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    fill: str = INK


@dataclass
class Scene:
    """A chart laid out in pixels, origin top-left."""

    width: float
    height: float
    title: str
    items: list[Circle | Rect | Line | Text] = field(default_factory=list)

    def add(self, *items: Circle | Rect | Line | Text) -> None:
        """Append primitives in drawing order."""
        self.items.extend(items)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of a label in pixels, for layout decisions."""
    return stringWidth(text, FONT_BOLD if bold else FONT, size)


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg_item(item: Circle | Rect | Line | Text) -> str:
    if isinstance(item, Circle):
        cls = f' class="{escape(item.css_class)}"' if item.css_class else ""
        attrs = f'cx="{_n(item.cx)}" cy="{_n(item.cy)}" r="{_n(item.r)}" fill="{item.fill}"'
        if item.title is None:
            return f"<circle{cls} {attrs}/>"
        return f"<circle{cls} {attrs}><title>{escape(item.title)}</title></circle>"
    if isinstance(item, Rect):
        attrs = (
            f'x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" '
            f'height="{_n(item.h)}" fill="{item.fill}"'
        )
        if item.title is None:
            return f"<rect {attrs}/>"
        return f"<rect {attrs}><title>{escape(item.title)}</title></rect>"
    if isinstance(item, Line):
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
        dash = f' stroke-dasharray="{" ".join(_n(d) for d in item.dash)}"' if item.dash else ""
        return (
            f'<polyline points="{pts}" fill="none" stroke="{item.stroke}" '
            f'stroke-width="{_n(item.width)}"{dash}/>'
        )
    weight = ' font-weight="bold"' if item.bold else ""
    return (
        f'<text x="{_n(item.x)}" y="{_n(item.y)}" font-size="{_n(item.size)}" '
        f'text-anchor="{item.anchor}" fill="{item.fill}"{weight}>{escape(item.text)}</text>'
    )


def to_svg(scene: Scene, css_class: str = "chart", display_width: float | None = None) -> str:
    """Inline SVG: presentation attributes only, so a strict CSP needs no 'unsafe-inline'."""
    body = "".join(_svg_item(item) for item in scene.items)
    shown = display_width or scene.width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" role="img" '
        f'viewBox="0 0 {_n(scene.width)} {_n(scene.height)}" '
        f'width="{_n(shown)}" height="{_n(scene.height * shown / scene.width)}" '
        f'font-family="{SVG_FONTS}"><title>{escape(scene.title)}</title>{body}</svg>'
    )


def _rl_item(item: Circle | Rect | Line | Text, height: float) -> shapes.Shape:
    if isinstance(item, Circle):
        return shapes.Circle(
            item.cx, height - item.cy, item.r, fillColor=HexColor(item.fill), strokeColor=None
        )
    if isinstance(item, Rect):
        return shapes.Rect(
            item.x,
            height - item.y - item.h,
            item.w,
            item.h,
            fillColor=HexColor(item.fill),
            strokeColor=None,
        )
    if isinstance(item, Line):
        flat = [c for x, y in item.points for c in (x, height - y)]
        return shapes.PolyLine(
            flat,
            strokeColor=HexColor(item.stroke),
            strokeWidth=item.width,
            strokeDashArray=list(item.dash) if item.dash else None,
        )
    return shapes.String(
        item.x,
        height - item.y,
        item.text,
        fontName=FONT_BOLD if item.bold else FONT,
        fontSize=item.size,
        textAnchor=item.anchor,
        fillColor=HexColor(item.fill),
    )


def to_drawing(scene: Scene, width: float, height: float) -> shapes.Drawing:
    """ReportLab Drawing of `scene`, scaled uniformly to fit width × height points, top-aligned."""
    scale = min(width / scene.width, height / scene.height)
    group = shapes.Group(*(_rl_item(item, scene.height) for item in scene.items))
    left = (width - scene.width * scale) / 2
    group.transform = (scale, 0, 0, scale, left, height - scene.height * scale)
    drawing = shapes.Drawing(width, height)
    drawing.add(group)
    return drawing
