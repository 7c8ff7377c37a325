"""Shared state in PostgreSQL, for many replicas of the API and the bot: the only home of psycopg.

Used when ``CAMPAIGN_BOT_DATABASE_URL`` is set (see :func:`bot.records.backend.open_records`);
otherwise the embedded SQLite files and this process's memory keep the same data. Each class here
implements the protocol of its SQLite/memory sibling with the same behaviour (the tests run one
suite against both). One short-lived connection per call, like the SQLite stores: usable from
worker threads, nothing to close; tables are created on first use.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from bot.errors import CampaignBotError
from bot.records.feedback import Feedback, created_now, feedback_values, upsert_feedback_sql
from bot.records.jobs import KEPT_JOBS

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS feedback (
        id BIGSERIAL PRIMARY KEY,
        answer_key TEXT NOT NULL,
        chat_id BIGINT NOT NULL,
        user_id BIGINT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        status TEXT NOT NULL,
        locality TEXT,
        snapshot TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (answer_key, user_id)
    )""",
    "CREATE TABLE IF NOT EXISTS chat_locality (chat_id BIGINT PRIMARY KEY, locality TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS rate_event (
        key TEXT NOT NULL,
        at DOUBLE PRECISION NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS rate_event_key_at ON rate_event (key, at)",
    """CREATE TABLE IF NOT EXISTS admin_job (
        seq BIGSERIAL,
        job_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        state JSONB NOT NULL
    )""",
)


class PostgresDatabase:
    """A PostgreSQL database given by its URL (``postgresql://user:pass@host:5432/name``)."""

    def __init__(self, url: str, *, connect_timeout: int = 5) -> None:
        self.url = url
        self._timeout = connect_timeout
        with self.transaction() as connection:
            # Replicas starting together: one creates the tables, the others wait for it.
            connection.execute("SELECT pg_advisory_xact_lock(7216001)")
            for statement in _SCHEMA:
                connection.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection inside one transaction (committed on success); ``CampaignBotError`` when unreachable."""
        try:
            with psycopg.connect(self.url, connect_timeout=self._timeout) as connection:
                yield connection
        except psycopg.Error as exc:
            raise CampaignBotError(f"Không dùng được cơ sở dữ liệu PostgreSQL: {exc}") from exc


class PostgresFeedbackStore:
    """Votes in PostgreSQL (:class:`bot.records.feedback.FeedbackRecords`)."""

    def __init__(self, database: PostgresDatabase) -> None:
        self.database = database

    def record(self, feedback: Feedback) -> None:
        created = created_now(feedback)
        with self.database.transaction() as connection:
            connection.execute(upsert_feedback_sql("%s"), feedback_values(feedback, created))

    def all(self) -> list[Feedback]:
        with self.database.transaction() as connection:
            rows = connection.execute(
                "SELECT answer_key, chat_id, user_id, vote, question, answer, status, locality, snapshot, created_at"
                " FROM feedback ORDER BY id"
            ).fetchall()
        return [Feedback(*row) for row in rows]


class PostgresChatSettings:
    """Chosen localities in PostgreSQL (:class:`bot.records.localities.LocalityRecords`)."""

    def __init__(self, database: PostgresDatabase) -> None:
        self.database = database

    def locality(self, chat_id: int) -> str | None:
        with self.database.transaction() as connection:
            row = connection.execute("SELECT locality FROM chat_locality WHERE chat_id = %s", (chat_id,)).fetchone()
        return str(row[0]) if row else None

    def set_locality(self, chat_id: int, locality: str | None) -> None:
        with self.database.transaction() as connection:
            if locality is None:
                connection.execute("DELETE FROM chat_locality WHERE chat_id = %s", (chat_id,))
            else:
                connection.execute(
                    "INSERT INTO chat_locality (chat_id, locality) VALUES (%s, %s)"
                    " ON CONFLICT (chat_id) DO UPDATE SET locality = excluded.locality",
                    (chat_id, locality),
                )


class PostgresRateLimiter:
    """At most ``limit`` events per ``window`` seconds for each key, counted across every replica
    (:class:`bot.records.rate_limit.RateLimits`). The clock is wall time (replicas share it, give or
    take NTP); each key's check-and-count runs under a transaction-scoped advisory lock on the key."""

    def __init__(
        self,
        database: PostgresDatabase,
        limit: int,
        window: float = 60.0,
        *,
        scope: str = "telegram",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window positive")
        self.database = database
        self.limit = limit
        self.window = window
        self.scope = scope
        self._clock = clock

    def acquire(self, key: Hashable) -> float:
        name = f"{self.scope}:{key}"
        now = self._clock()
        with self.database.transaction() as connection:
            connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (name,))
            connection.execute("DELETE FROM rate_event WHERE key = %s AND at <= %s", (name, now - self.window))
            row = connection.execute("SELECT count(*), min(at) FROM rate_event WHERE key = %s", (name,)).fetchone()
            count, oldest = (int(row[0]), row[1]) if row else (0, None)
            if count >= self.limit and oldest is not None:
                return max(float(oldest) + self.window - now, 0.001)
            connection.execute("INSERT INTO rate_event (key, at) VALUES (%s, %s)", (name, now))
        return 0.0


class PostgresJobRecords:
    """The admin API's reindex jobs in PostgreSQL (:class:`bot.records.jobs.JobRecords`)."""

    def __init__(self, database: PostgresDatabase, kept: int = KEPT_JOBS) -> None:
        self.database = database
        self._kept = kept

    def save(self, job_id: str, status: str, state: dict[str, Any]) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                "INSERT INTO admin_job (job_id, status, state) VALUES (%s, %s, %s)"
                " ON CONFLICT (job_id) DO UPDATE SET status = excluded.status, state = excluded.state",
                (job_id, status, json.dumps(state, ensure_ascii=False)),
            )
            connection.execute(
                "DELETE FROM admin_job WHERE seq NOT IN (SELECT seq FROM admin_job ORDER BY seq DESC LIMIT %s)",
                (self._kept,),
            )

    def load(self, job_id: str) -> dict[str, Any] | None:
        with self.database.transaction() as connection:
            row = connection.execute("SELECT state FROM admin_job WHERE job_id = %s", (job_id,)).fetchone()
        return dict(row[0]) if row else None

    def with_status(self, statuses: tuple[str, ...]) -> list[str]:
        with self.database.transaction() as connection:
            rows = connection.execute(
                "SELECT job_id FROM admin_job WHERE status = ANY(%s) ORDER BY seq", (list(statuses),)
            ).fetchall()
        return [str(row[0]) for row in rows]
