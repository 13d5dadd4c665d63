"""Secrets at rest: owner-only files, encrypted TOTP secrets, no secret in the cookie or the backup."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import time

import pyotp
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

import config
from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.services import accounts, backup, two_factor
from tests.conftest import PASSWORD, make_config, make_user
from tests.factories import as_actor


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_app_creates_the_sqlite_file_and_its_folder_owner_only(other_app, tmp_path):
    folder = tmp_path / "instance"
    app = other_app(make_config(f"sqlite:///{folder / 'suara.db'}"))
    with app.app_context():
        db.create_all()
        db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS t (x int)"))
        db.session.execute(sa.text("INSERT INTO t VALUES (1)"))
        db.session.commit()
        assert mode(folder) == 0o700 and mode(folder / "suara.db") == 0o600
        assert mode(folder / "suara.db-wal") == 0o600  # SQLite copies the database's mode
        db.session.remove()


def test_looser_files_are_reported_at_start(other_app, tmp_path, caplog):
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "suara.db").touch()
    (folder / "suara.db").chmod(0o644)
    with caplog.at_level(logging.WARNING):
        other_app(make_config(f"sqlite:///{folder / 'suara.db'}"))
    messages = [r.getMessage() for r in caplog.records]
    assert any("suara.db is open to other users (mode 644)" in m and "chmod 600" in m for m in messages)
    assert any(str(folder) + " is open to other users (mode 755)" in m for m in messages)


def test_development_keys_are_generated_owner_only(monkeypatch, tmp_path):
    folder = tmp_path / "fresh-instance"
    monkeypatch.setattr(config, "INSTANCE_DIR", folder)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SUARA_TOTP_KEY", raising=False)
    first = config.DevelopmentConfig()
    assert mode(folder) == 0o700 and mode(folder / "totp_key") == 0o600
    assert config.DevelopmentConfig().TOTP_KEYS == first.TOTP_KEYS and len(first.TOTP_KEYS) == 1


def test_production_refuses_to_start_without_a_totp_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.delenv("SUARA_TOTP_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="SUARA_TOTP_KEY is not set"):
        config.ProductionConfig()
    monkeypatch.setenv("SUARA_TOTP_KEY", "not-a-key")
    with pytest.raises(config.ConfigError, match="SUARA_TOTP_KEY must be one or more Fernet keys"):
        config.ProductionConfig()


def test_the_database_holds_no_plain_totp_secret(app):
    user = make_user(Role.ADMIN)
    secret = two_factor.secret_of(user)
    stored = db.session.execute(
        sa.text("SELECT totp_secret_encrypted FROM users WHERE id = :i"), {"i": user.id}
    ).scalar()
    assert secret not in stored and len(secret) == 32
    assert two_factor.cipher().decrypt(stored.encode()).decode() == secret


def test_rotation_decrypts_with_an_older_key(app):
    from cryptography.fernet import Fernet

    user = make_user(Role.ADMIN)
    secret = two_factor.secret_of(user)
    new_key = Fernet.generate_key().decode()
    two_factor.install_keys([new_key, config.TEST_TOTP_KEY])
    try:
        assert two_factor.secret_of(user) == secret
        two_factor.set_secret(user, secret)
        two_factor.install_keys([new_key])
        assert two_factor.secret_of(user) == secret  # re-encrypted with the new key
    finally:
        two_factor.install_keys(app.config["TOTP_KEYS"])


def test_the_pending_enrolment_secret_is_not_in_the_session_cookie(app, client, auth):
    user = auth.login(Role.STAFF)
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    cookie = client.get_cookie("session").value
    session = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert secret not in json.dumps(session) and "enrol_secret" not in session
    # The same secret is offered again (kept server-side, encrypted) and confirms the enrolment.
    assert secret in client.get("/account/two-factor").get_data(as_text=True)
    db.session.expire_all()
    assert secret not in (db.session.get(User, user.id).totp_pending_encrypted or "")
    auth.post("/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert two_factor.secret_of(user) == secret and user.totp_pending_encrypted is None


def test_recovery_codes_are_hashed_with_a_salt_each(app):
    user = make_user(Role.STAFF)
    codes = two_factor.new_recovery_codes(user)
    hashes = user.recovery_code_hashes
    assert all(h.startswith("$argon2id$") for h in hashes)
    salts = {h.split("$")[4] for h in hashes}
    assert len(salts) == len(codes)
    assert not any(c.replace("-", "") in str(hashes) for c in codes)
    assert two_factor.use_recovery_code(user, codes[3].upper())
    assert not two_factor.use_recovery_code(user, codes[3])
    assert len(user.recovery_code_hashes) == len(codes) - 1


def test_codes_migrated_from_unsalted_digests_still_work(app):
    user = make_user(Role.STAFF)
    code = "ab12-cd34-ef56"
    legacy = two_factor.legacy_digest("ab12cd34ef56")
    user.recovery_code_hashes = [two_factor.LEGACY_PREFIX + PasswordHasher().hash(legacy)]
    assert two_factor.use_recovery_code(user, code)
    assert user.recovery_code_hashes == []


def test_the_backup_holds_no_session_token_and_no_plain_secret(app):
    user = make_user(Role.ADMIN)
    token, secret = user.session_token, two_factor.secret_of(user)
    user.totp_pending_encrypted = two_factor.encrypt("PENDINGSECRET")
    db.session.commit()
    text = json.dumps(backup.export_all())
    row = next(r for r in backup.export_all()["tables"]["users"] if r["id"] == user.id)
    assert token not in text and secret not in text
    assert row["session_token"] is None and row["totp_pending_encrypted"] is None
    assert row["totp_secret_encrypted"] == user.totp_secret_encrypted


def test_an_imported_user_gets_a_fresh_session_token(app):
    user = make_user(Role.STAFF)
    old = user.session_token
    data = backup.export_all()
    rows = backup._rows(db.metadata.tables["users"], data["tables"]["users"])
    assert rows[0]["session_token"] and rows[0]["session_token"] != old


def test_an_enrolled_user_signs_in_after_the_secret_is_stored_encrypted(client, auth):
    user = accounts.create_user("enrolled@example.test", "E", Role.STAFF, PASSWORD, actor=as_actor(None))
    two_factor.set_secret(user, pyotp.random_base32())
    db.session.commit()
    auth.post("/login", {"email": user.email, "password": PASSWORD})
    code = pyotp.TOTP(two_factor.secret_of(user)).at(time.time())
    assert auth.post("/login/verify", {"code": code}).headers["Location"] == "/"
