"""Optimistic locking of state profiles: two staff editing one profile cannot lose an edit."""

from __future__ import annotations

import re

from app.domain.enums import Role
from app.extensions import db
from app.services.states import get_state
from tests.conftest import AuthActions, make_user

FIELDS = {"capital": "Phnom Penh", "head_of_state": "", "foreign_minister": "", "mission_geneva": "",
          "mission_new_york": "", "our_embassy": "", "priority": "normal", "the_ask": "", "talking_points": ""}


def open_form(auth: AuthActions) -> dict:
    """What a browser would send back: the CSRF token and the version of the page as loaded."""
    page = auth.client.get("/states/DEU/profile").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    return {"csrf_token": token, "version": version}


def test_the_later_stale_save_is_refused_naming_who_changed_it(app):
    make_user(Role.STAFF, email="ana@example.test", name="Ana Staff")
    make_user(Role.STAFF, email="ben@example.test", name="Ben Staff")
    ana, ben = AuthActions(app.test_client()), AuthActions(app.test_client())
    ana.login(Role.STAFF, email="ana@example.test")
    ben.login(Role.STAFF, email="ben@example.test")
    ana_form, ben_form = open_form(ana), open_form(ben)  # both open the profile at version 1
    assert (
        ana.client.post("/states/DEU/profile", data={**ana_form, **FIELDS, "the_ask": "Ana's ask"}).status_code == 302
    )
    response = ben.client.post("/states/DEU/profile", data={**ben_form, **FIELDS, "talking_points": "Ben's points"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "was changed meanwhile by Ana Staff" in page
    assert "Ben&#39;s points" in page or "Ben's points" in page  # what Ben typed is kept
    db.session.expire_all()
    germany = get_state("DEU")
    assert germany.the_ask == "Ana's ask" and germany.talking_points == ""  # Ana's edit survived
    # Ben saves again from the re-rendered form, knowingly, at the new version.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    retry = ben.client.post("/states/DEU/profile", data={**ben_form, **FIELDS, "version": version,
                                                        "the_ask": "Ana's ask", "talking_points": "Ben's points"})
    assert retry.status_code == 302
    db.session.expire_all()
    germany = get_state("DEU")
    assert germany.the_ask == "Ana's ask" and germany.talking_points == "Ben's points"
    assert germany.profile_updated_by.name == "Ben Staff"
