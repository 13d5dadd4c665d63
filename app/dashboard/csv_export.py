"""CSV of the per-state tally, safe to open in a spreadsheet.

English whatever the reader's language, like the API: its column names and status values are
what scripts and spreadsheet formulas key on, and its numbers use a decimal point.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from app.domain.dashboard import Dashboard

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


def _points(change: float | None) -> str:
    """Percentage points, unsigned: a leading sign would read as a formula (and be neutralised)."""
    return "" if change is None else f"{abs(change) * 100:.2f}"


def tally_csv(board: Dashboard) -> str:
    """One row per voter: code, name, group, status, conditional, weight, last contact, and how much of the
    current stage's chance of winning (percentage points) it adds one rung up and takes one rung down."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ISO3", "State", "Group", "Status", "Conditional", "Weight", "Last contact",
                     "Chance gained one rung up (pts)", "Chance lost one rung down (pts)"])
    current = board.current_forecast
    swings = current.by_state if current else {}
    for row in board.rows:
        swing = swings.get(row.iso3)
        writer.writerow([neutralise(v) for v in (
            row.iso3, row.name, row.group, row.status.msgid, "yes" if row.conditional else "no",
            f"{row.weight:.2f}", row.last_contact.isoformat() if row.last_contact else "",
            _points(swing.up if swing else None), _points(swing.down if swing else None))])
    return out.getvalue()
