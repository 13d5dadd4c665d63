"""Two-factor sign-in: required for admins, enrolment by QR code, no code reuse, recovery codes."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.services import accounts, two_factor
from tests.conftest import PASSWORD, AuthActions
from tests.factories import as_actor


def test_admin_must_enrol_then_signs_in_with_a_code(client, auth):
    accounts.create_user("new.admin@example.org", "A new admin", Role.ADMIN, PASSWORD, actor=as_actor(None))
    db.session.commit()
    auth.post("/login", {"email": "new.admin@example.org", "password": PASSWORD})
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # QR drawn by the app itself
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = auth.post("/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</li>", response.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/admin/users").status_code == 200
    user = db.session.scalar(sa.select(User).where(User.email == "new.admin@example.org"))
    assert codes[0] not in str(user.recovery_code_hashes)


def test_a_code_cannot_be_used_twice_and_recovery_codes_work_once(app, client, auth):
    admin = auth.login(Role.ADMIN)
    auth.logout()
    code = pyotp.TOTP(two_factor.secret_of(admin)).now()  # already used by auth.login in this time step
    auth.post("/login", {"email": admin.email, "password": PASSWORD})
    response = auth.post("/login/verify", {"code": code})
    assert "That code is not valid (each code works once)." in response.get_data(as_text=True)

    user = db.session.get(User, admin.id)
    recovery = two_factor.new_recovery_codes(user)
    db.session.commit()
    assert auth.post("/login/verify", {"code": recovery[0]}).status_code == 302
    other = AuthActions(app.test_client())
    other.post("/login", {"email": admin.email, "password": PASSWORD})
    assert other.post("/login/verify", {"code": recovery[0]}).status_code == 200  # spent


def test_password_alone_does_not_sign_in_an_enrolled_user(client, auth):
    admin = auth.login(Role.ADMIN)
    auth.logout()
    auth.post("/login", {"email": admin.email, "password": PASSWORD})
    assert client.get("/states/").status_code == 302


def test_two_factor_is_optional_for_staff_and_can_be_turned_off(client, auth):
    user = auth.login(Role.STAFF)
    assert client.get("/states/").status_code == 200
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    auth.post("/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    db.session.expire_all()
    assert db.session.get(User, user.id).has_two_factor
    later = pyotp.TOTP(secret).at(time.time() + 30)
    auth.post("/account/two-factor", {"password": PASSWORD, "code": later})
    db.session.expire_all()
    assert not db.session.get(User, user.id).has_two_factor


def test_every_role_must_enrol_when_the_setting_says_so(app, client, auth):
    app.config["REQUIRE_2FA_ALL"] = True
    try:
        auth.login(Role.STAFF)
        assert client.get("/states/").headers["Location"] == "/account/two-factor"
    finally:
        app.config["REQUIRE_2FA_ALL"] = False
