"""Incremental builds, the build report, the build lock, leftovers, pruning and rollback (fake embedder)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from bot.embedding.fake import FakeEmbedder
from bot.errors import BuildError, SnapshotError
from bot.indexing.build import build_index
from bot.indexing.lock import LOCK_FILE, build_lock
from bot.snapshot.format import BUILDS_DIR
from bot.snapshot.store import (
    current_snapshot_id,
    list_snapshots,
    load_snapshot,
    prune_snapshots,
    read_manifest,
    rollback,
)
from bot.text.normalize import NORMALIZER_VERSION
from tests.conftest import DOCUMENTS

KINH_MON = "kinh-mon_78-KH-UBND_2025.txt"
SON_LA = "son-la_KH-VPUB_2026.md"
CAO_LOC = "cao-loc_KH-BCD_2024.md"


CAM_XUYEN = "cam-xuyen_KH-tong-ket-20-nam_2021.txt"


def copy_plans(target: Path, *names: str) -> Path:
    target.mkdir()
    for name in names:
        shutil.copy(DOCUMENTS / name, target / name)
    return target


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Three of the bundled plans (enough for every change: edit, remove, add, keep)."""
    return copy_plans(tmp_path / "docs", KINH_MON, SON_LA, CAO_LOC)


@pytest.fixture
def one_plan(tmp_path: Path) -> Path:
    """The smallest bundled plan alone: for tests about snapshots rather than content."""
    return copy_plans(tmp_path / "one", SON_LA)


def embedded(embedder: FakeEmbedder) -> int:
    return sum(n for kind, n in embedder.calls if kind == "passage")


def change_corpus(docs: Path) -> None:
    """One plan edited, one removed, one added (a plan of another locality)."""
    plan = docs / KINH_MON
    plan.write_text(plan.read_text(encoding="utf-8") + "\n- Tổ chức hội thi văn nghệ quần chúng.\n", encoding="utf-8")
    (docs / SON_LA).unlink()
    text = (DOCUMENTS / CAO_LOC).read_text(encoding="utf-8").replace("Cao Lộc", "Đồng Đăng")
    (docs / "dong-dang_KH-BCD_2024.md").write_text(text, encoding="utf-8")


def assert_same_index(a: Path, b: Path) -> None:
    left = load_snapshot(a, model="fake-embedder", normalizer_version=NORMALIZER_VERSION)
    right = load_snapshot(b, model="fake-embedder", normalizer_version=NORMALIZER_VERSION)
    assert left.documents == right.documents
    assert left.chunks == right.chunks
    assert left.facts == right.facts
    assert left.manifest.documents == right.manifest.documents
    assert np.allclose(left.dense.vectors(), right.dense.vectors())
    for query in ("gia đình văn hóa", "kinh phi thuc hien", "Đồng Đăng"):
        for field, scores in left.lexical.scores(query).items():
            assert np.allclose(scores, right.lexical.scores(query)[field]), (query, field)


def test_incremental_build_equals_full_build_and_embeds_only_what_changed(docs: Path, tmp_path: Path) -> None:
    incremental = tmp_path / "incremental"
    first = build_index(docs, incremental, FakeEmbedder())
    assert first.reused_from is None
    assert {d.status for d in first.documents} == {"new"}

    change_corpus(docs)
    counting = FakeEmbedder()
    second = build_index(docs, incremental, counting)
    statuses = {d.source: d.status for d in second.documents}
    assert statuses[KINH_MON] == "changed"
    assert statuses[SON_LA] == "removed"
    assert statuses["dong-dang_KH-BCD_2024.md"] == "new"
    assert statuses[CAO_LOC] == "unchanged"
    assert second.reused_from == first.manifest.snapshot_id
    fresh = {d.source: d.chunks for d in second.documents if d.status in ("new", "changed")}
    assert embedded(counting) == second.embedded == sum(fresh.values())
    assert SON_LA not in {entry.source for entry in second.manifest.documents}

    full = tmp_path / "full"
    build_index(docs, full, FakeEmbedder())
    assert_same_index(incremental, full)


