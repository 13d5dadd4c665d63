"""Sessions: new at sign-in, ended by logout, password, role or activity changes, and time."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.domain.enums import Role
from app.extensions import db
from tests.conftest import PASSWORD, AuthActions, make_user


def signed_in(client) -> bool:
    return client.get("/states/").status_code == 200


def test_session_is_renewed_at_sign_in(client, auth):
    client.get("/login")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    auth.login(Role.STAFF)
    with client.session_transaction() as after:
        assert "planted" not in after and len(after["sid"]) > 10


def test_cookie_flags_and_no_remember_me(client, auth):
    make_user(Role.STAFF)
    response = auth.post("/login", {"email": "staff@example.test", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "remember_token" not in " ".join(response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("change", ["deactivate", "role"])
def test_admin_changes_end_the_users_sessions(app, client, auth, change):
    victim = auth.login(Role.STAFF)
    admin = AuthActions(app.test_client())
    admin.login(Role.ADMIN)
    data = {"name": victim.name, "role": "leadership" if change == "role" else "staff"}
    if change == "role":
        data["active"] = "y"
    admin.post(f"/admin/users/{victim.id}", data)
    assert not signed_in(client)


def test_replayed_cookie_after_password_change_fails(app, client, auth):
    auth.login(Role.STAFF)
    old_cookie = client.get_cookie("session").value
    auth.post(
        "/account/password",
        {"current": PASSWORD, "new": "another long passphrase", "confirm": "another long passphrase"},
    )
    thief = app.test_client()
    thief.set_cookie("session", old_cookie)
    assert not signed_in(thief)
    assert signed_in(client)


def test_idle_timeout(other_app):
    app = other_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    client = app.test_client()
    auth = AuthActions(client)
    with app.app_context():
        auth.login(Role.STAFF)
        assert signed_in(client)
        time.sleep(2.1)
        assert not signed_in(client)


def test_absolute_lifetime(client, auth):
    auth.login(Role.STAFF)
    with client.session_transaction() as session:
        session["login_at"] = int(time.time()) - 13 * 3600
    response = client.get("/states/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not signed_in(client)


def test_deactivated_user_cannot_sign_in(auth):
    user = make_user(Role.STAFF)
    user.active = False
    db.session.commit()
    response = auth.post("/login", {"email": "staff@example.test", "password": PASSWORD})
    assert "Unknown email or wrong password." in response.get_data(as_text=True)
