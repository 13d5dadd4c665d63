"""The brief renderer on its own: plain dataclasses in, PDF bytes out; no app, no database."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, date, datetime

from pypdf import PdfReader

from app.domain import brief_data as d
from app.domain.enums import SupportStatus
from app.pdf.brief import render_state_brief, render_trip_pack
from app.pdf.common import cap, safe, split_text
from app.pdf.context import DocumentContext
from app.pdf.fonts import register_fonts

CTX = DocumentContext(
    classification="CONFIDENTIAL",
    recipient="Сергей Envoy",
    generated_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
    campaign_name="President of the Human Rights Council — 2026 cycle",
    office="President of the Human Rights Council",
    election_date=date(2026, 1, 12),
    candidate="Candidate to be named",
    candidate_state="Indonesia",
)
FOOTER = "Prepared for Сергей Envoy on 2026-11-22 09:30 UTC"
HOSTILE = '<b>bold</b> & <font color="red">red</font> <img src="http://example.invalid/x.png"/>'
OUTREACH_HEADER = "Date Channel Level Who Summary"


def entry(summary: str, number: int = 0) -> d.OutreachEntry:
    """One meeting in Ankara."""
    return d.OutreachEntry(
        date(2025, 11, 24),
        "In-person meeting",
        "Minister",
        "Ankara",
        "Our minister",
        "Their minister",
        f"{summary} {number}",
    )


def brief(
    name: str = "Türkiye", entries: int = 3, summary: str = "Met the minister."
) -> d.StateBrief:
    """A brief with something in every section."""
    return d.StateBrief(
        iso3="TUR",
        name=name,
        regional_group="Western European and Others Group",
        un_member=True,
        in_electorate=False,
        hrc_term_start=None,
        hrc_term_end=None,
        status=SupportStatus.VERBAL_PLEDGE,
        status_set_on=date(2025, 11, 24),
        status_set_by="Campaign staff",
        evidence=d.StatusEvidence(level="Minister", form="Verbal, in a meeting", reason=HOSTILE),
        priority="High",
        ask="Support for our candidate.",
        talking_points="Сергей Лавров\nΕλληνικά",
        requests=[
            d.ReciprocalRequest(
                "They ask us", "UNESCO", "Executive Board", 2027, "Pending", HOSTILE
            )
        ],
        history=[
            d.StatusChange(
                datetime(2025, 11, 24, tzinfo=UTC),
                SupportStatus.APPROACHED,
                SupportStatus.VERBAL_PLEDGE,
                "Campaign staff",
                "Pledged",
                "Minister",
            )
        ],
        outreach=[entry(summary, i) for i in range(entries)],
        follow_ups=[d.FollowUp("Send a note verbale", date(2025, 12, 5), "An envoy", overdue=True)],
        contacts=[d.Contact("Сергей Лавров", "Minister", primary=True)],
        profile=d.StateProfile(capital="Ankara"),
    )


def empty_brief(name: str = "Viet Nam") -> d.StateBrief:
    """A brief with nothing recorded beyond the status."""
    return d.StateBrief(
        iso3="VNM",
        name=name,
        regional_group="Asia-Pacific Group",
        un_member=True,
        in_electorate=True,
        hrc_term_start=2023,
        hrc_term_end=2025,
        status=SupportStatus.NOT_APPROACHED,
        status_set_on=None,
        status_set_by=None,
        evidence=None,
        priority="Normal",
        ask="",
        talking_points="",
    )


def pack(*states: d.StateBrief) -> d.TripPack:
    """A trip pack over the given states."""
    counts = [(status, 1) for status in SupportStatus]
    return d.TripPack(
        title="Ankara and Athens",
        envoy="An envoy",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 4),
        states=list(states),
        snapshot=d.CampaignSnapshot(47, 24, counts, 2, 9.5),
    )


def read(data: bytes) -> tuple[PdfReader, list[str]]:
    """The parsed PDF and each page's text with whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def test_a_brief_is_a_pdf_of_a_few_pages():
    data = render_state_brief(brief(), CTX)
    reader, _ = read(data)
    assert data.startswith(b"%PDF-")
    assert 1 <= len(reader.pages) <= 3


