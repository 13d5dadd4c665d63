"""Wiring used by the factory: extensions, blueprints, hooks, error pages and CLI."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import babel, csrf, db, limiter, login_manager, migrate

SQLITE_OPTIMIZE_SECONDS = 600  # how often a worker refreshes SQLite's planner statistics


def _sqlite_pragmas(app: Flask) -> None:
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection; statistics kept current.

    `PRAGMA optimize` (ANALYZE of the tables whose statistics are stale, bounded by `analysis_limit`)
    runs when a connection closes and, on a connection going back to the pool, at most every
    SQLITE_OPTIMIZE_SECONDS per worker: the last-contact and history look-ups pick their indexes from
    those statistics, and a desk that grew since its last ANALYZE would otherwise walk the history.
    """
    import time

    timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"]
    last = [time.monotonic()]

    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives power loss too
        cursor.execute("PRAGMA analysis_limit=1000")  # ANALYZE samples, so optimize stays quick
        cursor.close()

    def optimize(dbapi_connection) -> None:
        import sqlite3

        with contextlib.suppress(sqlite3.Error):  # statistics are an optimisation: a busy desk skips a turn
            dbapi_connection.execute("PRAGMA optimize")

    def on_checkin(dbapi_connection, _record) -> None:
        if dbapi_connection is not None and time.monotonic() - last[0] > SQLITE_OPTIMIZE_SECONDS:
            last[0] = time.monotonic()
            optimize(dbapi_connection)

    def on_close(dbapi_connection, _record) -> None:
        optimize(dbapi_connection)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", on_connect)
            sa.event.listen(db.engine, "checkin", on_checkin)
            sa.event.listen(db.engine, "close", on_close)


def _sqlite_file(app: Flask) -> Path | None:
    """The SQLite database file the app uses, or None (PostgreSQL, in-memory)."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None  # URI filenames: left to whoever wrote them
    return Path(url.database)


def secure_sqlite_file(app: Flask) -> None:
    """Create the SQLite file and its folder owner-only, and warn if existing ones are looser.

    SQLite gives the -wal and -shm files the permissions of the database file, so an owner-only
    database keeps its journal owner-only too. The database holds pledges, password hashes and
    session tokens, so nobody else on the machine should read it.
    """
    path = _sqlite_file(app)
    if path is None:
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    for item in (path.parent, path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if item.exists() and stat.S_IMODE(item.stat().st_mode) & 0o077:
            app.logger.warning(
                "%s is open to other users (mode %o); the database holds secrets: chmod %s %s",
                item, stat.S_IMODE(item.stat().st_mode), "700" if item.is_dir() else "600", item,
            )


def init_extensions(app: Flask) -> None:
    secure_sqlite_file(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    from app.services import two_factor

    two_factor.install_keys(app.config["TOTP_KEYS"])  # services get their settings, never current_app
    from app.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    _sqlite_pragmas(app)
    from flask_sqlalchemy.session import Session

    from app.services import data_version

    data_version.install(Session)  # every write changes the data version in its own transaction
    from app.services import trend_snapshots

    trend_snapshots.install(Session)  # after data_version: back-dated writes delete stale snapshots last
    data_version.FRAGMENTS.configure(app.config.get("REDIS_URL"))
    if app.config.get("BEHIND_PROXY"):
        hops = app.config["BEHIND_PROXY"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]  # Flask's way to wrap it

    from app.auth.session import load_user
    from app.auth.tokens import ApiWithoutSession, load_user_from_token

    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_token)  # bearer tokens, on /api only
    app.session_interface = ApiWithoutSession()


def register_blueprints(app: Flask) -> None:
    from app.params import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any rule uses it
    from app import (
        admin,
        auth,
        briefs,
        campaigns,
        contacts,
        dashboard,
        developer,
        followups,
        imports,
        main,
        outreach,
        requests,
        states,
    )

    for area in (main, auth, dashboard, states, outreach, followups, contacts, requests, briefs, campaigns, admin,
                 developer, imports):
        app.register_blueprint(area.bp)

    from app.api import init_api

    init_api(app)


def register_hooks(app: Flask) -> None:
    from app.auth.access import enforce_default_deny
    from app.auth.session import enforce_session_rules
    from app.campaign_context import add_campaign_to_urls
    from app.params import refuse_files
    from app.web import (
        day_filter,
        decimal_filter,
        inject_template_globals,
        percent_filter,
        set_security_headers,
        signed_filter,
    )

    app.before_request(refuse_files)
    app.before_request(enforce_session_rules)
    app.before_request(enforce_default_deny)
    app.after_request(set_security_headers)
    app.context_processor(inject_template_globals)
    app.add_template_filter(day_filter, "day")
    app.add_template_filter(decimal_filter, "decimal")
    app.add_template_filter(signed_filter, "signed")
    app.add_template_filter(percent_filter, "percent")
    app.url_defaults(add_campaign_to_urls)


def register_error_handlers(app: Flask) -> None:
    from werkzeug.exceptions import HTTPException, InternalServerError

    from app.api.problems import from_http_error
    from app.auth.tokens import is_api_request

    def handler(code: int):
        def render(error):
            if code == 500:
                db.session.rollback()
            if code == 403:
                _record_refusal()
            if is_api_request():  # the API answers problem details, never a page
                return from_http_error(error if isinstance(error, HTTPException) else InternalServerError())
            return render_template(f"errors/{code}.html"), code

        return render

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handler(code))

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        return from_http_error(error) if is_api_request() else error

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        from flask_babel import gettext

        return render_template("errors/400.html", reason=gettext(error.description)), 400


def _record_refusal() -> None:
    """Refused access goes to the audit trail (its own commit: the request did nothing else)."""
    from flask import request

    from app.auth.actor import current_actor
    from app.services import audit

    db.session.rollback()
    audit.access_denied(current_actor(), "route", request.path[:60], method=request.method)
    db.session.commit()


def register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
