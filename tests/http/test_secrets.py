"""Secrets are read from the environment and never written out: with the admin and Telegram tokens set,
no log record, response or error message of the app or of any command carries them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.answering.service import ServiceHolder
from bot.cli import wiring
from bot.cli.main import app as cli
from bot.config import Settings
from bot.http.app import create_app
from tests.conftest import DOCUMENTS
from tests.fakes import FakeEmbedder, write_fake_index

ADMIN_TOKEN = "adm1n-S3CRET-7f3a9c"
TELEGRAM_TOKEN = "123456:TG-S3CRET-b81e4d"
SECRETS = (ADMIN_TOKEN, TELEGRAM_TOKEN)


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("CAMPAIGN_BOT_ADMIN_TOKEN", ADMIN_TOKEN)
    monkeypatch.setenv("CAMPAIGN_BOT_TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    monkeypatch.setattr(wiring, "load_embedder", lambda settings, progress=False: FakeEmbedder())
    index = tmp_path / "index"
    write_fake_index(index, FakeEmbedder())
    return index


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
        assert secret.split(":")[-1] not in text


def test_commands_never_print_or_log_the_tokens(
    secret_env: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runner = CliRunner()
    commands = [
        ["ask", "ai chủ trì", "--index", str(secret_env)],
        ["ask", "", "--index", str(secret_env)],  # an error path
        ["search", "kinh phí", "--index", str(secret_env)],
        ["facts", "--index", str(secret_env)],
        ["index", "status", "--index", str(secret_env)],
        ["index", "status", "--index", str(tmp_path / "missing")],  # an error path
        ["index", "build", "--documents", str(DOCUMENTS), "--index", str(tmp_path / "built")],
        ["inspect", str(tmp_path / "no-such-file.txt")],  # an error path
        ["serve", "--help"],
        ["telegram", "--help"],
    ]
    with caplog.at_level(logging.DEBUG):
        outputs = [runner.invoke(cli, command) for command in commands]
    assert any(result.exit_code == 0 for result in outputs)
    assert any(result.exit_code != 0 for result in outputs)
    for result in outputs:
        assert_no_secret(result.output)
        assert_no_secret(repr(result.exception))
    assert_no_secret("\n".join(record.getMessage() for record in caplog.records))


def test_the_app_never_echoes_or_logs_the_tokens(secret_env: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(index_dir=secret_env)  # the tokens come from the environment
    assert settings.admin_token == ADMIN_TOKEN
    assert_no_secret(repr(settings))  # pydantic SecretStr-like repr: the settings dump hides them
    client = TestClient(create_app(ServiceHolder(secret_env, FakeEmbedder()), settings))
    with caplog.at_level(logging.DEBUG):
        responses = [
            client.post("/ask", json={"question": "ai chủ trì"}),
            client.post("/ask", json={"question": ""}),
            client.get("/health"),
            client.get("/metrics"),
            client.get("/openapi.json"),
            client.get("/admin/jobs/nope", headers={"Authorization": "Bearer wrong"}),
            client.get("/admin/jobs/nope", headers={"Authorization": f"Bearer {ADMIN_TOKEN}x"}),
            client.get("/admin/jobs/nope", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}),
        ]
    assert {r.status_code for r in responses[5:7]} <= {401, 403}
    assert responses[7].status_code == 404  # signed in: the job is unknown
    for response in responses:
        assert_no_secret(response.text)
        assert_no_secret(str(response.headers))
    assert_no_secret("\n".join(record.getMessage() + str(getattr(record, "fields", "")) for record in caplog.records))


def test_admin_routes_are_off_without_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAMPAIGN_BOT_ADMIN_TOKEN", raising=False)
    write_fake_index(tmp_path, FakeEmbedder())
    client = TestClient(create_app(ServiceHolder(tmp_path, FakeEmbedder()), Settings(index_dir=tmp_path)))
    assert client.get("/admin/jobs/x", headers={"Authorization": "Bearer anything"}).status_code == 404
    assert not [path for path in client.get("/openapi.json").json()["paths"] if path.startswith("/admin")]
