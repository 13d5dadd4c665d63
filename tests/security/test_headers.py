"""Security headers on every response, and safe redirects."""

from __future__ import annotations

import pytest

from app.domain.enums import Role
from tests.conftest import PASSWORD, make_user

OPEN_REDIRECTS = [
    "https://evil.example", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "http:evil.example", "https:/evil.example", "javascript:alert(1)", "data:text/html,x", " //evil.example",
    "/%09/evil.example", "/\t/evil.example", "%2F%2Fevil.example", "\r\nLocation: https://evil.example", "",
]


def test_pages_carry_the_headers(client, auth):
    auth.login(Role.STAFF)
    for url in ["/login", "/states/", "/states/KHM", "/states/KHM/brief.pdf", "/dashboard/tally.csv", "/nope"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store", url
        assert "Strict-Transport-Security" not in response.headers  # development serves plain HTTP


def test_templates_have_no_inline_script(client, auth):
    auth.login(Role.ADMIN)
    for url in ["/states/KHM", "/dashboard/", "/packs", "/admin/users", "/states/KHM/outreach/new"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " onclick=" not in html and " onload=" not in html and " style=" not in html


def test_production_adds_hsts(monkeypatch, db_url, other_app):
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    from config import TEST_TOTP_KEY, ProductionConfig

    monkeypatch.setenv("SUARA_TOTP_KEY", TEST_TOTP_KEY)

    class Config(ProductionConfig):
        def __init__(self) -> None:
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = db_url
            self.RATELIMIT_ENABLED = False

    response = other_app(Config).test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_open_redirect_payloads_land_at_home(auth, target):
    make_user(Role.STAFF)
    response = auth.client.post(
        "/login",
        query_string={"next": target},
        data={
            "email": "staff@example.test",
            "password": PASSWORD,
            "csrf_token": __import__("tests.conftest", fromlist=["x"]).csrf_token(auth.client),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/", target
