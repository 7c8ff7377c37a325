from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.embedding.fake import FakeEmbedder
from bot.errors import SnapshotError
from bot.snapshot.format import CURRENT_FILE
from bot.snapshot.lexical import LexicalIndex
from bot.snapshot.store import (
    current_snapshot_id,
    list_snapshots,
    load_snapshot,
    set_current,
    write_snapshot,
)
from tests.conftest import make_corpus


def _write(index_dir: Path, model: str = "fake-embedder", normaliser: str = "1") -> str:
    documents, chunks = make_corpus()
    texts = [c.index_text for c in chunks]
    manifest = write_snapshot(
        index_dir,
        model=model,
        normalizer_version=normaliser,
        documents=documents,
        chunks=chunks,
        vectors=FakeEmbedder().embed_passages(texts),
        lexical=LexicalIndex.build(texts),
    )
    return manifest.snapshot_id


def test_snapshot_round_trip(tmp_path: Path) -> None:
    snapshot_id = _write(tmp_path)
    assert current_snapshot_id(tmp_path) == snapshot_id
    snapshot = load_snapshot(tmp_path, model="fake-embedder", normalizer_version="1")
    documents, chunks = make_corpus()
    assert snapshot.chunks == tuple(chunks)
    assert snapshot.documents == tuple(documents)
    assert snapshot.dense.size == len(chunks) == snapshot.lexical.size
    manifest = json.loads((tmp_path / "builds" / snapshot_id / "manifest.json").read_text())
    assert manifest["counts"] == {"documents": 2, "chunks": len(chunks)}
    assert {d["doc_id"]: d["content_hash"] for d in manifest["documents"]} == {
        "alpha": "a" * 64,
        "beta": "b" * 64,
    }
    assert {"chunks.jsonl", "dense.faiss", "documents.json"} <= set(manifest["checksums"])


def test_no_temporary_folder_is_left_and_current_moves(tmp_path: Path) -> None:
    first = _write(tmp_path)
    second = _write(tmp_path)
    assert list_snapshots(tmp_path) == sorted([first, second])
    assert current_snapshot_id(tmp_path) == second
    assert not [p for p in (tmp_path / "builds").iterdir() if p.name.startswith(".")]
    set_current(tmp_path, first)
    assert (tmp_path / CURRENT_FILE).read_text().strip() == first


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no index"):
        load_snapshot(tmp_path)


def test_other_model_or_normaliser_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, model="other-model")
    with pytest.raises(SnapshotError, match="built with model 'other-model'"):
        load_snapshot(tmp_path, model="fake-embedder", normalizer_version="1")
    with pytest.raises(SnapshotError, match="normaliser"):
        load_snapshot(tmp_path, model="other-model", normalizer_version="2")


def test_corrupted_file_is_refused(tmp_path: Path) -> None:
    snapshot_id = _write(tmp_path)
    chunks = tmp_path / "builds" / snapshot_id / "chunks.jsonl"
    chunks.write_text(chunks.read_text().replace("Gia đình", "Gia dinh"))
    with pytest.raises(SnapshotError, match=r"chunks\.jsonl fails its checksum"):
        load_snapshot(tmp_path)


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    documents, chunks = make_corpus()
    with pytest.raises(SnapshotError, match="disagree"):
        write_snapshot(
            tmp_path,
            model="m",
            normalizer_version="1",
            documents=documents,
            chunks=chunks,
            vectors=FakeEmbedder().embed_passages(["one"]),
            lexical=LexicalIndex.build(["one"]),
        )
    assert current_snapshot_id(tmp_path) is None
    assert list_snapshots(tmp_path) == []


def test_set_current_refuses_unknown_snapshot(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="does not exist"):
        set_current(tmp_path, "nope")
