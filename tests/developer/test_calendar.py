"""Calendar feeds: a secret revocable URL, the user's follow-ups and stage dates, within their scope."""

from __future__ import annotations

import re
from datetime import date, timedelta

import icalendar

from app.domain.enums import Role
from app.extensions import db
from app.services.campaigns import default_campaign
from app.services.followups import set_done
from tests.conftest import make_user
from tests.factories import add_follow_up, as_actor

URL_RE = re.compile(r'<code id="feed-url"[^>]*>(http://[^<]+)</code>')


def _events(client, url):
    response = client.get(url.replace("http://localhost", ""))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(response.data).walk("VEVENT")}


def test_feed_shows_my_follow_ups_in_my_states_and_follows_changes(auth, client):
    envoy = auth.login(Role.ENVOY, states=["KHM"])
    other = make_user(Role.STAFF)
    campaign = default_campaign()
    mine = add_follow_up(campaign, "KHM", envoy, text="Send the <aide-mémoire>", due=date.today() + timedelta(days=4))
    add_follow_up(campaign, "FRA", envoy, text="CANARY Paris call")  # an unassigned state: never in the feed
    add_follow_up(campaign, "KHM", other, text="Someone else's")
    db.session.commit()
    page = auth.post("/account/calendar", {}).get_data(as_text=True)
    url = URL_RE.search(page).group(1)
    events = _events(client, url)
    summaries = {str(e["summary"]) for e in events.values()}
    assert "Cambodia: Send the <aide-mémoire>" in summaries
    assert not any("CANARY" in s or "Someone" in s for s in summaries)
    stage = campaign.stages[0]
    assert events[f"stage-{stage.id}@localhost"]["dtstart"].dt == stage.held_on
    assert "provisional" in str(events[f"stage-{stage.id}@localhost"]["summary"])
    first = events[f"follow-up-{mine.id}@localhost"]
    set_done(mine, True, as_actor(envoy))
    db.session.commit()
    updated = _events(client, url)[f"follow-up-{mine.id}@localhost"]
    assert str(updated["summary"]).startswith("Done: ") and str(updated["status"]) == "CANCELLED"
    assert int(updated["sequence"]) > int(first["sequence"])
    assert client.get("/account/calendar").get_data(as_text=True).count("feed-url") == 0  # shown once only
    auth.post("/account/calendar/revoke", {}, page="/account/calendar")
    assert client.get(url.replace("http://localhost", "")).status_code == 404


def test_unknown_feed_keys_get_nothing(client):
    assert client.get("/calendar/guess.ics").status_code == 404
