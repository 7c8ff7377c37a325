"""The :class:`Embedder` protocol: what indexing, retrieval and answering need of an embedding model.

Implementations: :class:`bot.embedding.transformer.SentenceTransformerEmbedder` (the real model) and
:class:`bot.embedding.fake.FakeEmbedder` (deterministic, no model, for tests and benchmarks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may be encoded differently.

    ``name`` identifies the model in index manifests (an index is only valid with the same model);
    ``dimension`` is the vector size. Both methods return an array of shape ``(len(texts), dimension)``,
    also for an empty input.
    """

    name: str
    dimension: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of search queries (rows L2-normalised, float32)."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of indexed passages (rows L2-normalised, float32)."""
        ...
