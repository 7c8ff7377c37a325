"""A rate limit kept in an SQLite file, shared by the worker processes of one machine.

Between the in-memory :class:`~bot.records.rate_limit.RateLimiter` (one process) and
:class:`~bot.records.postgres.PostgresRateLimiter` (many machines): ``serve --workers N`` counts each
client once across its workers without a database server. Each check-and-count is one
``BEGIN IMMEDIATE`` transaction (SQLite's write lock), so two workers never both let the last event
through. The clock is wall time (processes share it).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Hashable
from contextlib import closing
from pathlib import Path

from bot.errors import CampaignBotError
from bot.records.feedback import prepare_database

_SCHEMA = "CREATE TABLE IF NOT EXISTS rate_event (key TEXT NOT NULL, at REAL NOT NULL)"
_INDEX = "CREATE INDEX IF NOT EXISTS rate_event_key_at ON rate_event (key, at)"


class SqliteRateLimiter:
    """At most ``limit`` events per ``window`` seconds for each key, counted in the file ``path``
    (:class:`bot.records.rate_limit.RateLimits`)."""

    def __init__(
        self,
        path: Path,
        limit: int,
        window: float = 60.0,
        *,
        scope: str = "http",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window positive")
        self.path = path
        self.limit = limit
        self.window = window
        self.scope = scope
        self._clock = clock
        prepare_database(path, _SCHEMA, "giới hạn tần suất")
        with closing(self._connect()) as connection:
            connection.execute(_INDEX)
            connection.commit()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: the transaction is begun by hand (BEGIN IMMEDIATE takes the write lock).
        return sqlite3.connect(self.path, timeout=5, isolation_level=None)

    def acquire(self, key: Hashable) -> float:
        name = f"{self.scope}:{key}"
        now = self._clock()
        try:
            with closing(self._connect()) as connection:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    # Every key's old events go, so the file stays bounded by the clients of one window.
                    connection.execute("DELETE FROM rate_event WHERE at <= ?", (now - self.window,))
                    count, oldest = connection.execute(
                        "SELECT count(*), min(at) FROM rate_event WHERE key = ?", (name,)
                    ).fetchone()
                    if count >= self.limit and oldest is not None:
                        connection.execute("COMMIT")
                        return max(float(oldest) + self.window - now, 0.001)
                    connection.execute("INSERT INTO rate_event (key, at) VALUES (?, ?)", (name, now))
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            raise CampaignBotError(f"Không dùng được tệp giới hạn tần suất {self.path}: {exc}") from exc
        return 0.0
