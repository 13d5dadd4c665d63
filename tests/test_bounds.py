"""Bounds that keep pages and documents independent of the history's length (no timings here:
statement counts, item counts and page numbers; `make bench` measures the time)."""

from __future__ import annotations

import io
import itertools
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from app.domain.enums import Channel, InterlocutorLevel, Role, SupportStatus
from app.extensions import db
from app.models import OutreachEntry, State, StatusChange, outreach_campaigns, outreach_states, refresh_listings
from app.pdf.brief import render_state_brief, render_trip_pack
from app.services import dashboard as dashboard_service
from app.services.briefs import (
    LATEST_CHANGES,
    LATEST_OUTREACH,
    document_context,
    gather_briefs,
    trip_pack,
)
from app.services.campaigns import default_campaign
from app.services.forecast import CACHE
from app.services.outreach import delete_outreach, edit_outreach
from app.services.tally import refresh_last_contacts
from app.services.timeline import TIMELINE_PAGE
from tests.conftest import make_user
from tests.factories import add_outreach, as_actor

CODES = ["KHM", "VNM", "LAO", "THA", "MYS"]


def states(codes=CODES) -> list[State]:
    found = {s.iso3: s for s in db.session.scalars(sa.select(State).where(State.iso3.in_(codes)))}
    return [found[c] for c in codes]


def bulk_history(per_state: int, codes=CODES) -> None:
    """`per_state` entries and as many status changes for each state, inserted in bulk."""
    campaign = default_campaign()
    author = make_user(Role.STAFF, email=f"bulk{per_state}@example.test")
    first = (db.session.scalar(sa.select(sa.func.max(OutreachEntry.id))) or 0) + 1
    entries, links, served, changes = [], [], [], []
    statuses = [SupportStatus.APPROACHED, SupportStatus.UNDECIDED, SupportStatus.LEANING_FOR]
    for k, state in enumerate(states(codes)):
        for i in range(per_state):
            entry_id = first + k * per_state + i
            day = date.today() - timedelta(days=per_state - i)
            entries.append({"id": entry_id, "occurred_on": day, "channel": Channel.IN_PERSON,
                            "level": InterlocutorLevel.PR_NEW_YORK, "location": "New York", "our_participants": "",
                            "their_participants": "", "summary": ("Notes. " * 60) + str(i), "author_id": author.id,
                            "created_at": datetime.combine(day, time(9), UTC), "delete_reason": ""})
            links.append({"entry_id": entry_id, "state_id": state.id})
            served.append({"entry_id": entry_id, "campaign_id": campaign.id})
            changes.append({"campaign_id": campaign.id, "state_id": state.id, "from_status": SupportStatus.APPROACHED,
                            "to_status": statuses[i % 3], "changed_at": datetime.combine(day, time(10), UTC),
                            "effective_on": day, "changed_by_id": author.id, "reason": "bulk", "note_reference": "",
                            "conditional": False, "source_level": InterlocutorLevel.PR_NEW_YORK})
    for table, rows in ((OutreachEntry.__table__, entries), (outreach_states, links),
                        (outreach_campaigns, served), (StatusChange.__table__, changes)):
        db.session.execute(sa.insert(table), rows)
    refresh_listings(db.session.connection(), (row["id"] for row in entries))
    refresh_last_contacts(s.id for s in states(codes))
    db.session.commit()


@contextmanager
def counting():
    counter = {"n": 0}

    def count(*_):
        counter["n"] += 1

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def statements(fn) -> int:
    """SQL statements of one call, with nothing cached (as after a write)."""
    CACHE.clear()
    dashboard_service._HISTORY.clear()
    db.session.expire_all()
    with counting() as counter:
        fn()
    return counter["n"]


def test_statement_counts_do_not_grow_with_the_history(client, auth):
    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    ctx = document_context(campaign, user)

    def measure() -> list[int]:
        return [
            statements(lambda: client.get("/dashboard/")),
            statements(lambda: client.get("/states/KHM")),
            statements(lambda: render_trip_pack(trip_pack(campaign, states(), "T", user, date.today(), date.today()),
                                                ctx)),
            statements(lambda: gather_briefs(campaign, states()[:1])),
            statements(lambda: gather_briefs(campaign, states())),
        ]

    bulk_history(3)
    small = measure()
    assert small[-1] == small[-2]  # one state or five: one statement per kind of record
    bulk_history(40)  # more than a page of timeline and a brief's worth of rows per state
    assert measure() == small


