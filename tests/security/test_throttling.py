"""Brute force: per-account lock in the database, and a per-address limit."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import AuditEvent, LoginThrottle
from app.services import throttle
from tests.conftest import PASSWORD, AuthActions, make_user


def attempt(auth: AuthActions, email: str, password: str, address: str = "127.0.0.1"):
    return auth.post("/login", {"email": email, "password": password}, page="/login",
                     environ_base={"REMOTE_ADDR": address})


def test_a_stranger_elsewhere_cannot_lock_the_user_out(app, auth):
    make_user(Role.STAFF)
    for _ in range(10):
        attempt(auth, "staff@example.test", "wrong password!!", address="203.0.113.9")
    assert attempt(auth, "staff@example.test", PASSWORD, address="203.0.113.9").status_code == 429
    # The user, from their own address, still signs in.
    user_client = AuthActions(app.test_client())
    assert attempt(user_client, "staff@example.test", PASSWORD, address="198.51.100.7").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                             .where(AuditEvent.action == "login.account_locked")) == 0


def test_many_addresses_together_lock_the_account_and_admins_see_it(app, auth):
    make_user(Role.STAFF)
    for i in range(throttle.ACCOUNT_MAX_FAILURES):
        # Four tries from each address stay under the per-address limit.
        attempt(auth, "staff@example.test", "wrong password!!", address=f"203.0.113.{i // 4}")
    fresh = AuthActions(app.test_client())
    response = attempt(fresh, "staff@example.test", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account" in response.get_data(as_text=True)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login.account_locked")).all()
    assert len(events) == 1 and events[0].user_label == "staff@example.test"
    admin = AuthActions(app.test_client())
    admin.login(Role.ADMIN)
    page = admin.client.get("/admin/audit?action=login.account_locked").get_data(as_text=True)
    assert "login.account_locked" in page and "staff@example.test" in page


def test_wrong_current_passwords_are_throttled_on_the_password_page(client, auth):
    auth.login(Role.STAFF)
    form = {"current": "not my password!", "new": "a brand new passphrase", "confirm": "a brand new passphrase"}
    for _ in range(throttle.MAX_FAILURES):
        assert "The current password is not correct." in auth.post("/account/password", form).get_data(as_text=True)
    response = auth.post("/account/password", {**form, "current": PASSWORD})
    assert response.status_code == 429 and "Too many wrong passwords" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                             .where(AuditEvent.action == "user.password_change_failure")) == throttle.MAX_FAILURES


def test_sixth_attempt_is_refused_even_with_the_right_password(app, auth):
    make_user(Role.STAFF)
    make_user(Role.LEADERSHIP)
    for _ in range(5):
        assert attempt(auth, "staff@example.test", "wrong password!!").status_code == 200
    response = attempt(auth, "staff@example.test", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account" in response.get_data(as_text=True)
    # Another account from the same address is not blocked.
    assert attempt(auth, "leadership@example.test", PASSWORD).status_code == 302
    # The lock lives in the database: a second app (another worker) sees it.
    row = db.session.get(LoginThrottle, throttle.pair_key("staff@example.test", "127.0.0.1"))
    assert row.failures == 5 and row.locked_until is not None
    other = AuthActions(app.test_client())
    assert attempt(other, "staff@example.test", PASSWORD).status_code == 429


def test_unknown_accounts_are_throttled_alike(auth):
    for _ in range(5):
        attempt(auth, "nobody@example.test", "wrong password!!")
    assert attempt(auth, "nobody@example.test", "wrong password!!").status_code == 429


def test_failures_are_audited_without_the_password(auth):
    make_user(Role.STAFF)
    attempt(auth, "staff@example.test", "a secret attempt 123")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login.failure"))
    assert event.user_label == "staff@example.test" and event.address == "127.0.0.1"
    assert "a secret attempt" not in str(event.details)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("storage", ["memory://", "redis://127.0.0.1:6379/15"])
def test_per_address_limit(other_app, storage):
    from app.extensions import limiter

    if storage.startswith("redis") and not redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    app = other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=storage)
    limiter.reset()
    client = app.test_client()
    auth = AuthActions(client)
    try:
        with app.app_context():
            codes = [attempt(auth, f"someone{i}@example.test", "wrong password!!").status_code for i in range(4)]
            assert codes == [200, 200, 200, 429]
            assert "Too many attempts" in attempt(auth, "x@example.test", "wrong password!!").get_data(as_text=True)
    finally:
        # The limiter object is shared by every app in this process; switch it back off for the suite.
        limiter.reset()
        limiter.enabled = False


def test_password_hash_is_upgraded_at_sign_in(auth):
    from argon2 import PasswordHasher

    user = make_user(Role.STAFF)
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    db.session.commit()
    old = user.password_hash
    assert attempt(auth, "staff@example.test", PASSWORD).status_code == 302
    db.session.expire_all()
    assert user.password_hash != old and "m=65536" in user.password_hash
