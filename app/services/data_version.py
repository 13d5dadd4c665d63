"""The desk's data version, changed by every write in the writing transaction itself.

Any session that flushes new, changed or deleted rows, or runs an INSERT/UPDATE/DELETE statement,
gives the `data_version` row a fresh stamp just before it commits (a session event, so no write path
can forget it; a rolled-back write leaves the stamp alone). Figures derived from the data (the
dashboard body) are cached under the stamp, so the next request after any write recomputes them and
every worker agrees, since the stamp lives in the database.

The stamp is taken last in the transaction (after the final flush), so it holds the row lock only
for the commit itself and never waits while holding other rows' locks.

Rows that never change a figure are left out: audit events, sign-in throttles, tokens' last use and
calendar feeds, so downloads and sign-in attempts do not throw the cache away.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.models.version import DataVersion

# trend_snapshots: derived from the status history and written by dashboard views (trend_snapshots.py).
IGNORED_TABLES = frozenset({"audit_events", "login_throttles", "api_tokens", "calendar_feeds", "data_version",
                            "trend_snapshots"})
# Columns of a signed-in user that no figure shows: sign-in, sessions, two-factor, language (part of
# the cache key) and the campaign switcher's memory. Their name, role, activity and states count.
IGNORED_ATTRIBUTES = {"users": frozenset({
    "password_hash", "session_token", "last_login_at", "totp_secret_encrypted", "totp_pending_encrypted",
    "totp_last_step", "recovery_code_hashes", "must_change_password", "locale", "current_campaign_id",
})}
_FLAG = "data_changed"
_TABLE: sa.Table = DataVersion.__table__  # type: ignore[assignment]  # a mapped class's __table__ is a Table


def _counts(obj) -> bool:
    return getattr(obj, "__tablename__", None) not in IGNORED_TABLES


def _changed(session: Session, obj) -> bool:
    ignored = IGNORED_ATTRIBUTES.get(obj.__tablename__)
    if ignored is None:
        return session.is_modified(obj)
    return any(attr.history.has_changes() for attr in sa.inspect(obj).attrs if attr.key not in ignored)


def _before_flush(session: Session, _context, _instances) -> None:
    if session.info.get(_FLAG):
        return
    if any(_counts(o) for o in session.new) or any(_counts(o) for o in session.deleted) or any(
        _counts(o) and _changed(session, o) for o in session.dirty
    ):
        session.info[_FLAG] = True


def _statement_writes(statement) -> bool:
    if isinstance(statement, sa.TextClause):
        word = statement.text.lstrip().split(None, 1)[:1]
        return bool(word) and word[0].upper() in {"INSERT", "UPDATE", "DELETE", "REPLACE"}
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    return name not in IGNORED_TABLES


def _on_execute(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete or isinstance(state.statement, sa.TextClause)) \
            and _statement_writes(state.statement):
        state.session.info[_FLAG] = True


def _before_commit(session: Session) -> None:
    if session.new or session.deleted or session.dirty:
        session.flush()  # the last flush first, so the stamp is the transaction's last lock
    if session.info.pop(_FLAG, False):
        bump(session.connection())


def _after_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_FLAG, None)


def bump(connection: sa.Connection) -> None:
    """A fresh stamp, in the caller's transaction (inserting the row if it is missing)."""
    stamp = uuid.uuid4().hex
    done = connection.execute(
        sa.update(_TABLE).where(_TABLE.c.id == 1).values(stamp=stamp, bumps=_TABLE.c.bumps + 1)
    ).rowcount
    if not done:
        connection.execute(sa.insert(_TABLE).values(id=1, stamp=stamp, bumps=1))


def install(session_class: type[Session]) -> None:
    """Listen on every session of `session_class` (once)."""
    for name, fn in (("before_flush", _before_flush), ("do_orm_execute", _on_execute),
                     ("before_commit", _before_commit), ("after_transaction_end", _after_end)):
        if not event.contains(session_class, name, fn):
            event.listen(session_class, name, fn)


_CURRENT = sa.select(_TABLE.c.stamp).where(_TABLE.c.id == 1)  # built once: it runs on every dashboard view


def current(session: Session | so.scoped_session) -> str | None:
    """The committed stamp as this transaction sees it (one read by primary key), or None when unknown."""
    return session.execute(_CURRENT).scalar()


class FragmentCache:
    """Rendered fragments keyed by (data stamp, …): in-process per worker, and Redis when configured.

    Entries of an old stamp are never served again (the key changes); the in-process dict keeps the
    most recent `maxsize` and Redis entries expire after `ttl` seconds.
    """

    def __init__(self, maxsize: int = 64, ttl: int = 3600) -> None:
        self.maxsize, self.ttl = maxsize, ttl
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()
        self._redis: Any = None  # a redis.Redis once configured
        self._redis_url: str | None = None

    def configure(self, redis_url: str | None) -> None:
        """Use Redis at `redis_url` as a second level shared by the workers (None: in-process only)."""
        if redis_url == self._redis_url:
            return
        self._redis_url, self._redis = redis_url, None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: tuple, render: Callable[[], str]) -> str:
        """The cached fragment for `key`, rendered on a miss; a key starting with None is never cached."""
        if key[0] is None:
            return render()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        text = self._from_redis(key)
        if text is None:
            text = render()
            self._to_redis(key, text)
        with self._lock:
            self._items[key] = text
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return text

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def _redis_key(self, key: tuple) -> str:
        return "suara:fragment:" + ":".join(str(part) for part in key)

    def _from_redis(self, key: tuple) -> str | None:
        if self._redis is None:
            return None
        from redis.exceptions import RedisError

        try:
            raw = self._redis.get(self._redis_key(key))
        except RedisError:  # Redis is a shortcut only: without it, render
            return None
        return raw.decode() if raw is not None else None

    def _to_redis(self, key: tuple, text: str) -> None:
        if self._redis is None:
            return
        from redis.exceptions import RedisError

        with contextlib.suppress(RedisError):  # the next request renders again
            self._redis.set(self._redis_key(key), text.encode(), ex=self.ttl)


FRAGMENTS = FragmentCache()  # shared figures (per data version, campaign, language, role, day)
# Whole pages per viewer around those figures: in-process only (they name the viewer), a few hundred kB each.
PAGES = FragmentCache(maxsize=128)
