"""Dense vector search: the only home of faiss (imported lazily, so reading a manifest stays cheap).

The index type is chosen by corpus size (:func:`choose_index`): exact inner-product search
(``IndexFlatIP``) up to :data:`EXACT_MAX_VECTORS` vectors, an HNSW graph (``IndexHNSWFlat``, inner
product) above it, or an inverted file (``IndexIVFFlat``) when asked for. The choice and its
parameters (:class:`IndexChoice`) are recorded in the snapshot's manifest, so a snapshot is searched
with the parameters it was built and measured with (``scripts/bench_scale.py``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.errors import SnapshotError

FLAT = "flat"
HNSW = "hnsw"
IVF = "ivf"
KINDS = (FLAT, HNSW, IVF)

# Exact search up to this many vectors: at 100k × 384 a brute-force query scans ~150 MB (~10 ms on 2 cores).
EXACT_MAX_VECTORS = 100_000
# HNSW defaults measured by scripts/bench_scale.py on 1M clustered 384-d vectors (README "Serving many users").
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 128
# IVF defaults: nlist ≈ 4·√n centroids, nprobe of them searched.
IVF_NPROBE = 32
# An approximate index gives the cosine of this many nearest chunks; the others get the lowest of them.
# The HNSW search then runs with efSearch = this: at 1M, ef=256 took p95 1.1 ms; 1000 took p95 24 ms at 100k
# on the loaded 2 cores (scripts/bench_scale.py), so 256 it is (the fused top 10 lies far inside it).
ANN_CANDIDATES = 256


@dataclass(frozen=True)
class IndexChoice:
    """Which FAISS index a snapshot uses and with which parameters (recorded in the manifest)."""

    kind: str = FLAT
    m: int = 0  # HNSW: graph neighbours per node
    ef_construction: int = 0  # HNSW: candidate list while building
    ef_search: int = 0  # HNSW: candidate list while searching (recall vs latency)
    nlist: int = 0  # IVF: number of centroids
    nprobe: int = 0  # IVF: centroids visited per query
    candidates: int = 0  # ANN: neighbours whose cosine is exact in :meth:`DenseIndex.scores`

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written into the manifest."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> IndexChoice:
        """Inverse of :meth:`to_dict`; an absent entry (older snapshots) means exact search."""
        if not data:
            return cls()
        known = set(cls.__dataclass_fields__)
        numbers = {k: int(v) for k, v in data.items() if k in known and k != "kind"}
        choice = cls(kind=str(data.get("kind", FLAT)), **numbers)
        if choice.kind not in KINDS:
            raise SnapshotError(f"unknown dense index kind {choice.kind!r} (known: {', '.join(KINDS)})")
        return choice


def hnsw(m: int = HNSW_M, ef_construction: int = HNSW_EF_CONSTRUCTION, ef_search: int = HNSW_EF_SEARCH) -> IndexChoice:
    """An HNSW choice (defaults: the measured ones)."""
    return IndexChoice(HNSW, m=m, ef_construction=ef_construction, ef_search=ef_search, candidates=ANN_CANDIDATES)


def ivf(n: int, nlist: int | None = None, nprobe: int = IVF_NPROBE) -> IndexChoice:
    """An IVF choice for ``n`` vectors (``nlist`` ≈ 4·√n unless given)."""
    lists = nlist or max(1, int(4 * np.sqrt(max(n, 1))))
    return IndexChoice(IVF, nlist=lists, nprobe=min(nprobe, lists), candidates=ANN_CANDIDATES)


def choose_index(n: int, *, exact_max: int = EXACT_MAX_VECTORS, large: str = HNSW) -> IndexChoice:
    """The index for ``n`` vectors: exact up to ``exact_max``, else ``large`` (``"hnsw"`` or ``"ivf"``)."""
    if n <= exact_max:
        return IndexChoice()
    if large == IVF:
        return ivf(n)
    if large == HNSW:
        return hnsw()
    raise SnapshotError(f"unknown large index kind {large!r} (use {HNSW} or {IVF})")


class DenseIndex:
    """Inner-product search over L2-normalised vectors (cosine similarity), exact or approximate."""

    def __init__(self, index: Any, choice: IndexChoice | None = None) -> None:
        self._index = index
        self.choice = choice or IndexChoice()
        self._apply_search_parameters()

    @classmethod
    def build(cls, vectors: np.ndarray, choice: IndexChoice | None = None) -> DenseIndex:
        """Index ``vectors`` (n × d, float32, rows L2-normalised) with ``choice`` (by default :func:`choose_index`)."""
        import faiss

        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.ndim != 2:
            matrix = matrix.reshape(len(matrix), -1)
        dimension = matrix.shape[1]
        choice = choice or choose_index(len(matrix))
        index: Any
        if choice.kind == HNSW:
            index = faiss.IndexHNSWFlat(dimension, choice.m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = choice.ef_construction
        elif choice.kind == IVF:
            nlist = max(1, min(choice.nlist, len(matrix)))
            choice = replace(choice, nlist=nlist, nprobe=min(choice.nprobe, nlist))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, nlist, faiss.METRIC_INNER_PRODUCT)
            if len(matrix):
                index.train(matrix)
        else:
            index = faiss.IndexFlatIP(dimension)
        if len(matrix):
            index.add(matrix)
        if choice.kind == IVF:
            index.make_direct_map()  # reconstruct() for incremental builds
        return cls(index, choice)

    def _apply_search_parameters(self) -> None:
        if self.choice.kind == HNSW:
            self._index.hnsw.efSearch = self.choice.ef_search
        elif self.choice.kind == IVF:
            self._index.nprobe = self.choice.nprobe

    def with_search_parameters(self, *, ef_search: int | None = None, nprobe: int | None = None) -> DenseIndex:
        """This index searched with another ``efSearch`` / ``nprobe`` (tuning; shares the index data)."""
        choice = replace(
            self.choice,
            ef_search=ef_search if ef_search is not None else self.choice.ef_search,
            nprobe=nprobe if nprobe is not None else self.choice.nprobe,
        )
        return DenseIndex(self._index, choice)

    @property
    def dimension(self) -> int:
        """Vector dimension."""
        return int(self._index.d)

    @property
    def size(self) -> int:
        """Number of indexed vectors."""
        return int(self._index.ntotal)

    @property
    def exact(self) -> bool:
        """Whether every search is exact."""
        return self.choice.kind == FLAT

    def vectors(self) -> np.ndarray:
        """Every indexed vector (n × d, float32) in index order, as they were added."""
        if self.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._index.reconstruct_n(0, self.size), dtype=np.float32)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows of each query (q × d or d): ``(similarities, ids)``, both q × k, ids -1 when fewer."""
        matrix = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, self.size)) if self.size else 1
        if self.size == 0:
            return np.zeros((len(matrix), 0), dtype=np.float32), np.zeros((len(matrix), 0), dtype=np.int64)
        if self.choice.kind == HNSW:
            # efSearch must cover k, otherwise HNSW returns fewer than k neighbours.
            self._index.hnsw.efSearch = max(self.choice.ef_search, k)
        sims, ids = self._index.search(matrix, k)
        return sims, ids

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of ``query`` (d,) with every indexed vector, in index order.

        Exact for a flat index. An approximate index scores its ``candidates`` nearest rows exactly and
        gives every other row the lowest of those scores (a row outside them is no closer).
        """
        n = self.size
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        k = n if self.exact else min(n, self.choice.candidates or ANN_CANDIDATES)
        sims, ids = self.search(query.reshape(1, -1), k)
        found = ids[0] >= 0
        floor = float(sims[0][found].min()) if found.any() else 0.0
        out = np.full(n, floor if not self.exact else 0.0, dtype=np.float32)
        out[ids[0][found]] = sims[0][found]
        return out

    def save(self, path: Path) -> None:
        """Write the index to ``path``."""
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, choice: IndexChoice | None = None) -> DenseIndex:
        """Read an index written by :meth:`save`, searched with ``choice``'s parameters (from the manifest)."""
        import faiss

        index = faiss.read_index(str(path))
        if choice is None:
            choice = IndexChoice()
        expected = {FLAT: "IndexFlat", HNSW: "IndexHNSW", IVF: "IndexIVF"}[choice.kind]
        if not type(index).__name__.startswith(expected):
            raise SnapshotError(
                f"{path.name} holds a {type(index).__name__}, the manifest says {choice.kind}: rebuild the index"
            )
        return cls(index, choice)
