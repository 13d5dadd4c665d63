"""A brief, a pack and the state page show each state's latest live entries of their campaign, newest
first, with how many older ones the desk holds, however the entries were written or edited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from app.domain.enums import ElectorateMode, Role, SupportStatus, WinningRule
from app.extensions import db
from app.models import Campaign, FollowUp, OutreachEntry, StatusChange, User
from app.services.briefs import LATEST_CHANGES, LATEST_OUTREACH, OPEN_FOLLOW_UPS, gather_briefs, trip_pack
from app.services.campaigns import CampaignInput, default_campaign, save_campaign
from app.services.followups import set_done
from app.services.outreach import OutreachInput, delete_outreach, edit_outreach
from app.services.stages import StageInput, save_stage
from app.services.states import get_state
from app.services.status import change_status, position_for
from tests.factories import add_follow_up, add_outreach, as_actor

CODES = ["KHM", "VNM", "LAO"]


def _second_campaign(admin) -> Campaign:
    model = default_campaign().current_stage
    idn = get_state("IDN").id
    db.session.refresh(admin)  # loaded now, not by an autoflush in the middle of the save
    campaign = save_campaign(None, CampaignInput(
        name="Second campaign", office="Member of a board", candidate_name="", candidate_state_id=idn,
        is_default=False, archived=False), as_actor(admin))
    save_stage(campaign, None, StageInput(
        name="Election", body_kind=model.body_kind, regional_group=model.regional_group, body_name="",
        held_on=model.held_on, date_provisional=False, electorate_mode=ElectorateMode.DERIVED,
        winning_rule=WinningRule.TWO_THIRDS, expected_turnout=None, seats=1, rivals=[]), as_actor(admin))
    return campaign


def _edit(entry: OutreachEntry, admin, **changes) -> None:
    values = {"occurred_on": entry.occurred_on, "channel": entry.channel, "level": entry.level,
              "location": entry.location, "our_participants": entry.our_participants,
              "their_participants": entry.their_participants, "summary": entry.summary,
              "state_ids": [s.id for s in entry.states], "campaign_ids": [c.id for c in entry.campaigns]} | changes
    edit_outreach(entry, OutreachInput(**values), as_actor(admin))
    db.session.commit()


def _expected(campaign: Campaign, code: str) -> list[str]:
    """The state's live entries for the campaign, newest first (ties: the later record), read the long way."""
    live = [e for e in db.session.scalars(sa.select(OutreachEntry).where(OutreachEntry.deleted_at.is_(None)))
            if code in {s.iso3 for s in e.states} and campaign.id in {c.id for c in e.campaigns}]
    return [e.summary for e in sorted(live, key=lambda e: (e.occurred_on, e.id), reverse=True)]


def _printed(campaign: Campaign, codes: list[str]) -> dict[str, tuple[list[str], int]]:
    """Each state's printed entries and its "N older entries not printed", from a brief per state and a pack."""
    states = [get_state(c) for c in codes]
    one_by_one = [gather_briefs(campaign, [s])[0] for s in states]
    reader = db.session.scalar(sa.select(User).order_by(User.id))
    pack = trip_pack(campaign, states, "Trip", reader, date.today(), date.today()).states
    printed = {b.iso3: ([e.summary for e in b.outreach], b.older_outreach) for b in one_by_one}
    assert {b.iso3: ([e.summary for e in b.outreach], b.older_outreach) for b in pack} == printed
    return printed


def _page_summaries(client, code: str) -> list[str]:
    html = client.get(f"/states/{code}").get_data(as_text=True)
    return re.findall(r'<div class="summary-text small mt-1">(Entry [^<]*)</div>', html)


def test_briefs_packs_and_the_state_page_show_the_latest_live_entries_of_the_campaign(client, auth):
    admin = auth.login(Role.ADMIN)
    campaign, other = default_campaign(), _second_campaign(admin)
    today = date.today()
    entries = []
    for i in range(30):
        codes = ["KHM", "VNM"] if i % 4 == 0 else ["KHM"] if i % 2 else ["VNM"]
        day = today - timedelta(days=1 + (i * 7) % 23)  # out of order, several on one day
        entry = add_outreach(campaign, codes, admin, summary=f"Entry {i:02d}", occurred_on=day)
        entries.append(entry)
    for i in range(5):  # the other campaign's meetings with Cambodia, some the newest of all
        add_outreach(other, ["KHM"], admin, summary=f"Entry other {i}", occurred_on=today - timedelta(days=i))
    for entry in entries[3:9:2]:
        delete_outreach(entry, "Logged twice.", as_actor(admin))
    db.session.commit()
    printed = _printed(campaign, CODES)
    for code in CODES:
        expected = _expected(campaign, code)
        assert printed[code] == (expected[:LATEST_OUTREACH], max(len(expected) - LATEST_OUTREACH, 0)), code
        assert _page_summaries(client, code) == expected  # a page holds all of them, newest first
    assert printed["KHM"][1] > 0 and printed["LAO"] == ([], 0)
    assert not any(s.startswith("Entry other") for s in printed["KHM"][0])
    assert all("Entry 03" not in summaries for summaries, _ in printed.values())  # deleted
    assert _printed(other, ["KHM"])["KHM"] == ([f"Entry other {i}" for i in range(5)], 0)


