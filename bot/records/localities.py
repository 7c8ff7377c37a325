"""Per-chat settings of the Telegram bot (the locality chosen with /diaban), kept in SQLite so a
restart does not forget them. One short-lived connection per call, usable from worker threads."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Protocol

from bot.records.feedback import connect, prepare_database

_SCHEMA = "CREATE TABLE IF NOT EXISTS chat_locality (chat_id INTEGER PRIMARY KEY, locality TEXT NOT NULL)"


class LocalityRecords(Protocol):
    """Where chosen localities are kept: :class:`ChatSettings` (SQLite, embedded) or
    :class:`bot.records.postgres.PostgresChatSettings` (shared by replicas)."""

    def locality(self, chat_id: int) -> str | None:
        """The locality chosen in ``chat_id``, or ``None``."""

    def set_locality(self, chat_id: int, locality: str | None) -> None:
        """Remember ``locality`` for ``chat_id`` (``None`` forgets it)."""


class ChatSettings:
    """The chosen locality of each chat, in the SQLite file ``path`` (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        prepare_database(path, _SCHEMA, "thiết lập trò chuyện")

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def locality(self, chat_id: int) -> str | None:
        """The locality chosen in ``chat_id``, or ``None``."""
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT locality FROM chat_locality WHERE chat_id = ?", (chat_id,)).fetchone()
        return str(row[0]) if row else None

    def set_locality(self, chat_id: int, locality: str | None) -> None:
        """Remember ``locality`` for ``chat_id`` (``None`` forgets it)."""
        with closing(self._connect()) as connection, connection:
            if locality is None:
                connection.execute("DELETE FROM chat_locality WHERE chat_id = ?", (chat_id,))
            else:
                connection.execute(
                    "INSERT INTO chat_locality (chat_id, locality) VALUES (?, ?)"
                    " ON CONFLICT (chat_id) DO UPDATE SET locality = excluded.locality",
                    (chat_id, locality),
                )