def test_every_page_says_whom_it_was_made_for_and_its_number():
    _, pages = read(render_state_brief(brief(entries=60), CTX))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert FOOTER in text
        assert f"Page {number} of {len(pages)}" in text and "CONFIDENTIAL" in text
    assert "Page 1 of" in pages[0]


def test_metadata_names_the_document_and_suara():
    reader, _ = read(render_state_brief(brief(), CTX))
    meta = reader.metadata
    assert meta.title == "State brief: Türkiye"
    assert meta.author == "Suara" and meta.creator == "Suara"
    assert CTX.campaign_name in meta.subject


def test_scripts_print_and_markup_stays_literal_with_nothing_fetched():
    reader, pages = read(render_state_brief(brief(), CTX))
    text = " ".join(pages)
    assert "Türkiye" in text and "Сергей Лавров" in text and "Ελληνικά" in text
    assert "<b>bold</b>" in text and '<font color="red">red</font>' in text
    assert '<img src="http://example.invalid/x.png"/>' in text and " & " in text
    for page in reader.pages:  # no image embedded (the page-number forms are the only XObjects)
        xobjects = page.get("/Resources", {}).get("/XObject") or {}
        assert all(x.get_object()["/Subtype"] == "/Form" for x in xobjects.values())


def test_control_characters_and_hostile_names_do_not_break_the_page():
    nasty = "A\x00B\x07C\r\nD\x1b[31m\ud800 <b>x</b> &amp;"
    state = dataclasses.replace(brief(name=f"Türkiye {nasty}"), ask=nasty, talking_points=nasty)
    ctx = dataclasses.replace(
        CTX, recipient=f"<b>x</b>\x00 {'Long Name ' * 40}", classification=f"SECRET\x07 {nasty}"
    )
    _, pages = read(render_state_brief(state, ctx))
    text = " ".join(pages)
    assert "ABC D" in text and "<b>x</b> &amp;" in text
    assert all("Prepared for <b>x</b> Long Name" in page for page in pages)


def test_empty_sections_say_so():
    _, pages = read(render_state_brief(empty_brief(), CTX))
    text = " ".join(pages)
    for heading in (
        "The ask",
        "Talking points",
        "Reciprocal requests",
        "Status history",
        "Latest outreach",
        "Open follow-ups",
        "Contacts",
        "Profile",
    ):
        assert heading in text
    assert text.count("None recorded.") == 8


def test_the_profile_lists_the_facts_the_desk_keeps_and_no_head_of_government():
    _, pages = read(render_state_brief(brief(), CTX))
    text = " ".join(pages)
    assert "Capital" in text and "Ankara" in text and "Head of state" in text
    assert "Head of government" not in text  # the desk records none: the line only ever read "—"


def test_sixty_entries_and_a_20000_character_summary_render_with_repeated_headers():
    long_summary = "Долгий отчёт о встрече. " * 850 + "END-OF-REPORT"  # about 20,000 chars
    state = brief(entries=60)
    state = dataclasses.replace(state, outreach=[entry(long_summary), *state.outreach[1:]])
    _, pages = read(render_state_brief(state, CTX))
    with_header = [p for p in pages if OUTREACH_HEADER in p]
    assert len(with_header) > 1  # the outreach table's header repeats on each page it spans
    text = " ".join(pages)
    # The long summary runs on over extra rows: nothing is lost, it reaches its end.
    assert "(continued)" in text and "END-OF-REPORT" in text
    assert all(f"Met the minister. {i}" in text for i in range(1, 60))


