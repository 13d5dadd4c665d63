"""Registration of the bundled DejaVu fonts, which cover Latin, Greek and Cyrillic."""

import functools
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).with_name("fonts")

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}


class SubsetFont(TTFont):
    """A TrueType font whose printable ASCII text is encoded without a look-up per character.

    ReportLab reserves codes 32-127 of a font's first subset for ASCII itself ("ASCII readable"),
    so such text is its own encoding; ReportLab still maps it a character at a time, a tenth of a
    brief's time.
    """

    def splitString(self, text, doc, encoding="utf-8"):
        if self._asciiReadable and isinstance(text, str) and text.isascii() and text.isprintable():
            if doc not in self.state:  # as ReportLab would make it: the font is then embedded
                self.state[doc] = TTFont.State(self._asciiReadable, self)
            return [(0, text.encode("ascii"))] if text else []
        return super().splitString(text, doc, encoding)


def register_fonts() -> None:
    """Register the DejaVu family with ReportLab; safe to call any number of times."""
    if set(_FILES) <= set(pdfmetrics.getRegisteredFontNames()):
        return
    for name, filename in _FILES.items():
        font = SubsetFont(name, str(FONT_DIR / filename))
        _remember_subsets(font)
        pdfmetrics.registerFont(font)
    # Map <b>/<i> in Paragraph markup onto the family; no bold-oblique is shipped,
    # so bold italic falls back to bold rather than to a Latin-only base-14 font.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)


def _remember_subsets(font: TTFont) -> None:
    """Keep the last subsets made: a subset's bytes depend on its characters only, and documents
    mostly share theirs (ASCII and a few signs), so each save need not cut the font file again."""
    make = font.face.makeSubset

    @functools.lru_cache(maxsize=16)
    def cached(codes: tuple[int, ...]) -> bytes:
        return make(list(codes))

    font.face.makeSubset = lambda subset: cached(tuple(subset))
