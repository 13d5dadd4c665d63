"""Each campaign's replayed statuses at the end of past days (`trend_snapshots`), so the dashboard's trend
and signals read a few rows and a few days of changes instead of the whole history.

A snapshot of day D holds, for every state, what the one rule for "current" gives from the changes
effective on or before D (latest day, ties to the later record), and each state's latest change and
latest capital- and mission-level statuses; electorates and weights are applied when the trend is
counted, so one snapshot serves them all. It stays right until a change effective on or before D is
recorded, edited or deleted, and every such write deletes the snapshots from its day on, in its own
transaction (session events, as `data_version` does: no write path can forget them). Only days before
the trend's last point are stored and ordinary writes are effective today, so they delete nothing.

Missing days are replayed from the latest snapshot before them (the first time, from each state's
latest change before them: one window query over the history) and stored by the request that needed
them, as every day of that span, so the next day needs one more day only. Storing does not change the
data version (`data_version.IGNORED_TABLES`). Two workers may store the same day (ON CONFLICT DO
NOTHING). A snapshot replayed from a history that a concurrent back-dated write has since changed
must not outlive that write: after inserting, the transaction reads the data version again and drops
its rows if any write committed since it began reading (on SQLite the insert holds the write lock, so
every other write has committed; on PostgreSQL a share lock on the data-version row, which every
writer updates just before deleting stale snapshots and committing, orders the two transactions).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain.enums import SupportStatus
from app.extensions import db
from app.models import Campaign, State, StatusChange
from app.models.trend import TrendSnapshot
from app.models.version import DataVersion
from app.services import data_version

_TABLE = cast(sa.Table, TrendSnapshot.__table__)  # a mapped class's __table__ is a Table
_STALE = "trend_snapshots_stale"  # session.info: {campaign id (None: every campaign): earliest day changed}
_EVERY_DAY = date.min


def code(status: SupportStatus, conditional: bool) -> str:
    """A status as stored in a snapshot: its value, "+" for a conditional pledge."""
    return status.value + ("+" if conditional and status.is_pledge else "")


@dataclasses.dataclass
class Replay:
    """The status history replayed up to some day: each state's status code and signals."""

    statuses: dict[str, str]
    signals: dict[str, list[Any]]  # iso3 -> [latest change's day (ISO), capital status, mission status]

    def apply(self, iso3: str, day: date, status: SupportStatus, conditional: bool, level) -> None:
        """The next change in the order of the one rule for "current"."""
        self.statuses[iso3] = code(status, conditional)
        _, capital, mission = self.signals.get(iso3) or (None, None, None)
        if level is not None and level.is_capital:
            capital = status.value
        elif level is not None and level.is_mission:
            mission = status.value
        self.signals[iso3] = [day.isoformat(), capital, mission]

    def copy(self) -> Replay:
        """A copy that later changes leave alone (`apply` replaces signal lists, never edits them)."""
        return Replay(dict(self.statuses), dict(self.signals))


@dataclasses.dataclass(frozen=True)
class History:
    """The statuses at the end of each day asked for, and the signals over every recorded change."""

    days: list[date]
    statuses: dict[date, dict[str, str]]
    signals: dict[str, list[Any]]


def latest_changes(campaign: Campaign, *, before: date | None = None, by_level: bool = False):
    """Each state's latest status change (before a day, or per source level), in one query.

    The window function does the "latest" on the database (SQLite >= 3.25 and PostgreSQL), so a
    few hundred rows come back whatever the history's length; the order is the one rule for current.
    """
    partition = (StatusChange.state_id, StatusChange.source_level) if by_level else (StatusChange.state_id,)
    query = sa.select(
        StatusChange.state_id, StatusChange.id, StatusChange.effective_on, StatusChange.to_status,
        StatusChange.conditional, StatusChange.source_level,
        sa.func.row_number().over(partition_by=partition,
                                  order_by=(StatusChange.effective_on.desc(), StatusChange.id.desc())).label("rank"),
    ).where(StatusChange.campaign_id == campaign.id)
    if before is not None:
        query = query.where(StatusChange.effective_on < before)
    ranked = query.subquery()
    return db.session.execute(
        sa.select(State.iso3, ranked.c.effective_on, ranked.c.to_status, ranked.c.conditional, ranked.c.source_level,
                  ranked.c.id)
        .join(State, State.id == ranked.c.state_id).where(ranked.c.rank == 1)
        .order_by(ranked.c.effective_on, ranked.c.id)
    ).all()


