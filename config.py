"""Settings read from the environment with strict parsing; one class per way of running."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import ClassVar, overload

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SUARA_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    """A string setting; empty counts as unset."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """An integer setting; anything but digits is an error, not a silent default."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting: 1/0, true/false, yes/no, on/off."""
    raw = env_str(name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """A setting that must be one of `choices`."""
    value = env_str(name, default)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def database_url() -> str:
    """DATABASE_URL, or an SQLite file under instance/."""
    url = env_str("DATABASE_URL")
    if url is None:
        return f"sqlite:///{INSTANCE_DIR / 'suara.db'}"
    if url.startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver we ship; the bare scheme would ask for psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _instance_dir() -> Path:
    """instance/, created owner-only: it holds the database, keys and exports."""
    INSTANCE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    return INSTANCE_DIR


def _generated_file(name: str, make) -> str:
    """A secret generated once into instance/<name>, written owner-only from the first byte."""
    key_file = _instance_dir() / name
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return key_file.read_text().strip()


def development_secret_key() -> str:
    """A key generated once into instance/ so sessions survive restarts in development."""
    return _generated_file("secret_key", lambda: secrets.token_hex(32))


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def development_totp_key() -> str:
    """A Fernet key generated once into instance/ for two-factor secrets in development."""
    return _generated_file("totp_key", _new_fernet_key)


def totp_keys(raw: str | None) -> list[str]:
    """SUARA_TOTP_KEY: one Fernet key, or several separated by commas (the first encrypts; all decrypt)."""
    import base64
    import binascii

    keys = [k.strip() for k in (raw or "").split(",") if k.strip()]
    for key in keys:
        try:
            valid = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            valid = False
        if not valid:
            raise ConfigError(
                "SUARA_TOTP_KEY must be one or more Fernet keys separated by commas (generate one with "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
            )
    return keys


class BaseConfig:
    """Settings shared by every way of running."""

    ENV_NAME = "base"
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token instead
    BABEL_DEFAULT_LOCALE = "en"  # the source language of every message
    BABEL_TRANSLATION_DIRECTORIES = "translations"  # app/translations (relative to the package)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    API_TITLE = "Suara API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"

    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = database_url()
        self.SECRET_KEY = env_str("SECRET_KEY")
        # Keys that encrypt two-factor secrets at rest; the first encrypts, every one decrypts (rotation).
        self.TOTP_KEYS = totp_keys(env_str("SUARA_TOTP_KEY"))
        self.CLASSIFICATION = env_str("SUARA_CLASSIFICATION", "CONFIDENTIAL")
        # The language of new accounts and of pages when the browser asks for none we offer.
        self.DEFAULT_LOCALE = env_choice("SUARA_DEFAULT_LOCALE", "en", ("en", "id"))
        self.SQLITE_BUSY_TIMEOUT_MS = env_int("SUARA_SQLITE_BUSY_TIMEOUT_MS", 15000)
        self.IDLE_TIMEOUT_MINUTES = env_int("SUARA_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
        self.SESSION_MAX_HOURS = env_int("SUARA_SESSION_MAX_HOURS", 12, minimum=1)
        self.PERMANENT_SESSION_LIFETIME = timedelta(minutes=self.IDLE_TIMEOUT_MINUTES)
        self.BEHIND_PROXY = env_int("SUARA_PROXY_HOPS", 0)
        self.LOGIN_LOCK_MINUTES = env_int("SUARA_LOGIN_LOCK_MINUTES", 5, minimum=1)
        self.REQUIRE_2FA_ALL = env_bool("SUARA_REQUIRE_2FA_ALL", False)
        # Admins must use two-factor sign-in wherever the desk is deployed; the local
        # development desk (`make run`) lets a newcomer in without an authenticator app.
        self.REQUIRE_2FA_ADMINS = env_bool("SUARA_REQUIRE_2FA_ADMINS", self.ENV_NAME != "development")
        # Per-address limit on sign-in attempts; Redis (redis://…) shares it between workers.
        self.RATELIMIT_STORAGE_URI = env_str("SUARA_RATELIMIT_STORAGE_URI", "memory://")
        self.LOGIN_RATE_LIMIT = env_str("SUARA_LOGIN_RATE_LIMIT", "30 per minute")
        self.RATELIMIT_ENABLED = env_bool("SUARA_RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True
        # Per personal access token, across the whole API.
        self.API_RATE_LIMIT = env_str("SUARA_API_RATE_LIMIT", "300 per minute")
        # Shares rendered dashboard figures between workers and machines (redis://…); optional:
        # each worker also keeps its own, keyed by the data version in the database.
        self.REDIS_URL = env_str("REDIS_URL")


class DevelopmentConfig(BaseConfig):
    """Local use: SQLite by default and a generated secret key."""

    ENV_NAME = "development"

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or development_secret_key()
        self.TOTP_KEYS = self.TOTP_KEYS or [development_totp_key()]


class ProductionConfig(BaseConfig):
    """Deployment: refuses to start without a secret key; secure cookies."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            raise ConfigError(
                "SECRET_KEY is not set. Production refuses to start without it: "
                "set SECRET_KEY to a long random value (e.g. python -c "
                "'import secrets; print(secrets.token_hex(32))')."
            )
        if len(self.SECRET_KEY) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long in production.")
        if not self.TOTP_KEYS:
            raise ConfigError(
                "SUARA_TOTP_KEY is not set. Production refuses to start without it: it encrypts the "
                "two-factor secrets. Generate one with python -c 'from cryptography.fernet import "
                "Fernet; print(Fernet.generate_key().decode())'."
            )


TEST_TOTP_KEY = "dGVzdC10b3RwLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="  # base64 of 32 known bytes; tests only


class TestConfig(BaseConfig):
    """The test suite: TEST_DATABASE_URL or a throwaway SQLite file set by the fixtures."""

    ENV_NAME = "test"
    TESTING = True
    __test__ = False  # not a pytest test class
    # Concurrency tests hold twenty connections at once.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True, "pool_size": 25, "max_overflow": 10}

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "test-secret-key-not-for-production-use-000000"
        self.TOTP_KEYS = self.TOTP_KEYS or [TEST_TOTP_KEY]
        self.SQLALCHEMY_DATABASE_URI = env_str("TEST_DATABASE_URL", "sqlite://")
        self.RATELIMIT_ENABLED = False  # the suite signs in hundreds of times from 127.0.0.1


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_environment() -> type[BaseConfig]:
    """The config class SUARA_ENV names (development by default)."""
    name = env_str("SUARA_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"SUARA_ENV must be one of {', '.join(CONFIGS)}, got {name!r}") from None
