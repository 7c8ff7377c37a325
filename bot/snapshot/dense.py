"""Dense vector search: the only home of faiss (imported lazily, so reading a manifest stays cheap)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


class DenseIndex:
    """Exact inner-product search over L2-normalised vectors (cosine similarity)."""

    def __init__(self, index: Any) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> DenseIndex:
        """Index ``vectors`` (n × d, float32, rows L2-normalised)."""
        import faiss

        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(matrix.shape[1])
        if len(matrix):
            index.add(matrix)
        return cls(index)

    @property
    def dimension(self) -> int:
        """Vector dimension."""
        return int(self._index.d)

    @property
    def size(self) -> int:
        """Number of indexed vectors."""
        return int(self._index.ntotal)

    def vectors(self) -> np.ndarray:
        """Every indexed vector (n × d, float32) in index order, as they were added."""
        if self.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._index.reconstruct_n(0, self.size), dtype=np.float32)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of ``query`` (d,) with every indexed vector, in index order."""
        n = self.size
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        sims, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), n)
        out = np.zeros(n, dtype=np.float32)
        out[ids[0]] = sims[0]
        return out

    def save(self, path: Path) -> None:
        """Write the index to ``path``."""
        import faiss

        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        """Read an index written by :meth:`save`."""
        import faiss

        return cls(faiss.read_index(str(path)))
