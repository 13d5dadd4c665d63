"""Races as they are run: several campaigns, stages, recorded rounds, reconciliation, archiving."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from app.domain.enums import BodyKind, ElectorateMode, Role, StageResult, SupportStatus, WinningRule
from app.extensions import db
from app.models import Campaign, OutreachEntry, Stage, State, StatusChange, User
from app.services.campaigns import default_campaign
from app.services.reference import PRESIDENCY_CAMPAIGN, SECURITY_COUNCIL_CAMPAIGN
from app.services.stages import StageInput, save_stage
from app.services.status import change_status, position_for
from tests.conftest import make_user
from tests.factories import as_actor


def campaign(name: str) -> Campaign:
    return db.session.scalar(sa.select(Campaign).where(Campaign.name == name))


def state(code: str) -> State:
    return db.session.scalar(sa.select(State).where(State.iso3 == code))


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_newcomer_sees_two_campaigns_with_their_stages_and_figures(client, auth):
    auth.login(Role.LEADERSHIP)
    html = client.get("/campaigns/").get_data(as_text=True)
    assert SECURITY_COUNCIL_CAMPAIGN in html and PRESIDENCY_CAMPAIGN in html
    council, presidency = campaign(SECURITY_COUNCIL_CAMPAIGN), campaign(PRESIDENCY_CAMPAIGN)
    assert "General Assembly election · General Assembly · 1 Jun 2028 (provisional)" in html
    assert "193 voters, line 129" in html
    page = client.get(f"/campaigns/{presidency.id}").get_data(as_text=True)
    assert "Won" in page and "archived" in page and "Sidharto Reza Suryodipuro" in page
    # The group ballot: 47 present, 4 abstentions, 2 invalid → 41 voting, line 21; 34 to 7.
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "1 23 Dec 2025 47 4 2 41 21 34 7 Elected" in row
    assert "Elected by acclamation" in page
    assert "Reconciliation: pledges against votes" in page
    council_page = client.get(f"/campaigns/{council.id}").get_data(as_text=True)
    assert 'class="stage-electorate">193<' in council_page and 'class="stage-line">129<' in council_page
    assert "rivals to be confirmed" in council_page


def test_switching_campaigns_changes_dashboard_briefs_and_packs_and_is_remembered(client, auth):
    user = auth.login(Role.STAFF)
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="fig-electorate">193<' in html
    response = auth.post("/campaigns/switch", {"campaign": str(presidency.id), "next": "/dashboard/"}, page="/states/")
    assert response.status_code == 302 and response.headers["Location"] == f"/dashboard/?campaign={presidency.id}"
    assert db.session.get(User, user.id).current_campaign_id == presidency.id
    # Remembered: the bare URL now opens the presidency, whose current stage is the Council's.
    html = client.get("/dashboard/").get_data(as_text=True)
    assert PRESIDENCY_CAMPAIGN in html and 'id="fig-electorate">47<' in html
    brief = text_of(client.get("/states/KHM/brief.pdf").data)
    assert "President of the Human Rights Council" in brief
    pack = auth.post("/packs", {"title": "Phnom Penh", "start_date": "2026-11-20", "end_date": "2026-11-22",
                                "states": ["KHM"]})
    assert pack.mimetype == "application/pdf" and "President of the Human Rights Council" in text_of(pack.data)


def test_a_link_a_colleague_shares_opens_the_same_campaign(client, auth):
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    auth.login(Role.STAFF)
    html = client.get(f"/states/KHM?campaign={presidency.id}").get_data(as_text=True)
    assert f"Current status · <span class=\"small\">{PRESIDENCY_CAMPAIGN}</span>" in html
    # Links on that page keep the campaign.
    assert f"/states/KHM/brief.pdf?campaign={presidency.id}" in html
    # A link naming a campaign that does not exist is not found, never another campaign's page.
    for raw in ("abc", "99999999999999999999", "-1", "٣", "999"):
        assert client.get(f"/states/KHM?campaign={raw}").status_code == 404


def test_one_entry_serves_two_campaigns_with_a_status_change_in_each(client, auth):
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    presidency.archived_at = None  # a live second campaign for this test
    db.session.commit()
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    user = auth.login(Role.STAFF)
    khm = state("KHM")
    form = {
        "occurred_on": "2025-11-24",
        "channel": "in_person",
        "level": "minister",
        "location": "Phnom Penh",
        "states": [str(khm.id)],
        "summary": "Asked for both candidatures.",
        "campaigns": [str(council.id), str(presidency.id)],
        f"status_{council.id}_{khm.id}": "leaning_for",
        f"version_{council.id}_{khm.id}": str(position_for(council, khm).version),
        f"status_{presidency.id}_{khm.id}": "verbal_pledge",
        f"version_{presidency.id}_{khm.id}": str(position_for(presidency, khm).version),
        "pledge_form": "verbal_meeting",
        "source_level": "minister",
    }
    response = auth.post("/states/KHM/outreach/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    entry = db.session.scalar(sa.select(OutreachEntry))
    assert {c.id for c in entry.campaigns} == {council.id, presidency.id}
    changes = db.session.scalars(sa.select(StatusChange).where(StatusChange.outreach_id == entry.id)).all()
    assert {(c.campaign_id, c.to_status) for c in changes} == {
        (council.id, SupportStatus.LEANING_FOR), (presidency.id, SupportStatus.VERBAL_PLEDGE)}
    for c, label in ((council, "Leaning for"), (presidency, "Verbal pledge")):
        page = client.get(f"/states/KHM?campaign={c.id}").get_data(as_text=True)
        assert "Asked for both candidatures." in page and label in page
    assert user.id == entry.author_id


def test_malaysia_form_with_singapore_covered_never_moves_malaysia(client, auth):
    """The reported case: on Malaysia's form the entry was switched to Singapore with a status chosen."""
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    auth.login(Role.STAFF)
    mys, sgp = state("MYS"), state("SGP")
    form = {"occurred_on": "2025-11-24", "channel": "phone", "level": "pr_new_york", "location": "",
            "summary": "Call with Singapore about the bid", "states": [str(sgp.id)], "campaigns": [str(council.id)],
            # What the browser still held for Malaysia when the picker changed:
            f"status_{council.id}_{mys.id}": "verbal_pledge", f"version_{council.id}_{mys.id}": "1",
            "pledge_form": "verbal_meeting"}
    response = auth.post("/states/MYS/outreach/new", form)
    assert response.status_code == 302
    assert position_for(council, mys).status is SupportStatus.NOT_APPROACHED
    assert db.session.scalar(sa.select(sa.func.count(StatusChange.id)).where(StatusChange.state_id == mys.id)) == 0
    # Singapore, the state the entry covers, moves from "not approached" to "approached" with the entry.
    change = db.session.scalar(sa.select(StatusChange).where(StatusChange.state_id == sgp.id))
    assert change.to_status is SupportStatus.APPROACHED and change.outreach_id is not None
    assert "Call with Singapore" in client.get("/states/SGP").get_data(as_text=True)
    assert "Call with Singapore" not in client.get("/states/MYS").get_data(as_text=True)


