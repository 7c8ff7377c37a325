"""Feedback on answers (👍/👎 in Telegram), stored in SQLite with the question and the answer.

One short-lived connection per call, so the store can be used from worker threads. A user's second
vote on the same answer replaces the first.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from bot.errors import CampaignBotError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    answer_key TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    status TEXT NOT NULL,
    locality TEXT,
    snapshot TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (answer_key, user_id)
)
"""


@dataclass(frozen=True)
class Feedback:
    """One vote: ``vote`` is 1 (helpful) or -1 (not helpful); ``answer_key`` identifies the answer
    within its chat."""

    answer_key: str
    chat_id: int
    user_id: int
    vote: int
    question: str
    answer: str
    status: str
    locality: str | None
    snapshot: str
    created_at: str = ""


class FeedbackRecords(Protocol):
    """Where votes are kept: :class:`FeedbackStore` (SQLite, embedded) or
    :class:`bot.records.postgres.PostgresFeedbackStore` (shared by replicas)."""

    def record(self, feedback: Feedback) -> None:
        """Store ``feedback`` (replacing the same user's earlier vote on the same answer)."""

    def all(self) -> list[Feedback]:
        """Every stored vote, oldest first."""


def created_now(feedback: Feedback) -> str:
    """``feedback.created_at`` or, when unset, now (UTC, ISO seconds); ``ValueError`` for a bad vote."""
    if feedback.vote not in (-1, 1):
        raise ValueError("vote must be 1 or -1")
    return feedback.created_at or datetime.now(UTC).isoformat(timespec="seconds")


def upsert_feedback_sql(placeholder: str) -> str:
    """The statement storing one vote (the same user's earlier vote on the same answer replaced), with
    the parameter ``placeholder`` of the driver ("?" for sqlite3, "%s" for psycopg)."""
    marks = ", ".join([placeholder] * 10)
    return (
        "INSERT INTO feedback (answer_key, chat_id, user_id, vote, question, answer, status, locality,"
        f" snapshot, created_at) VALUES ({marks})"
        " ON CONFLICT (answer_key, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at"
    )


def feedback_values(feedback: Feedback, created: str) -> tuple[object, ...]:
    """The parameters of :func:`upsert_feedback_sql` for ``feedback`` stored at ``created``."""
    return (
        feedback.answer_key,
        feedback.chat_id,
        feedback.user_id,
        feedback.vote,
        feedback.question,
        feedback.answer,
        feedback.status,
        feedback.locality,
        feedback.snapshot,
        created,
    )


def connect(path: Path) -> sqlite3.Connection:
    """A short-lived connection to the bot's SQLite file (waits up to 5 s for another writer)."""
    return sqlite3.connect(path, timeout=5)


def prepare_database(path: Path, schema: str, what: str) -> None:
    """Create the folder of ``path`` and the table of ``schema``; ``CampaignBotError`` naming ``what``
    (the data it holds) when the file cannot be opened."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(connect(path)) as connection, connection:
            connection.execute(schema)
    except (OSError, sqlite3.Error) as exc:
        raise CampaignBotError(f"Không mở được cơ sở dữ liệu {what} {path}: {exc}") from exc


class FeedbackStore:
    """Feedback in the SQLite file ``path`` (created with its folder on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        prepare_database(path, _SCHEMA, "góp ý")

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def record(self, feedback: Feedback) -> None:
        """Store ``feedback`` (replacing the same user's earlier vote on the same answer)."""
        created = created_now(feedback)
        with closing(self._connect()) as connection, connection:
            connection.execute(upsert_feedback_sql("?"), feedback_values(feedback, created))

    def all(self) -> list[Feedback]:
        """Every stored vote, oldest first."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT answer_key, chat_id, user_id, vote, question, answer, status, locality, snapshot, created_at"
                " FROM feedback ORDER BY id"
            ).fetchall()
        return [Feedback(*row) for row in rows]
