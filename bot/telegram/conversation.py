"""Per-chat state of the bot, kept in python-telegram-bot's ``chat_data``:

* ``locality``: the locality chosen with /diaban (the default filter of questions), also kept in
  SQLite or PostgreSQL (:class:`~bot.records.localities.LocalityRecords`) so a restart keeps it;
* ``last``: the last :class:`Turn` (question as asked, answer, locality), for /nguon and follow-ups;
* ``answers``: recent turns by key, for the 👍/👎 buttons;

and a lock per chat, so questions of one chat are answered in the order they came.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.answering.engine import Answer
from bot.query.followup import Previous
from bot.records.localities import LocalityRecords
from bot.telegram.messages import Context

MAX_REMEMBERED_ANSWERS = 30  # per chat, for late 👍/👎 presses


@dataclass(frozen=True)
class Turn:
    """A question as the bot asked it and what it answered."""

    question: str
    answer: Answer
    locality: str | None
    snapshot: str

    @property
    def previous(self) -> Previous:
        """This turn as the previous question of a follow-up."""
        return Previous(self.question, self.locality)


def _chat_data(context: Context) -> dict[str, Any]:
    data = context.chat_data
    return data if data is not None else {}


class Conversations:
    """The per-chat state of every chat: chosen locality (persisted in ``store``), turns, locks."""

    def __init__(self, store: LocalityRecords) -> None:
        self.store = store
        # A lock lives only while some handler of its chat holds it (or waits for it).
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def lock(self, chat_id: int) -> asyncio.Lock:
        """The lock of ``chat_id``: held while one of its questions is answered."""
        return self._locks.setdefault(chat_id, asyncio.Lock())

    # --- locality ------------------------------------------------------------------------------

    async def chosen(self, update: Update, context: Context) -> str | None:
        """The chat's chosen locality: from chat_data, else from the store (after a restart)."""
        data = _chat_data(context)
        chat = update.effective_chat
        if "locality" not in data and chat is not None:
            data["locality"] = await asyncio.to_thread(self.store.locality, chat.id)
        return data.get("locality")

    async def choose(self, update: Update, context: Context, locality: str | None) -> None:
        """Remember ``locality`` (``None``: forget it) for the chat, in chat_data and the store."""
        _chat_data(context)["locality"] = locality
        if update.effective_chat is not None:
            await asyncio.to_thread(self.store.set_locality, update.effective_chat.id, locality)

    # --- turns ---------------------------------------------------------------------------------

    @staticmethod
    def last(context: Context) -> Turn | None:
        """The chat's last answered turn, or ``None``."""
        turn: Turn | None = _chat_data(context).get("last")
        return turn

    @staticmethod
    def remember(context: Context, turn: Turn) -> str:
        """Make ``turn`` the chat's last and keep it for its feedback buttons (the most recent
        :data:`MAX_REMEMBERED_ANSWERS` only); its key."""
        data = _chat_data(context)
        data["last"] = turn
        answers: dict[str, Turn] = data.setdefault("answers", {})
        number = int(data.get("seq", 0)) + 1
        data["seq"] = number
        answers[str(number)] = turn
        for old in list(answers)[:-MAX_REMEMBERED_ANSWERS]:
            del answers[old]
        return str(number)

    @staticmethod
    def remembered(context: Context, key: str) -> Turn | None:
        """The turn kept under ``key``, or ``None`` when it is unknown or forgotten."""
        turn: Turn | None = _chat_data(context).get("answers", {}).get(key)
        return turn
