"""A contents list laid out in the same single pass as the document it lists.

Its entries (title, heading key) are known before layout; each page number is a `PageRef` that
draws a form the canvas defines at save (`common.NumberedCanvas.page_ref`), so nothing needs a
second pass and the rows' layout does not depend on the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from app.pdf.common import CONTENT_WIDTH, markup, safe
from app.pdf.styles import stylesheet

NUMBER_WIDTH = 16 * mm


class PageRef(Flowable):
    """The page number of the heading `key`, right-aligned in its cell, filled in at save."""

    def __init__(self, key: str, style: str = "TOC0") -> None:
        super().__init__()
        self.key = key
        self.style = stylesheet()[style]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = NUMBER_WIDTH
        return self.width, self.style.leading

    def draw(self) -> None:
        baseline = self.style.leading - self.style.fontSize
        self.canv.saveState()
        self.canv.translate(0, baseline)
        self.canv.page_ref(self.key, self.style.fontName, self.style.fontSize, self.width)
        self.canv.restoreState()


def contents_table(entries: Sequence[tuple[str, str]]) -> Table:
    """One row per (title, key): the title linked to its heading, its page number on the right."""
    rows = [[markup(f'<a href="#{safe(key)}">{safe(title)}</a>', "TOC0"), PageRef(key)] for title, key in entries]
    table = Table(rows, colWidths=[CONTENT_WIDTH - NUMBER_WIDTH, NUMBER_WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table
