"""Briefs and trip packs through the web: access, audit, content and constant queries."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.models import AuditEvent, State
from app.services.briefs import gather_briefs
from app.services.campaigns import default_campaign
from app.services.status import change_status
from tests.factories import add_contact, add_follow_up, add_outreach, as_actor


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def states(*codes: str) -> list[State]:
    found = {s.iso3: s for s in db.session.scalars(sa.select(State).where(State.iso3.in_(codes)))}
    return [found[c] for c in codes]


def test_staff_downloads_a_state_brief_that_names_them_on_every_page(client, auth):
    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    add_outreach(campaign, ["KHM"], user, summary="Keo Remy responded positively to the request for support.")
    change_status(
        campaign,
        states("KHM")[0],
        to_status=SupportStatus.VERBAL_PLEDGE,
        expected_version=1,
        actor=as_actor(user),
        reason="Pledged in Phnom Penh",
    )
    add_contact("KHM", user)
    db.session.commit()
    response = client.get("/states/KHM/brief.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=brief-KHM-")
    assert response.headers["Cache-Control"] == "no-store"
    pages = pdf_text(response.data)
    assert all("Prepared for Test staff" in page for page in pages)
    text = " ".join(pages)
    assert "Cambodia" in text and "Verbal pledge" in text and "Keo Remy" in text and "CONFIDENTIAL" in text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "brief.download"))
    assert event.user_id == user.id and event.details["states"] == ["KHM"] and event.address == "127.0.0.1"


def test_envoy_trip_pack_for_assigned_states_and_admin_sees_it(app, client, auth):
    envoy = auth.login(Role.ENVOY, states=["KHM", "LAO", "VNM"])
    page = client.get("/packs").get_data(as_text=True)
    assert page.count("selected") >= 3  # assigned states chosen by default
    response = auth.post("/packs", {"title": "Mekong capitals", "start_date": "2026-12-01", "end_date": "2026-12-05",
                                    "states": ["KHM", "LAO", "VNM"]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename=pack-Mekong-capitals-" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    for name in ("Cambodia", "Lao People's Democratic Republic", "Viet Nam"):
        assert any(name in title for title in outline), outline
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Mekong capitals" in text and "Contents" in text and f"Prepared for {envoy.name}" in text
    admin = type(auth)(app.test_client())
    admin.login(Role.ADMIN)
    log = admin.client.get("/admin/downloads").get_data(as_text=True)
    assert "envoy@example.test" in log and "KHM, LAO, VNM" in log and "Mekong capitals" in log


def test_envoy_gets_nothing_for_a_state_not_assigned(client, auth):
    auth.login(Role.ENVOY, states=["KHM"])
    assert client.get("/states/FRA/brief.pdf").status_code == 403
    response = auth.post("/packs", {"title": "Paris", "start_date": "2026-12-01", "end_date": "2026-12-02",
                                    "states": ["KHM", "FRA"]})
    assert response.status_code == 403 and response.mimetype != "application/pdf"
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "pack.download")
        )
        == 0
    )


def test_pack_form_errors_come_back_as_messages(client, auth):
    auth.login(Role.STAFF)
    response = auth.post("/packs", {"title": "", "start_date": "2026-12-05", "end_date": "2026-12-01", "states": []},
                         headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400
    body = response.get_json()
    assert "no pack was built" in body["error"]
    assert body["fields"]["end_date"] == ["The trip cannot end before it starts."]


def test_hostile_text_prints_literally(client, auth):
    user = auth.login(Role.STAFF)
    hostile = '<b>bold</b> & <font color="red">red</font> <img src="http://example.invalid/x.png"/>'
    add_outreach(default_campaign(), ["KHM"], user, summary=hostile)
    db.session.commit()
    text = " ".join(" ".join(pdf_text(client.get("/states/KHM/brief.pdf").data)).split())
    assert "<b>bold</b>" in text and '<font color="red">' in text and "example.invalid/x.png" in text


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside a block."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    yield statements
    sa.event.remove(db.engine, "before_cursor_execute", before)


def test_brief_queries_do_not_grow_with_history_or_states(count_queries):
    from tests.conftest import make_user

    user = make_user(Role.STAFF)
    campaign = default_campaign()
    add_outreach(campaign, ["KHM"], user)
    db.session.commit()
    db.session.expire_all()
    count_queries.clear()
    gather_briefs(campaign, states("KHM"))
    small = len(count_queries)
    for i in range(40):
        add_outreach(campaign, ["KHM", "LAO", "VNM"], user, summary=f"Meeting {i}",
                     occurred_on=date.today() - timedelta(days=i + 1))
        add_follow_up(campaign, "LAO", user, text=f"Follow-up {i}")
    db.session.commit()
    db.session.expire_all()
    count_queries.clear()
    briefs = gather_briefs(campaign, states("KHM", "LAO", "VNM"))
    assert len(count_queries) == small
    assert len(briefs[1].follow_ups) == 12 and briefs[1].more_follow_ups == 28 and len(briefs[0].outreach) == 12
