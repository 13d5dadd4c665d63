"""The downloadable report of an applied import, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from app.dashboard.csv_export import neutralise
from app.models import ImportBatch


def report_csv(batch: ImportBatch) -> str:
    """What an applied import did, one line per row of the file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Row", "State(s)", "What was applied"])
    for number, subject, changes in batch.report or []:
        writer.writerow([neutralise(v) for v in (number, subject, changes)])
    return out.getvalue()
