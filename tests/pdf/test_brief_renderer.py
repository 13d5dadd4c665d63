"""The brief renderer on its own: plain dataclasses in, PDF bytes out; no app, no database."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from pypdf import PdfReader

from app.models.enums import SupportStatus
from app.pdf import brief_data as d
from app.pdf.brief import render_state_brief, render_trip_pack

CTX = d.DocumentContext(
    classification="CONFIDENTIAL", recipient="Сергей Envoy", generated_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
    campaign_name="President of the Human Rights Council — 2026 cycle", office="President of the Human Rights Council",
    election_date=date(2026, 1, 12), candidate="Candidate to be named", candidate_state="Indonesia",
)
HOSTILE = '<b>bold</b> & <font color="red">red</font> <img src="http://example.invalid/x.png"/>'


def brief(name: str = "Türkiye", entries: int = 3, summary: str = "Met the minister.") -> d.StateBrief:
    return d.StateBrief(
        iso3="TUR", name=name, regional_group="Western European and Others Group", un_member=True, in_electorate=False,
        hrc_term_start=None, hrc_term_end=None, status=SupportStatus.VERBAL_PLEDGE, status_set_on=date(2025, 11, 24),
        status_set_by="Campaign staff", evidence=d.StatusEvidence(level="Minister", form="Verbal, in a meeting",
                                                                  reason=HOSTILE),
        priority="High", ask="Support for our candidate.", talking_points="Сергей Лавров\nΕλληνικά",
        requests=[d.ReciprocalRequest("They ask us", "UNESCO", "Executive Board", 2027, "Pending", HOSTILE)],
        history=[d.StatusChange(datetime(2025, 11, 24, tzinfo=UTC), SupportStatus.APPROACHED,
                                SupportStatus.VERBAL_PLEDGE, "Campaign staff", "Pledged", "Minister")],
        outreach=[d.OutreachEntry(date(2025, 11, 24), "In-person meeting", "Minister", "Ankara", "Our minister",
                                  "Their minister", f"{summary} {i}") for i in range(entries)],
        follow_ups=[d.FollowUp("Send a note verbale", date(2025, 12, 5), "An envoy", overdue=True)],
        contacts=[d.Contact("Сергей Лавров", "Minister", primary=True)],
        profile=d.StateProfile(capital="Ankara"),
    )


def read(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(p.extract_text().split()) for p in reader.pages]


def test_every_page_says_whom_it_was_made_for_and_its_number():
    reader, pages = read(render_state_brief(brief(entries=60), CTX))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert "Prepared for Сергей Envoy on 2026-11-22 09:30 UTC" in text
        assert f"Page {number} of {len(pages)}" in text and "CONFIDENTIAL" in text
    assert reader.metadata.title and reader.metadata.author == "Suara"


def test_scripts_print_and_markup_stays_literal_with_nothing_fetched():
    reader, pages = read(render_state_brief(brief(), CTX))
    text = " ".join(pages)
    assert "Türkiye" in text and "Сергей Лавров" in text and "Ελληνικά" in text
    assert "<b>bold</b>" in text and '<font color="red">red</font>' in text and "example.invalid/x.png" in text
    for page in reader.pages:
        assert not page.get("/Resources", {}).get("/XObject")


def test_long_summaries_and_long_histories_render_with_repeated_headers():
    long_summary = "Долгий отчёт о встрече. " * 900  # about 20,000 characters
    _, pages = read(render_state_brief(brief(entries=60, summary=long_summary), CTX))
    with_header = [p for p in pages if "Date Channel Level Who Summary" in p]
    assert len(with_header) > 1  # the outreach table's header repeats on each page it spans


def test_trip_pack_has_cover_contents_and_bookmarks():
    pack = d.TripPack(title="Ankara and Athens", envoy="An envoy", start_date=date(2026, 12, 1),
                      end_date=date(2026, 12, 4), states=[brief("Türkiye"), brief("Greece")],
                      snapshot=d.CampaignSnapshot(47, 24, [(s, 1) for s in SupportStatus], 2, 9.5))
    reader, pages = read(render_trip_pack(pack, CTX))
    assert "Ankara and Athens" in pages[0] and "Contents" in " ".join(pages[:3])
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("Türkiye" in t for t in outline) and any("Greece" in t for t in outline)