def test_state_page_shows_a_page_of_the_timeline_with_older_links(client, auth):
    bulk_history(40, ["KHM"])  # 40 entries + 40 status changes = 80 items
    auth.login(Role.STAFF)
    first = client.get("/states/KHM").get_data(as_text=True)
    assert first.count('<li class="kind-') == TIMELINE_PAGE
    older = re.search(r'href="([^"]*)" rel="next">Older entries', first)
    assert older and "page=2" in older.group(1) and "Newer entries" not in first
    second = client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert second.count('<li class="kind-') == 80 - TIMELINE_PAGE
    assert "Older entries" not in second and "Newer entries" in second
    # The newest item is on the first page only; the oldest on the last only.
    newest, oldest = (date.today() - timedelta(days=1)).isoformat(), (date.today() - timedelta(days=40)).isoformat()
    first, second = first.split('id="timeline"')[1], second.split('id="timeline"')[1]
    assert newest in first and newest not in second and oldest in second and oldest not in first


def test_a_brief_prints_the_latest_rows_and_says_how_many_more_exist(auth):
    user = auth.login(Role.STAFF)
    bulk_history(LATEST_OUTREACH + 8, ["KHM"])
    campaign = default_campaign()
    brief = gather_briefs(campaign, states(["KHM"]))[0]
    assert len(brief.outreach) == LATEST_OUTREACH and brief.older_outreach == 8
    assert len(brief.history) == LATEST_CHANGES and brief.older_history == 8
    assert brief.outreach[0].occurred_on == date.today() - timedelta(days=1)  # the latest first
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_state_brief(brief, document_context(campaign, user)))).pages)
    assert "8 older entries not printed" in text and "8 older status changes not printed" in text


def test_pack_contents_point_at_the_page_where_each_brief_starts(auth):
    user = auth.login(Role.STAFF)
    bulk_history(15)  # briefs of several pages each
    campaign = default_campaign()
    data = render_trip_pack(trip_pack(campaign, states(), "Trip", user, date.today(), date.today()),
                            document_context(campaign, user))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    contents = pages[1]
    numbers = []
    for state in states():
        match = re.search(rf"^{re.escape(state.name)}\s*\n(\d+)$", contents, re.MULTILINE)
        assert match, state.name
        number = int(match.group(1))
        numbers.append(number)
        assert state.name in pages[number - 1]
        assert f"Page {number - 1} of" in pages[number - 2] and state.name not in pages[number - 2].split("\n")[:8]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert min(b - a for a, b in itertools.pairwise(numbers)) > 1  # each brief spans pages
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))


def test_every_outreach_write_shows_in_the_last_contact(auth):
    admin = auth.login(Role.ADMIN)
    campaign = default_campaign()

    def last_contact(code: str) -> date | None:
        board = dashboard_service.build_dashboard(campaign)
        return next(v.last_contact for v in board.voters if v.iso3 == code)

    old, new = date.today() - timedelta(days=20), date.today() - timedelta(days=2)
    entry = add_outreach(campaign, ["KHM"], admin, occurred_on=old)
    db.session.commit()
    assert last_contact("KHM") == old
    from app.services.outreach import OutreachInput

    edit_outreach(entry, OutreachInput(
        occurred_on=new, channel=entry.channel, level=entry.level, location=entry.location,
        our_participants="", their_participants="", summary="moved", state_ids=[states(["VNM"])[0].id],
        campaign_ids=[campaign.id]), as_actor(admin))
    db.session.commit()
    assert last_contact("KHM") is None and last_contact("VNM") == new  # moved to another state
    delete_outreach(entry, "duplicate", as_actor(admin))
    db.session.commit()
    assert last_contact("VNM") is None


def test_a_brief_prints_the_soonest_open_follow_ups_and_says_how_many_more_are_open(auth):
    from app.services.briefs import OPEN_FOLLOW_UPS
    from tests.factories import add_follow_up

    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    for i in range(OPEN_FOLLOW_UPS + 5):
        add_follow_up(campaign, "KHM", user, due=date.today() + timedelta(days=i), text=f"Action number {i}")
    db.session.commit()
    brief = gather_briefs(campaign, states(["KHM"]))[0]
    assert len(brief.follow_ups) == OPEN_FOLLOW_UPS and brief.more_follow_ups == 5
    assert brief.follow_ups[0].text == "Action number 0"  # the soonest due first
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_state_brief(brief, document_context(campaign, user)))).pages)
    assert "Action number 0" in text and f"Action number {OPEN_FOLLOW_UPS}" not in text
    assert "5 more open follow-ups not printed" in text


def _pages(client, url: str) -> list[str]:
    """Every page of a paged list, following its "Next page" links."""
    pages = [client.get(url).get_data(as_text=True)]
    while (nxt := re.search(r'href="([^"]*)" rel="next">', pages[-1])) is not None:
        pages.append(client.get(nxt.group(1).replace("&amp;", "&")).get_data(as_text=True))
    return pages


