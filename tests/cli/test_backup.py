"""`campaign-bot backup` / `restore` through the CLI runner: a backup restored into empty folders serves
the same answers, keeps the feedback, and a damaged backup or a non-empty target is refused."""

from __future__ import annotations

import shutil
import sqlite3
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
from tests.fakes import FakeEmbedder

runner = CliRunner()
QUESTIONS = ("ai chủ trì tuyên truyền ở kinh môn", "chỉ tiêu gia đình văn hóa của cao lộc", "kinh phí")


def answers(index: Path) -> list[tuple[str, str, list[str]]]:
    client = TestClient(create_app(ServiceHolder(index, FakeEmbedder()), Settings(index_dir=index, rate_limit=0)))
    out = []
    for question in QUESTIONS:
        body = client.post("/ask", json={"question": question}).json()
        out.append((body["status"], body["answer"], [c["quote"] for c in body["citations"]]))
    return out


@pytest.fixture
def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """documents/, an index built from them, and a feedback database with one row, under ``tmp_path/live``."""
    monkeypatch.setattr(wiring, "load_embedder", lambda settings, progress=False: FakeEmbedder())
    live = tmp_path / "live"
    shutil.copytree(DOCUMENTS, live / "documents")
    built = runner.invoke(
        cli, ["index", "build", "--documents", str(live / "documents"), "--index", str(live / "index")]
    )
    assert built.exit_code == 0, built.output
    with sqlite3.connect(live / "index" / "feedback.sqlite3") as db:
        db.execute("CREATE TABLE IF NOT EXISTS note (text TEXT)")
        db.execute("INSERT INTO note VALUES ('phản hồi của người dân')")
    return live


def test_restore_into_empty_folders_serves_the_same_answers(deployment: Path, tmp_path: Path) -> None:
    before = answers(deployment / "index")
    saved = runner.invoke(cli, ["backup", str(tmp_path / "bk"), "--index", str(deployment / "index")])
    assert saved.exit_code == 0, saved.output
    assert "văn bản" in saved.output

    fresh = tmp_path / "fresh"
    restored = runner.invoke(
        cli,
        ["restore", str(tmp_path / "bk"), "--index", str(fresh / "index"), "--documents", str(fresh / "documents")],
        env={"CAMPAIGN_BOT_FEEDBACK_DB": str(fresh / "feedback.sqlite3")},
    )
    assert restored.exit_code == 0, restored.output
    assert answers(fresh / "index") == before
    assert sorted(p.name for p in (fresh / "documents").iterdir()) == sorted(p.name for p in DOCUMENTS.iterdir())
    with sqlite3.connect(fresh / "feedback.sqlite3") as db:
        assert db.execute("SELECT text FROM note").fetchall() == [("phản hồi của người dân",)]


def test_backup_refuses_a_non_empty_folder_and_restore_a_damaged_backup(deployment: Path, tmp_path: Path) -> None:
    target = tmp_path / "bk"
    target.mkdir()
    (target / "other.txt").write_text("x", encoding="utf-8")
    refused = runner.invoke(cli, ["backup", str(target), "--index", str(deployment / "index")])
    assert refused.exit_code == 1
    assert "not empty" in refused.output
    assert (target / "other.txt").exists()  # nothing touched

    assert runner.invoke(cli, ["backup", str(target), "--index", str(deployment / "index"), "--force"]).exit_code == 0
    document = next((target / "documents").iterdir())
    document.write_text(document.read_text(encoding="utf-8") + "sửa", encoding="utf-8")
    fresh = tmp_path / "fresh"
    damaged = runner.invoke(
        cli, ["restore", str(target), "--index", str(fresh / "index"), "--documents", str(fresh / "documents")]
    )
    assert damaged.exit_code == 1
    assert "fails its checksum" in damaged.output
    assert not (fresh / "index").exists()  # nothing written


def test_restore_refuses_to_overwrite_documents_without_force(deployment: Path, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["backup", str(tmp_path / "bk"), "--index", str(deployment / "index")]).exit_code == 0
    refused = runner.invoke(
        cli,
        [
            "restore",
            str(tmp_path / "bk"),
            "--index",
            str(deployment / "index"),
            "--documents",
            str(deployment / "documents"),
        ],
    )
    assert refused.exit_code == 1
    assert "--force" in refused.output
    not_a_backup = runner.invoke(cli, ["restore", str(tmp_path), "--index", str(tmp_path / "i")])
    assert not_a_backup.exit_code == 1
    assert "not a backup" in not_a_backup.output
