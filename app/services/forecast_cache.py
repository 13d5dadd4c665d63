"""In-memory cache of ballot analyses, so a page view does not re-simulate unchanged data."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from app.domain.forecast_math import Analysis, Ballot, analyse, cache_key


class ForecastCache:
    """The last few analyses in memory, so a page view does not re-simulate unchanged data."""

    def __init__(self, maxsize: int = 32) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, Analysis] = OrderedDict()
        self._lock = threading.Lock()

    def analyse(self, ballot: Ballot, version: Hashable = ()) -> Analysis:
        """The cached analysis of `ballot`, computed on a miss."""
        key = cache_key(ballot, version)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        # Computed outside the lock: a miss must not hold up hits on other stages meanwhile.
        result = analyse(ballot)
        with self._lock:
            self._items[key] = result
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return result

    def clear(self) -> None:
        """Forget every entry (tests, or after a bulk import)."""
        with self._lock:
            self._items.clear()
