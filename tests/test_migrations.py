"""Migrations: empty → head, no drift from the models, downgrade → upgrade."""

from __future__ import annotations

import contextvars
import json
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import Migrate

from app import create_app
from app.extensions import db
from app.models import User
from tests.conftest import make_config


@pytest.fixture
def scratch_url(db_url: str, tmp_path) -> Iterator[str]:
    """A database nobody else uses: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in db_url else "?"
    yield f"{db_url}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def migration_app(url: str) -> Flask:
    return create_app(make_config(url))


def alembic_config(app: Flask):
    migrate: Migrate = app.extensions["migrate"].migrate
    return migrate.get_config()


def test_upgrade_from_empty_matches_models_and_downgrades(scratch_url):
    app = migration_app(scratch_url)
    with app.app_context():
        config = alembic_config(app)
        command.upgrade(config, "head")
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            drift = compare_metadata(context, db.metadata)
        assert drift == []
        command.downgrade(config, "base")
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        command.upgrade(config, "head")
        with db.engine.connect() as conn:
            assert "positions" in sa.inspect(conn).get_table_names()
        db.engine.dispose()


def test_make_run_steps_are_idempotent(scratch_url):
    """upgrade, seed, bootstrap and demo twice: every record kept, nothing doubled."""
    app = migration_app(scratch_url)
    runner = app.test_cli_runner()
    counts = []
    for _ in range(2):
        for args in (["db", "upgrade"], ["seed"], ["users", "bootstrap"], ["demo", "--if-empty"]):
            # A fresh context, so the CLI pushes this app's context rather than the suite's.
            result = contextvars.Context().run(runner.invoke, args=args)
            assert result.exit_code == 0, (args, result.output, result.exception)
        with app.app_context():
            counts.append([db.session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
                           for t in ("states", "memberships", "campaigns", "positions", "users", "outreach_entries",
                                     "status_changes", "follow_ups", "reciprocal_requests", "contacts")])
            db.session.remove()
    assert counts[0] == counts[1]
    assert counts[0][:3] == [195, 61, 2] and counts[0][5] >= 4
    with app.app_context():
        db.engine.dispose()


def test_secrets_at_rest_migration_converts_existing_data(scratch_url):
    """7c3e9a41d2b8 encrypts plain TOTP secrets and salts SHA-256 recovery digests; downgrade decrypts."""
    import hashlib

    from app.services import two_factor

    app = migration_app(scratch_url)
    with app.app_context():
        config = alembic_config(app)
        command.upgrade(config, "502990dd6637")
        secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        digests = [hashlib.sha256(c.encode()).hexdigest() for c in ("ab12cd34ef56", "0011aabbccdd")]
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (email, name, role, active, password_hash, session_token, created_at, "
                    "totp_secret, recovery_code_hashes) VALUES ('old@example.test', 'Old', 'admin', true, 'x', 't', "
                    ":now, :secret, :codes)"
                ),
                {"now": "2026-01-01 00:00:00", "secret": secret, "codes": json.dumps(digests)},
            )
        command.upgrade(config, "7c3e9a41d2b8")
        with db.engine.connect() as conn:
            stored, codes = conn.execute(sa.text(
                "SELECT totp_secret_encrypted, recovery_code_hashes FROM users")).one()
            columns = {c["name"] for c in sa.inspect(conn).get_columns("users")}
        assert "totp_secret" not in columns and secret not in stored
        assert two_factor.decrypt(stored) == secret
        codes = json.loads(codes) if isinstance(codes, str) else codes
        assert all(c.startswith("sha256:$argon2id$") for c in codes) and not set(digests) & set(codes)
        command.upgrade(config, "head")  # the models describe the head schema
        user = db.session.scalar(sa.select(User))
        assert two_factor.secret_of(user) == secret
        assert two_factor.use_recovery_code(user, "ab12-cd34-ef56")
        db.session.rollback()
        db.session.remove()
        command.downgrade(config, "502990dd6637")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT totp_secret FROM users")).scalar() == secret
        db.engine.dispose()