def test_unchanged_corpus_embeds_nothing_and_full_flag_embeds_all(one_plan: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build_index(one_plan, index, FakeEmbedder())
    again = FakeEmbedder()
    second = build_index(one_plan, index, again)
    assert embedded(again) == 0
    assert {d.status for d in second.documents} == {"unchanged"}
    assert second.manifest.snapshot_id != first.manifest.snapshot_id
    forced = FakeEmbedder()
    third = build_index(one_plan, index, forced, full=True)
    assert third.reused_from is None
    assert embedded(forced) == third.manifest.chunk_count


def test_snapshot_of_another_model_is_not_reused(one_plan: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(one_plan, index, FakeEmbedder(name="other-model"))
    counting = FakeEmbedder()
    result = build_index(one_plan, index, counting)
    assert result.reused_from is None
    assert embedded(counting) == result.manifest.chunk_count


def test_report_has_counts_warnings_and_cross_document_duplicates(docs: Path, tmp_path: Path) -> None:
    shutil.copy(docs / KINH_MON, docs / "zz-kinh-mon-copy.txt")
    shutil.copy(DOCUMENTS / CAM_XUYEN, docs / CAM_XUYEN)
    (docs / "broken.txt").write_bytes(b"\xff\xfe\xfa not utf-8 \xc3\x28")
    result = build_index(docs, tmp_path / "index", FakeEmbedder())
    by_source = {d.source: d for d in result.documents}
    plan = by_source[KINH_MON]
    assert plan.sections > 0 and plan.chunks > 0 and plan.facts > 0
    assert plan.warnings == ()
    assert any(f"same content as {KINH_MON}" in w for w in by_source["zz-kinh-mon-copy.txt"].warnings)
    assert "no date found in the header" in by_source[CAM_XUYEN].warnings
    assert by_source["broken.txt"].status == "skipped"
    assert "UTF-8" in (by_source["broken.txt"].error or "")
    assert [d.source for d in result.failed] == ["broken.txt"]
    # Unchanged plans keep their warnings in an incremental build without being parsed again.
    again = build_index(docs, tmp_path / "index", FakeEmbedder())
    cam = {d.source: d for d in again.documents}[CAM_XUYEN]
    assert cam.status == "unchanged" and "no date found in the header" in cam.warnings


def test_same_number_locality_and_date_under_another_name_is_flagged(docs: Path, tmp_path: Path) -> None:
    text = (docs / KINH_MON).read_text(encoding="utf-8")
    (docs / "zz-kinh-mon-ban-sua.txt").write_text(text + "\n- Dòng bổ sung.\n", encoding="utf-8")
    result = build_index(docs, tmp_path / "index", FakeEmbedder())
    flagged = {d.source: d.warnings for d in result.documents}
    assert flagged[KINH_MON] == ()
    assert flagged["zz-kinh-mon-ban-sua.txt"] == (
        f"duplicate of another plan: same number, locality and date as {KINH_MON}",
    )


def test_no_readable_plan_is_an_error(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"no readable plan .*empty\.txt"):
        build_index(docs, tmp_path / "index", FakeEmbedder())
    assert current_snapshot_id(tmp_path / "index") is None


class BlockingEmbedder(FakeEmbedder):
    """Blocks inside ``embed_passages`` until released, so a build can be caught holding the lock."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        self.entered.set()
        assert self.release.wait(30), "never released"
        return super().embed_passages(texts)


def test_concurrent_builds_second_fails_clearly_or_waits(one_plan: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    slow = BlockingEmbedder()
    results: dict[str, object] = {}
    first = threading.Thread(target=lambda: results.update(first=build_index(one_plan, index, slow)))
    first.start()
    assert slow.entered.wait(30)

    with pytest.raises(BuildError, match=r"another index build .* is running"):
        build_index(one_plan, index, FakeEmbedder())

    waiting = threading.Event()
    second = threading.Thread(
        target=lambda: results.update(
            second=build_index(one_plan, index, FakeEmbedder(), wait=True, on_wait=lambda _: waiting.set())
        )
    )
    second.start()
    assert waiting.wait(30)
    slow.release.set()
    first.join(30)
    second.join(30)
    ids = [results[k].manifest.snapshot_id for k in ("first", "second")]  # type: ignore[attr-defined]
    assert list_snapshots(index) == sorted(ids)
    assert current_snapshot_id(index) == ids[1]
    load_snapshot(index)


def test_lock_names_its_holder(tmp_path: Path) -> None:
    with build_lock(tmp_path), pytest.raises(BuildError, match=r"process \d+"):
        build_index(tmp_path, tmp_path, FakeEmbedder())
    assert (tmp_path / LOCK_FILE).exists()


def test_build_removes_leftovers_of_killed_builds(one_plan: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index(one_plan, index, FakeEmbedder())
    leftover = index / BUILDS_DIR / ".tmp-20990101T000000-abcdef"
    leftover.mkdir()
    (leftover / "chunks.jsonl").write_text("half")
    (index / ".current.12345.tmp").write_text("x")
    result = build_index(one_plan, index, FakeEmbedder())
    assert set(result.cleaned) == {leftover.name, ".current.12345.tmp"}
    assert not [p for p in (index / BUILDS_DIR).iterdir() if p.name.startswith(".")]


def test_prune_keeps_the_last_n_and_rollback_goes_back(one_plan: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ids = [build_index(one_plan, index, FakeEmbedder(), keep_snapshots=3).manifest.snapshot_id for _ in range(5)]
    assert list_snapshots(index) == ids[-3:]
    assert rollback(index) == ids[-2]
    assert current_snapshot_id(index) == ids[-2]
    # Current and previous are never pruned, even with keep=1.
    assert prune_snapshots(index, 1) == [ids[-1]]
    assert list_snapshots(index) == ids[-3:-1]
    assert rollback(index) == ids[-3]
    with pytest.raises(SnapshotError, match="no previous snapshot"):
        rollback(index)


def test_rollback_refuses_a_corrupted_previous_snapshot(one_plan: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build_index(one_plan, index, FakeEmbedder()).manifest.snapshot_id
    second = build_index(one_plan, index, FakeEmbedder()).manifest.snapshot_id
    (index / BUILDS_DIR / first / "chunks.jsonl").write_text("{}\n")
    with pytest.raises(SnapshotError, match="fails its checksum"):
        rollback(index)
    assert current_snapshot_id(index) == second
    assert read_manifest(index, second).snapshot_id == second
