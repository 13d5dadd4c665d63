"""CSV of the per-state tally, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import unicodedata

from app.services.dashboard import Dashboard

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Prefix a quote to cells a spreadsheet would read as a formula (CSV injection).

    Spreadsheets skip leading spaces and newlines and read full-width signs (＝, ＋) as formulas
    too, so the first character that is not white space is checked in its NFKC form.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    probe = unicodedata.normalize("NFKC", text.lstrip()[:1])
    return "'" + text if probe.startswith(FORMULA_START) else text


def tally_csv(board: Dashboard) -> str:
    """One row per voter: code, name, group, status, conditional, weight, last contact."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ISO3", "State", "Group", "Status", "Conditional", "Weight", "Last contact"])
    for row in board.rows:
        writer.writerow([neutralise(v) for v in (
            row.iso3, row.name, row.group, row.status.label, "yes" if row.conditional else "no",
            f"{row.weight:.2f}", row.last_contact.isoformat() if row.last_contact else "")])
    return out.getvalue()
