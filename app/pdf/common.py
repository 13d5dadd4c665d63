"""Shared page machinery for Suara's PDFs: page furniture, escaping, headings and the build."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _Paragraph

from app.pdf import fonts, tuning  # noqa: F401  (tuning: ReportLab's hot spots, applied on import)
from app.pdf.cells import UNPRINTABLE, LineItem, TextLines
from app.pdf.context import DocumentContext
from app.pdf.grid import DataGrid
from app.pdf.keep import KeepWithStart
from app.pdf.styles import (
    CLASSIFICATION,
    INK,
    MUTED,
    NAVY,
    RULE,
    WATERMARK,
    stylesheet,
)
from app.pdf.translate import ENGLISH, Translator

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CONTINUED = "… (continued in the desk)"  # translated by cap(); extracted from the call below




class Paragraph(_Paragraph):
    """A Paragraph that breaks its lines once per width.

    A table asks each cell for its size to lay out its columns, again for its row heights, and
    again after splitting at a page end; line breaking is most of a brief's time, and the result
    depends on the width only, so it is kept for the last width asked.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth, availHeight):
        # ReportLab drops blPara when a split finds no room: then break the lines again.
        if self._wrapped is not None and self._wrapped[0] == availWidth and "blPara" in self.__dict__:
            self.width = availWidth
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


def safe(text: object) -> str:
    """Escape a user string for Paragraph markup, keeping line breaks and dropping controls."""
    if text is None:
        return ""
    plain = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return escape(UNPRINTABLE.sub("", plain)).replace("\n", "<br/>")


def cap(text: str | None, limit: int, t: Translator = ENGLISH) -> str:
    """Shorten text to about `limit` characters, pointing the reader to the desk for the rest."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + " " + t.gettext("… (continued in the desk)")


def split_text(text: str, limit: int, first: int | None = None) -> list[str]:
    """Cut text at paragraph or word breaks into pieces of at most `limit` characters.

    `first`, if given, is the limit for the first piece only.
    """
    text = (text or "").strip()
    pieces: list[str] = []
    while len(text) > (size := first if first and not pieces else limit):
        cut = text.rfind("\n", size // 2, size)
        if cut < 0:
            cut = text.rfind(" ", size // 2, size)
        if cut < 0:
            cut = size
        pieces.append(text[:cut].rstrip())
        text = text[cut:].strip()
    return [*pieces, text]


def fmt_date(value: date | None) -> str:
    """A date as "24 Nov 2025", independent of the process locale."""
    if value is None:
        return "—"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def fmt_utc(value: datetime) -> str:
    """A timestamp as "2025-11-24 09:30 UTC"; naive values are taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def para(text: object, style: str = "Body") -> Flowable:
    """Untrusted text in a named style: plain lines where the style needs nothing more, else a Paragraph."""
    named = stylesheet()[style]
    if _plain_style(named):
        return TextLines(["" if text is None else str(text)], named)
    return Paragraph(safe(text), named)


def cell(*lines: LineItem, style: str = "Cell") -> TextLines:
    """Plain lines of untrusted text, each a string or runs of another font or colour (no markup read)."""
    return TextLines(lines, stylesheet()[style])


def _plain_style(style: ParagraphStyle) -> bool:
    """Whether `TextLines` sets this style as Paragraph would: no background, border, indent or bullet."""
    return (style.backColor is None and not style.borderWidth and not style.leftIndent and not style.rightIndent
            and not style.firstLineIndent and style.alignment != TA_JUSTIFY)


def markup(trusted_markup: str, style: str = "Body") -> Paragraph:
    """A Paragraph of markup the caller built itself, every user part already through safe()."""
    return Paragraph(trusted_markup, stylesheet()[style])


def none_recorded(t: Translator = ENGLISH) -> Paragraph:
    """The placeholder for an empty section, so absence is visible rather than silent."""
    return Paragraph(safe(t.gettext("None recorded.")), stylesheet()["Empty"])


CELL_PADDING = 8  # left + right padding of data_table cells, in points
SMALLEST_HEAD = 5.5


def head_cell(text: str, width: float) -> TextLines:
    """A column heading that never breaks inside a word: the font shrinks until the longest word fits."""
    style = stylesheet()["CellHead"]
    room = width - CELL_PADDING
    longest = max(text.split() or [""], key=lambda w: stringWidth(w, style.fontName, style.fontSize))
    size = style.fontSize
    while size > SMALLEST_HEAD and stringWidth(longest, style.fontName, size) > room:
        size -= 0.25
    if size == style.fontSize:
        return TextLines([text], style)
    return TextLines([text], ParagraphStyle(f"CellHead{size}", parent=style, fontSize=size, leading=size * 1.3,
                                            splitLongWords=0))


