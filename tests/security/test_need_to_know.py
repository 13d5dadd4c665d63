"""Need-to-know: nothing of a state not assigned to an envoy reaches that envoy, on any page,
re-rendered form, PDF or CSV. Every text field of every record of an unassigned state carries a
unique canary; no canary may appear in anything the envoy can fetch."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
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
from app.models import Campaign, State
from app.services.campaigns import default_campaign
from app.services.contacts import ContactInput, save_contact
from app.services.followups import add_follow_up
from app.services.outreach import OutreachInput, record_outreach
from app.services.reference import PRESIDENCY_CAMPAIGN
from app.services.requests import RequestInput, save_request
from app.services.states import PROFILE_FIELDS
from app.services.status import change_status
from tests.conftest import AuthActions, make_user
from tests.factories import add_contact, add_outreach, as_actor
from tests.test_access_matrix import ENVOY_HERE, routes

CANARY = "CNRY"
_numbers = itertools.count(1)


def canary() -> str:
    return f"{CANARY}{next(_numbers):04d}Q"


def state(code: str) -> State:
    return db.session.scalar(sa.select(State).where(State.iso3 == code))


def seed_unassigned(staff, envoy, code: str = "FRA") -> None:
    """A canary in every text field of every kind of record of `code`."""
    campaign = default_campaign()
    other = state(code)
    for name in PROFILE_FIELDS:
        if name != "priority":
            setattr(other, name, canary())
    contact = save_contact(other, ContactInput(name=canary(), title=canary(), organisation=canary(),
                                               email=f"{canary().lower()}@example.test", phone=canary(),
                                               notes=canary()), as_actor(staff))
    entry = record_outreach(OutreachInput(campaign_ids=[campaign.id], 
        occurred_on=date.today() - timedelta(days=2), channel=Channel.IN_PERSON, level=InterlocutorLevel.MINISTER,
        location=canary(), our_participants=canary(), their_participants=canary(), summary=canary(),
        state_ids=[other.id], contact_ids=[contact.id]), as_actor(staff))
    # Staff make the envoy the owner of the other state's follow-ups (one overdue, one done).
    add_follow_up(campaign, other, text=canary(), due_on=date.today() - timedelta(days=1), owner=envoy,
                  actor=as_actor(staff), outreach_id=entry.id)
    add_follow_up(
        campaign, other, text=canary(), due_on=date.today() + timedelta(days=5), owner=envoy, actor=as_actor(staff)
    )
    save_request(other, RequestInput(direction=RequestDirection.THEY_ASK_US, body=canary(), post=canary(),
                                     year=2027, status=RequestStatus.PENDING, notes=canary(),
                                     campaign_id=campaign.id), as_actor(staff))
    change_status(campaign, other, to_status=SupportStatus.VERBAL_PLEDGE, expected_version=1, actor=as_actor(staff),
                  reason=canary())
    db.session.commit()


@pytest.fixture
def desk(app):
    staff = make_user(Role.STAFF)
    envoy = make_user(Role.ENVOY, email="envoy-here@example.test", states=["KHM"])
    make_user(Role.ENVOY, name="Envoy Elsewhere Person", email="envoy-else@example.test", states=["FRA"])
    campaign = default_campaign()
    own_entry = add_outreach(campaign, ["KHM"], envoy, summary="Our own meeting in Phnom Penh.")
    staff_entry = add_outreach(campaign, ["KHM"], staff)
    ids = {"staff": staff.id, "entry": staff_entry.id, "own_entry": own_entry.id,
           "contact": add_contact("KHM", staff).id, "campaign": campaign.id}
    from tests.factories import add_follow_up as follow_up
    from tests.factories import add_request

    ids["follow_up"] = follow_up(campaign, "KHM", envoy).id
    ids["request"] = add_request("KHM", staff).id
    presidency = db.session.scalar(sa.select(Campaign).where(Campaign.name == PRESIDENCY_CAMPAIGN))
    ids |= {"stage": campaign.stages[0].id, "presidency": presidency.id, "group_stage": presidency.stages[0].id}
    from app.domain.enums import TokenScope
    from app.models.types import utcnow
    from app.services.tokens import create_token

    ids["token"] = create_token(as_actor(staff), "staff token", TokenScope.READ, 30, utcnow())[0].id
    from app.domain.enums import ImportKind
    from app.services.imports import start_import

    # A staff upload about an unassigned state: its pages are the uploader's alone.
    ids["import"] = start_import(staff, ImportKind.CONTACTS, None, "desk.csv",
                                 f"State,Name\nFRA,{canary()}\n".encode(), utcnow()).key
    db.session.commit()
    seed_unassigned(staff, envoy)
    return ids


def text_of(response) -> str:
    if response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def leaks(response) -> list[str]:
    return re.findall(CANARY + r"\d{4}Q", text_of(response), flags=re.IGNORECASE)


def test_no_canary_reaches_the_envoy(app, auth, desk):
    auth.login(Role.ENVOY, email="envoy-here@example.test")
    client = auth.client
    fra, khm = state("FRA"), state("KHM")
    found: dict[str, list[str]] = {}

    def check(label: str, response) -> None:
        assert response.status_code < 500, (label, response.status_code)
        if hits := leaks(response):  # pages, re-rendered forms (400/409) and refusals alike
            found[label] = hits

    # Every page the envoy may open, with the list variants.
    for _rule, method, url, allowed in routes(desk):
        if method == "GET" and ENVOY_HERE in allowed:
            check(url, client.get(url))
    for url in ("/follow-ups?who=all", "/follow-ups?done=1", "/follow-ups?who=all&done=1", "/states/?overdue=1",
                f"/states/?q={fra.name}", "/states/KHM?campaign=1", f"/outreach/{desk['own_entry']}/edit",
                "/states/KHM/brief.pdf"):
        check(url, client.get(url))
    # Re-rendered forms: the other state's ids smuggled into every state field.
    smuggled = {"states": [str(khm.id), str(fra.id)], "contacts": ["1", "2", "3"], "summary": "",
                "occurred_on": "not a date"}
    for url in ("/states/KHM/outreach/new", f"/outreach/{desk['own_entry']}/edit"):
        check("POST " + url, auth.post(url, smuggled))
    for url, data in (("/states/KHM/follow-ups", {"text": "", "owner": "1"}),
                      ("/states/KHM/contacts/new", {"name": ""}), (f"/contacts/{desk['contact']}/edit", {"name": ""}),
                      ("/states/KHM/requests/new", {"post": ""}), (f"/requests/{desk['request']}/edit", {"post": ""}),
                      ("/states/KHM/status", {"status": "against", "reason": "", "version": "1"})):
        check("POST " + url, auth.post(url, data, page="/states/KHM" if url.endswith("status") else url))
    # Documents: a trip pack of the assigned state.
    pack = auth.post("/packs", {"states": ["KHM"], "title": "Trip", "start_date": date.today().isoformat(),
                                "end_date": (date.today() + timedelta(days=2)).isoformat()})
    assert pack.mimetype == "application/pdf"
    check("pack", pack)
    # CSV and the dashboard stay closed to envoys.
    assert client.get("/dashboard/tally.csv").status_code == 403
    assert found == {}


def test_the_same_pages_show_the_canaries_to_staff(auth, desk):
    """The canaries are really there: staff see them where envoys do not."""
    auth.login(Role.STAFF)
    assert leaks(auth.client.get("/follow-ups?who=all"))
    assert leaks(auth.client.get("/states/FRA"))
    assert leaks(auth.client.get("/states/FRA/brief.pdf"))


def test_envoy_follow_ups_are_only_of_their_states(auth, desk):
    auth.login(Role.ENVOY, email="envoy-here@example.test")
    page = auth.client.get("/follow-ups?who=all").get_data(as_text=True)
    assert "Send the note verbale" in page and "France" not in page


def test_owner_lists_show_an_envoy_only_their_colleagues(auth, desk):
    auth.login(Role.ENVOY, email="envoy-here@example.test")
    for url in ("/states/KHM/follow-ups", "/states/KHM/outreach/new"):
        page = auth.client.get(url).get_data(as_text=True)
        assert "Test envoy" in page and "Test staff" not in page and "Envoy Elsewhere Person" not in page, url


def test_an_envoys_trip_pack_has_no_campaign_tally(auth, desk):
    data = {"states": ["KHM"], "title": "Trip", "start_date": date.today().isoformat(),
            "end_date": (date.today() + timedelta(days=2)).isoformat()}
    auth.login(Role.ENVOY, email="envoy-here@example.test")
    envoy_pack = text_of(auth.post("/packs", data))
    assert "Cambodia" in envoy_pack
    assert "Campaign snapshot" not in envoy_pack and "Firm votes" not in envoy_pack
    assert "Expected votes" not in envoy_pack
    staff = AuthActions(auth.client.application.test_client())
    staff.login(Role.STAFF)
    assert "Campaign snapshot" in text_of(staff.post("/packs", data))


def test_a_meeting_covering_an_assigned_and_an_unassigned_state_hides_the_other_states_contacts(client, auth):
    """The entry is the envoy's to read (it covers Cambodia), France's contact in it is not."""
    staff = make_user(Role.STAFF)
    envoy = make_user(Role.ENVOY, email="envoy-both@example.test", states=["KHM"])
    secret = "ZZFRANCECONTACT1Q"
    french = save_contact(state("FRA"), ContactInput(name=secret), as_actor(staff))
    khmer = save_contact(state("KHM"), ContactInput(name="Keo Remy"), as_actor(staff))
    entry = record_outreach(
        OutreachInput(
            campaign_ids=[default_campaign().id],
            occurred_on=date.today() - timedelta(days=1),
            channel=Channel.IN_PERSON,
            level=InterlocutorLevel.MINISTER,
            location="Geneva",
            our_participants="",
            their_participants="",
            summary="Joint meeting",
            state_ids=[state("KHM").id, state("FRA").id],
            contact_ids=[french.id, khmer.id],
        ),
        as_actor(staff),
    )
    db.session.commit()
    auth.login(Role.ENVOY, email=envoy.email)
    for url in (f"/outreach/{entry.id}", "/states/KHM", "/states/KHM/brief.pdf"):
        body = text_of(client.get(url))
        assert secret not in body, url
    assert "Keo Remy" in text_of(client.get(f"/outreach/{entry.id}"))