def history(campaign: Campaign, days: Iterable[date]) -> History:
    """Statuses at the end of each of `days` (the trend's points), and the signals of every change.

    Reads the stored snapshots of those days but the last and of the last one's eve, replays and
    stores the missing ones, then replays the changes after the eve (those up to the last day count
    for its statuses; every one, later days too, for the signals), exactly as a replay of the whole
    history would.
    """
    days = sorted(set(days))
    last = days[-1]
    db.session.flush()
    _delete_stale(db.session())  # this transaction's own back-dated writes, before reading
    stamp = data_version.current(db.session)  # before the history: `_store` checks nothing committed since
    eve = last - timedelta(days=1)
    wanted = sorted({d for d in days if d < last} | {eve})
    found: dict[date, dict[str, str]] = {}
    replay = None
    for day, statuses, signals in db.session.execute(
        sa.select(_TABLE.c.day, _TABLE.c.statuses, sa.case((_TABLE.c.day == eve, _TABLE.c.signals)))
        .where(_TABLE.c.campaign_id == campaign.id, _TABLE.c.day.in_(wanted))
    ):
        found[day] = statuses
        if day == eve:
            replay = Replay(dict(statuses), dict(signals))
    missing = [d for d in wanted if d not in found]
    if missing:
        filled = _fill(campaign, missing[0], missing[-1], stamp)
        found.update((d, filled[d].statuses) for d in missing)
        replay = filled[eve].copy() if eve in filled else replay
    assert replay is not None  # the eve is wanted: found or filled
    at_last = None
    for iso3, day, status, conditional, level in _changes(campaign.id, eve):
        if day > last and at_last is None:
            at_last = dict(replay.statuses)
        replay.apply(iso3, day, status, conditional, level)
    found[last] = replay.statuses if at_last is None else at_last
    return History(days, found, replay.signals)


def _changes(campaign_id: int, after: date, upto: date | None = None):
    """The campaign's changes effective after a day (up to another), in the order of the one rule."""
    query = (
        sa.select(State.iso3, StatusChange.effective_on, StatusChange.to_status, StatusChange.conditional,
                  StatusChange.source_level)
        .join(State, State.id == StatusChange.state_id)
        .where(StatusChange.campaign_id == campaign_id, StatusChange.effective_on > after)
    )
    if upto is not None:
        query = query.where(StatusChange.effective_on <= upto)
    return db.session.execute(query.order_by(StatusChange.effective_on, StatusChange.id)).all()


def _fill(campaign: Campaign, first: date, last: date, stamp: str | None) -> dict[date, Replay]:
    """Replay every day from `first` to `last` from the latest snapshot before them, and store them."""
    base = db.session.execute(
        sa.select(_TABLE.c.day, _TABLE.c.statuses, _TABLE.c.signals)
        .where(_TABLE.c.campaign_id == campaign.id, _TABLE.c.day < first)
        .order_by(_TABLE.c.day.desc()).limit(1)
    ).first()
    if base is not None:
        since, replay = base.day, Replay(dict(base.statuses), dict(base.signals))
    else:  # nothing stored before: each state's latest change (per level, for the signals) before `first`
        since, replay = first - timedelta(days=1), Replay({}, {})
        for iso3, day, status, conditional, level, _ in latest_changes(campaign, before=first, by_level=True):
            replay.apply(iso3, day, status, conditional, level)
    changes = _changes(campaign.id, since, last)
    filled: dict[date, Replay] = {}
    i = 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        while i < len(changes) and changes[i].effective_on <= day:
            replay.apply(*changes[i])
            i += 1
        filled[day] = replay.copy()
    _store(campaign.id, filled, stamp)
    return filled