def data_table(
    header: Sequence[str | Flowable],
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    groups: Sequence[int] | None = None,
    run_on: frozenset[int] = frozenset(),
) -> DataGrid:
    """A table with a light header row repeated on each page and zebra bands.

    `groups` gives how many consecutive rows belong to one record, so that a record spread over
    several rows keeps one band colour and one rule beneath it. `run_on` holds the rows (1 is the
    first under the header) whose second cell runs on over every column after the first.
    """
    head = [
        head_cell(text, width) if isinstance(text, str) else text for text, width in zip(header, widths, strict=False)
    ]
    return DataGrid.build(head, rows, widths, groups if groups is not None else [1] * len(rows), run_on)


def key_value_table(
    pairs: Sequence[tuple[str, Flowable]], widths: Sequence[float], inset: float = 4
) -> Table:
    """A two-column label/value table with hairlines; `inset` is the outer cell padding."""
    rows = [[Paragraph(safe(label), stylesheet()["Label"]), value] for label, value in pairs]
    table = Table(rows, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (0, -1), inset),
                ("RIGHTPADDING", (-1, 0), (-1, -1), inset),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


class Heading(TextLines):
    """A heading that may carry a PDF outline entry and a table-of-contents entry."""

    def __init__(
        self,
        title: str,
        style: str = "H2",
        *,
        key: str | None = None,
        level: int = 0,
        toc: bool = False,
        rule: bool = False,
    ) -> None:
        title = cap(title, 200)  # a heading never splits, so it must stay a few lines long
        super().__init__([title], stylesheet()[style])
        self.title, self.key, self.level, self.toc, self.rule = title, key, level, toc, rule

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Never split a heading: move it whole to the next frame."""
        return []

    def draw(self) -> None:
        """Draw the text, the optional rule beneath and register the outline entry."""
        super().draw()
        if self.rule:
            self.canv.setStrokeColor(RULE)
            self.canv.setLineWidth(0.6)
            self.canv.line(0, -3, self.width, -3)
        if self.key:
            self.canv.bookmarkHorizontal(self.key, 0, self.height + 6)
            outline = _one_line(self.title)
            self.canv.addOutlineEntry(outline, self.key, level=self.level, closed=True)


class NumberedCanvas(Canvas):
    """A canvas that writes each page as it is finished, yet says "Page x of y" on it.

    The footer's number is a named form XObject drawn on the page and defined only at save,
    when the total is known (PDF resolves the reference then), and page references in a
    contents list work the same way (`page_ref`). So no page is held back in memory, and a
    document with contents is laid out once.
    """

    translator: Translator = ENGLISH  # set per document by build_document

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages_done = 0
        self._page_refs: dict[str, int] = {}  # key -> page number, set as headings are laid out
        self._refs_used: dict[str, tuple[str, str, float, float]] = {}  # form -> key, font, size, width

    def showPage(self) -> None:
        """Draw the footer's page-number form, then emit the page."""
        self._pages_done += 1
        self.saveState()
        self.doForm(f"suara-page-{self._pages_done}")
        self.restoreState()
        super().showPage()

    def mark_page(self, key: str, page: int) -> None:
        """Remember on which page the heading `key` landed."""
        self._page_refs.setdefault(key, page)

    def page_ref(self, key: str, font: str, size: float, width: float) -> None:
        """Draw the page number of `key`, right-aligned in `width`, known only at save."""
        name = f"suara-ref-{key}"
        self._refs_used[name] = (key, font, size, width)
        self.doForm(name)

    def save(self) -> None:
        """Define the number forms now that the total is known, then write the file."""
        if len(self._code):
            self.showPage()  # a last page still open is finished like the others
        total = self._pages_done
        for number in range(1, total + 1):
            self.beginForm(f"suara-page-{number}")
            self.setFont(fonts.REGULAR, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(
                PAGE_WIDTH - MARGIN_X,
                12 * mm,
                self.translator.gettext("Page %(page)s of %(total)s", page=number, total=total),
            )
            self.endForm()
        for name, (key, font, size, width) in self._refs_used.items():
            self.beginForm(name)
            self.setFont(font, size)
            self.setFillColor(INK)
            self.drawRightString(width, 0, str(self._page_refs.get(key, "")))
            self.endForm()
        super().save()


class SuaraDocTemplate(BaseDocTemplate):
    """An A4 document whose every page carries header, footer and watermark for one reader."""

    def __init__(
        self, buffer: io.BytesIO, ctx: DocumentContext, show_outline: bool = False, **kwargs
    ) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            author="Suara",
            creator="Suara",
            **kwargs,
        )
        self.ctx, self.show_outline = ctx, show_outline
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def beforeDocument(self) -> None:
        """Open a long document with its bookmarks pane showing."""
        if self.show_outline:
            self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        """Note the page of each heading marked for the contents (drawn at save: one pass)."""
        if isinstance(flowable, Heading) and flowable.toc and flowable.key:
            self.canv.mark_page(flowable.key, self.page)

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw watermark, header and footer before the page's content goes on top."""
        canv.saveState()
        _draw_watermark(canv, self.ctx.recipient)
        _draw_header(canv, self.ctx)
        _draw_footer(canv, self.ctx)
        canv.restoreState()