def test_follow_ups_list_is_paged(client, auth):
    from app.models import FollowUp
    from app.services.followups import FOLLOW_UPS_PAGE

    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    khm = states(["KHM"])[0]
    total = FOLLOW_UPS_PAGE + 20
    db.session.execute(sa.insert(FollowUp.__table__), [
        {"campaign_id": campaign.id, "state_id": khm.id, "text": f"Bulk action {i:03d}", "owner_id": user.id,
         "due_on": date.today() + timedelta(days=i - 10)} for i in range(total)])
    db.session.commit()
    with counting() as first:
        pages = _pages(client, "/follow-ups")
    assert len(pages) == 2 and "Previous page" in pages[1]
    rows = [re.findall(r"Bulk action (\d{3})", page) for page in pages]
    assert [len(r) for r in rows] == [FOLLOW_UPS_PAGE, 20]
    # Overdue first (the ten past due dates), then by due date; nothing twice, nothing lost.
    assert rows[0][:10] == [f"{i:03d}" for i in range(10)] and sorted(rows[0] + rows[1]) == [
        f"{i:03d}" for i in range(total)
    ]
    db.session.execute(sa.insert(FollowUp.__table__), [
        {"campaign_id": campaign.id, "state_id": khm.id, "text": f"More {i}", "owner_id": user.id,
         "due_on": date.today() + timedelta(days=400 + i)} for i in range(3 * FOLLOW_UPS_PAGE)])
    db.session.commit()
    with counting() as later:
        html = client.get("/follow-ups").get_data(as_text=True)
    assert html.count("Bulk action") == FOLLOW_UPS_PAGE and later["n"] <= first["n"]


def test_requests_register_is_paged_and_still_counts_every_stale_reply(client, auth):
    from app.domain.enums import RequestDirection, RequestStatus
    from app.models import ReciprocalRequest
    from app.services.requests import REQUESTS_PAGE

    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    khm = states(["KHM"])[0]
    old = datetime.now(UTC) - timedelta(days=60)
    total = REQUESTS_PAGE + 7
    db.session.execute(sa.insert(ReciprocalRequest.__table__), [
        {"campaign_id": campaign.id, "state_id": khm.id, "direction": RequestDirection.WE_ASK_THEM, "body": "UNESCO",
         "post": f"Seat {i:03d}", "year": 2027, "status": RequestStatus.PENDING, "notes": "", "created_by_id": user.id,
         "created_at": old} for i in range(total)])
    db.session.commit()
    pages = _pages(client, "/requests")
    assert [len(re.findall(r"Seat \d{3}", p)) for p in pages] == [REQUESTS_PAGE, 7]
    assert f"{total} requests have been pending for more than 30 days." in pages[0]


def test_audit_trail_is_paged(client, auth):
    from app.models import AuditEvent

    auth.login(Role.ADMIN)
    db.session.execute(sa.insert(AuditEvent.__table__), [
        {"action": "bench.event", "user_label": "bulk", "target_type": "x", "target_id": f"T{i}", "details": {},
         "at": datetime.now(UTC) - timedelta(minutes=i)} for i in range(250)])
    db.session.commit()
    first = client.get("/admin/audit?action=bench.event").get_data(as_text=True)
    assert first.count("<code>bench.event</code>") == 100 and "older" in first
    third = client.get("/admin/audit?action=bench.event&page=3").get_data(as_text=True)
    assert third.count("<code>bench.event</code>") == 50 and "older" not in third.split("<tbody>")[1]


def test_a_pack_larger_than_the_server_allows_is_refused_before_any_work(client, auth, monkeypatch):
    from app.briefs import routes as brief_routes
    from app.briefs.forms import MAX_PACK_STATES

    auth.login(Role.STAFF)
    built = []
    monkeypatch.setattr(brief_routes, "trip_pack_pdf", lambda *a, **k: built.append(a))
    codes = list(db.session.scalars(sa.select(State.iso3).where(State.un_member).order_by(State.iso3)))
    response = auth.post("/packs", {"title": "World tour", "start_date": "2026-12-01", "end_date": "2026-12-30",
                                    "states": codes[:MAX_PACK_STATES + 1]})
    assert response.status_code == 400 and not built
    page = response.get_data(as_text=True)
    assert f"Choose at most {MAX_PACK_STATES} states." in page and "no pack was built" in page


def test_state_page_shows_the_soonest_open_follow_ups_and_links_to_the_rest(client, auth):
    from app.models import FollowUp
    from app.services.timeline import STATE_FOLLOW_UPS

    user = auth.login(Role.STAFF)
    khm = states(["KHM"])[0]
    db.session.execute(sa.insert(FollowUp.__table__), [
        {"campaign_id": default_campaign().id, "state_id": khm.id, "text": f"Open action {i:03d}", "owner_id": user.id,
         "due_on": date.today() + timedelta(days=i)} for i in range(STATE_FOLLOW_UPS + 30)])
    db.session.commit()
    html = client.get("/states/KHM").get_data(as_text=True)
    shown = re.findall(r"Open action (\d{3})", html)
    assert shown == [f"{i:03d}" for i in range(STATE_FOLLOW_UPS)]
    assert f"Only the {STATE_FOLLOW_UPS} soonest due are shown" in html