def test_each_covered_state_gets_its_own_status_with_its_own_version_check(client, auth):
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    auth.login(Role.STAFF)
    khm, lao, vnm = state("KHM"), state("LAO"), state("VNM")
    ids = [str(s.id) for s in (khm, lao, vnm)]
    # The form re-rendered for three covered states offers a status for each, naming it.
    page = auth.post("/states/KHM/outreach/new", {"states": ids, "campaigns": [str(council.id)], "summary": ""})
    html = page.get_data(as_text=True)
    for s in (khm, lao, vnm):
        assert f'name="status_{council.id}_{s.id}"' in html and f"New status of {s.name}" in html.replace("&#39;", "'")
    response = auth.post("/states/KHM/outreach/new", {
        "occurred_on": "2025-11-24", "channel": "in_person", "level": "minister", "summary": "ASEAN lunch",
        "states": ids, "campaigns": [str(council.id)], "pledge_form": "verbal_meeting",
        f"status_{council.id}_{khm.id}": "verbal_pledge", f"version_{council.id}_{khm.id}": "1",
        f"status_{council.id}_{lao.id}": "undecided", f"version_{council.id}_{lao.id}": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    statuses = {s.iso3: position_for(council, s).status for s in (khm, lao, vnm)}
    assert statuses == {"KHM": SupportStatus.VERBAL_PLEDGE, "LAO": SupportStatus.UNDECIDED,
                        "VNM": SupportStatus.APPROACHED}


def test_a_quick_note_stores_no_invented_channel_level_or_place(client, auth):
    auth.login(Role.STAFF)
    page = client.get("/states/KHM/outreach/new").get_data(as_text=True)
    assert '<option selected value="">— choose —</option>' in page
    assert 'value="Capital"' not in page
    response = auth.post("/states/KHM/outreach/new", {
        "occurred_on": "2025-11-24", "summary": "Quick note", "states": [str(state("KHM").id)],
        "campaigns": [str(campaign(SECURITY_COUNCIL_CAMPAIGN).id)]})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose how the contact took place." in html
    assert "Choose the level of their interlocutor." in html and "Quick note" in html
    assert db.session.scalar(sa.select(sa.func.count(OutreachEntry.id))) == 0


def test_archived_campaign_is_read_only_but_viewable_and_downloadable(client, auth):
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    auth.login(Role.STAFF)
    khm = state("KHM")
    page = client.get(f"/states/KHM?campaign={presidency.id}").get_data(as_text=True)
    assert "is archived: read-only" in page and "Change status directly" not in page
    response = auth.post(f"/states/KHM/status?campaign={presidency.id}",
                         {"status": "against", "reason": "x", "version": str(position_for(presidency, khm).version)},
                         page=f"/states/KHM?campaign={presidency.id}")
    assert response.status_code == 400 and "is archived" in response.get_data(as_text=True)
    assert position_for(presidency, khm).status is SupportStatus.NOT_APPROACHED
    brief = client.get(f"/states/KHM/brief.pdf?campaign={presidency.id}")
    assert brief.status_code == 200 and "President of the Human Rights Council" in text_of(brief.data)
    group = presidency.stages[0]
    assert client.get(f"/campaigns/{presidency.id}/stages/{group.id}/reconciliation.pdf").status_code == 200


def test_recording_a_round_recomputes_the_line_from_the_recorded_turnout(client, auth):
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    stage = council.stages[0]
    admin = auth.login(Role.ADMIN)
    save_stage(council, stage, StageInput(
        name=stage.name, body_kind=BodyKind.GENERAL_ASSEMBLY, regional_group=None, body_name="",
        held_on=stage.held_on, date_provisional=True, electorate_mode=ElectorateMode.DERIVED,
        winning_rule=WinningRule.TWO_THIRDS, expected_turnout=None, seats=1,
        rivals=[("Rival candidate", state("KGZ").id)]), as_actor(admin))
    db.session.commit()
    ours, rival = stage.our_candidate, stage.rivals[0]
    prefix = f"r{stage.id}-"
    url = f"/campaigns/{council.id}/stages/{stage.id}/rounds"
    # 190 present, 3 abstain, 2 invalid: 185 voting, two-thirds → 124. 120 is short: another round.
    response = auth.post(url, {prefix + "held_on": "2028-06-01", prefix + "present": "190", prefix + "abstentions": "3",
                               prefix + "invalid": "2", prefix + f"votes_{ours.id}": "120",
                               prefix + f"votes_{rival.id}": "65"}, page=f"/campaigns/{council.id}")
    assert response.status_code == 302
    page = client.get(f"/campaigns/{council.id}").get_data(as_text=True)
    assert "185 present and voting, line 124" in page and "next round" in page
    db.session.expire_all()
    assert stage.result is StageResult.PENDING
    second = auth.post(url, {prefix + "held_on": "2028-06-01", prefix + "present": "190", prefix + "abstentions": "0",
                    prefix + "invalid": "0", prefix + f"votes_{ours.id}": "127", prefix + f"votes_{rival.id}": "63"},
              page=f"/campaigns/{council.id}", follow_redirects=True)
    assert "190 present and voting, line 127" in second.get_data(as_text=True), second.get_data(as_text=True)[-3000:]
    db.session.expire_all()
    assert stage.result is StageResult.ELECTED and campaign(SECURITY_COUNCIL_CAMPAIGN).outcome.value == "won"
    # A decided stage is read-only.
    response = auth.post(
        url,
        {
            prefix + "held_on": "2028-06-02",
            prefix + "present": "10",
            prefix + "abstentions": "0",
            prefix + "invalid": "0",
            prefix + f"votes_{ours.id}": "1",
            prefix + f"votes_{rival.id}": "1",
        },
        page=f"/campaigns/{council.id}",
        follow_redirects=True,
    )
    assert "decided" in response.get_data(as_text=True) and len(stage.rounds) == 2


def test_impossible_round_figures_are_refused_and_nothing_saved(client, auth):
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    stage = council.stages[0]
    auth.login(Role.STAFF)
    prefix = f"r{stage.id}-"
    response = auth.post(f"/campaigns/{council.id}/stages/{stage.id}/rounds", {
        prefix + "held_on": "2028-06-01", prefix + "present": "100", prefix + "abstentions": "60",
        prefix + "invalid": "50", prefix + f"votes_{stage.our_candidate.id}": "10"},
        page=f"/campaigns/{council.id}", follow_redirects=True)
    assert "cannot exceed the members present" in response.get_data(as_text=True)
    db.session.expire_all()
    assert stage.rounds == [] and stage.result is StageResult.PENDING


def test_dashboard_asks_for_the_result_of_a_stage_whose_date_has_passed(client, auth):
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    council.stages[0].held_on = date.today() - timedelta(days=3)
    db.session.commit()
    auth.login(Role.STAFF)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "was due on" in html and "no result is recorded" in html and "Record the result" in html


def test_a_pledge_from_a_state_outside_the_stage_electorate_never_counts():
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    presidency.archived_at = None
    staff = make_user(Role.STAFF)
    council_stage = presidency.stages[1]
    from app.services.stages import electorate
    from app.services.tally import stage_tally

    voters = electorate(council_stage).ids
    outsider = db.session.scalar(sa.select(State).where(State.un_member, State.id.not_in(voters)).limit(1))
    before = stage_tally(council_stage).firm
    change_status(
        presidency, outsider, to_status=SupportStatus.WRITTEN_PLEDGE, expected_version=1, actor=as_actor(staff)
    )
    assert stage_tally(council_stage).firm == before


def test_reconciliation_page_and_pdf_bound_what_a_secret_ballot_can_tell(client, auth):
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    presidency.archived_at = None
    staff = make_user(Role.STAFF)
    group = presidency.stages[0]
    for code, status in (("KHM", SupportStatus.VERBAL_PLEDGE), ("LAO", SupportStatus.WRITTEN_PLEDGE)):
        change_status(presidency, state(code), to_status=status, expected_version=1, actor=as_actor(staff),
                      effective_on=date(2025, 12, 1))
    # A pledge given after the ballot is not a pledge held at ballot time.
    change_status(
        presidency,
        state("VNM"),
        to_status=SupportStatus.WRITTEN_PLEDGE,
        expected_version=1,
        actor=as_actor(staff),
        effective_on=date(2025, 12, 30),
    )
    presidency.archived_at = presidency.created_at
    db.session.commit()
    auth.login(Role.LEADERSHIP)
    html = client.get(f"/campaigns/{presidency.id}/stages/{group.id}/reconciliation").get_data(as_text=True)
    assert "Cambodia — Verbal pledges" in html and "Lao People" in html and "Viet Nam" not in html
    assert "secret" in html and "200%" not in html
    pdf = client.get(f"/campaigns/{presidency.id}/stages/{group.id}/reconciliation.pdf")
    text = text_of(pdf.data)
    assert "Reconciliation — Asia-Pacific Group ballot" in text and "Prepared for Test leadership" in text
    assert "Pledges held" in text and "34" in text


def test_new_campaign_starts_with_weights_learnt_from_recorded_ballots(client, auth):
    auth.login(Role.ADMIN)
    response = auth.post("/campaigns/new", {"name": "ECOSOC 2030", "office": "Member of ECOSOC",
                                            "candidate_name": "", "candidate_state": str(state("IDN").id),
                                            "learnt_weights": "y"})
    assert response.status_code == 302
    created = campaign("ECOSOC 2030")
    assert created.vote_weights is not None and created.stages == []
    html = client.get(f"/dashboard/weights?campaign={created.id}").get_data(as_text=True)
    assert "Learnt from recorded ballots" in html and "Asia-Pacific Group ballot" in html


def test_admin_adds_a_stage_with_a_hand_set_electorate_and_non_voters(client, auth):
    auth.login(Role.ADMIN)
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    ids = [str(state(c).id) for c in ("KHM", "LAO", "VNM", "THA")]
    response = auth.post(f"/campaigns/{council.id}/stages/new", {
        "name": "ASEAN endorsement", "body_kind": "other", "body_name": "ASEAN Foreign Ministers",
        "held_on": "2027-07-10", "winning_rule": "majority", "seats": "1", "electorate_mode": "manual",
        "manual_electors": ids, "non_voters": [ids[-1]], "regional_group": "",
        "rivals-0-name": "", "rivals-0-state": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    stage = db.session.scalar(sa.select(Stage).where(Stage.name == "ASEAN endorsement"))
    assert stage.sequence == 2 and {s.iso3 for s in stage.non_voters} == {"THA"}
    page = client.get(f"/campaigns/{council.id}").get_data(as_text=True)
    assert "ASEAN Foreign Ministers" in page and "not voting: Thailand" in page
    # Three voters after Thailand: a majority of 3 present and voting is 2.
    assert re.search(r'class="stage-electorate">3<', page) and re.search(r'class="stage-line">2<', page)


def test_requests_name_the_campaign_and_conflicts_are_found_across_campaigns(client, auth):
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    presidency.archived_at = None
    db.session.commit()
    council = campaign(SECURITY_COUNCIL_CAMPAIGN)
    auth.login(Role.STAFF)
    for code, target in (("KHM", council), ("LAO", presidency)):
        response = auth.post(f"/states/{code}/requests/new", {
            "campaign": str(target.id), "direction": "they_ask_us", "body": "UNESCO", "post": "Executive Board",
            "year": "2027", "status": "agreed", "notes": ""})
        assert response.status_code == 302
    html = client.get("/requests").get_data(as_text=True)
    assert "Conflict:" in html and f"Cambodia (for {SECURITY_COUNCIL_CAMPAIGN})" in html
    assert f"(for {PRESIDENCY_CAMPAIGN})" in html


def test_envoys_see_stages_but_no_figures_and_no_reconciliation(client, auth):
    auth.login(Role.ENVOY, states=["KHM"])
    presidency = campaign(PRESIDENCY_CAMPAIGN)
    page = client.get(f"/campaigns/{presidency.id}").get_data(as_text=True)
    assert "Asia-Pacific Group ballot" in page and "Our votes" not in page and "Reconciliation" not in page
    group = presidency.stages[0]
    assert client.get(f"/campaigns/{presidency.id}/stages/{group.id}/reconciliation").status_code == 403


def test_default_campaign_after_seed_is_the_live_one():
    assert default_campaign().name == SECURITY_COUNCIL_CAMPAIGN
