"""Reading an uploaded CSV or XLSX into rows of text, safely: size and row limits, no formulas, no macros."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePosixPath

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from app.domain.text import Message, Number
from app.services import ServiceError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_LINES = 20 * MAX_ROWS  # rows read, blank ones included
MAX_UNPACKED = 40 * 1024 * 1024  # an .xlsx is a zip: refuse one that would unpack into a bomb
MAX_CELL = 100_001  # longer than any field allows, so the preview can still say "too long"
# What openpyxl raises on a damaged or foreign file (ParseError is a SyntaxError).
DAMAGED = (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, OSError, SyntaxError)
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam"}


class FileRefused(ServiceError):
    """The upload cannot be read as a spreadsheet; the message says what to do instead."""


@dataclass(frozen=True)
class Sheet:
    """A file's header names and its non-blank rows, each [spreadsheet row number, cell, cell, …]."""

    headers: list[str]
    rows: list[list]


def read_upload(filename: str, data: bytes) -> Sheet:
    """Read a .csv or .xlsx upload; raises FileRefused with a message a user can act on."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if len(data) > MAX_BYTES:
        raise FileRefused(Message("The file is %(size)s MB; the limit is 2 MB. Split it into smaller files.",
                                  size=Number(len(data) / 1024 / 1024, 1)))
    if not data:
        raise FileRefused(Message("The file is empty."))
    if suffix in MACRO_EXTENSIONS:
        raise FileRefused(Message(
            "Workbooks with macros (.xlsm, .xlsb) are refused: save it as an Excel workbook (.xlsx) or CSV."))
    if suffix == ".xls":
        raise FileRefused(Message(
            "Old Excel files (.xls) cannot be read: save it as an Excel workbook (.xlsx) or CSV."))
    if suffix == ".csv":
        return _sheet(_csv_rows(data))
    if suffix == ".xlsx":
        return _sheet(_xlsx_rows(data))
    raise FileRefused(Message("Upload a CSV (.csv) or an Excel workbook (.xlsx)."))


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if data.startswith(b"PK\x03\x04"):
        raise FileRefused(Message("This file is a workbook, not CSV text: upload it with its .xlsx name."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(Message(
            "The CSV is not UTF-8 text: in Excel save it as “CSV UTF-8 (Comma delimited)”.")) from None
    # The header line decides (commas unless it has more semicolons or tabs): a sniffer reading
    # the data would be misled by outreach states written "KHM; LAO".
    header = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, 1)
    except csv.Error as error:
        raise FileRefused(Message("Record %(record)d of the CSV cannot be read (%(error)s).", record=reader.line_num,
                                  error=error)) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    _check_archive(data)
    try:
        # data_only=False: a formula stays a formula, so it is refused below. data_only=True would
        # hand over the result the spreadsheet program cached (2 for "=1+1"), which we never import.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            sheet = workbook.worksheets[0]
            # One column more than allowed: a file declaring 16,384 columns is not padded to them all.
            for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), 1):
                _check_line(number)
                yield number, [_cell_text(cell, number, column) for column, cell in enumerate(row, 1)]
        finally:
            workbook.close()
    except FileRefused:
        raise
    except DAMAGED:
        raise FileRefused(Message(
            "The workbook cannot be read: open it, save it again as .xlsx, and upload that.")) from None


def _check_archive(data: bytes) -> None:
    """A real .xlsx: a zip without a VBA project, of a reasonable unpacked size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError):
        raise FileRefused(Message("The file is not an Excel workbook (.xlsx).")) from None
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos) or b"macroEnabled" in content_types:
        raise FileRefused(Message("Workbooks with macros are refused: save it as an Excel workbook (.xlsx) or CSV."))
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise FileRefused(Message("The workbook unpacks to more than 40 MB: split it into smaller files."))


def _cell_text(cell, row: int, column: int) -> str:
    """A cell as text; a formula refuses the file (it is never evaluated, nor its cached result used)."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        formula = str(value if isinstance(value, str) else getattr(value, "text", "") or "")[:40]
        raise FileRefused(Message(
            "Cell %(cell)s holds a formula (%(formula)s). Formulas are not evaluated: copy the cells and "
            "paste them as values (Paste special → Values), then upload again.",
            cell=get_column_letter(column) + str(row), formula=formula))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:MAX_CELL]


def _check_line(number: int) -> None:
    """Blank rows are skipped but still cost time: a sheet with data on row 1,000,000 is refused."""
    if number > MAX_LINES:
        raise FileRefused(Message(
            "The file runs past row %(rows)s: delete the empty rows and keep the data near the top.",
                                  rows=Number(MAX_LINES)))


def _sheet(rows: Iterator[tuple[int, list[str]]]) -> Sheet:
    """The first non-blank row names the columns; blank rows are skipped; limits are enforced."""
    header: list[str] | None = None
    body: list[list] = []
    for number, cells in rows:
        _check_line(number)
        cells = [c[:MAX_CELL] for c in cells]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise FileRefused(Message("Row %(row)d has more than %(max)d columns: keep only the columns to import.",
                                      row=number, max=MAX_COLUMNS))
        if header is None:
            header = cells
            continue
        if len(body) == MAX_ROWS:
            raise FileRefused(Message(
                "The file has more than %(rows)s rows: split it into smaller files.", rows=Number(MAX_ROWS)))
        body.append([number, *cells])
    if header is None or not body:
        raise FileRefused(Message(
            "The file has no rows to import: the first row names the columns, the rows below hold the data."))
    width = max(len(header), *(len(row) - 1 for row in body))
    return Sheet(headers=_header_names(header, width), rows=[row + [""] * (width + 1 - len(row)) for row in body])


def _header_names(header: list[str], width: int) -> list[str]:
    """Column names as typed; a blank or repeated one is named after its column letter."""
    names: list[str] = []
    for index in range(width):
        letter = get_column_letter(index + 1)
        typed = header[index] if index < len(header) else ""
        name = " ".join("".join(c for c in typed if c.isprintable() or c.isspace()).split())[:100]
        if not name:
            name = f"Column {letter}"
        elif name in names:
            name = f"{name} (column {letter})"
        names.append(name)
    return names
