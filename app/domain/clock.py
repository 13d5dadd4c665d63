"""The desk's one clock: `now()` and `today()`, in UTC, for forms, services, models and file names.

The desk keeps every timestamp in UTC and reads "today" as the UTC date, so a date typed on a
form, a default on a model, a rule in a service and the name of a downloaded file agree, whatever
the server's or the reader's time zone (in Jakarta, UTC+7, the desk's day turns at 07:00).
Tests freeze it with `freeze(moment)` (the `frozen_clock` fixture); nothing here imports Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime


def _system() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system


def now() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return _source()


def today() -> date:
    """Today's date in UTC: the desk's day."""
    return now().date()


def freeze(moment: datetime | None) -> None:
    """Stop the clock at `moment` (aware, or naive meaning UTC); None starts it again."""
    global _source
    if moment is None:
        _source = _system
        return
    fixed = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    _source = lambda: fixed
