"""Limits and failures of the bot against the fake Bot API: what is not a question, question length
(from the settings), flood limits, network errors, internal errors, the per-user rate limit, /reload."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.answering.engine import Answer
from bot.answering.service import ServiceHolder
from bot.cli import wiring
from bot.telegram.application import APOLOGY, build_application, running
from bot.telegram.options import TelegramOptions
from tests.fakes import FakeEmbedder
from tests.telegram.fake_telegram import BOT_ID, BOT_USERNAME, FakeBotApi
from tests.telegram.harness import (
    bot_settings,
    feedback_buttons,
    options,
    play,
    run_bot,
    sent,
    visible,
    write_index,
)


def test_sticker_photo_voice_file_empty_and_overlong_messages_get_help(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    sticker = {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512, "is_animated": False}
    sticker |= {"is_video": False, "type": "regular"}

    async def scenario(api: FakeBotApi) -> None:
        api.message(sticker=sticker)
        api.message(photo=[{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}])
        api.message(voice={"file_id": "v1", "file_unique_id": "u3", "duration": 2})
        api.message(document={"file_id": "d1", "file_unique_id": "u4", "file_name": "ke-hoach.pdf"})
        api.message("   ")
        api.message("a" * 5000)
        replies = [visible(c.text) for c in await sent(api, 6)]
        for reply in replies[:4]:
            assert "câu hỏi bằng chữ" in reply
        assert "trống" in replies[4]
        assert "quá dài" in replies[5] and "5000" in replies[5] and "2000" in replies[5]

    run_bot(holder, api, tmp_path, scenario)
    assert not api.of("sendChatAction")  # nothing was searched


def test_max_question_chars_of_the_settings_reaches_the_bot(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wired as ``campaign-bot telegram`` wires it (the CLI's holder and options from one Settings),
    only the embedding model is the fake one of the index."""
    write_index(tmp_path / "index", FakeEmbedder())
    monkeypatch.setattr(wiring, "load_embedder", lambda settings, **_: FakeEmbedder())
    settings = bot_settings(api, tmp_path, max_question_chars=5000)
    holder = wiring.service_holder(settings, wiring.load_embedder(settings))
    bot_options = replace(TelegramOptions.from_settings(settings), retry_backoff=0.05, concurrent_updates=1)
    question = "Công an xã chủ trì việc gì? "
    long_question = (question * (3000 // len(question) + 1))[:3000]
    too_long = "a" * 5001

    async def scenario(api: FakeBotApi) -> None:
        api.message(long_question)
        answer = (await sent(api, 1))[0]
        assert "quá dài" not in visible(answer.text) and "tệ nạn xã hội" in answer.text
        assert feedback_buttons(answer)
        api.message(too_long)
        refused = visible((await sent(api, 2))[1].text)
        assert "quá dài" in refused and "5001" in refused and "tối đa 5000" in refused

    assert len(long_question) == 3000
    play(holder, bot_options, api, scenario)
    assert len(api.of("sendChatAction")) == 1  # only the 3,000-character question was searched


def test_flood_limit_429_is_waited_out_and_retried(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.fail_next("sendMessage", "429")
        api.message("Công an xã chủ trì việc gì?")
        assert "tệ nạn xã hội" in (await sent(api, 1))[0].text

    run_bot(holder, api, tmp_path, scenario)
    attempts = api.of("sendMessage")
    assert len(attempts) == 2 and attempts[0].text == attempts[1].text
    assert "_result" not in attempts[0].params


def test_network_error_is_retried(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.fail_next("sendMessage", "drop")
        api.message("Công an xã chủ trì việc gì?")
        assert "tệ nạn xã hội" in (await sent(api, 1))[0].text

    run_bot(holder, api, tmp_path, scenario)
    assert len(api.of("sendMessage")) == 2


def test_internal_error_gets_an_apology_and_the_bot_keeps_running(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = holder.get()
    real_ask = service.ask
    failures = [RuntimeError("boom")]

    def flaky(question: str, locality: str | None = None) -> Answer:
        if failures:
            raise failures.pop()
        return real_ask(question, locality)

    monkeypatch.setattr(service, "ask", flaky)

    async def scenario(api: FakeBotApi) -> None:
        api.message("Công an xã chủ trì việc gì?")
        apology = (await sent(api, 1))[0]
        assert visible(apology.text) == APOLOGY and "boom" not in apology.text
        api.message("Công an xã chủ trì việc gì?")
        assert "tệ nạn xã hội" in (await sent(api, 2))[1].text

    run_bot(holder, api, tmp_path, scenario)


def test_per_user_rate_limit_answers_politely_once(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        for _ in range(4):
            api.message("Công an xã chủ trì việc gì?")
        api.message("Công an xã chủ trì việc gì?", user_id=9)  # another user is not limited
        replies = [visible(c.text) for c in await sent(api, 4)]
        assert sum("hỏi hơi nhanh" in r for r in replies) == 1
        assert sum("tệ nạn xã hội" in r for r in replies) == 3

    run_bot(holder, api, tmp_path, scenario, rate_limit=2)
    assert len(api.of("sendMessage")) == 4


def test_reload_is_for_admins_only(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("/reload", user_id=7)
        refused = (await sent(api, 1))[0]
        assert "quản trị viên" in refused.text
        newer = write_index(tmp_path / "index", FakeEmbedder())
        api.message("/reload", user_id=1)
        done = (await sent(api, 2))[1]
        assert newer in done.text

    run_bot(holder, api, tmp_path, scenario)


def test_bot_id_is_the_fake_servers(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    application = build_application(holder, options(api, tmp_path))

    async def main() -> None:
        async with running(application, poll_timeout=1):
            assert application.bot.id == BOT_ID and application.bot.username == BOT_USERNAME

    asyncio.run(main())
    assert api.of("getMe") and api.of("deleteWebhook")  # polling mode clears any webhook