def test_an_edited_entry_moves_in_the_brief_and_on_the_state_page(client, auth):
    admin = auth.login(Role.ADMIN)
    campaign = default_campaign()
    today = date.today()
    entries = [add_outreach(campaign, ["KHM"], admin, summary=f"Entry {i:02d}",
                            occurred_on=today - timedelta(days=30 - i)) for i in range(LATEST_OUTREACH + 2)]
    db.session.commit()
    newest_first = [f"Entry {i:02d}" for i in reversed(range(LATEST_OUTREACH + 2))]
    assert _printed(campaign, ["KHM"])["KHM"] == (newest_first[:LATEST_OUTREACH], 2)

    _edit(entries[0], admin, occurred_on=today)  # the oldest, now the latest
    moved = ["Entry 00"] + newest_first[:-1]
    assert _printed(campaign, ["KHM"])["KHM"] == (moved[:LATEST_OUTREACH], 2)
    assert _page_summaries(client, "KHM") == moved

    _edit(entries[-1], admin, occurred_on=today - timedelta(days=60))  # the newest, now the oldest
    moved = moved[:1] + moved[2:] + ["Entry 13"]
    assert _printed(campaign, ["KHM"])["KHM"] == (moved[:LATEST_OUTREACH], 2)
    assert _page_summaries(client, "KHM") == moved

    _edit(entries[5], admin, state_ids=[get_state("VNM").id])  # moved to another state
    assert "Entry 05" not in _page_summaries(client, "KHM")
    assert _printed(campaign, ["KHM", "VNM"]) == {
        "KHM": ([s for s in moved if s != "Entry 05"][:LATEST_OUTREACH], 1), "VNM": (["Entry 05"], 0)}

    delete_outreach(entries[0], "Wrong state.", as_actor(admin))
    db.session.commit()
    assert _printed(campaign, ["KHM"])["KHM"] == ([s for s in moved if s not in ("Entry 05", "Entry 00")], 0)
    assert "Entry 00" not in _page_summaries(client, "KHM")


def test_an_entry_taken_off_a_campaign_leaves_its_briefs(auth):
    admin = auth.login(Role.ADMIN)
    campaign, other = default_campaign(), _second_campaign(admin)
    entry = add_outreach(campaign, ["KHM"], admin, summary="Entry shared")
    db.session.commit()
    _edit(entry, admin, campaign_ids=[campaign.id, other.id])
    assert _printed(other, ["KHM"])["KHM"] == (["Entry shared"], 0)
    _edit(entry, admin, campaign_ids=[other.id])
    assert _printed(campaign, ["KHM"])["KHM"] == ([], 0) and _printed(other, ["KHM"])["KHM"] == (["Entry shared"], 0)


def test_a_pack_prints_each_states_latest_status_changes_and_soonest_open_follow_ups(auth):
    staff = auth.login(Role.STAFF)
    campaign = default_campaign()
    today = date.today()
    statuses = [SupportStatus.APPROACHED, SupportStatus.UNDECIDED, SupportStatus.LEANING_FOR]
    for k, code in enumerate(["KHM", "VNM"]):
        state = get_state(code)
        for i in range(LATEST_CHANGES + 3 + k):
            # Back-dated now and then, and two on one day: the order is by day, then by record.
            change_status(campaign, state, to_status=statuses[i % 3],
                          expected_version=position_for(campaign, state).version, actor=as_actor(staff),
                          reason=f"Change {i:02d}", effective_on=today - timedelta(days=(i * 5) % 17))
        for i in range(OPEN_FOLLOW_UPS + 6):
            due = today + timedelta(days=(i * 3) % 11)
            follow_up = add_follow_up(campaign, code, staff, due=due, text=f"Do {i:02d}")
            if i % 5 == 0:
                set_done(follow_up, True, as_actor(staff))
    db.session.commit()
    states = [get_state(c) for c in CODES]
    pack = {b.iso3: b for b in trip_pack(campaign, states, "Trip", staff, today, today).states}
    for code in CODES:
        state_id = get_state(code).id
        changes = sorted(db.session.scalars(sa.select(StatusChange).where(
            StatusChange.campaign_id == campaign.id, StatusChange.state_id == state_id)),
            key=lambda c: (c.effective_on, c.id), reverse=True)
        assert [c.reason for c in pack[code].history] == [c.reason for c in changes[:LATEST_CHANGES]]
        assert pack[code].older_history == max(len(changes) - LATEST_CHANGES, 0)
        open_ones = sorted(db.session.scalars(sa.select(FollowUp).where(
            FollowUp.campaign_id == campaign.id, FollowUp.state_id == state_id, FollowUp.done_at.is_(None))),
            key=lambda f: (f.due_on, f.id))
        assert [f.text for f in pack[code].follow_ups] == [f.text for f in open_ones[:OPEN_FOLLOW_UPS]]
        assert pack[code].more_follow_ups == max(len(open_ones) - OPEN_FOLLOW_UPS, 0)
    assert pack["VNM"].older_history == 4 and pack["KHM"].more_follow_ups == 2 and pack["LAO"].history == []
