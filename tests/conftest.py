"""Fixtures: one schema per session, a clean seeded database per test, and an auth helper."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient

from app import create_app
from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.services import accounts, two_factor
from app.services.audit import Actor
from app.services.reference import seed_reference_data
from config import TestConfig

PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def database_url(tmp_dir) -> str:
    """TEST_DATABASE_URL (PostgreSQL in CI), else an SQLite file shared by threads."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'suara-test.db'}"


def make_config(url: str, **overrides) -> type[TestConfig]:
    """A TestConfig subclass bound to `url` with extra settings."""

    class Config(TestConfig):
        def __init__(self) -> None:
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = url
            for key, value in overrides.items():
                setattr(self, key, value)

    return Config


@pytest.fixture(scope="session")
def db_url(tmp_path_factory) -> str:
    return database_url(tmp_path_factory.mktemp("db"))


class IsolatedClient(FlaskClient):
    """A test client whose requests get their own app context, `g` and database session.

    Tests keep an app context pushed for setup and assertions; without this, Flask would
    reuse it for every request and share `g` (CSRF tokens) and the session between them.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # see what the request committed
        return response


@pytest.fixture(scope="session")
def app(db_url: str) -> Iterator[Flask]:
    application = create_app(make_config(db_url))
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.drop_all()
        db.create_all()  # tests only; the product builds its schema with migrations
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def wipe_and_seed() -> None:
    """Empty every table, then load the reference data and the default campaign."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
    seed_reference_data()
    db.session.commit()


@pytest.fixture(autouse=True)
def clean_db(app: Flask) -> Iterator[None]:
    with app.app_context():
        wipe_and_seed()
        # Counters of the per-address limits live in memory across tests; each test starts afresh.
        from app.extensions import limiter

        if getattr(limiter, "_storage", None) is not None:  # only once an app enabled it
            limiter.reset()
    ctx = app.app_context()
    ctx.push()
    yield
    db.session.remove()
    ctx.pop()


@pytest.fixture
def frozen_clock() -> Iterator:
    """Stop the desk's one clock (app.domain.clock) at a moment of the test's choosing; started again after."""
    from app.domain import clock

    yield clock.freeze
    clock.freeze(None)


@pytest.fixture
def other_app(db_url: str):
    """Build extra apps on the test database with other settings; their pools are closed after."""
    built: list[Flask] = []

    def build(config: type | None = None, **overrides) -> Flask:
        application = create_app(config or make_config(db_url, **overrides))
        application.test_client_class = IsolatedClient
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
    if built:
        # The limiter object is shared by every app in the process: an app built with
        # RATELIMIT_ENABLED=True would leave it on (and counting sign-ins) for the rest of the suite.
        from app.extensions import limiter

        limiter.reset()
        limiter.enabled = False


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def make_user(role: Role, email: str | None = None, name: str | None = None, states: list[str] = ()) -> User:
    """A committed user of `role` with the shared test password (admins enrolled in two-factor)."""
    user = accounts.create_user(email or f"{role.value}@example.test", name or f"Test {role.value}", role, PASSWORD,
                                actor=Actor(None, "127.0.0.1"))
    if role is Role.ADMIN:
        two_factor.set_secret(user, pyotp.random_base32())
    if states:
        accounts.set_assignments(user, list(states))
    db.session.commit()
    return user


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """The CSRF token a page hands out, as a browser would read it."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


class AuthActions:
    """Sign in as a user of a given role, and post forms with their token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.user: User | None = None

    def login(self, role: Role = Role.STAFF, states: list[str] = (), email: str | None = None) -> User:
        user = db.session.scalar(sa.select(User).where(User.email == (email or f"{role.value}@example.test")))
        self.user = user or make_user(role, email=email, states=states)
        response = self.post("/login", {"email": self.user.email, "password": PASSWORD}, page="/login")
        assert response.status_code == 302, response.get_data(as_text=True)
        if response.headers["Location"].startswith("/login/verify"):
            secret = two_factor.secret_of(self.user)
            response = self.post("/login/verify", {"code": pyotp.TOTP(secret).now()})
            assert response.status_code == 302, response.get_data(as_text=True)
        return self.user

    def logout(self):
        return self.post("/logout", {}, page="/states/")

    def post(self, url: str, data: dict, page: str | None = None, **kwargs):
        """POST `data` with the CSRF token taken from `page` (default: the URL itself)."""
        data = dict(data)
        data["csrf_token"] = csrf_token(self.client, page or url)
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
