"""A deterministic embedder without a model: for tests and for benchmarks that must not load e5.

Its vectors carry no meaning beyond shared syllables, so answers built on it say nothing about the
real model's quality; what it exercises is everything around the embedding (indexing, storage, search).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from bot.text.normalize import fold, tokens


class FakeEmbedder:
    """A deterministic bag-of-syllables embedder implementing :class:`bot.embedding.protocol.Embedder`.

    Texts sharing folded syllables get similar vectors, which is enough for retrieval tests that must
    not load the real model. Calls are counted (``calls``: ``(kind, number of texts)``) so tests can
    check what was embedded.
    """

    def __init__(self, name: str = "fake-embedder", dimension: int = 64) -> None:
        self.name = name
        self.dimension = dimension
        self.calls: list[tuple[str, int]] = []

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for token in tokens(text):
            digest = hashlib.blake2b(fold(token).encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dimension] += 1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def _embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        self.calls.append((kind, len(texts)))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` as queries (same as passages): shape ``(len(texts), dimension)``, unit rows."""
        return self._embed(texts, "query")

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` as passages: shape ``(len(texts), dimension)``, unit rows."""
        return self._embed(texts, "passage")
