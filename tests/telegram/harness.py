"""Running the real python-telegram-bot Application against :class:`FakeBotApi` on loopback.

The bot is configured the way the CLI configures it: :class:`~bot.config.Settings` →
:meth:`TelegramOptions.from_settings`, then only the bot's own tuning knobs (retry backoff, updates
handled in order) are changed for speed and determinism.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.telegram.application import build_application, running
from bot.telegram.options import TelegramOptions
from tests.fakes import FakeEmbedder, corpus_facts, write_fake_index
from tests.telegram.fake_telegram import TOKEN, Call, FakeBotApi

Scenario = Callable[[FakeBotApi], Awaitable[None]]
ADMIN = 1  # the user id allowed to /reload


def write_index(index_dir: Path, embedder: FakeEmbedder) -> str:
    """The small two-plan corpus (phường An Bình, xã Tân Hòa) with a few facts."""
    return write_fake_index(index_dir, embedder, facts=corpus_facts())


def telegram_holder(tmp_path: Path, **values: Any) -> ServiceHolder:
    """A service holder on :func:`write_index`'s corpus in ``tmp_path/index`` (``values``: ServiceHolder's options)."""
    embedder = FakeEmbedder()
    write_index(tmp_path / "index", embedder)
    return ServiceHolder(tmp_path / "index", embedder, **values)


def bot_settings(api: FakeBotApi, tmp_path: Path, **values: Any) -> Settings:
    """Settings of a bot on ``api``: its token, the fake Bot API's URL, one admin, files in ``tmp_path``."""
    base: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_url": api.base_url,
        "telegram_admins": (ADMIN,),
        "index_dir": tmp_path / "index",
        "feedback_db": tmp_path / "feedback.sqlite3",
    }
    return Settings(**{**base, **values})


def options(api: FakeBotApi, tmp_path: Path, **overrides: Any) -> TelegramOptions:
    """:func:`bot_settings`' options with fast retries and updates handled in order; ``overrides``
    replace options (``rate_limit=2``, ``webhook_url=...``)."""
    values: dict[str, Any] = {"retry_backoff": 0.05, "concurrent_updates": 1, **overrides}
    return replace(TelegramOptions.from_settings(bot_settings(api, tmp_path)), **values)


def play(holder: ServiceHolder, bot_options: TelegramOptions, api: FakeBotApi, scenario: Scenario) -> None:
    """Run the bot with long polling against ``api`` while ``scenario`` plays."""
    application = build_application(holder, bot_options)

    async def main() -> None:
        async with running(application, poll_timeout=1):
            await asyncio.wait_for(scenario(api), timeout=60)

    asyncio.run(main())


def run_bot(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path, scenario: Scenario, **overrides: Any) -> None:
    """:func:`play` with :func:`options` (``overrides`` replace options)."""
    play(holder, options(api, tmp_path, **overrides), api, scenario)


async def sent(api: FakeBotApi, count: int) -> list[Call]:
    """The first ``count`` sendMessage calls that were answered, waiting (bounded) for them."""
    return (await asyncio.to_thread(api.wait_for, "sendMessage", count))[:count]


def visible(markup: str) -> str:
    """What a user sees of an HTML message: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^<>]+>", "", markup))


def feedback_buttons(call: Call) -> list[str]:
    """The callback data of the 👍/👎 buttons under a message."""
    return [data for _, data in call.buttons() if data.startswith("fb:")]
