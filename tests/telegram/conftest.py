"""Fixtures of the Telegram tests: a holder on the small corpus, a fake Bot API on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering.service import ServiceHolder
from tests.telegram.fake_telegram import FakeBotApi
from tests.telegram.harness import telegram_holder


@pytest.fixture
def holder(tmp_path: Path) -> ServiceHolder:
    return telegram_holder(tmp_path)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server
