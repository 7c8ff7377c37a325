"""A per-user sliding-window rate limit (pure, with an injectable clock).

Memory stays bounded by the users active within one window: a user's timestamps are dropped once
they are all older than the window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Protocol


class RateLimits(Protocol):
    """A rate limit: :class:`RateLimiter` (this process's memory) or
    :class:`bot.records.postgres.PostgresRateLimiter` (one limit across replicas)."""

    def acquire(self, key: Hashable) -> float:
        """Count an event for ``key`` and return 0, or the seconds to wait when it is over its limit."""


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds for each key."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window positive")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: dict[Hashable, deque[float]] = {}
        # The HTTP limit calls acquire from worker threads: one check-and-count at a time.
        self._lock = threading.Lock()

    def acquire(self, key: Hashable) -> float:
        """Count an event for ``key`` and return 0, or, when ``key`` is over its limit, count nothing
        and return the seconds until it may try again."""
        with self._lock:
            now = self._clock()
            self._forget(now)
            events = self._events.setdefault(key, deque())
            if len(events) >= self.limit:
                return max(events[0] + self.window - now, 0.001)
            events.append(now)
            return 0.0

    def _forget(self, now: float) -> None:
        horizon = now - self.window
        for key in list(self._events):
            events = self._events[key]
            while events and events[0] <= horizon:
                events.popleft()
            if not events:
                del self._events[key]
