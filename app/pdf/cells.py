"""Plain text set in lines: what most of a document's cells need, without Paragraph's markup parser.

A brief is some two hundred table cells of plain text in one style, a word or two in another
colour or weight. ReportLab's Paragraph parses each as markup, builds fragments and breaks lines
in general-purpose code: most of a brief's time. `TextLines` takes the text as runs of one font
and colour, breaks it at spaces by word widths and draws it with one text object. It reads no
markup, so user text is never interpreted and needs no escaping here (only controls are dropped).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable

# C0 controls (bar tab and newline), DEL and lone surrogates: none of them can be meant as text.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_SPACES = re.compile("[ \t]+")
_SPECIAL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")  # line breaks, tabs and the unprintable
_WIDTHS: dict[str, dict[str, float]] = {}  # font -> word -> width at size 1: words repeat across cells
_WIDTHS_KEPT = 50_000  # words per font, then the table starts afresh (bounded memory)


def text_width(text: str, font: str, size: float) -> float:
    """The width of `text` in `font` at `size`, remembered per word."""
    widths = _WIDTHS.get(font)
    if widths is None:
        widths = _WIDTHS[font] = {}
    width = widths.get(text)
    if width is None:
        if len(widths) > _WIDTHS_KEPT:
            widths.clear()
        width = widths[text] = getFont(font).stringWidth(text, 1.0)
    return width * size


class Run(NamedTuple):
    """Text in one font and colour; None takes the style's."""

    text: str
    font: str | None = None
    colour: Color | None = None


Segment = tuple[str, str, Color]  # text (spaces included), font, colour
LineItem = str | Run | Sequence[Run]


