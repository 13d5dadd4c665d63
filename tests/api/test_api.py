"""The API's reads and writes: scope, pagination, problem details, the same services as the web."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.domain.enums import Role, StageResult, TokenScope
from app.extensions import db
from app.models import Position, Stage, StatusChange
from app.services.campaigns import default_campaign
from app.services.states import get_state
from tests.api.helpers import bearer, token_for
from tests.conftest import make_user
from tests.factories import add_contact, add_follow_up, add_outreach, add_request

CANARY = "CANARY-FRA-7f3a"


def _canary_world():
    """Records on France (unassigned to the envoy) that carry the canary, and one on Cambodia."""
    staff = make_user(Role.STAFF)
    campaign = default_campaign()
    france = get_state("FRA")
    france.talking_points = CANARY
    add_outreach(campaign, ["FRA"], staff, summary=f"Paris meeting {CANARY}")
    add_outreach(campaign, ["KHM"], staff, summary="Phnom Penh meeting")
    add_follow_up(campaign, "FRA", staff, text=f"Call {CANARY}")
    add_contact("FRA", staff, name=f"Jean {CANARY}")
    add_request("FRA", staff, post=f"Post {CANARY}")
    db.session.commit()
    return campaign


def test_an_envoys_token_never_shows_an_unassigned_state(client):
    campaign = _canary_world()
    secret = token_for(make_user(Role.ENVOY, states=["KHM"]), TokenScope.WRITE)
    urls = ["/api/v1/states", "/api/v1/states?limit=200", "/api/v1/states/FRA", "/api/v1/outreach",
            "/api/v1/outreach?state=FRA", "/api/v1/follow-ups", "/api/v1/contacts", "/api/v1/contacts?state=FRA",
            "/api/v1/requests", "/api/v1/positions?state=FRA", f"/api/v1/positions?campaign_id={campaign.id}&limit=200"]
    urls += [f"/api/v1/outreach/{i}" for i in range(1, 4)] + [f"/api/v1/contacts/{i}" for i in range(1, 3)]
    for url in urls:
        response = client.get(url, headers=bearer(secret))
        assert CANARY not in response.get_data(as_text=True), url
        assert "FRA" not in response.get_data(as_text=True) or response.status_code == 404, url
    assert client.get("/api/v1/states/FRA", headers=bearer(secret)).status_code == 404
    states = client.get("/api/v1/states", headers=bearer(secret)).json
    assert [s["iso3"] for s in states["items"]] == ["KHM"]
    entries = client.get("/api/v1/outreach", headers=bearer(secret)).json["items"]
    assert [e["summary"] for e in entries] == ["Phnom Penh meeting"]
    # Writes on France are refused too, naming the field.
    response = client.post("/api/v1/contacts", json={"state": "FRA", "name": "X"}, headers=bearer(secret))
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "state"
    # Staff see the canary: the test would notice if it were never there.
    staff_token = token_for(make_user(Role.STAFF, email="s2@example.test"))
    assert CANARY in client.get("/api/v1/states/FRA", headers=bearer(staff_token)).get_data(as_text=True)


def test_cursor_pagination_walks_every_state_once(client):
    secret = token_for(make_user(Role.LEADERSHIP))
    seen, cursor = [], None
    while True:
        response = client.get("/api/v1/states", query_string={"limit": 60, **({"cursor": cursor} if cursor else {})},
                              headers=bearer(secret))
        seen += [s["iso3"] for s in response.json["items"]]
        cursor = response.json["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 195
    bad = client.get("/api/v1/states?cursor=bm9wZQ", headers=bearer(secret))
    assert bad.status_code == 422 and bad.json["errors"][0] == {
        "location": "query", "field": "cursor", "detail": "Not a cursor this API gave out."}


def test_filters_by_campaign_state_and_date(client):
    staff = make_user(Role.STAFF)
    campaign = default_campaign()
    add_outreach(campaign, ["KHM"], staff, summary="old", occurred_on=date.today() - timedelta(days=40))
    add_outreach(campaign, ["KHM"], staff, summary="new", occurred_on=date.today() - timedelta(days=2))
    add_outreach(campaign, ["LAO"], staff, summary="lao")
    db.session.commit()
    secret = token_for(staff)
    since = (date.today() - timedelta(days=10)).isoformat()
    items = client.get(f"/api/v1/outreach?state=KHM&since={since}&campaign_id={campaign.id}",
                       headers=bearer(secret)).json["items"]
    assert [e["summary"] for e in items] == ["new"]
    assert items[0]["occurred_on"] == (date.today() - timedelta(days=2)).isoformat()
    assert items[0]["states"] == ["KHM"] and items[0]["campaign_ids"] == [campaign.id]
    bad = client.get("/api/v1/outreach?since=yesterday", headers=bearer(secret))
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "since"


def _position(campaign, iso3):
    return db.session.scalar(sa.select(Position).where(Position.campaign_id == campaign.id,
                                                       Position.state_id == get_state(iso3).id))


def _entry(campaign, version, **extra):
    return {"occurred_on": (date.today() - timedelta(days=1)).isoformat(), "channel": "in_person",
            "level": "minister", "summary": "Met the foreign minister.", "states": ["KHM"],
            "campaign_ids": [campaign.id],
            "status_changes": [{"campaign_id": campaign.id, "state": "KHM", "to_status": "verbal_pledge",
                                "expected_version": version, "evidence": {"source_level": "minister",
                                                                          "pledge_form": "verbal_meeting"}}],
            **extra}


def test_recording_an_entry_moves_the_status_with_the_version_check(client):
    campaign = default_campaign()
    secret = token_for(make_user(Role.STAFF), TokenScope.WRITE)
    positions = client.get(f"/api/v1/positions?campaign_id={campaign.id}&state=KHM", headers=bearer(secret)).json
    version = positions["items"][0]["version"]
    response = client.post("/api/v1/outreach", json=_entry(campaign, version), headers=bearer(secret))
    assert response.status_code == 201, response.json
    assert response.json["status_changes"][0]["to_status"] == "verbal_pledge"
    assert _position(campaign, "KHM").status.value == "verbal_pledge"
    history = client.get(f"/api/v1/positions?campaign_id={campaign.id}&state=KHM", headers=bearer(secret)).json
    assert history["items"][0]["history"][-1]["outreach_id"] == response.json["id"]
    from app.services.briefs import gather_briefs

    db.session.expire_all()
    brief = gather_briefs(campaign, [get_state("KHM")])[0]  # the API's entry is in the state's brief too
    assert [e.summary for e in brief.outreach] == ["Met the foreign minister."] and brief.older_outreach == 0
    # The same stale version again: 409 with the status now, and nothing saved.
    stale = client.post("/api/v1/outreach", json=_entry(campaign, version, summary="again"), headers=bearer(secret))
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert stale.json["current_status"] == "verbal_pledge" and stale.json["current_version"] == version + 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 1
    assert "again" not in str(client.get("/api/v1/outreach", headers=bearer(secret)).json)


def test_bad_input_gets_field_messages_and_no_html(client):
    campaign = default_campaign()
    secret = token_for(make_user(Role.STAFF), TokenScope.WRITE)
    body = _entry(campaign, 1, channel="pigeon", occurred_on="2020-13-01", colour="red")
    body.pop("summary")
    response = client.post("/api/v1/outreach", json=body, headers=bearer(secret))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    fields = {e["field"] for e in response.json["errors"]}
    assert {"channel", "occurred_on", "summary", "colour"} <= fields
    future = _entry(campaign, 1, occurred_on=(date.today() + timedelta(days=3)).isoformat())
    response = client.post("/api/v1/outreach", json=future, headers=bearer(secret))
    assert response.status_code == 422 and "future" in response.json["detail"]
    not_json = client.post("/api/v1/outreach", data="<x>", headers={**bearer(secret), "Content-Type": "text/html"})
    assert not_json.status_code == 422 and b"<" not in not_json.data.replace(b"<x>", b"")
    missing = client.get("/api/v1/nowhere", headers=bearer(secret))
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_follow_ups_create_and_done_and_archived_campaigns_refuse(client):
    from app.models import Campaign
    from app.services.reference import PRESIDENCY_CAMPAIGN

    campaign = default_campaign()
    envoy = make_user(Role.ENVOY, states=["KHM"])
    secret = token_for(envoy, TokenScope.WRITE)
    due = (date.today() + timedelta(days=5)).isoformat()
    created = client.post(
        "/api/v1/follow-ups",
        json={"campaign_id": campaign.id, "state": "KHM", "text": "Send the aide-mémoire", "due_on": due},
        headers=bearer(secret),
    )
    assert created.status_code == 201 and created.json["owner_id"] == envoy.id and created.json["due_on"] == due
    done = client.post(f"/api/v1/follow-ups/{created.json['id']}/done", headers=bearer(secret))
    assert done.status_code == 200 and done.json["done_at"] is not None
    assert client.get("/api/v1/follow-ups?open=true", headers=bearer(secret)).json["items"] == []
    archived = db.session.scalar(sa.select(Campaign).where(Campaign.name == PRESIDENCY_CAMPAIGN))
    refused = client.post("/api/v1/follow-ups", json={"campaign_id": archived.id, "state": "KHM", "text": "x",
                                                      "due_on": due}, headers=bearer(secret))
    assert refused.status_code == 409 and "archived" in refused.json["detail"]


def test_tally_per_stage_matches_the_service(client):
    from app.services.tally import stage_tally

    campaign = default_campaign()
    stage = campaign.stages[0]
    secret = token_for(make_user(Role.LEADERSHIP))
    body = client.get(f"/api/v1/stages/{stage.id}/tally", headers=bearer(secret)).json
    expected = stage_tally(stage)
    assert body["electorate"] == expected.electorate == 193
    assert body["votes_needed"] == expected.votes_needed and body["rule"] == stage.winning_rule.value
    assert sum(c["count"] for c in body["counts"]) == 193
    # The chance of winning, as the dashboard computes it (same cache, same seed).
    from app.models.types import utcnow
    from app.services.forecast import forecast_for_stage

    outlook = forecast_for_stage(stage, utcnow().date()).forecast
    assert body["forecast"]["probability"] == outlook.probability and body["forecast"]["draws"] == 20_000
    assert body["forecast"]["interval_low"] <= body["forecast"]["median_votes"] <= body["forecast"]["interval_high"]
    decided = db.session.scalar(sa.select(Stage).where(Stage.result != StageResult.PENDING).limit(1))
    assert client.get(f"/api/v1/stages/{decided.id}/tally", headers=bearer(secret)).json["forecast"] is None
    assert client.get("/api/v1/stages/99999/tally", headers=bearer(secret)).status_code == 404
