"""A build process killed at any point leaves the current snapshot serving and nothing half-made behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.embedding.fake import FakeEmbedder
from bot.indexing.build import build_index
from bot.snapshot.format import BUILDS_DIR
from bot.snapshot.store import current_snapshot_id, list_snapshots, load_snapshot
from tests.conftest import DOCUMENTS, REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A documents folder (two plans) with a built index; each test copies the index."""
    root = tmp_path_factory.mktemp("kill")
    docs = root / "docs"
    docs.mkdir()
    for name in ("son-la_KH-VPUB_2026.md", "kinh-mon_78-KH-UBND_2025.txt"):
        shutil.copy(DOCUMENTS / name, docs / name)
    index = root / "index"
    snapshot_id = build_index(docs, index, FakeEmbedder()).manifest.snapshot_id
    return docs, index, snapshot_id


@pytest.mark.parametrize("point", ["embedding", "writing", "switching"])
def test_killed_build_leaves_current_serving_and_next_build_cleans_up(
    built: tuple[Path, Path, str], tmp_path: Path, point: str
) -> None:
    docs_src, index_src, served = built
    docs, index = tmp_path / "docs", tmp_path / "index"
    shutil.copytree(docs_src, docs)
    shutil.copytree(index_src, index)
    plan = docs / "son-la_KH-VPUB_2026.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n- Một nhiệm vụ mới.\n", encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.indexing.build_worker", str(docs), str(index), point],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == f"at {point}"  # blocks until the worker is there
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(30)
        if worker.stdout is not None:
            worker.stdout.close()  # a pipe left open is a ResourceWarning
    assert worker.returncode == -signal.SIGKILL

    assert current_snapshot_id(index) == served
    assert load_snapshot(index).snapshot_id == served  # still loadable, checksums intact
    leftovers = [p.name for p in (index / BUILDS_DIR).iterdir() if p.name.startswith(".")]
    assert bool(leftovers) == (point == "writing")

    # The lock died with the process: the next build runs at once, cleans up and switches.
    result = build_index(docs, index, FakeEmbedder())
    assert set(result.cleaned) == set(leftovers)
    assert current_snapshot_id(index) == result.manifest.snapshot_id != served
    assert not [p for p in (index / BUILDS_DIR).iterdir() if p.name.startswith(".")]
    assert result.manifest.snapshot_id in list_snapshots(index)
    load_snapshot(index)
