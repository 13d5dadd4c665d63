"""The states table and a state's page, profile and direct status change."""

import sqlalchemy as sa

from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.models import State, StatusChange
from app.services.campaigns import default_campaign
from app.services.status import position_for


def test_states_table_lists_every_state_with_group_and_voters(client, auth):
    auth.login(Role.STAFF)
    html = client.get("/states/").get_data(as_text=True)
    assert "195 states" in html
    assert "voters: 193" in html
    assert "Türkiye" in html and "Holy See" in html


def test_states_table_filters_and_sorts(client, auth):
    auth.login(Role.STAFF)
    html = client.get("/states/?group=APG&electorate=yes").get_data(as_text=True)
    assert "54 states" in html and "Indonesia" in html and "France" not in html
    html = client.get("/states/?q=viet").get_data(as_text=True)
    assert "1 state" in html and "Viet Nam" in html
    html = client.get("/states/?sort=name&dir=desc").get_data(as_text=True)
    assert html.index("Zimbabwe") < html.index("Afghanistan")


def test_envoy_sees_only_assigned_states(client, auth):
    auth.login(Role.ENVOY, states=["KHM", "LAO"])
    html = client.get("/states/").get_data(as_text=True)
    assert "2 states" in html and "Cambodia" in html and "France" not in html
    assert client.get("/states/FRA").status_code == 403
    assert client.get("/states/KHM").status_code == 200


def test_unknown_state_is_404(client, auth):
    auth.login(Role.STAFF)
    assert client.get("/states/ZZZ").status_code == 404


def test_profile_round_trips_any_script_and_shows_html_as_text(client, auth):
    auth.login(Role.STAFF)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = {"capital": "ភ្នំពេញ", "head_of_state": "Владимир Путин", "foreign_minister": "وزير الخارجية",
            "mission_geneva": "", "mission_new_york": "", "our_embassy": "", "priority": "high",
            "the_ask": hostile, "talking_points": "Line one\nLine two", "version": "1"}
    response = auth.post("/states/KHM/profile", data)
    assert response.status_code == 302
    state = db.session.scalar(sa.select(State).where(State.iso3 == "KHM"))
    assert (state.capital, state.head_of_state, state.foreign_minister) == ("ភ្នំពេញ", "Владимир Путин", "وزير الخارجية")
    html = client.get("/states/KHM").get_data(as_text=True)
    assert "ភ្នំពេញ" in html and "Владимир Путин" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_profile_with_control_characters_is_refused_and_nothing_saved(client, auth):
    auth.login(Role.STAFF)
    response = auth.post("/states/KHM/profile", {"capital": "Phnom\x00Penh", "priority": "high"})
    assert response.status_code == 200
    assert "Remove the invisible control characters" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(State.capital).where(State.iso3 == "KHM")) == ""


def test_leadership_cannot_edit(client, auth):
    auth.login(Role.LEADERSHIP)
    assert client.get("/states/KHM/profile").status_code == 403
    assert "Log outreach" not in client.get("/states/KHM").get_data(as_text=True)


def test_direct_status_change_needs_a_reason_and_is_recorded(client, auth):
    user = auth.login(Role.STAFF)
    campaign = default_campaign()
    khm = db.session.scalar(sa.select(State).where(State.iso3 == "KHM"))
    version = position_for(campaign, khm).version
    response = auth.post(
        "/states/KHM/status", {"status": "undecided", "reason": "", "version": version}, page="/states/KHM"
    )
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    response = auth.post("/states/KHM/status", {"status": "undecided", "reason": "Said they are still weighing it.",
                                                "version": version}, page="/states/KHM")
    assert response.status_code == 302
    change = db.session.scalar(sa.select(StatusChange))
    assert (change.from_status, change.to_status, change.changed_by_id) == (
        SupportStatus.NOT_APPROACHED, SupportStatus.UNDECIDED, user.id)
    html = client.get("/states/KHM").get_data(as_text=True)
    assert "Said they are still weighing it." in html


def test_written_pledge_needs_its_form(client, auth):
    auth.login(Role.STAFF)
    response = auth.post("/states/KHM/status", {"status": "written_pledge", "reason": "Note received", "version": 1},
                         page="/states/KHM")
    assert "Say in what form the written pledge was given." in response.get_data(as_text=True)
