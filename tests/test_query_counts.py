"""Pages whose statement count must not grow with the number of campaigns or revisions."""

from __future__ import annotations

import sqlalchemy as sa

from app.domain.enums import ElectorateMode, Role, WinningRule
from app.extensions import db
from app.models import Campaign, State
from app.services.campaigns import CampaignInput, default_campaign, save_campaign
from app.services.outreach import OutreachInput, edit_outreach
from app.services.stages import StageInput, save_stage
from tests.conftest import make_user
from tests.factories import add_outreach, as_actor
from tests.test_bounds import counting


def _campaigns(total: int, admin) -> None:
    """Add campaigns until there are `total`, each with a stage before the default campaign's body."""
    idn = db.session.scalar(sa.select(State.id).where(State.iso3 == "IDN"))
    model = default_campaign().current_stage
    while (n := db.session.scalar(sa.select(sa.func.count(Campaign.id)))) < total:
        db.session.refresh(admin)  # loaded now, not by an autoflush in the middle of the save
        campaign = save_campaign(None, CampaignInput(
            name=f"Campaign {n}", office="Member of a board", candidate_name="", candidate_state_id=idn,
            is_default=False, archived=False), as_actor(admin))
        save_stage(campaign, None, StageInput(
            name="Election", body_kind=model.body_kind, regional_group=model.regional_group, body_name="",
            held_on=model.held_on, date_provisional=False, electorate_mode=ElectorateMode.DERIVED,
            winning_rule=WinningRule.TWO_THIRDS, expected_turnout=None, seats=1,
            rivals=[(f"Rival {n}", None)]), as_actor(admin))
        db.session.commit()


def _page_statements(client, url: str) -> int:
    client.get(url)  # warm: the first request loads the user, templates and caches
    db.session.expire_all()
    with counting() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter["n"]


def test_the_campaign_list_costs_the_same_for_two_or_five_campaigns(client, auth):
    """Each body's members are read once a page, whatever the number of campaigns voting in it."""
    admin = auth.login(Role.STAFF)  # staff see each stage's figures: the costly view
    counts = []
    for total in (2, 3, 5):
        _campaigns(total, admin)
        counts.append(_page_statements(client, "/campaigns/"))
    assert counts[0] == counts[1] == counts[2], counts
    html = client.get("/campaigns/").get_data(as_text=True)
    assert all(f"Campaign {n}" in html for n in (2, 3, 4)) and html.count("votes needed") == 0
    assert html.count(" voters, line ") >= 5  # each campaign's stage with its electorate and line


def test_an_entry_costs_the_same_with_one_or_five_revisions(client, auth):
    auth.login(Role.STAFF)
    campaign = default_campaign()
    entry = add_outreach(campaign, ["KHM"], make_user(Role.STAFF, email="author@example.test"))
    db.session.commit()
    counts = []
    for n in range(1, 6):
        editor = make_user(
            Role.ADMIN, email=f"editor{n}@example.test", name=f"Editor {n}"
        )  # each revision by someone else
        edit_outreach(entry, OutreachInput(
            occurred_on=entry.occurred_on, channel=entry.channel, level=entry.level, location=entry.location,
            our_participants="", their_participants="", summary=f"Revision {n}",
            state_ids=[s.id for s in entry.states], campaign_ids=[campaign.id]), as_actor(editor))
        db.session.commit()
        counts.append(_page_statements(client, f"/outreach/{entry.id}"))
    assert len(set(counts)) == 1, counts
    html = client.get(f"/outreach/{entry.id}").get_data(as_text=True)
    assert all(f"Editor {n}" in html for n in range(1, 6)) and "Revision 5" in html
