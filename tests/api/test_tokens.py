"""Personal access tokens: shown once, stored hashed, bearer only, revocable, scoped, limited, audited."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from app.domain.enums import Role, TokenScope
from app.extensions import db
from app.models import ApiToken, AuditEvent
from app.services.tokens import digest
from tests.api.helpers import bearer, token_for
from tests.conftest import make_user

TOKEN_RE = re.compile(r'<code id="new-token"[^>]*>(suara_[A-Za-z0-9_-]+)</code>')


def _create_on_page(auth, name="Analysts' notebook", scope="read", days="30"):
    return auth.post("/account/tokens", {"name": name, "scope": scope, "days": days})


def test_token_is_shown_once_and_stored_as_a_digest(auth, client):
    user = auth.login(Role.STAFF)
    page = _create_on_page(auth, name="<b>notebook</b>").get_data(as_text=True)
    secret = TOKEN_RE.search(page).group(1)
    assert "&lt;b&gt;notebook&lt;/b&gt;" in page and "<b>notebook</b>" not in page
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.token_hash == digest(secret) and secret not in (token.token_hash, token.prefix)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in listing and token.prefix in listing and "never" in listing
    response = client.get("/api/v1/states/KHM", headers=bearer(secret))
    assert response.status_code == 200 and response.json["name"] == "Cambodia"
    assert secret not in str(db.session.scalars(sa.select(AuditEvent.details)).all())
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "never" not in listing  # last used is recorded


def test_a_session_cookie_alone_gets_401_and_no_cookie_is_set(auth, client):
    auth.login(Role.ADMIN)
    response = client.get("/api/v1/states")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401 and "Bearer" in response.json["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers
    assert b"<html" not in response.data.lower()


def test_bearer_only_no_token_in_the_url_or_other_schemes(client):
    secret = token_for(make_user(Role.STAFF))
    assert client.get(f"/api/v1/states?access_token={secret}").status_code == 401
    assert client.get("/api/v1/states", headers={"Authorization": f"Token {secret}"}).status_code == 401
    assert client.get("/api/v1/states", headers=bearer(secret + "x")).status_code == 401
    assert client.get("/api/v1/states", headers=bearer(secret)).status_code == 200


def test_tokens_do_not_open_web_pages_or_admin_endpoints(client):
    secret = token_for(make_user(Role.ADMIN), TokenScope.WRITE)
    for url in ("/admin/users", "/admin/tokens", "/states/KHM", "/dashboard/"):
        response = client.get(url, headers=bearer(secret))
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_revoked_expired_and_inactive_tokens_are_refused(auth, client):
    staff = make_user(Role.STAFF)
    secret = token_for(staff)
    token = db.session.scalar(sa.select(ApiToken))
    assert client.get("/api/v1/campaigns", headers=bearer(secret)).status_code == 200
    auth.login(Role.STAFF)
    auth.post(f"/account/tokens/{token.id}/revoke", {}, page="/account/tokens")
    assert client.get("/api/v1/campaigns", headers=bearer(secret)).status_code == 401
    assert "revoked" in client.get("/account/tokens").get_data(as_text=True)
    old = token_for(staff, name="old")
    db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "old")).expires_at -= timedelta(days=31)
    db.session.commit()
    assert client.get("/api/v1/campaigns", headers=bearer(old)).status_code == 401
    live = token_for(staff, name="live")
    staff.active = False
    db.session.commit()
    assert client.get("/api/v1/campaigns", headers=bearer(live)).status_code == 401


def test_admins_see_and_revoke_every_token_others_cannot(auth, client):
    envoy = make_user(Role.ENVOY, states=["KHM"], name="Envoy Ana")
    secret = token_for(envoy, name="calendar sync")
    token = db.session.scalar(sa.select(ApiToken))
    auth.login(Role.STAFF)
    assert auth.post(f"/account/tokens/{token.id}/revoke", {}, page="/account/tokens").status_code == 404
    assert client.get("/admin/tokens").status_code == 403
    auth.logout()
    auth.login(Role.ADMIN)
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert "Envoy Ana" in page and "calendar sync" in page and secret not in page
    auth.post(f"/account/tokens/{token.id}/revoke", {}, page="/admin/tokens")
    assert client.get("/api/v1/states/KHM", headers=bearer(secret)).status_code == 401
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "token.revoke")) is not None


def test_read_tokens_cannot_write_and_leadership_gets_no_write_token(auth, client):
    staff = make_user(Role.STAFF)
    response = client.post("/api/v1/contacts", json={"state": "KHM", "name": "Keo"}, headers=bearer(token_for(staff)))
    assert response.status_code == 403 and response.json["detail"] == "This token is read-only."
    auth.login(Role.LEADERSHIP)
    page = _create_on_page(auth, scope="write")
    assert page.status_code == 400 and "read-only token" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1  # the staff one only


def test_token_acts_with_its_users_role(client):
    envoy_write = token_for(make_user(Role.ENVOY, states=["KHM"]), TokenScope.WRITE)
    assert client.get("/api/v1/stages/1/tally", headers=bearer(envoy_write)).status_code == 403
    leadership = token_for(make_user(Role.LEADERSHIP))
    assert client.post("/api/v1/contacts", json={"state": "KHM", "name": "Keo"},
                       headers=bearer(leadership)).status_code == 403


def test_rate_limit_is_per_token(other_app):
    app = other_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    with app.app_context():
        first, second = token_for(make_user(Role.STAFF)), token_for(make_user(Role.LEADERSHIP))
    client = app.test_client()
    codes = [client.get("/api/v1/campaigns", headers=bearer(first)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/campaigns", headers=bearer(first))
    assert limited.mimetype == "application/problem+json" and "Too many requests" in limited.json["detail"]
    assert client.get("/api/v1/campaigns", headers=bearer(second)).status_code == 200


def test_api_writes_are_audited_with_the_token(client):
    secret = token_for(make_user(Role.STAFF), TokenScope.WRITE, name="importer")
    before = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    response = client.post("/api/v1/contacts", json={"state": "KHM", "name": "Keo Remy"}, headers=bearer(secret))
    assert response.status_code == 201
    events = {e.action: e for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.id > before))}
    # One event for the one change, naming the token that made it (no second "api.write" row).
    assert list(events) == ["contact.create"]
    assert events["contact.create"].details["after"]["name"] == "Keo Remy"
    assert events["contact.create"].details["token_name"] == "importer"
    assert secret not in str([e.details for e in events.values()])
