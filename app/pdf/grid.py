"""The data tables of Suara's documents, laid out and drawn in one simple pass.

ReportLab's Table is general (spans anywhere, styles by cell range, cells of any kind) and pays for
it on every cell: a brief's tables spent more time in its bookkeeping than in their text. A data
table here is fixed: column widths given, a header row repeated on every page, cells aligned to
the top, bands and rules by record, and rows that run on over every column after the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable

from app.pdf.cells import TextLines
from app.pdf.styles import HEADER_BG, NAVY, RULE, ZEBRA, stylesheet

PAD_X, PAD_TOP, PAD_BOTTOM = 4.0, 3.5, 4.0
HEADER_RULE, RECORD_RULE = 0.8, 0.4
ORPHANS, WIDOWS = 2, 3  # rows a split table keeps at least before and after the page break
_TALL = 1e6  # cells do not depend on the height offered: rows never split


@dataclass
class _Row:
    """One row: its cells with their x and width, band and rule, and height once wrapped."""

    cells: list[tuple[Flowable, float, float]]
    banded: bool = False
    ruled: bool = False
    height: float = 0.0


class DataGrid(Flowable):
    """A table of flowables with a repeated header row, zebra bands and a rule beneath each record."""

    def __init__(self, header: Sequence[Flowable], rows: Sequence[_Row], widths: Sequence[float]) -> None:
        super().__init__()
        self.widths = list(widths)
        self.header = _Row(_place(header, self.widths, run_on=False), ruled=True)
        self.rows = list(rows)
        self._laid_out = False

    @classmethod
    def build(cls, header: Sequence[Flowable], rows: Sequence[Sequence[Flowable | str]], widths: Sequence[float],
              groups: Sequence[int], run_on: frozenset[int]) -> DataGrid:
        """Rows in records of `groups` rows each (alternate records banded); `run_on`: 1-based rows whose second
        cell spans the rest of the row."""
        placed: list[_Row] = []
        number = 0
        for record, size in enumerate(groups):
            for offset in range(size):
                number += 1
                placed.append(_Row(_place(rows[number - 1], widths, number in run_on), banded=record % 2 == 1,
                                   ruled=offset == size - 1))
        return cls(header, placed, widths)

    def _layout(self) -> None:
        if self._laid_out:
            return
        for row in (self.header, *self.rows):
            row.height = max((cell.wrap(width - 2 * PAD_X, _TALL)[1] for cell, _, width in row.cells),
                             default=0.0) + PAD_TOP + PAD_BOTTOM
        self._laid_out = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout()
        self.width = sum(self.widths)
        self.height = self.header.height + sum(row.height for row in self.rows)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The rows that fit under the header, then the rest under a repeated header; [] if none fits."""
        self._layout()
        room = availHeight - self.header.height
        fits = 0
        while fits < len(self.rows) and self.rows[fits].height <= room:
            room -= self.rows[fits].height
            fits += 1
        if fits == len(self.rows):
            return [self]
        count = len(self.rows)
        record = _record_end(self.rows, fits)
        cut = record or fits  # inside a record only if one record fills the room
        if count - cut < WIDOWS:  # no lonely row or two at the top of the next page
            cut = _record_end(self.rows, count - WIDOWS) if record else count - WIDOWS
        if cut < ORPHANS:  # nor at the foot of this one: start the table on the next page
            frame = getattr(self, "_frame", None)
            if fits == 0 or not getattr(frame, "_atTop", False):
                return []
            cut = fits  # a fresh page can do no better: break where the room ends
        return [self._part(self.rows[:cut]), self._part(self.rows[cut:])]

    def _part(self, rows: list[_Row]) -> DataGrid:
        part = DataGrid([], rows, self.widths)
        part.header, part._laid_out = self.header, True
        return part

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        text = canv.beginText()  # one text object for every plain cell: drawn over the bands, under nothing
        top = self.height
        rules: list[tuple[float, float]] = []
        for index, row in enumerate((self.header, *self.rows)):
            bottom = top - row.height
            if index == 0 or row.banded:
                canv.setFillColor(HEADER_BG if index == 0 else ZEBRA)
                canv.rect(0, bottom, self.width, row.height, stroke=0, fill=1)
            for cell, x, width in row.cells:
                height = cell.wrap(width - 2 * PAD_X, _TALL)[1]
                y = top - PAD_TOP - height
                if isinstance(cell, TextLines):
                    cell.write(text, x + PAD_X, y)
                else:
                    cell.drawOn(canv, x + PAD_X, y)
            if row.ruled:
                rules.append((bottom, HEADER_RULE if index == 0 else RECORD_RULE))
            top = bottom
        canv.drawText(text)
        for y, weight in rules:
            canv.setStrokeColor(NAVY if weight == HEADER_RULE else RULE)
            canv.setLineWidth(weight)
            canv.line(0, y, self.width, y)
        canv.restoreState()


def _record_end(rows: Sequence[_Row], limit: int) -> int:
    """The largest row count of at most `limit` that ends on a record's last row (0 if none does)."""
    cut = max(limit, 0)
    while cut > 0 and not rows[cut - 1].ruled:
        cut -= 1
    return cut


def _place(cells: Sequence[Flowable | str], widths: Sequence[float], run_on: bool
           ) -> list[tuple[Flowable, float, float]]:
    """Each cell with its x and width; a run-on row's second cell takes every column after the first."""
    placed = []
    x = 0.0
    for column, (cell, width) in enumerate(zip(cells, widths, strict=False)):
        if run_on and column == 1:
            width = sum(widths[1:])
        if run_on and column > 1:
            break
        if isinstance(cell, str):
            if not cell:
                x += width
                continue
            cell = TextLines([cell], stylesheet()["Cell"])
        placed.append((cell, x, width))
        x += width
    return placed
