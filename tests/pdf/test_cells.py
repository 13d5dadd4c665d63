"""Plain text lines and data grids: every word kept in order, no line past its width, headers repeated."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime

from pypdf import PdfReader
from reportlab.lib.colors import red
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.pdf.cells import Run, TextLines
from app.pdf.common import build_document, cell, data_table, para
from app.pdf.context import DocumentContext
from app.pdf.styles import stylesheet

STYLE = stylesheet()["Cell"]
CTX = DocumentContext(classification="RESTRICTED", recipient="An envoy", generated_at=datetime(2026, 12, 2, tzinfo=UTC),
                      campaign_name="Campaign", office="Office", election_date=None, candidate="Candidate",
                      candidate_state="Indonesia")


def lines_of(flowable: TextLines, width: float) -> list[str]:
    flowable.wrap(width, 1000)
    assert flowable._wrapped is not None
    return ["".join(text for text, _, _ in segments) for _, segments in flowable._wrapped[1]]


def test_words_stay_in_order_and_no_line_passes_its_width():
    words = ["".join(random.Random(n).choices("abcdefghij", k=1 + n % 13)) for n in range(300)]
    for width in (40, 95.5, 300):  # at 40 the longest words are cut (see below)
        lines = lines_of(TextLines([" ".join(words)], STYLE), width)
        assert "".join(lines).replace(" ", "") == "".join(words)
        if width > 60:
            assert " ".join(lines).split() == words
        assert all(stringWidth(line, STYLE.fontName, STYLE.fontSize) <= width + 0.01 for line in lines)


def test_a_word_longer_than_the_line_is_cut_at_the_edge_and_nothing_is_lost():
    lines = lines_of(TextLines(["short " + "x" * 500 + " end"], STYLE), 60)
    assert lines[0] == "short" and lines[-1].endswith("end")
    assert "".join(lines).replace(" ", "") == "short" + "x" * 500 + "end"
    assert all(stringWidth(line, STYLE.fontName, STYLE.fontSize) <= 60.01 for line in lines)


def test_items_and_newlines_start_lines_and_controls_are_dropped():
    items = ["one\ntwo\r\nthree", [Run("■", colour=red), Run("\u00a0Against")], "a\x00b\x1fc\td"]
    lines = lines_of(TextLines(items, STYLE), 500)
    assert lines == ["one", "two", "three", "■\u00a0Against", "abc d"]


def test_runs_keep_their_font_and_colour():
    flowable = cell([Run("Us:", STYLE.fontName + "-Bold"), Run(" our minister")], Run("Ankara", colour=red))
    flowable.wrap(500, 100)
    segments = [segment for _, line in flowable._wrapped[1] for segment in line]
    assert segments[0][:2] == ("Us: ", STYLE.fontName + "-Bold") and segments[1][0] == "our minister"
    assert segments[-1][0] == "Ankara" and segments[-1][2] is red


def test_a_split_keeps_every_line_once():
    flowable = TextLines([" ".join(f"word{n}" for n in range(400))], STYLE)
    whole = lines_of(flowable, 120)
    head, tail = flowable.split(120, STYLE.leading * 7.5)
    assert len(lines_of(head, 120)) == 7
    assert lines_of(head, 120) + lines_of(tail, 120) == whole
    assert flowable.split(120, STYLE.leading / 2) == []


def test_markup_in_plain_text_is_printed_as_typed():
    hostile = '<b>bold</b> & <font color="red">x</font>'
    pdf = build_document([para(hostile, "Cell"), cell(hostile, [Run(hostile, colour=red)])], CTX, "T", "S")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert text.count("<b>bold</b> &") == 3


def test_a_long_grid_repeats_its_header_keeps_every_row_and_runs_on_rows_across():
    rows = []
    for n in range(120):
        rows.append([para(f"row {n}", "Cell"), para("channel", "Cell"), para(f"summary {n}", "Cell")])
        rows.append([para("(continued)", "CellMuted"), para(f"continued text {n} " + "wide " * 30, "Cell"), ""])
    table = data_table(["Date", "Channel", "Summary"], rows, [60, 60, 200], groups=[2] * 120,
                       run_on=frozenset(range(2, 241, 2)))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(build_document([table], CTX, "T", "S"))).pages]
    assert len(pages) > 3
    assert all("Date\nChannel\nSummary" in page for page in pages)
    text = " ".join(pages)
    positions = [text.index(f"row {n}\n") if f"row {n}\n" in text else text.index(f"row {n} ") for n in range(120)]
    assert positions == sorted(positions)
    # The run-on text spans the channel and summary columns: wider than the summary column alone.
    assert stringWidth("continued text 0 " + "wide " * 30, STYLE.fontName, STYLE.fontSize) > 200
    assert "continued text 119" in text


def _pages_of(story, flowing: bool) -> list[str]:
    pdf = build_document(story, CTX, "T", "S", flowing=flowing)
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _section_after_a_tall_start(rows: int) -> list:
    from reportlab.platypus import Spacer

    from app.pdf.common import Heading

    table = data_table(["Date", "Why"], [[para(f"row {n}", "Cell"), para("reason", "Cell")] for n in range(rows)],
                       [80, 300])
    return [Spacer(1, 480), Heading("Status history", "H2"), table]


def test_in_a_brief_a_section_starts_where_the_last_ended_with_its_heading_and_first_rows():
    pages = _pages_of(_section_after_a_tall_start(14), flowing=True)
    assert "Status history" in pages[0] and "row 0" in pages[0]
    last_on_first = max(n for n in range(14) if f"row {n}\n" in pages[0] or pages[0].endswith(f"row {n}"))
    assert 14 - 1 - last_on_first >= 3  # the continuation takes at least three rows
    assert "Date\nWhy" in pages[1] and "row 13" in pages[1]


def test_a_table_that_would_leave_one_row_behind_moves_whole_in_a_report():
    pages = _pages_of(_section_after_a_tall_start(14), flowing=False)
    assert "Status history" not in pages[0] and "row 0" in pages[1] and "row 13" in pages[1]
