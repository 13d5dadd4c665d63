"""Typeset PDFs: every heading whole (no word broken mid-way), no page left nearly empty by a tail."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.domain.enums import Role
from app.pdf.common import head_cell
from app.pdf.report import short_labels
from app.pdf.translate import Translator


def words(pdf: bytes) -> tuple[set[str], list[str]]:
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    return set(re.findall(r"[\w.’'-]+", " ".join(pages))), pages


def test_report_headings_are_whole_and_no_page_is_a_lonely_tail(client, auth):
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Campaign
    from app.services.reference import PRESIDENCY_CAMPAIGN

    auth.login(Role.LEADERSHIP)
    presidency = db.session.scalar(sa.select(Campaign.id).where(Campaign.name == PRESIDENCY_CAMPAIGN))
    for campaign in ("", f"?campaign={presidency}"):
        found, pages = words(client.get(f"/dashboard/report.pdf{campaign}").data)
        headings = [
            *short_labels(Translator()).values(),
            "Firm",
            "Exp.",
            "All",
            "Group",
            "Stages",
            "States that need attention",
            "By regional group",
            "Needed to win",
            "Expected votes",
        ]
        for heading in headings:
            for word in heading.split():
                assert word in found, (campaign, heading, word)
        # The last page carries more than a heading and a line.
        assert len(pages[-1]) > 400, (campaign, pages[-1][:200])


def test_a_column_heading_shrinks_rather_than_breaking_a_word():
    narrow = head_cell("Written", 34)
    assert narrow.style.fontSize < 7.5 and narrow.style.splitLongWords == 0
    assert head_cell("Group", 80).style.name == "CellHead"
