"""Configuration: strict parsing and a production start that refuses without a secret."""

import pytest

import config
from app import create_app


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY is not set"):
        create_app(config.ProductionConfig)


def test_production_starts_with_a_secret_key_and_secure_cookies(monkeypatch, other_app):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SUARA_TOTP_KEY", config.TEST_TOTP_KEY)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = other_app(config.ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("raw", ["ten", "1.5", "-3"])
def test_integer_settings_are_parsed_strictly(monkeypatch, raw):
    monkeypatch.setenv("SUARA_IDLE_TIMEOUT_MINUTES", raw)
    with pytest.raises(config.ConfigError, match="SUARA_IDLE_TIMEOUT_MINUTES"):
        config.DevelopmentConfig()


def test_boolean_settings_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(config.ConfigError):
        config.env_bool("FLAG", False)
    monkeypatch.setenv("FLAG", "yes")
    assert config.env_bool("FLAG", False) is True


def test_plain_postgres_url_uses_psycopg3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert config.database_url() == "postgresql+psycopg://u@h/db"


def test_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("SUARA_ENV", "staging")
    with pytest.raises(config.ConfigError, match="SUARA_ENV"):
        config.config_from_environment()


def test_development_secret_is_generated_once(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.DevelopmentConfig().SECRET_KEY
    assert len(first) == 64
    assert config.DevelopmentConfig().SECRET_KEY == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app, db_url):
    from app.extensions import db

    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas apply to SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_admins_need_two_factor_except_on_the_local_development_desk(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("SUARA_TOTP_KEY", config.TEST_TOTP_KEY)
    assert config.ProductionConfig().REQUIRE_2FA_ADMINS is True
    assert config.TestConfig().REQUIRE_2FA_ADMINS is True
    assert config.DevelopmentConfig().REQUIRE_2FA_ADMINS is False
    monkeypatch.setenv("SUARA_REQUIRE_2FA_ADMINS", "yes")
    assert config.DevelopmentConfig().REQUIRE_2FA_ADMINS is True
