"""Signing in and out, safe redirects, CSRF, passwords and the CLI for users."""

import pytest
import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.services import accounts
from tests.conftest import PASSWORD, csrf_token, make_user
from tests.factories import as_actor


def test_login_page_is_open_and_everything_else_sends_to_it(client):
    assert b"Sign in" in client.get("/login").data
    response = client.get("/states/KHM")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/states/KHM")


def test_login_with_wrong_password_says_so_and_signs_nobody_in(client, auth):
    make_user(Role.STAFF)
    response = auth.post("/login", {"email": "staff@example.test", "password": "not the password!"})
    assert response.status_code == 200
    assert "Unknown email or wrong password." in response.get_data(as_text=True)
    assert client.get("/states/").status_code == 302


def test_email_is_case_insensitive(auth):
    make_user(Role.STAFF, email="Keo.Staff@Example.test")
    response = auth.post("/login", {"email": "KEO.STAFF@example.TEST", "password": PASSWORD})
    assert response.status_code == 302
    with pytest.raises(Exception, match="already exists"):
        accounts.create_user("keo.staff@example.test", "Twin", Role.STAFF, PASSWORD, actor=as_actor(None))


@pytest.mark.parametrize("target,expected", [
    ("/states/KHM", "/states/KHM"),
    ("https://evil.example/", "/"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("http:/evil.example", "/"),
])
def test_next_redirect_stays_on_this_site(auth, target, expected):
    make_user(Role.STAFF)
    response = auth.post(f"/login?next={target}", {"email": "staff@example.test", "password": PASSWORD}, page="/login")
    assert response.headers["Location"] == expected


def test_logout_is_a_post_and_the_old_cookie_no_longer_works(client, auth):
    auth.login(Role.STAFF)
    assert client.get("/logout").status_code == 405
    stolen = client.get_cookie("session").value
    assert auth.logout().status_code == 302
    client.set_cookie("session", stolen)
    response = client.get("/states/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_form_posted_without_csrf_token_is_refused(client, auth):
    user = auth.login(Role.STAFF)
    response = client.post("/states/KHM/profile", data={"capital": "Nowhere", "priority": "high"})
    assert response.status_code == 400
    assert (
        "reload the page" in response.get_data(as_text=True).lower()
        or "csrf" in response.get_data(as_text=True).lower()
    )
    assert db.session.scalar(sa.text("select capital from states where iso3='KHM'")) == ""
    assert user.active


def test_change_own_password_ends_other_sessions(app, client, auth):
    auth.login(Role.STAFF)
    other = app.test_client()
    other_auth = type(auth)(other)
    other_auth.login(Role.STAFF)
    response = auth.post(
        "/account/password", {"current": PASSWORD, "new": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    assert response.status_code == 302
    assert client.get("/states/").status_code == 200  # this session goes on
    assert other.get("/states/").status_code == 302  # the other one is over
    assert accounts.authenticate("staff@example.test", "a brand new passphrase") is not None


def test_short_and_overlong_passwords_are_refused(auth):
    auth.login(Role.STAFF)
    for new in ("short", "x" * 129):
        response = auth.post("/account/password", {"current": PASSWORD, "new": new, "confirm": new})
        assert response.status_code == 200
        assert "Field must be between 12 and 128 characters long." in response.get_data(as_text=True)


def test_deactivated_user_is_signed_out(client, auth):
    user = auth.login(Role.STAFF)
    user.active = False
    db.session.commit()
    assert client.get("/states/").status_code == 302


def test_cli_creates_users_with_a_hidden_prompt(runner):
    result = runner.invoke(args=["users", "create", "--email", "envoy@x.test", "--name", "An envoy", "--role", "envoy"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "envoy@x.test"))
    assert user.role is Role.ENVOY and user.password_hash.startswith("$argon2id$")


def test_bootstrap_creates_one_admin_and_prints_password_once(runner):
    first = runner.invoke(args=["users", "bootstrap"])
    assert "password:" in first.output
    second = runner.invoke(args=["users", "bootstrap"])
    assert "password:" not in second.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    password = first.output.split("password: ")[1].split()[0]
    assert accounts.authenticate("admin@suara.local", password) is not None
    assert password not in db.session.scalar(sa.select(User.password_hash))


def test_admin_creates_user_changes_role_and_assigns_states(client, auth):
    auth.login(Role.ADMIN)
    response = auth.post("/admin/users", {"email": "new.envoy@example.org", "name": "A new envoy", "role": "envoy"})
    html = response.get_data(as_text=True)
    assert "shown only this once" in html
    user = accounts.find_user_by_email("new.envoy@example.org")
    response = auth.post(f"/admin/users/{user.id}", {"name": "A new envoy", "role": "envoy", "active": "y",
                                                     "assigned": ["KHM", "LAO", "VNM"]})
    assert response.status_code == 302
    db.session.refresh(user)
    assert [s.iso3 for s in user.assigned_states] == ["KHM", "LAO", "VNM"]


def test_csrf_token_from_another_session_is_refused(app, client, auth):
    auth.login(Role.STAFF)
    foreign = csrf_token(app.test_client(), "/login")
    response = client.post("/states/KHM/profile", data={"csrf_token": foreign, "capital": "X", "priority": "high"})
    assert response.status_code == 400
