"""Colours and named paragraph styles: a restrained ministry-brief look in DejaVu Sans."""

from functools import cache

from reportlab.lib.colors import Color, HexColor
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
WATERMARK = Color(0.92, 0.92, 0.93)


@cache
def stylesheet() -> StyleSheet1:
    """The named paragraph styles shared by every Suara PDF."""
    fonts.register_fonts()
    sheet = StyleSheet1()
    base = ParagraphStyle(
        "Body", fontName=fonts.REGULAR, fontSize=9.5, leading=13.5, textColor=INK, spaceAfter=4
    )
    sheet.add(base)
    _add(sheet, "Small", base, fontSize=8.5, leading=11.5)
    _add(sheet, "Muted", base, fontSize=8.5, leading=11.5, textColor=MUTED)
    _add(sheet, "Empty", base, fontName=fonts.ITALIC, fontSize=9, textColor=MUTED)
    _add(sheet, "Bullet", base, leftIndent=12, bulletIndent=2, spaceAfter=3)
    _add(sheet, "Overline", base, fontName=fonts.BOLD, fontSize=8, leading=11, textColor=MUTED)
    _add(sheet, "Title", base, fontName=fonts.BOLD, fontSize=22, leading=27, textColor=NAVY)
    _add(sheet, "Subtitle", base, fontSize=10, leading=14, textColor=MUTED, spaceAfter=2)
    _add(
        sheet, "H1", base, fontName=fonts.BOLD, fontSize=15, leading=19, textColor=NAVY,
        spaceBefore=4, spaceAfter=10, keepWithNext=1,
    )
    _add(
        sheet, "H2", base, fontName=fonts.BOLD, fontSize=11, leading=14, textColor=NAVY,
        spaceBefore=14, spaceAfter=8, keepWithNext=1,
    )
    _add(
        sheet, "Callout", base, backColor=CALLOUT_BG, borderColor=CALLOUT_BG, borderWidth=0,
        borderPadding=(6, 8, 6, 8), leftIndent=8, rightIndent=8, spaceBefore=4, spaceAfter=10,
    )
    _add(sheet, "Cell", base, fontSize=8, leading=10.5, spaceAfter=0, splitLongWords=1)
    _add(sheet, "CellMuted", sheet["Cell"], textColor=MUTED)
    _add(sheet, "CellBold", sheet["Cell"], fontName=fonts.BOLD)
    _add(sheet, "CellRight", sheet["Cell"], alignment=TA_RIGHT)
    _add(sheet, "CellHead", sheet["Cell"], fontName=fonts.BOLD, fontSize=7.5, textColor=NAVY)
    _add(sheet, "CellHeadRight", sheet["CellHead"], alignment=TA_RIGHT)
    _add(sheet, "Label", sheet["Cell"], fontName=fonts.BOLD, textColor=MUTED)
    _add(sheet, "StatusValue", base, fontName=fonts.BOLD, fontSize=13, leading=17, spaceAfter=2)
    _add(sheet, "CoverTitle", sheet["Title"], fontSize=28, leading=34, spaceAfter=10)
    _add(sheet, "CoverLine", base, fontSize=11.5, leading=16, spaceAfter=3)
    _add(
        sheet, "CoverClassification", base, fontName=fonts.BOLD, fontSize=12, leading=16,
        textColor=CLASSIFICATION, alignment=TA_CENTER,
    )
    _add(sheet, "TOC0", base, fontSize=10.5, leading=17, leftIndent=0, firstLineIndent=0)
    _add(sheet, "TOC1", base, fontSize=9.5, leading=14, leftIndent=14, textColor=MUTED)
    return sheet


def _add(sheet: StyleSheet1, name: str, parent: ParagraphStyle, **overrides: object) -> None:
    """Add a style derived from `parent`."""
    sheet.add(ParagraphStyle(name, parent=parent, **overrides))
