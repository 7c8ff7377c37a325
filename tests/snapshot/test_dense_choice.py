"""The dense index is chosen by corpus size, recorded in the manifest, and searched with its parameters."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.errors import SnapshotError
from bot.snapshot.dense import FLAT, HNSW, IVF, DenseIndex, IndexChoice, choose_index, hnsw, ivf
from bot.snapshot.lexical import LexicalIndex
from bot.snapshot.store import load_snapshot, write_snapshot
from tests.conftest import make_corpus


def _unit(rng: np.random.Generator, n: int, dim: int = 32) -> np.ndarray:
    matrix = rng.standard_normal((n, dim)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _exact_top(vectors: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return np.argsort(-(vectors @ query), kind="stable")[:k].tolist()


def test_choice_by_size_with_a_small_threshold() -> None:
    assert choose_index(10, exact_max=100).kind == FLAT
    assert choose_index(100, exact_max=100).kind == FLAT
    large = choose_index(101, exact_max=100)
    assert large.kind == HNSW and large.m > 0 and large.ef_search > 0 and large.ef_construction > 0
    inverted = choose_index(10_000, exact_max=100, large=IVF)
    assert inverted.kind == IVF and inverted.nlist == 400 and 0 < inverted.nprobe <= inverted.nlist
    with pytest.raises(SnapshotError, match="unknown large index kind"):
        choose_index(101, exact_max=100, large="lsh")


@pytest.mark.parametrize(
    "choice", [IndexChoice(), hnsw(m=16, ef_construction=64, ef_search=64), ivf(500, nlist=8, nprobe=8)]
)
def test_search_returns_the_nearest_neighbours(choice: IndexChoice) -> None:
    rng = np.random.default_rng(3)
    vectors = _unit(rng, 500)
    index = DenseIndex.build(vectors, choice)
    queries = _unit(rng, 20)
    _, ids = index.search(queries, 10)
    found = sum(len(set(ids[i].tolist()) & set(_exact_top(vectors, q, 10))) for i, q in enumerate(queries))
    # Small sets: HNSW with ef 64 and IVF probing every list are (near) exact.
    assert found / (len(queries) * 10) >= 0.95
    # scores(): the nearest row gets its true cosine, no row outscores it.
    scores = index.scores(queries[0])
    best = _exact_top(vectors, queries[0], 1)[0]
    assert scores.shape == (500,)
    assert scores[best] == pytest.approx(float(vectors[best] @ queries[0]), abs=1e-5)
    assert int(np.argmax(scores)) == best
    np.testing.assert_allclose(index.vectors(), vectors, atol=1e-6)


def test_approximate_scores_put_the_floor_under_rows_not_found() -> None:
    rng = np.random.default_rng(5)
    vectors = _unit(rng, 300)
    index = DenseIndex.build(vectors, IndexChoice(HNSW, m=16, ef_construction=40, ef_search=40, candidates=20))
    scores = index.scores(vectors[0])
    assert scores[0] == pytest.approx(1.0, abs=1e-5)
    candidates = np.sort(scores)[::-1][:20]
    assert np.all(scores >= candidates.min() - 1e-6)
    assert np.count_nonzero(scores > candidates.min() + 1e-6) <= 19


def test_snapshot_records_the_choice_and_round_trips(tmp_path: Path) -> None:
    documents, chunks = make_corpus()
    texts = [c.index_text for c in chunks]
    vectors = _unit(np.random.default_rng(9), len(chunks))
    choice = hnsw(m=8, ef_construction=32, ef_search=48)
    manifest = write_snapshot(
        tmp_path,
        model="m",
        normalizer_version="1",
        documents=documents,
        chunks=chunks,
        vectors=vectors,
        lexical=LexicalIndex.build(texts),
        dense_index=choice,
    )
    on_disk = json.loads((tmp_path / "builds" / manifest.snapshot_id / "manifest.json").read_text())
    assert on_disk["dense"] == {**choice.to_dict(), "kind": "hnsw", "m": 8, "ef_construction": 32, "ef_search": 48}
    snapshot = load_snapshot(tmp_path)
    assert snapshot.dense.choice == choice
    assert snapshot.manifest.dense == choice.to_dict()
    _, ids = snapshot.dense.search(vectors[2], 1)
    assert ids[0][0] == 2


def test_a_small_snapshot_is_exact_by_default(tmp_path: Path) -> None:
    documents, chunks = make_corpus()
    texts = [c.index_text for c in chunks]
    manifest = write_snapshot(
        tmp_path,
        model="m",
        normalizer_version="1",
        documents=documents,
        chunks=chunks,
        vectors=_unit(np.random.default_rng(1), len(chunks)),
        lexical=LexicalIndex.build(texts),
    )
    assert manifest.dense["kind"] == FLAT
    assert load_snapshot(tmp_path).dense.exact


def test_manifest_disagreeing_with_the_index_file_is_refused(tmp_path: Path) -> None:
    vectors = _unit(np.random.default_rng(2), 50)
    DenseIndex.build(vectors, IndexChoice()).save(tmp_path / "dense.faiss")
    with pytest.raises(SnapshotError, match="manifest says hnsw"):
        DenseIndex.load(tmp_path / "dense.faiss", hnsw())
    with pytest.raises(SnapshotError, match="unknown dense index kind"):
        IndexChoice.from_dict({"kind": "annoy"})
    assert IndexChoice.from_dict(None) == IndexChoice()
