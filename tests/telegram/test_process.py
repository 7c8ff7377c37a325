"""The real entry points as processes: ``campaign-bot serve`` with a token runs the bot beside the API,
``campaign-bot telegram`` runs it alone; both against the fake Bot API server on loopback, both stop
cleanly on SIGINT."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO
from tests.telegram.fake_telegram import TOKEN, FakeBotApi

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A campaign-bot process whose output lines are collected by a thread, to wait on."""

    def __init__(self, popen: subprocess.Popen[str]) -> None:
        self.popen = popen
        self.lines: list[str] = []
        self._condition = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            with self._condition:
                self.lines.append(line)
                self._condition.notify_all()

    def wait_line(self, text: str, timeout: float = 180) -> None:
        """Block until a line containing ``text`` was printed (AssertionError after ``timeout``)."""
        with self._condition:
            if not self._condition.wait_for(lambda: any(text in line for line in self.lines), timeout):
                raise AssertionError(f"{text!r} not printed within {timeout}s:\n{''.join(self.lines)}")

    def stop(self) -> tuple[int, str]:
        """SIGINT, then the exit code and the whole output."""
        self.popen.send_signal(signal.SIGINT)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self._reader.join(timeout=10)
        if self.popen.stdout is not None:
            self.popen.stdout.close()  # a pipe left open is a ResourceWarning
        return self.popen.returncode, "".join(self.lines)


def _start(
    args: list[str], api: FakeBotApi, seed_index: Path, model_cache: Path, tmp_path: Path, **extra: str
) -> Process:
    """``campaign-bot <args>`` on the seed index and the fake Bot API; ``extra``: more environment."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "CAMPAIGN_BOT_TELEGRAM_API_URL": api.base_url,
        "CAMPAIGN_BOT_INDEX_DIR": str(seed_index),
        "CAMPAIGN_BOT_CACHE_DIR": str(model_cache),
        "CAMPAIGN_BOT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        **extra,
    }
    env.pop("CAMPAIGN_BOT_TELEGRAM_WEBHOOK_URL", None)
    command = [sys.executable, "-m", "bot.cli.main", *args]
    return Process(
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    )


def test_serve_with_a_token_runs_the_bot_beside_the_api(
    api: FakeBotApi, seed_index: Path, model_cache: Path, tmp_path: Path
) -> None:
    port = _free_port()
    process = _start(["serve", "--port", str(port)], api, seed_index, model_cache, tmp_path)
    try:
        api.message("/kehoach")
        [plans] = api.wait_for("sendMessage", timeout=180)
        assert "78/KH-UBND" in plans.text and "phường Kinh Môn" in plans.text
        process.wait_line("Uvicorn running on")
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
        assert health.status_code == 200 and health.json()["documents"] == 5
    finally:
        code, output = process.stop()
    assert code == 0, output
    assert "Telegram bot" in output and "running (long polling)" in output


def test_telegram_command_polls_until_interrupted(
    api: FakeBotApi, seed_index: Path, model_cache: Path, tmp_path: Path
) -> None:
    process = _start(["telegram"], api, seed_index, model_cache, tmp_path)
    try:
        api.message("ai chu tri phong chong te nan xa hoi o le chan")
        [answer] = api.wait_for("sendMessage", timeout=180)
        assert "Lê Chân" in answer.text and "Nguồn" in answer.text
    finally:
        code, output = process.stop()
    assert code == 0, output
    assert api.of("setMyCommands")


def test_the_question_length_limit_comes_from_the_environment(
    api: FakeBotApi, seed_index: Path, model_cache: Path, tmp_path: Path
) -> None:
    limit = {"CAMPAIGN_BOT_MAX_QUESTION_CHARS": "5000"}
    process = _start(["telegram"], api, seed_index, model_cache, tmp_path, **limit)
    question = "ai chu tri phong chong te nan xa hoi o le chan "
    try:
        api.message((question * (3000 // len(question) + 1))[:3000])
        [answer] = api.wait_for("sendMessage", timeout=180)
        assert "quá dài" not in answer.text and "Nguồn" in answer.text
        api.message("a" * 5001)
        refused = api.wait_for("sendMessage", 2, timeout=60)[1]
        assert "quá dài" in refused.text and "5001" in refused.text and "tối đa 5000" in refused.text
    finally:
        code, output = process.stop()
    assert code == 0, output
