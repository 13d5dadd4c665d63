"""The wrong-code lock of two-factor sign-in holds across password rounds."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import AuditEvent, LoginThrottle
from app.services import throttle, two_factor
from tests.conftest import PASSWORD, AuthActions, make_user


def wrong_code(secret: str) -> str:
    """A six-digit code that matches no step near now."""
    totp = pyotp.TOTP(secret)
    near = {totp.at(time.time() + d) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in near)


def password_round(auth: AuthActions, email: str):
    return auth.post("/login", {"email": email, "password": PASSWORD}, page="/login")


def test_wrong_codes_add_up_across_password_rounds(client, auth):
    admin = make_user(Role.ADMIN)
    bad = wrong_code(two_factor.secret_of(admin))
    # Rounds of correct password + two wrong codes: the count does not restart at each round.
    for _ in range(2):
        assert password_round(auth, admin.email).status_code == 302
        for _ in range(2):
            assert "That code is not valid" in auth.post("/login/verify", {"code": bad}).get_data(as_text=True)
    assert password_round(auth, admin.email).status_code == 302
    response = auth.post("/login/verify", {"code": bad})  # the fifth wrong code
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Too many wrong codes" in client.get("/login").get_data(as_text=True)
    response = password_round(auth, admin.email)
    assert response.status_code == 429
    assert "Too many wrong codes for this account" in response.get_data(as_text=True)
    row = db.session.get(LoginThrottle, throttle.code_key(admin.id))
    assert row.failures == 5 and row.locked_until is not None


def test_locked_second_factor_refuses_even_the_right_code(app, client, auth):
    admin = make_user(Role.ADMIN)
    bad = wrong_code(two_factor.secret_of(admin))
    # A second browser got past the password before the lock.
    other = AuthActions(app.test_client())
    assert password_round(other, admin.email).status_code == 302
    code_page = other.client.get("/login/verify").get_data(as_text=True)
    password_round(auth, admin.email)
    for _ in range(4):
        assert "That code is not valid" in auth.post("/login/verify", {"code": bad}).get_data(as_text=True)
    response = auth.post("/login/verify", {"code": bad})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    # The right password, or the right code in the other browser: refused while the lock lasts.
    assert password_round(auth, admin.email).status_code == 429
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', code_page).group(1)
    response = other.client.post("/login/verify", data={"code": pyotp.TOTP(two_factor.secret_of(admin)).now(),
                                                         "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert other.client.get("/admin/users").status_code == 302  # not signed in
    assert "Too many wrong codes" in other.client.get("/login").get_data(as_text=True)
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "login.2fa_locked")
    ) == 2


def test_the_lock_is_only_cleared_by_a_successful_second_factor(client, auth):
    admin = make_user(Role.ADMIN)
    bad = wrong_code(two_factor.secret_of(admin))
    password_round(auth, admin.email)
    for _ in range(3):
        auth.post("/login/verify", {"code": bad})
    # A correct password alone keeps the count.
    password_round(auth, admin.email)
    assert db.session.get(LoginThrottle, throttle.code_key(admin.id)).failures == 3
    response = auth.post("/login/verify", {"code": pyotp.TOTP(two_factor.secret_of(admin)).now()})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(LoginThrottle, throttle.code_key(admin.id)) is None


def test_each_wrong_code_after_the_lock_doubles_it(app):
    make_user(Role.STAFF)
    now = throttle.utcnow()
    for _ in range(throttle.MAX_CODE_FAILURES):
        throttle.record_code_failure(7, timedelta(minutes=5), now=now)
    assert throttle.code_locked_until(7, now=now) == now + timedelta(minutes=5)
    later = now + timedelta(minutes=6)
    assert throttle.code_locked_until(7, now=later) is None
    assert throttle.record_code_failure(7, timedelta(minutes=5), now=later)
    assert throttle.code_locked_until(7, now=later) == later + timedelta(minutes=10)
    for _ in range(30):
        throttle.record_code_failure(7, timedelta(minutes=5), now=later)
    assert throttle.code_locked_until(7, now=later) == later + throttle.MAX_CODE_LOCK
