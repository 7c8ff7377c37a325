"""Which store keeps the shared state: the embedded SQLite file and process memory by default,
PostgreSQL when a database URL is given (many replicas). Callers get the protocols of
:mod:`bot.records` and never know which one they hold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.records.feedback import FeedbackRecords, FeedbackStore
from bot.records.jobs import JobRecords, MemoryJobRecords
from bot.records.localities import ChatSettings, LocalityRecords
from bot.records.rate_limit import RateLimiter, RateLimits


@dataclass(frozen=True)
class Records:
    """The stores of one running service."""

    feedback: FeedbackRecords
    localities: LocalityRecords
    jobs: JobRecords
    database_url: str | None = None

    def rate_limits(self, limit: int, window: float = 60.0, *, scope: str = "telegram") -> RateLimits:
        """A rate limit of ``limit`` events per ``window`` seconds, shared by replicas under PostgreSQL."""
        if self.database_url:
            from bot.records.postgres import PostgresDatabase, PostgresRateLimiter

            return PostgresRateLimiter(PostgresDatabase(self.database_url), limit, window, scope=scope)
        return RateLimiter(limit, window)


def job_records(database_url: str | None = None) -> JobRecords:
    """Where the admin API's jobs are kept: PostgreSQL at ``database_url`` when set, else memory."""
    if database_url:
        from bot.records.postgres import PostgresDatabase, PostgresJobRecords

        return PostgresJobRecords(PostgresDatabase(database_url))
    return MemoryJobRecords()


def open_records(sqlite_path: Path, database_url: str | None = None) -> Records:
    """The stores in PostgreSQL at ``database_url`` when set, else in ``sqlite_path`` and memory.

    ``CampaignBotError`` when the database cannot be reached or the file cannot be opened.
    """
    if database_url:
        from bot.records.postgres import (
            PostgresChatSettings,
            PostgresDatabase,
            PostgresFeedbackStore,
            PostgresJobRecords,
        )

        database = PostgresDatabase(database_url)
        return Records(
            PostgresFeedbackStore(database), PostgresChatSettings(database), PostgresJobRecords(database), database_url
        )
    return Records(FeedbackStore(sqlite_path), ChatSettings(sqlite_path), MemoryJobRecords())


def shared_rate_limits(
    limit: int,
    window: float = 60.0,
    *,
    scope: str,
    database_url: str | None = None,
    sqlite_path: Path | None = None,
) -> RateLimits:
    """A rate limit shared as widely as the deployment allows: PostgreSQL at ``database_url`` (every
    replica), else the SQLite file ``sqlite_path`` (every worker process of this machine), else this
    process's memory. ``CampaignBotError`` when the database or the file cannot be used."""
    if database_url:
        from bot.records.postgres import PostgresDatabase, PostgresRateLimiter

        return PostgresRateLimiter(PostgresDatabase(database_url), limit, window, scope=scope)
    if sqlite_path is not None:
        from bot.records.sqlite_rate_limit import SqliteRateLimiter

        return SqliteRateLimiter(sqlite_path, limit, window, scope=scope)
    return RateLimiter(limit, window)
