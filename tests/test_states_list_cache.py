"""The states table is kept per data version and viewer: unchanged data is served again, any write shows."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.models import State
from app.services import accounts
from app.services.campaigns import default_campaign
from app.services.status import Evidence, change_status, position_for
from app.states import routes as state_routes
from tests.conftest import CSRF_RE, AuthActions, make_user
from tests.factories import add_outreach, as_actor


@pytest.fixture
def renders(monkeypatch):
    """How many times the table's rows were read."""
    count = {"n": 0}
    real = state_routes.state_service.state_rows

    def counted(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(state_routes.state_service, "state_rows", counted)
    return count


def row_of(html: str, name: str) -> str:
    """The table row of one state, as text."""
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*?>" + re.escape(name) + r"<(?:(?!</tr>).)*</tr>", html, re.DOTALL)
    assert match, name
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def state(code: str) -> State:
    return db.session.scalar(sa.select(State).where(State.iso3 == code))


def test_unchanged_data_is_served_again_with_a_fresh_working_token(client, auth, renders):
    auth.login(Role.STAFF)
    first = client.get("/states/").get_data(as_text=True)
    second = client.get("/states/").get_data(as_text=True)
    assert renders["n"] == 1 and first == second
    match = CSRF_RE.search(second)
    token = match.group(1) or match.group(2)
    assert "csrf-slot" not in second
    campaign = default_campaign()
    assert client.post("/campaigns/switch", data={"csrf_token": token, "campaign": campaign.id}).status_code == 302
    client.get("/states/?sort=group")  # another address is another page
    assert renders["n"] == 2


def test_a_status_change_and_an_entry_show_on_the_next_request(client, auth, renders):
    staff = auth.login(Role.STAFF)
    before = row_of(client.get("/states/").get_data(as_text=True), "Cambodia")
    campaign = default_campaign()
    change_status(campaign, state("KHM"), to_status=SupportStatus.WRITTEN_PLEDGE,
                  expected_version=position_for(campaign, state("KHM")).version, actor=as_actor(staff),
                  reason="note received", evidence=Evidence())
    db.session.commit()
    after = row_of(client.get("/states/").get_data(as_text=True), "Cambodia")
    assert "Written pledge" in after and "Written pledge" not in before
    add_outreach(campaign, ["KHM"], staff)
    db.session.commit()
    client.get("/states/")
    assert renders["n"] == 3


def test_an_envoy_never_gets_the_page_cached_for_staff(app, client, auth):
    auth.login(Role.STAFF)
    assert "Argentina" in client.get("/states/").get_data(as_text=True)
    envoy_client = app.test_client()
    AuthActions(envoy_client).login(Role.ENVOY, states=["KHM"])
    html = envoy_client.get("/states/").get_data(as_text=True)
    assert "Cambodia" in html and "Argentina" not in html


def test_a_new_assignment_shows_at_once(client, auth):
    envoy = make_user(Role.ENVOY, states=["KHM"])
    auth.login(Role.ENVOY, email=envoy.email)
    assert "Argentina" not in client.get("/states/").get_data(as_text=True)
    accounts.set_assignments(envoy, ["KHM", "ARG"])
    db.session.commit()
    assert "Argentina" in client.get("/states/").get_data(as_text=True)
