"""The command line through Typer's runner (real model, real index where it needs one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import wiring
from bot.cli.main import app
from tests.conftest import DOCUMENTS
from tests.fakes import FakeEmbedder, write_fake_index

runner = CliRunner()


@pytest.fixture
def env(model_cache: Path) -> dict[str, str]:
    return {"CAMPAIGN_BOT_CACHE_DIR": str(model_cache)}


def test_inspect_prints_outline_and_metadata() -> None:
    result = runner.invoke(app, ["inspect", str(DOCUMENTS / "kinh-mon_78-KH-UBND_2025.txt")])
    assert result.exit_code == 0, result.output
    assert "78/KH-UBND" in result.output
    assert "Kinh Môn" in result.output
    assert "TỔ CHỨC THỰC HIỆN" in result.output


def test_inspect_unreadable_file_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage\xc3")
    result = runner.invoke(app, ["inspect", str(bad)])
    assert result.exit_code == 1
    assert "bad.txt" in result.output


@pytest.mark.slow
def test_ask_json_matches_api_shape(seed_index: Path, env: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["ask", "Ai ký kế hoạch của huyện Cẩm Xuyên?", "--json", "--index", str(seed_index)], env=env
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output[result.output.index("{") :])
    assert body["status"] == "answered"
    assert body["citations"] and body["citations"][0]["locality"] == "huyện Cẩm Xuyên"


@pytest.mark.slow
def test_ask_plain_text_and_empty_question(seed_index: Path, env: dict[str, str]) -> None:
    ok = runner.invoke(app, ["ask", "kinh phi thuc hien o le chan", "--index", str(seed_index)], env=env)
    assert ok.exit_code == 0, ok.output
    assert "[1]" in ok.output
    empty = runner.invoke(app, ["ask", "   ", "--index", str(seed_index)], env=env)
    assert empty.exit_code == 1
    assert "Câu hỏi trống" in empty.output


@pytest.mark.slow
def test_ask_without_index_exits_1(tmp_path: Path, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["ask", "xin chào", "--index", str(tmp_path)], env=env)
    assert result.exit_code == 1
    assert "campaign-bot index build" in result.output


@pytest.mark.slow
def test_build_skips_bad_file_and_reports_it(tmp_path: Path, env: dict[str, str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text((DOCUMENTS / "son-la_KH-VPUB_2026.md").read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "broken.txt").write_bytes(b"\xff\xfe\xfa not utf-8 \xc3\x28")
    index = tmp_path / "index"
    result = runner.invoke(app, ["index", "build", "--documents", str(docs), "--index", str(index)], env=env)
    assert result.exit_code == 2, result.output
    assert "broken.txt" in result.output
    status = runner.invoke(app, ["index", "status", "--index", str(index)], env=env)
    assert status.exit_code == 0
    assert "documents: 1" in status.output


def test_inspect_prints_chunks_and_facts_found() -> None:
    result = runner.invoke(app, ["inspect", str(DOCUMENTS / "kinh-mon_78-KH-UBND_2025.txt")])
    assert result.exit_code == 0, result.output
    assert "Chunks: " in result.output
    assert "Facts: " in result.output and "responsibility " in result.output


def test_status_and_rollback(tmp_path: Path) -> None:
    from bot.indexing.build import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "son-la.md").write_text((DOCUMENTS / "son-la_KH-VPUB_2026.md").read_text(encoding="utf-8"), "utf-8")
    index = tmp_path / "index"
    first = build_index(docs, index, FakeEmbedder()).manifest.snapshot_id
    second = build_index(docs, index, FakeEmbedder()).manifest.snapshot_id
    status = runner.invoke(app, ["index", "status", "--index", str(index)])
    assert status.exit_code == 0, status.output
    assert f"snapshot:  {second}" in status.output and "model:     fake-embedder" in status.output
    back = runner.invoke(app, ["index", "rollback", "--index", str(index)])
    assert back.exit_code == 0, back.output
    assert first in back.output
    assert f"snapshot:  {first}" in runner.invoke(app, ["index", "status", "--index", str(index)]).output
    none_left = runner.invoke(app, ["index", "rollback", "--index", str(index)])
    assert none_left.exit_code == 1
    assert "no previous snapshot" in none_left.output


@pytest.mark.slow
def test_build_while_another_runs_exits_1_with_a_clear_message(tmp_path: Path, env: dict[str, str]) -> None:
    from bot.indexing.lock import build_lock

    index = tmp_path / "index"
    with build_lock(index):
        result = runner.invoke(app, ["index", "build", "--documents", str(DOCUMENTS), "--index", str(index)], env=env)
    assert result.exit_code == 1
    assert "another index build" in result.output and "--wait" in result.output


def test_build_report_lines_and_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wiring, "load_embedder", lambda settings, progress=False: FakeEmbedder())
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kinh-mon.txt").write_bytes((DOCUMENTS / "kinh-mon_78-KH-UBND_2025.txt").read_bytes())
    args = ["index", "build", "--documents", str(docs), "--index", str(tmp_path / "index")]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "[new]" in first.output and "kinh-mon.txt: phường Kinh Môn · 78/KH-UBND" in first.output
    assert "dữ kiện" in first.output and "full build" in first.output

    (docs / "copy.txt").write_bytes((docs / "kinh-mon.txt").read_bytes())
    (docs / "broken.txt").write_bytes(b"\xff\xfe\xfa not utf-8")
    second = runner.invoke(app, [*args, "--wait"])
    assert second.exit_code == 2, second.output
    assert "BỎ QUA broken.txt" in second.output
    assert "! duplicate of another plan: same content as copy.txt" in second.output
    assert "[unchanged] kinh-mon.txt" in second.output and "reused" in second.output

    third = runner.invoke(app, [*args, "--full"])
    assert third.exit_code == 2 and "full build" in third.output


@pytest.fixture
def fake_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small index built with the fake embedder, which the CLI then loads instead of the real model."""
    monkeypatch.setattr(wiring, "load_embedder", lambda settings, progress=False: FakeEmbedder())
    write_fake_index(tmp_path, FakeEmbedder())
    return tmp_path


def long_question(chars: int) -> str:
    text = ("Công an xã chủ trì việc gì? " * (chars // 28 + 1))[:chars]
    assert len(text) == chars and text == text.strip()
    return text


@pytest.mark.parametrize("command", ["ask", "search"])
def test_question_limit_is_the_setting(fake_index: Path, command: str) -> None:
    env = {"CAMPAIGN_BOT_MAX_QUESTION_CHARS": "5000"}
    ok = runner.invoke(app, [command, long_question(3000), "--index", str(fake_index)], env=env)
    assert ok.exit_code == 0, ok.output
    too_long = runner.invoke(app, [command, long_question(5001), "--index", str(fake_index)], env=env)
    assert too_long.exit_code == 1
    assert "Câu hỏi quá dài (5001 ký tự); tối đa 5000 ký tự." in too_long.output
    default = runner.invoke(app, [command, long_question(3000), "--index", str(fake_index)])
    assert default.exit_code == 1
    assert "Câu hỏi quá dài (3000 ký tự); tối đa 2000 ký tự." in default.output