def _store(campaign_id: int, filled: dict[date, Replay], stamp: str | None) -> None:
    """Insert the replayed days, then keep them only if no write has committed since `stamp` was read."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Writers update this row just before deleting stale snapshots: wait for one that is
        # committing, or make the next one wait until these rows are committed and visible to it.
        session.execute(sa.select(DataVersion.id).where(DataVersion.id == 1).with_for_update(read=True))
        insert: Any = postgresql.insert(_TABLE)
    else:
        insert = sqlite.insert(_TABLE)
    session.execute(insert.on_conflict_do_nothing(), [
        {"campaign_id": campaign_id, "day": day, "statuses": r.statuses, "signals": r.signals}
        for day, r in filled.items()
    ])
    # After the insert: on SQLite it holds the write lock, so every other write has committed; on
    # PostgreSQL the share lock above has waited for any that was committing.
    if data_version.current(session) != stamp:  # the history may have moved under the replay: next time
        session.execute(sa.delete(_TABLE).where(_TABLE.c.campaign_id == campaign_id,
                                                _TABLE.c.day.between(min(filled), max(filled))))


# Session events: every write of a status change deletes the snapshots it makes stale.

def _note(session: Session, campaign_id: int | None, day: date | None) -> None:
    stale = session.info.setdefault(_STALE, {})
    if campaign_id is None or day is None:
        stale[None] = _EVERY_DAY
    else:
        stale[campaign_id] = min(day, stale.get(campaign_id, day))


def _values(obj, key: str) -> list:
    found = sa.inspect(obj).attrs[key].history
    return [*found.added, *found.unchanged, *found.deleted]


def _before_flush(session: Session, _context, _instances) -> None:
    for obj in [*session.new, *session.deleted]:
        if isinstance(obj, StatusChange):
            _note(session, obj.campaign_id, obj.effective_on)
        elif isinstance(obj, State) and obj in session.deleted:
            _note(session, None, None)  # its changes go with it (a database cascade)
    for obj in session.dirty:
        if isinstance(obj, StatusChange) and session.is_modified(obj):
            days = [d for d in _values(obj, "effective_on") if d is not None]
            for campaign_id in _values(obj, "campaign_id"):
                _note(session, campaign_id, min(days) if days else None)
        elif isinstance(obj, State) and sa.inspect(obj).attrs["iso3"].history.has_changes():
            _note(session, None, None)  # snapshots name states by code


def _on_execute(orm_state) -> None:
    statement = orm_state.statement
    if isinstance(statement, sa.TextClause):
        hit = "status_changes" in statement.text.lower()
    else:
        name = getattr(getattr(statement, "table", None), "name", None)
        # Bulk statements say nothing cheap about their days: every snapshot goes.
        hit = (name == "status_changes" and (orm_state.is_insert or orm_state.is_update or orm_state.is_delete)) \
            or (name == "states" and orm_state.is_delete)
    if hit:
        _note(orm_state.session, None, None)


def _delete_stale(session: Session) -> None:
    for campaign_id, day in (session.info.get(_STALE) or {}).items():
        query = sa.delete(_TABLE)
        if campaign_id is not None:
            query = query.where(_TABLE.c.campaign_id == campaign_id, _TABLE.c.day >= day)
        session.execute(query)


def _before_commit(session: Session) -> None:
    # After data_version's own before_commit (installed first): its last flush has been noted here,
    # and on PostgreSQL its row lock is held, which orders this delete after any concurrent insert.
    _delete_stale(session)


def _after_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_STALE, None)


def install(session_class: type[Session]) -> None:
    """Listen on every session of `session_class` (once), after `data_version.install`."""
    for name, fn in (("before_flush", _before_flush), ("do_orm_execute", _on_execute),
                     ("before_commit", _before_commit), ("after_transaction_end", _after_end)):
        if not event.contains(session_class, name, fn):
            event.listen(session_class, name, fn)
