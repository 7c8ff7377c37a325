"""The bot inside the API server (``campaign-bot serve``): webhook route with Telegram's secret-token
header, or long polling started by the app's lifespan; and the ``telegram`` command's errors."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.answering.service import ServiceHolder
from bot.cli.main import _telegram_parts
from bot.cli.main import app as cli
from bot.config import Settings
from bot.errors import CampaignBotError
from bot.http.app import create_app
from bot.telegram.application import run_polling
from bot.telegram.options import TelegramOptions
from bot.telegram.server import SECRET_HEADER, WEBHOOK_PATH, telegram_integration
from tests.telegram.fake_telegram import TOKEN, FakeBotApi
from tests.telegram.harness import options

HOOK = "https://bot.example.org/telegram/webhook"


def _update(text: str) -> dict[str, Any]:
    return {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "date": 1700000000,
            "chat": {"id": 100, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "Lan"},
            "text": text,
        },
    }


def test_webhook_checks_the_secret_then_processes_the_update(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    lifespan, routers = telegram_integration(
        holder, options(api, tmp_path, webhook_url=HOOK, webhook_secret="s3cret_Token-1")
    )
    with TestClient(create_app(holder, lifespan=lifespan, routers=routers)) as client:
        [hook] = api.wait_for("setWebhook")
        assert hook.params["url"] == HOOK and hook.params["secret_token"] == "s3cret_Token-1"
        update = _update("Công an xã chủ trì việc gì?")
        missing = client.post(WEBHOOK_PATH, json=update)
        wrong = client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "guess"})
        assert (missing.status_code, wrong.status_code) == (401, 403)
        assert "error" in missing.json() and "error" in wrong.json()
        garbage = client.post(WEBHOOK_PATH, content=b"not json", headers={SECRET_HEADER: "s3cret_Token-1"})
        assert garbage.status_code == 400
        accepted = client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "s3cret_Token-1"})
        assert accepted.status_code == 200
        [answer] = api.wait_for("sendMessage")
        assert "tệ nạn xã hội" in answer.text and answer.params["chat_id"] == 100
        assert client.get("/health").json()["status"] == "ok"  # the API still serves beside it
    assert len(api.of("sendMessage")) == 1  # only the update with the right secret was processed
    assert not api.of("getUpdates")  # webhook mode never polls


def test_webhook_without_configured_secret_uses_a_random_one(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    lifespan, routers = telegram_integration(holder, options(api, tmp_path, webhook_url=HOOK))
    with TestClient(create_app(holder, lifespan=lifespan, routers=routers)) as client:
        secret = api.wait_for("setWebhook")[0].params["secret_token"]
        assert len(secret) >= 32
        assert client.post(WEBHOOK_PATH, json=_update("x"), headers={SECRET_HEADER: ""}).status_code == 403
        assert client.post(WEBHOOK_PATH, json=_update("/kehoach"), headers={SECRET_HEADER: secret}).status_code == 200
        assert "12/KH-UBND" in api.wait_for("sendMessage")[0].text


def test_a_secret_telegram_would_refuse_is_a_clear_error(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    with pytest.raises(CampaignBotError, match="WEBHOOK_SECRET"):
        telegram_integration(holder, options(api, tmp_path, webhook_url=HOOK, webhook_secret="has space"))


def test_polling_runs_beside_the_api_in_the_same_app(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    lifespan, routers = telegram_integration(holder, options(api, tmp_path))
    assert routers == []
    app = create_app(holder, lifespan=lifespan, routers=routers)
    assert all(getattr(r, "path", "") != WEBHOOK_PATH for r in app.routes)
    with TestClient(app) as client:
        api.message("Công an xã chủ trì việc gì?")
        [answer] = api.wait_for("sendMessage")
        assert "tệ nạn xã hội" in answer.text
        assert client.post("/ask", json={"question": "Công an xã chủ trì việc gì?"}).status_code == 200
    assert api.of("getUpdates") and not api.of("setWebhook")


def test_api_serves_while_telegram_is_unreachable_and_the_bot_starts_later(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    for _ in range(3):  # the first start's request and both of its retries fail
        api.fail_next("getMe", "drop")
    lifespan, routers = telegram_integration(holder, options(api, tmp_path))
    with TestClient(create_app(holder, lifespan=lifespan, routers=routers)) as client:
        assert client.get("/health").status_code == 200
        api.message("/kehoach")
        assert "12/KH-UBND" in api.wait_for("sendMessage")[0].text
    assert len(api.of("getMe")) == 4


def test_a_refused_token_leaves_the_api_running(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail_next("getMe", "401")
    lifespan, routers = telegram_integration(holder, options(api, tmp_path))
    with TestClient(create_app(holder, lifespan=lifespan, routers=routers)) as client:
        assert client.post("/ask", json={"question": "Công an xã chủ trì việc gì?"}).status_code == 200
    # the lifespan waited for the bot's task: it gave up on the token instead of retrying
    assert any("refused TELEGRAM_BOT_TOKEN" in r.getMessage() for r in caplog.records)
    assert len(api.of("getMe")) == 1 and not api.of("getUpdates")


def test_serve_composes_the_bot_only_with_a_token(holder: ServiceHolder, tmp_path: Path) -> None:
    assert _telegram_parts(Settings(telegram_bot_token=""), holder) == (None, [])
    settings = Settings(
        telegram_bot_token="1:T", telegram_webhook_url=HOOK, feedback_db=tmp_path / "f.sqlite3", index_dir=tmp_path
    )
    lifespan, routers = _telegram_parts(settings, holder)
    assert lifespan is not None and [r.path for r in routers[0].routes] == [WEBHOOK_PATH]


def test_telegram_command_without_token_exits_1_with_a_message() -> None:
    result = CliRunner().invoke(
        cli, ["telegram"], env={"TELEGRAM_BOT_TOKEN": "", "CAMPAIGN_BOT_TELEGRAM_BOT_TOKEN": ""}
    )
    assert result.exit_code == 1
    assert "TELEGRAM_BOT_TOKEN" in result.output and "BotFather" in result.output


def test_polling_without_telegram_is_a_clear_error(holder: ServiceHolder, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/bot"
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_url=closed, feedback_db=tmp_path / "f.sqlite3")
    with pytest.raises(CampaignBotError, match="Không kết nối được Telegram"):
        run_polling(holder, replace(TelegramOptions.from_settings(settings), retry_backoff=0.01))


def test_polling_with_a_refused_token_is_a_clear_error(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    api.fail_next("getMe", "401")
    with pytest.raises(CampaignBotError, match="BotFather"):
        run_polling(holder, options(api, tmp_path))


def test_admins_and_api_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMPAIGN_BOT_TELEGRAM_ADMINS", "12, 34 56")
    monkeypatch.setenv("CAMPAIGN_BOT_TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
    settings = Settings()
    assert settings.telegram_admins == (12, 34, 56)
    assert settings.telegram_api_url == "http://127.0.0.1:8081/bot"
    assert settings.feedback_path == settings.index_dir / "feedback.sqlite3"
    monkeypatch.setenv("CAMPAIGN_BOT_TELEGRAM_ADMINS", "12,@lan")
    with pytest.raises(ValueError, match="user ids are numbers"):
        Settings()