def test_a_single_unbroken_20000_character_summary_renders():
    state = dataclasses.replace(brief(), outreach=[entry("x" * 20_000)])
    _, pages = read(render_state_brief(state, CTX))
    assert sum(page.count("x") for page in pages) >= 20_000


def test_every_free_text_field_at_once_huge_still_renders():
    huge = "Ж" * 20_000
    state = d.StateBrief(
        iso3="XXX",
        name=huge,
        regional_group=huge,
        un_member=False,
        in_electorate=False,
        hrc_term_start=None,
        hrc_term_end=None,
        status=SupportStatus.AGAINST,
        status_set_on=date(2025, 1, 1),
        status_set_by=huge,
        evidence=d.StatusEvidence(huge, huge, huge, date(2025, 1, 2), True, huge, huge),
        priority=huge,
        ask=huge,
        talking_points=huge,
        requests=[d.ReciprocalRequest(huge, huge, huge, 2027, huge, huge)],
        history=[
            d.StatusChange(
                datetime(2025, 1, 1, tzinfo=UTC), None, SupportStatus.AGAINST, huge, huge, huge
            )
        ],
        outreach=[d.OutreachEntry(date(2025, 1, 1), huge, huge, huge, huge, huge, huge)],
        follow_ups=[d.FollowUp(huge, None, huge, True)],
        contacts=[d.Contact(huge, huge, huge, huge, huge, True)],
        profile=d.StateProfile(*([huge] * 6)),
    )
    _, pages = read(render_state_brief(state, CTX))
    assert len(pages) > 3 and "continued in the desk" in " ".join(pages)


def test_trip_pack_has_cover_contents_and_bookmarks():
    data = render_trip_pack(pack(brief("Türkiye"), brief("Greece"), empty_brief()), CTX)
    reader, pages = read(data)
    assert "Ankara and Athens" in pages[0] and "An envoy" in pages[0] and FOOTER in pages[0]
    assert "Contents" in pages[1]
    top = {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert {"Campaign snapshot", "Türkiye", "Greece", "Viet Nam"} <= set(top)
    assert reader.page_mode == "/UseOutlines"
    # Plain extraction: the page numbers are form XObjects filled in at save (one layout pass).
    contents = reader.pages[1].extract_text()
    for title, page in top.items():
        # The contents lists each section with the page its outline entry opens on.
        assert re.search(rf"^{re.escape(title)}[ .\n]*{page}$", contents, re.MULTILINE), title
        assert title in pages[page - 1]
    assert "Votes needed to win" in pages[top["Campaign snapshot"] - 1]
    for number, text in enumerate(pages, start=1):
        assert FOOTER in text and f"Page {number} of {len(pages)}" in text


def test_each_state_in_a_pack_starts_on_a_new_page():
    _, pages = read(render_trip_pack(pack(empty_brief("Lao"), empty_brief("Viet Nam")), CTX))
    starts = [i for i, text in enumerate(pages) if "STATE BRIEF" in text]
    assert len(starts) == 2
    assert "Lao" in pages[starts[0]] and "Viet Nam" not in pages[starts[0]]
    assert "Viet Nam" in pages[starts[1]] and "Campaign snapshot" not in pages[starts[0]]


def test_safe_escapes_markup_and_drops_controls():
    assert safe("<b>&</b>\r\nx\x00\x1b\ty") == "&lt;b&gt;&amp;&lt;/b&gt;<br/>x\ty"
    assert safe(None) == "" and safe(42) == "42"


def test_cap_and_split_keep_text_readable():
    words = "word " * 400
    capped = cap(words, 100)
    assert len(capped) < 140 and capped.endswith("… (continued in the desk)")
    pieces = split_text(words, 100)
    assert all(len(piece) <= 100 for piece in pieces)
    assert " ".join(pieces).split() == words.split()  # cut at spaces, nothing lost


def test_font_registration_is_idempotent():
    register_fonts()
    register_fonts()
