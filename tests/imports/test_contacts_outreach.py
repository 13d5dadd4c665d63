"""Importing contacts and outreach entries; columns are guessed, then remembered per user and kind."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.domain.enums import Channel, ImportKind, Role, SupportStatus
from app.extensions import db
from app.models import Contact, ImportMapping, OutreachEntry, Position
from app.services.campaigns import default_campaign
from app.services.states import get_state
from tests.imports.helpers import confirm, csv_bytes, preview_key, upload, xlsx_bytes

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def test_contacts_are_imported_and_duplicates_refused(auth):
    auth.login(Role.STAFF)
    rows = [["Negara", "Nama", "Jabatan", "Organisation", "E-mail", "Tel"],
            ["KH", "Ms Sok", "Director", "MFA", "sok@example.org", "+855 1"],
            ["Cambodia", "ms sok", "", "", "not-an-email", ""]]
    page = auth.client.get(f"/import/{preview_key(upload(auth, 'contacts', csv_bytes(rows), 'c.csv'))}").get_data(
        as_text=True
    )
    assert "Duplicate of row 2 (same state and name)" in page
    assert "Email “not-an-email” is not an email address" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0

    key = preview_key(upload(auth, "contacts", csv_bytes(rows[:2]), "c.csv"))
    assert "Cambodia: new contact Ms Sok, Director" in auth.client.get(f"/import/{key}").get_data(as_text=True)
    confirm(auth, key)
    contact = db.session.scalar(sa.select(Contact))
    assert (contact.name, contact.title, contact.organisation, contact.email, contact.phone) == (
        "Ms Sok", "Director", "MFA", "sok@example.org", "+855 1")
    assert "Ms Sok" in auth.client.get("/states/KHM").get_data(as_text=True)
    again = auth.client.get(f"/import/{preview_key(upload(auth, 'contacts', csv_bytes(rows[:2]), 'c.csv'))}")
    assert "Cambodia already has a contact named Ms Sok on the desk" in again.get_data(as_text=True)


def test_outreach_entries_are_imported_with_first_contacts(auth):
    auth.login(Role.STAFF)
    rows = [["Date", "States", "Channel", "Level", "Place", "Summary"],
            [YESTERDAY, "KHM; Laos", "In-person meeting", "minister", "Phnom Penh", "Asked for support."],
            [YESTERDAY, "Viet Nam", "phone", "Working level", "", "Follow-up call."]]
    key = preview_key(upload(auth, "outreach", xlsx_bytes(rows), "o.xlsx"))
    page = auth.client.get(f"/import/{key}").get_data(as_text=True)
    assert (
        f"New entry on {YESTERDAY} (In-person meeting, Minister): Cambodia; Lao People&#39;s Democratic Republic"
        in page
    )
    assert "Cambodia: Not approached → Approached (first contact)" in page
    confirm(auth, key)
    entries = list(db.session.scalars(sa.select(OutreachEntry).order_by(OutreachEntry.id)))
    assert [e.channel for e in entries] == [Channel.IN_PERSON, Channel.PHONE]
    assert sorted(s.iso3 for s in entries[0].states) == ["KHM", "LAO"]
    assert entries[0].campaigns[0].id == default_campaign().id and entries[0].location == "Phnom Penh"
    status = db.session.scalar(sa.select(Position.status).where(
        Position.campaign_id == default_campaign().id, Position.state_id == get_state("VNM").id))
    assert status is SupportStatus.APPROACHED
    assert "Asked for support." in auth.client.get("/states/KHM").get_data(as_text=True)
    again = auth.client.get(f"/import/{preview_key(upload(auth, 'outreach', xlsx_bytes(rows), 'o.xlsx'))}")
    assert "The same entry (date, states, channel, level and summary) is already on the desk" in again.get_data(
        as_text=True
    )


def test_outreach_problems(auth):
    auth.login(Role.STAFF)
    future = (date.today() + timedelta(days=2)).isoformat()
    rows = [["Date", "States", "Channel", "Level", "Summary"],
            [future, "KHM;KHM", "carrier pigeon", "minister", "x"],
            ["yesterday", "", "phone", "minister", ""]]
    page = auth.client.get(f"/import/{preview_key(upload(auth, 'outreach', csv_bytes(rows), 'o.csv'))}").get_data(
        as_text=True
    )
    assert f"Date {future} is in the future" in page
    assert "Cambodia is listed twice" in page
    assert "Channel “carrier pigeon” is not one of:" in page
    assert "Date “yesterday” is not a date" in page
    assert "State(s), separated by ; is empty" in page and "Summary is empty" in page
    assert "Place (optional)" in page  # no Place column: the optional field stays unmapped


def test_mapping_is_guessed_then_remembered_per_user_and_kind(auth):
    user = auth.login(Role.STAFF)
    rows = [["Who", "Where from", "Stance"], ["x", "KHM", "Against"]]
    key = preview_key(upload(auth, "positions", csv_bytes(rows), "p.csv"))
    page = auth.client.get(f"/import/{key}").get_data(as_text=True)
    assert "Choose the column that holds State." in page and "Status “Against”" not in page
    # Stance was guessed for the status; the state column is chosen by hand (column 1 = "Where from").
    response = auth.post(f"/import/{key}", {"field_state": "1", "field_status": "2"}, page=f"/import/{key}")
    assert response.status_code == 302
    assert "Cambodia: Not approached → Against" in auth.client.get(f"/import/{key}").get_data(as_text=True)
    saved = db.session.scalar(sa.select(ImportMapping).where(ImportMapping.user_id == user.id))
    assert saved.kind is ImportKind.POSITIONS and saved.columns["state"] == "Where from"
    second = preview_key(upload(auth, "positions", csv_bytes([["Where from", "Stance"], ["LAO", "Against"]]), "q.csv"))
    assert "Lao People&#39;s Democratic Republic: Not approached → Against" in auth.client.get(
        f"/import/{second}"
    ).get_data(as_text=True)
    # Another user's upload is not found by this one.
    auth.logout()
    auth.login(Role.ADMIN)
    assert auth.client.get(f"/import/{second}").status_code == 404