def _draw_watermark(canv: Canvas, recipient: str) -> None:
    """The recipient's name across the page at 45°, so a leaked copy names its source."""
    text = UNPRINTABLE.sub("", recipient).strip()
    if not text:
        return
    size = 54.0
    # Shrink long names so they stay on the page diagonal.
    size = min(size, 560 / max(stringWidth(text, fonts.BOLD, 1), 1))
    canv.setFont(fonts.BOLD, size)
    canv.setFillColor(WATERMARK)
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(45)
    canv.drawCentredString(0, -size / 3, text)
    canv.rotate(-45)
    canv.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)


def _draw_header(canv: Canvas, ctx: DocumentContext) -> None:
    """Classification line, centred and red, above the campaign name and a rule."""
    canv.setFont(fonts.BOLD, 9)
    canv.setFillColor(CLASSIFICATION)
    classification = _fit(ctx.classification, fonts.BOLD, 9, CONTENT_WIDTH)
    canv.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, classification)
    canv.setFont(fonts.REGULAR, 7.5)
    canv.setFillColor(MUTED)
    # One line a side: the campaign on the left, our candidate on the right.
    candidate = ctx.candidate if ctx.candidate_state in ctx.candidate else f"{ctx.candidate} ({ctx.candidate_state})"
    right = _fit(ctx.t.gettext("Candidate: %(name)s", name=candidate), fonts.REGULAR, 7.5, CONTENT_WIDTH * 0.46)
    canv.drawRightString(PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 18 * mm, right)
    room = CONTENT_WIDTH - stringWidth(right, fonts.REGULAR, 7.5) - 6 * mm
    canv.drawString(MARGIN_X, PAGE_HEIGHT - 18 * mm, _fit(ctx.campaign_name, fonts.REGULAR, 7.5, room))
    canv.setStrokeColor(NAVY)
    canv.setLineWidth(0.8)
    canv.line(MARGIN_X, PAGE_HEIGHT - 20 * mm, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 20 * mm)


def _draw_footer(canv: Canvas, ctx: DocumentContext) -> None:
    """A rule and "Prepared for <name> on <time>"; the page number is added at save time."""
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(MARGIN_X, 16 * mm, PAGE_WIDTH - MARGIN_X, 16 * mm)
    canv.setFont(fonts.REGULAR, 7.5)
    canv.setFillColor(INK)
    # Leave room on the right for "Page x of y", however long the name.
    recipient = _fit(ctx.recipient, fonts.REGULAR, 7.5, CONTENT_WIDTH * 0.6)
    canv.drawString(MARGIN_X, 12 * mm, ctx.t.gettext("Prepared for %(name)s on %(time)s", name=recipient,
                                                      time=fmt_utc(ctx.generated_at)))


def _one_line(text: str) -> str:
    """Canvas strings take no markup but must still lose controls and line breaks."""
    return " ".join(UNPRINTABLE.sub("", str(text or "")).split())


def _fit(text: str, font: str, size: float, width: float) -> str:
    """One line of canvas text, shortened with an ellipsis to fit `width`."""
    line = _one_line(text)
    if stringWidth(line, font, size) <= width:
        return line
    line = line[:300]  # no line of small print holds more; keeps the loop short
    while line and stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def build_document(
    story: Sequence[Flowable], ctx: DocumentContext, title: str, subject: str, toc: bool = False,
    flowing: bool = False,
) -> bytes:
    """Lay out a story on Suara's A4 pages and return the PDF bytes.

    `flowing`: a heading keeps only the start of its section, which may then run over the page end
    (briefs, where sections follow one another); otherwise a section that fits on a page moves whole
    to the next one (short reports ending on a list, whose tail would be alone on the last page).
    """
    fonts.register_fonts()
    buffer = io.BytesIO()
    doc = SuaraDocTemplate(
        buffer, ctx, show_outline=toc, title=_one_line(title), subject=_one_line(subject),
        keepTogetherClass=KeepWithStart if flowing else KeepTogether,
    )
    canvas = type("ReaderCanvas", (NumberedCanvas,), {"translator": ctx.t})
    # One pass even with contents: their page numbers are forms filled in at save (NumberedCanvas).
    doc.build(list(story), canvasmaker=canvas)
    return buffer.getvalue()
