"""Colours and named paragraph styles: a restrained ministry-brief look in DejaVu Sans."""

from functools import cache

from reportlab.lib.colors import Color, HexColor, toColor
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1

from app.pdf import fonts

NAVY = HexColor("#1b365d")
INK = HexColor("#1f2933")
# Hex strings as well as colours: Paragraph markup (<font color=...>) wants the string.
MUTED_HEX = "#5b6776"
ALERT_HEX = "#a8201a"
MUTED = HexColor(MUTED_HEX)
RULE = HexColor("#c5ced9")
HEADER_BG = HexColor("#e3e9f1")
ZEBRA = HexColor("#f3f5f8")
CALLOUT_BG = HexColor("#eef3f9")
CLASSIFICATION = HexColor("#b0211b")
ALERT = HexColor(ALERT_HEX)
WATERMARK = Color(0.945, 0.947, 0.955)


def markup_colours(hex_strings) -> None:
    """Let Paragraph markup find these hex colours by name: ReportLab otherwise evaluates each
    `<font color="#…">` as an expression first (with every named colour copied), a brief's second
    largest cost."""
    for value in hex_strings:
        toColor.extraColorsNS.setdefault(value, HexColor(value))


@cache
def stylesheet() -> StyleSheet1:
    """The named paragraph styles shared by every Suara PDF."""
    fonts.register_fonts()
    from app.domain.enums import SupportStatus

    markup_colours([MUTED_HEX, ALERT_HEX, *(status.colour for status in SupportStatus)])
    sheet = StyleSheet1()
    sheet.add(
        ParagraphStyle(
            "Body", fontName=fonts.REGULAR, fontSize=9.5, leading=13.5, textColor=INK, spaceAfter=4
        )
    )
    _add_text_styles(sheet)
    _add_table_styles(sheet)
    return sheet


def _add_text_styles(sheet: StyleSheet1) -> None:
    """Running text, headings, the cover and the contents."""
    bold = {"fontName": fonts.BOLD}
    heading = {**bold, "textColor": NAVY, "keepWithNext": 1}
    _add(sheet, "Small", "Body", fontSize=8.5, leading=11.5)
    _add(sheet, "Muted", "Body", fontSize=8.5, leading=11.5, textColor=MUTED)
    _add(sheet, "Empty", "Body", fontName=fonts.ITALIC, fontSize=9, textColor=MUTED)
    _add(sheet, "Bullet", "Body", leftIndent=12, bulletIndent=2, spaceAfter=3)
    _add(sheet, "Overline", "Body", **bold, fontSize=8, leading=11, textColor=MUTED)
    _add(sheet, "Title", "Body", **bold, fontSize=22, leading=27, textColor=NAVY)
    _add(sheet, "Subtitle", "Body", fontSize=10, leading=14, textColor=MUTED, spaceAfter=2)
    _add(sheet, "H1", "Body", **heading, fontSize=15, leading=19, spaceBefore=4, spaceAfter=10)
    _add(sheet, "H2", "Body", **heading, fontSize=11, leading=14, spaceBefore=12, spaceAfter=7)
    _add(
        sheet, "Callout", "Body", backColor=CALLOUT_BG, borderPadding=(6, 8, 6, 8),
        leftIndent=8, rightIndent=8, spaceBefore=4, spaceAfter=10,
    )  # fmt: skip
    _add(sheet, "StatusValue", "Body", **bold, fontSize=13, leading=17, spaceAfter=2)
    _add(sheet, "CoverTitle", "Title", fontSize=28, leading=34, spaceAfter=10)
    _add(sheet, "CoverLine", "Body", fontSize=11.5, leading=16, spaceAfter=3)
    _add(
        sheet, "CoverClassification", "Body", **bold, fontSize=12, leading=16,
        textColor=CLASSIFICATION, alignment=TA_CENTER,
    )  # fmt: skip
    _add(sheet, "TOC0", "Body", fontSize=10.5, leading=17)
    _add(sheet, "TOC1", "Body", fontSize=9.5, leading=14, leftIndent=14, textColor=MUTED)


def _add_table_styles(sheet: StyleSheet1) -> None:
    """Small text for table cells; long words break rather than overflow the column."""
    _add(sheet, "Cell", "Body", fontSize=8, leading=10.5, spaceAfter=0, splitLongWords=1)
    _add(sheet, "CellMuted", "Cell", textColor=MUTED)
    _add(sheet, "CellBold", "Cell", fontName=fonts.BOLD)
    _add(sheet, "CellRight", "Cell", alignment=TA_RIGHT)
    _add(sheet, "CellHead", "Cell", fontName=fonts.BOLD, fontSize=7.5, textColor=NAVY)
    _add(sheet, "CellHeadRight", "CellHead", alignment=TA_RIGHT)
    _add(sheet, "Label", "Cell", fontName=fonts.BOLD, textColor=MUTED)


def _add(sheet: StyleSheet1, name: str, parent: str, **overrides: object) -> None:
    """Add a style derived from the named `parent`."""
    sheet.add(ParagraphStyle(name, parent=sheet[parent], **overrides))


@cache
def status_colour(status) -> Color:
    """A support status's colour (its hex string is in the domain)."""
    return HexColor(status.colour)
