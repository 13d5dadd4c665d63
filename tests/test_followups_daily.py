"""Follow-ups: sensible dates and lengths, done from the state page, filters kept after an action."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import FollowUp
from app.services.campaigns import default_campaign
from tests.factories import add_follow_up


def test_a_due_date_in_the_year_3000_or_a_huge_text_is_refused_keeping_what_was_typed(client, auth):
    user = auth.login(Role.STAFF)
    response = auth.post(
        "/states/KHM/follow-ups", {"text": "Send the note", "due_on": "3000-01-01", "owner": str(user.id)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "more than five years ahead" in html and "Send the note" in html
    response = auth.post("/states/KHM/follow-ups", {"text": "x" * 10_000, "due_on": date.today().isoformat(),
                                                    "owner": str(user.id)})
    assert response.status_code == 400 and "Field cannot be longer than 5000 characters." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0


def test_done_from_the_state_page_and_from_everyone_keeps_the_view(client, auth):
    user = auth.login(Role.STAFF)
    first = add_follow_up(
        default_campaign(), "KHM", user, due=date.today() + timedelta(days=2), text="Call the mission"
    )
    second = add_follow_up(
        default_campaign(), "LAO", user, due=date.today() + timedelta(days=3), text="Write to Vientiane"
    )
    db.session.commit()
    page = client.get("/states/KHM").get_data(as_text=True)
    assert f"/follow-ups/{first.id}/done" in page
    response = auth.post(f"/follow-ups/{first.id}/done", {"next": "/states/KHM"}, page="/states/KHM")
    assert response.headers["Location"] == "/states/KHM"
    response = auth.post(f"/follow-ups/{second.id}/done", {"next": "/follow-ups?who=all&done=1"},
                         page="/follow-ups?who=all")
    assert response.headers["Location"] == "/follow-ups?who=all&done=1"
    # A next pointing elsewhere is ignored.
    response = auth.post(f"/follow-ups/{second.id}/reopen", {"next": "https://evil.example/"}, page="/follow-ups")
    assert response.headers["Location"].startswith("/follow-ups")
    db.session.expire_all()
    assert db.session.get(FollowUp, first.id).is_done


def test_an_outreach_date_before_the_un_existed_is_refused(client, auth):
    auth.login(Role.STAFF)
    response = auth.post("/states/KHM/outreach/new", {"occurred_on": "1900-01-01", "summary": "Old"})
    assert "before 24 October 1945" in response.get_data(as_text=True)
