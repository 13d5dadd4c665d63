"""Passwords that are new and hard to guess, emails checked in the CLI, CSV cells, two headers."""

from __future__ import annotations

import pytest

from app.dashboard.csv_export import neutralise
from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.services import ServiceError, accounts
from tests.conftest import PASSWORD
from tests.factories import as_actor


def change(auth, current: str, new: str):
    return auth.post("/account/password", {"current": current, "new": new, "confirm": new})


def test_the_new_password_must_differ_from_the_current_one(auth):
    auth.login(Role.STAFF)
    page = change(auth, PASSWORD, PASSWORD).get_data(as_text=True)
    assert "The new password must differ from the current one." in page


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234", "qwertyuiopasdf", "123456789012", "staffstaff12"])
def test_common_or_trivial_passwords_are_refused_with_advice(auth, weak):
    auth.login(Role.STAFF)
    page = change(auth, PASSWORD, weak).get_data(as_text=True)
    assert "This password is too easy to guess." in page
    with pytest.raises(ServiceError, match="too easy to guess"):
        accounts.create_user("new@example.test", "New", Role.STAFF, weak, actor=as_actor(None))


def test_a_strong_new_password_is_accepted(client, auth):
    user = auth.login(Role.STAFF)
    assert change(auth, PASSWORD, "plum orchard lantern 1987 quietly").status_code == 302
    db.session.expire_all()
    assert accounts.verify_password(db.session.get(User, user.id), "plum orchard lantern 1987 quietly")


def test_the_cli_validates_emails(runner):
    result = runner.invoke(args=["users", "create", "--email", "notanemail", "--name", "X", "--role", "staff",
                                 "--password", PASSWORD])
    assert result.exit_code != 0 and "Not a valid email address" in result.output
    result = runner.invoke(args=["users", "create", "--email", "New.Person@suara.local", "--name", "X",
                                 "--role", "staff", "--password", PASSWORD])
    assert result.exit_code == 0 and "new.person@suara.local" in result.output, (result.output, result.exception)


@pytest.mark.parametrize("cell", [" =1+1", "\n=1+1", "  @SUM(A1)", "＝1+1", "＋1", "－1", "＠x", "\u00a0=1", "\t=1"])
def test_formula_triggers_after_white_space_or_in_full_width_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell


def test_ordinary_cells_are_left_alone():
    assert neutralise("Cambodia") == "Cambodia" and neutralise(" Lao PDR") == " Lao PDR" and neutralise(3) == "3"


def test_permissions_policy_and_opener_policy_on_every_response(client):
    for url in ("/login", "/static/css/suara.css"):
        response = client.get(url)
        headers = dict(response.headers)
        response.close()  # static files are streamed from an open file
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
