"""The hostile corpus in every text field, read back through pages, PDFs and CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from markupsafe import escape
from pypdf import PdfReader

from app.domain.enums import (
    Channel,
    InterlocutorLevel,
    RequestDirection,
    RequestStatus,
    Role,
    SupportStatus,
)
from app.extensions import db
from app.models import OutreachEntry, State
from app.services.campaigns import default_campaign
from app.services.contacts import ContactInput, save_contact
from app.services.followups import add_follow_up
from app.services.outreach import OutreachInput, record_outreach
from app.services.requests import RequestInput, save_request
from app.services.states import PROFILE_FIELDS
from app.services.status import change_status
from tests.conftest import AuthActions, make_user
from tests.factories import as_actor
from tests.security.hostile import CONTROL, CORPUS, ONE_MEGABYTE

CODES = ["KHM", "LAO", "VNM", "FRA", "BRA", "CHN", "IDN", "RUS"]
TEXT_PROFILE = [f for f in PROFILE_FIELDS if f != "priority"]


def _fill(staff) -> None:
    """Every hostile string into every kind of text field, through the services."""
    campaign = default_campaign()
    states = {s.iso3: s for s in db.session.scalars(sa.select(State).where(State.iso3.in_(CODES)))}
    for i, text in enumerate(CORPUS):
        state = states[CODES[i % len(CODES)]]
        setattr(state, TEXT_PROFILE[i % len(TEXT_PROFILE)], text)
        contact = save_contact(state, ContactInput(name=text[:200], title=text[:200], organisation=text[:200],
                                                   phone=text[:60], notes=text), as_actor(staff))
        entry = record_outreach(OutreachInput(campaign_ids=[campaign.id], 
            occurred_on=date(2025, 11, 24), channel=Channel.IN_PERSON, level=InterlocutorLevel.MINISTER,
            location=text[:200], our_participants=text, their_participants=text, summary=text,
            state_ids=[state.id], contact_ids=[contact.id]), as_actor(staff))
        add_follow_up(
            campaign,
            state,
            text=text,
            due_on=date(2025, 12, 1),
            owner=staff,
            actor=as_actor(staff),
            outreach_id=entry.id,
        )
        save_request(
            state,
            RequestInput(
                direction=RequestDirection.THEY_ASK_US,
                body=text[:120],
                post=text[:200],
                year=2027,
                status=RequestStatus.AGREED,
                notes=text,
                campaign_id=campaign.id,
            ),
            as_actor(staff),
        )
    change_status(
        campaign,
        states["KHM"],
        to_status=SupportStatus.WRITTEN_PLEDGE,
        expected_version=1,
        actor=as_actor(staff),
        reason=CORPUS[0],
    )
    states["BRA"].name = '=HYPERLINK("http://example.invalid","x")'  # a name that starts a formula
    staff.name = "<script>alert('name')</script>"
    db.session.commit()


def _assert_html_safe(html: str) -> None:
    for text in CORPUS:
        if re.search(r"<[a-zA-Z!/]", text) and len(text) < 300:
            assert text not in html, text  # present only escaped


def _assert_pdf_safe(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        # The page-number forms are the only XObjects our canvas draws; an image is one too many.
        assert all(x.get_object()["/Subtype"] == "/Form" for x in xobjects.values()), "an image was embedded"
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.fixture
def hostile_desk(app):
    staff = make_user(Role.STAFF)
    _fill(staff)
    return staff


def test_pages_show_everything_as_text(app, client, auth, hostile_desk):
    admin = AuthActions(app.test_client())
    admin.login(Role.ADMIN)
    auth.login(Role.STAFF)
    pages = [f"/states/{c}" for c in CODES] + ["/states/", "/follow-ups?who=all", "/requests", "/dashboard/",
                                               "/campaigns/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_html_safe(response.get_data(as_text=True))
    shown = client.get("/states/KHM").get_data(as_text=True)
    assert str(escape(CORPUS[0])) in shown
    for url in ["/admin/users", "/admin/audit", "/admin/downloads"]:
        response = admin.client.get(url)
        assert response.status_code == 200
        _assert_html_safe(response.get_data(as_text=True))


def test_pdfs_print_everything_literally_and_fetch_nothing(client, auth, hostile_desk):
    auth.login(Role.STAFF)
    for code in CODES:
        response = client.get(f"/states/{code}/brief.pdf")
        assert response.status_code == 200, code
        _assert_pdf_safe(response.data)
    pack = auth.post("/packs", {"title": "<b>Trip</b> & co", "start_date": "2026-12-01", "end_date": "2026-12-02",
                                "states": CODES})
    text = _assert_pdf_safe(pack.data)
    assert "<b>Trip</b> & co" in text and '<font color="red">red</font>' in text
    _assert_pdf_safe(client.get("/dashboard/report.pdf").data)


def test_csv_neutralises_formulas(client, auth, hostile_desk):
    auth.login(Role.LEADERSHIP)
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/tally.csv").data.decode("utf-8-sig"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("text", CONTROL)
def test_control_characters_are_refused_with_a_message(client, auth, text):
    auth.login(Role.STAFF)
    response = auth.post("/states/KHM/contacts/new", {"name": text})
    assert response.status_code == 400
    assert "Remove the invisible control characters" in response.get_data(as_text=True)


def test_one_megabyte_is_refused_cleanly(client, auth):
    auth.login(Role.STAFF)
    response = auth.post("/states/KHM/contacts/new", {"name": "Keo Remy", "notes": ONE_MEGABYTE})
    assert response.status_code == 400
    assert "Field cannot be longer than 20000 characters." in response.get_data(as_text=True)
    response = auth.post("/states/KHM/contacts/new", {"name": "Keo Remy", "notes": ONE_MEGABYTE * 5})
    assert response.status_code == 413


def test_forms_accept_hostile_text_and_show_it_escaped(client, auth):
    auth.login(Role.STAFF)
    for text in ["<script>alert(1)</script>", '=HYPERLINK("x")', "Сергей Лавров", "\u202egnp.exe"]:
        response = auth.post("/states/KHM/contacts/new", {"name": text})
        assert response.status_code == 302
    page = client.get("/states/KHM").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Сергей Лавров" in page


def test_no_mass_assignment_of_role_or_assignments(client, auth):
    user = auth.login(Role.ENVOY, states=["KHM"])
    auth.post("/account/password", {"current": "x", "new": "", "confirm": "", "role": "admin", "assigned": ["FRA"]})
    auth.post("/states/KHM/contacts/new", {"name": "Someone", "state_id": "1", "role": "admin"})
    db.session.expire_all()
    assert user.role is Role.ENVOY and [s.iso3 for s in user.assigned_states] == ["KHM"]
    fra = db.session.scalar(sa.select(State.id).where(State.iso3 == "FRA"))
    response = auth.post("/states/KHM/outreach/new", {"occurred_on": "2025-11-24", "channel": "phone",
                                                      "level": "minister", "location": "Geneva",
                                                      "states": [str(fra)], "summary": "Trying another state"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutreachEntry)) == 0
