"""A script that knows only `requests` and a token reads the tally and records an entry the dashboard shows."""

from __future__ import annotations

from datetime import date, timedelta

import requests

from app.domain.enums import Role, TokenScope
from tests.api.helpers import token_for
from tests.conftest import make_user


def test_a_requests_script_reads_the_tally_and_moves_the_dashboard(live_server, auth, client):
    secret = token_for(make_user(Role.STAFF), TokenScope.WRITE, name="notebook")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {secret}"
    api = f"{live_server}/api/v1"

    campaign = http.get(f"{api}/campaigns", timeout=10).json()["items"][0]
    stage_id = campaign["current_stage_id"]
    before = http.get(f"{api}/stages/{stage_id}/tally", timeout=10).json()
    assert before["electorate"] == 193 and before["firm"] == 0
    position = http.get(f"{api}/positions", params={"campaign_id": campaign["id"], "state": "KHM"}, timeout=10).json()
    entry = {
        "occurred_on": (date.today() - timedelta(days=1)).isoformat(), "channel": "in_person", "level": "minister",
        "summary": "The foreign minister pledged support.", "states": ["KHM"], "campaign_ids": [campaign["id"]],
        "status_changes": [{"campaign_id": campaign["id"], "state": "KHM", "to_status": "written_pledge",
                            "expected_version": position["items"][0]["version"],
                            "evidence": {"pledge_form": "note_verbale", "note_reference": "NV/2026/17"}}],
    }
    created = http.post(f"{api}/outreach", json=entry, timeout=10)
    assert created.status_code == 201, created.text
    after = http.get(f"{api}/stages/{stage_id}/tally", timeout=10).json()
    assert after["firm"] == 1 and after["firm_gap"] == before["firm_gap"] - 1

    auth.login(Role.LEADERSHIP)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="fig-firm">1<' in html
    assert "Written pledge" in client.get("/states/KHM").get_data(as_text=True)
