"""Two people editing one record: the later stale save is refused, naming who saved, keeping what was typed."""

from __future__ import annotations

import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import Campaign, Contact, FollowUp, ReciprocalRequest
from app.services.campaigns import default_campaign
from tests.conftest import AuthActions, csrf_token, make_user
from tests.factories import add_contact, add_follow_up, add_request


def two_editors(client_a, app):
    first = AuthActions(client_a)
    first.login(Role.STAFF)
    second = AuthActions(app.test_client())
    second.login(Role.ADMIN)
    return first, second


def form_of(client, url: str) -> dict:
    """The version and CSRF token the page handed out."""
    import re

    html = client.get(url).get_data(as_text=True)
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html).group(1)
    return {"version": version, "csrf_token": csrf_token(client, url)}


def test_a_stale_contact_save_is_refused_and_keeps_what_was_typed(client, app):
    first, second = two_editors(client, app)
    contact = add_contact("KHM", first.user, name="Keo Remy")
    db.session.commit()
    url = f"/contacts/{contact.id}/edit"
    stale = form_of(first.client, url)
    fresh = form_of(second.client, url)
    assert second.client.post(url, data=fresh | {"name": "Keo Remy", "title": "Senior Minister"}).status_code == 302
    response = first.client.post(url, data=stale | {"name": "Keo Remy", "title": "Chairman, CHRC"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed meanwhile by Test admin" in html and "Chairman, CHRC" in html
    assert db.session.get(Contact, contact.id).title == "Senior Minister"


def test_a_stale_request_save_is_refused(client, app):
    first, second = two_editors(client, app)
    request = add_request("KHM", first.user)
    db.session.commit()
    url = f"/requests/{request.id}/edit"
    base = {"campaign": str(default_campaign().id), "direction": "they_ask_us", "body": "UNESCO",
            "post": "Executive Board", "year": "2027", "notes": ""}
    stale, fresh = form_of(first.client, url), form_of(second.client, url)
    assert second.client.post(url, data=fresh | base | {"status": "agreed"}).status_code == 302
    response = first.client.post(url, data=stale | base | {"status": "declined"})
    assert response.status_code == 409 and "changed meanwhile" in response.get_data(as_text=True)
    assert db.session.get(ReciprocalRequest, request.id).status.value == "agreed"


def test_done_on_a_stale_page_is_refused_once_someone_reopened(client, app):
    first, second = two_editors(client, app)
    item = add_follow_up(default_campaign(), "KHM", first.user)
    db.session.commit()
    version = str(item.version)
    for who, action in ((second, "done"), (second, "reopen")):
        token = csrf_token(who.client, "/follow-ups")
        who.client.post(f"/follow-ups/{item.id}/{action}", data={"csrf_token": token, "version": str(
            db.session.get(FollowUp, item.id).version), "next": "/follow-ups"})
        db.session.expire_all()
    response = first.client.post(f"/follow-ups/{item.id}/done", data={
        "csrf_token": csrf_token(first.client, "/follow-ups"), "version": version, "next": "/follow-ups"},
        follow_redirects=True)
    assert "changed meanwhile by Test admin" in response.get_data(as_text=True)
    assert not db.session.get(FollowUp, item.id).is_done


def test_a_stale_campaign_save_is_refused(client, app):
    admin_a = AuthActions(client)
    admin_a.login(Role.ADMIN)
    make_user(Role.ADMIN, email="second-admin@example.test", name="Second admin")
    admin_b = AuthActions(app.test_client())
    admin_b.login(Role.ADMIN, email="second-admin@example.test")
    campaign = default_campaign()
    url = f"/campaigns/{campaign.id}/edit"
    base = {"name": campaign.name, "office": campaign.office, "candidate_name": "Indonesia",
            "candidate_state": str(campaign.candidate_state_id), "is_default": "y"}
    stale, fresh = form_of(admin_a.client, url), form_of(admin_b.client, url)
    assert admin_b.client.post(url, data=fresh | base | {"source": "Announced 28 September 2024."}).status_code == 302
    response = admin_a.client.post(url, data=stale | base | {"source": "Another text"})
    assert response.status_code == 409 and "changed meanwhile by Second admin" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(Campaign.source).where(Campaign.id == campaign.id))
        == "Announced 28 September 2024."
    )
