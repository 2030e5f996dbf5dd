"""A per-key bound on events in a sliding minute: the changes one workspace link may make.

Kept in the memory of each worker process: with ``--workers N`` a link may make up to N
times the bound, which still bounds it.  The count of keys is bounded by the links the store
may hold, and a key's entries older than the window are dropped whenever it is used.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimit"]


class RateLimit:
    """At most ``per_window`` events per key in any ``window`` seconds."""

    def __init__(
        self,
        per_window: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_window = per_window
        self.window = window
        self.clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, count: int = 1) -> int | None:
        """Record ``count`` events for ``key`` and return ``None``; or, if that would pass the
        bound, record nothing and return the whole seconds to wait."""
        now = self.clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) + count > self.per_window:
                if count > self.per_window or not events:
                    return math.ceil(self.window)
                # The wait until enough of the oldest events leave the window.
                index = min(len(events) + count - self.per_window, len(events)) - 1
                return max(1, math.ceil(events[index] + self.window - now))
            events.extend([now] * count)
            return None
