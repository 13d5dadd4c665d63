"""Registration of the bundled DejaVu fonts, which cover Latin, Greek and Cyrillic."""

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).with_name("fonts")

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}


def register_fonts() -> None:
    """Register the DejaVu family with ReportLab; safe to call any number of times."""
    if set(_FILES) <= set(pdfmetrics.getRegisteredFontNames()):
        return
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    # Map <b>/<i> in Paragraph markup onto the family; no bold-oblique is shipped,
    # so bold italic falls back to bold rather than to a Latin-only base-14 font.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