class TextLines(Flowable):
    """Lines of plain text in a paragraph style, wrapped at spaces, breaking over-long words.

    Each item of `lines` starts a new line (as `<br/>` would); a "\\n" inside the text does too.
    Left, centred or right aligned; space before and after, keep-with-next and leading come from
    the style; it splits between lines at a frame's end.
    """

    def __init__(self, lines: Sequence[LineItem], style: ParagraphStyle) -> None:
        super().__init__()
        self.style = style
        self._logical = [line for item in lines for line in _logical_lines(item)]
        self._wrapped: tuple[float, list[tuple[float, list[Segment]]]] | None = None

    def __repr__(self) -> str:
        return f"TextLines({self.text!r})"

    @property
    def text(self) -> str:
        """The text as read, one line per logical line (for tests and debugging)."""
        return "\n".join("".join(run.text for run in line) for line in self._logical)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is None or self._wrapped[0] != availWidth:
            lines: list[tuple[float, list[Segment]]] = []
            for runs in self._logical:
                lines += _break(runs, self.style, availWidth)
            self._wrapped = (availWidth, lines)
        self.width = availWidth
        self.height = len(self._wrapped[1]) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Two parts at a line boundary, or nothing if not even one line fits."""
        self.wrap(availWidth, availHeight)
        assert self._wrapped is not None
        lines = self._wrapped[1]
        fits = int(availHeight // self.style.leading)
        if fits <= 0 or fits >= len(lines):
            return [] if fits <= 0 else [self]
        head, tail = (self._part(lines[:fits]), self._part(lines[fits:]))
        head.spaceAfter, tail.spaceBefore = 0, 0
        return [head, tail]

    def _part(self, lines: list[tuple[float, list[Segment]]]) -> TextLines:
        """A part holding already broken lines (each one a logical line of its own)."""
        part = TextLines([], self.style)
        part._logical = [[Run(text.rstrip(" ") if i == len(segs) - 1 else text, font, colour)
                          for i, (text, font, colour) in enumerate(segs)] for _, segs in lines]
        return part

    def draw(self) -> None:
        self.draw_at(self.canv, 0.0, 0.0)

    def draw_at(self, canv, x: float, y: float) -> None:
        """Draw with the bottom left at (x, y) of the canvas as it stands, nothing saved or moved."""
        text = canv.beginText()
        self.write(text, x, y)
        canv.drawText(text)

    def write(self, text, x: float, y: float) -> None:
        """Add the lines to a text object, bottom left at (x, y): a table writes all its cells into one.

        The show operators are written here rather than by the text object's textOut, which measures
        every string again and re-checks the font per call; the lines' widths are known already.
        """
        assert self._wrapped is not None
        style = self.style
        text.setTextOrigin(x, y + self.height - style.fontSize)
        text.setLeading(style.leading)
        code, doc = text._code, text._canvas._doc  # the object's operator list, as textOut appends to
        select = f"{fp_str(style.fontSize)} Tf {fp_str(style.leading)} TL"
        chosen: tuple[str, int] | None = None
        colour = None
        for width, segments in self._wrapped[1]:
            indent = 0.0
            if style.alignment == TA_RIGHT:
                indent = self.width - width
            elif style.alignment == TA_CENTER:
                indent = (self.width - width) / 2
            if indent:
                text.moveCursor(indent, 0)
            for piece, font_name, piece_colour in segments:
                if piece_colour is not colour:
                    text.setFillColor(piece_colour)
                    colour = piece_colour
                font = getFont(font_name)
                for subset, encoded in font.splitString(piece, doc):
                    if chosen != (font_name, subset):
                        code.append(f"{font.getSubsetInternalName(subset, doc)} {select}")
                        chosen = (font_name, subset)
                    code.append(f"({escapePDF(encoded)}) Tj")
            code.append("T*")  # the next line, one leading down
            if indent:
                text.moveCursor(-indent, 0)
        text._curSubset = -1  # the object's own textOut must choose its font again


def _logical_lines(item: LineItem) -> list[list[Run]]:
    """An item as runs per line: split at line breaks, controls dropped, tabs as spaces."""
    if isinstance(item, str) and _SPECIAL.search(item) is None:  # most cells: one plain line
        return [[Run(item)]] if item else [[]]
    runs = [Run(item)] if isinstance(item, str) else [item] if isinstance(item, Run) else list(item)
    lines: list[list[Run]] = [[]]
    for run in runs:
        text = str(run.text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        for number, part in enumerate(text.split("\n")):
            if number:
                lines.append([])
            part = UNPRINTABLE.sub("", part)
            if part:
                lines[-1].append(run._replace(text=part))
    return lines


def _break(runs: list[Run], style: ParagraphStyle, width: float) -> list[tuple[float, list[Segment]]]:
    """One logical line broken into lines of at most `width`: (line width, segments)."""
    size = style.fontSize
    if len(runs) == 1:  # the common case: one run, that fits or breaks between words of one font
        font, colour = runs[0].font or style.fontName, runs[0].colour or style.textColor
        text = _SPACES.sub(" ", runs[0].text).strip(" ")
        if not text:
            return []
        measured = getFont(font).stringWidth(text, size)
        if measured <= width:
            return [(measured, [(text, font, colour)])]
        plain = _break_words(text.split(" "), font, colour, size, width)
        if plain is not None:
            return plain
    lines: list[tuple[float, list[Segment]]] = []
    line = _Line()
    for word in _words(runs, style):
        word_width = sum(text_width(text, font, size) for text, font, _ in word)
        space = text_width(" ", line.segments[-1][1], size) if line.segments else 0.0
        if line.segments and line.used + space + word_width > width:
            lines.append(line.done())
            line, space = _Line(), 0.0
        if line.segments:
            line.add(" ", line.segments[-1][1], line.segments[-1][2], space)
        if word_width <= width:
            for text, font, colour in word:
                line.add(text, font, colour, 0.0)
            line.used += word_width
            continue
        for text, font, colour in word:  # longer than a line (on a line of its own): cut at the edge
            for char in text:
                char_width = text_width(char, font, size)
                if line.segments and line.used + char_width > width:
                    lines.append(line.done())
                    line = _Line()
                line.add(char, font, colour, char_width)
    if line.segments:
        lines.append(line.done())
    return lines


def _break_words(words: list[str], font: str, colour: Color, size: float, width: float):
    """Words of one font and colour in lines of at most `width`, or None if a word alone is wider."""
    widths = [text_width(word, font, size) for word in words]
    if max(widths) > width:
        return None
    space = text_width(" ", font, size)
    lines: list[tuple[float, list[Segment]]] = []
    start, used = 0, widths[0]
    for number in range(1, len(words)):
        if used + space + widths[number] > width:
            lines.append((used, [(" ".join(words[start:number]), font, colour)]))
            start, used = number, widths[number]
        else:
            used += space + widths[number]
    lines.append((used, [(" ".join(words[start:]), font, colour)]))
    return lines


class _Line:
    """A line being filled: its segments and the width they take."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.used = 0.0

    def add(self, text: str, font: str, colour: Color, width: float) -> None:
        """Append text, merged into the last segment when font and colour agree."""
        if self.segments and self.segments[-1][1] == font and self.segments[-1][2] is colour:
            self.segments[-1] = (self.segments[-1][0] + text, font, colour)
        else:
            self.segments.append((text, font, colour))
        self.used += width

    def done(self) -> tuple[float, list[Segment]]:
        return self.used, self.segments


def _words(runs: list[Run], style: ParagraphStyle) -> list[list[Segment]]:
    """Runs as words (pieces with no space between them), each piece in its font and colour."""
    words: list[list[Segment]] = []
    current: list[Segment] = []
    for run in runs:
        font, colour = run.font or style.fontName, run.colour or style.textColor
        for number, part in enumerate(_SPACES.split(run.text)):
            if number and current:
                words.append(current)
                current = []
            if part:
                current.append((part, font, colour))
    if current:
        words.append(current)
    return words
