"""Test doubles for expensive dependencies."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.models import FACT_RESPONSIBILITY, FACT_TARGET, ROLE_LEAD, Fact
from bot.snapshot.lexical import LexicalIndex
from bot.snapshot.store import write_snapshot
from bot.text.normalize import NORMALIZER_VERSION, fold, tokens


class FakeEmbedder:
    """A deterministic bag-of-syllables embedder implementing ``bot.embedding.Embedder``.

    Texts sharing folded syllables get similar vectors, which is enough for retrieval tests that must
    not load the real model. Calls are counted so tests can check what was embedded.
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
        return self._embed(texts, "query")

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, "passage")


def write_fake_index(
    index_dir: Path, embedder: FakeEmbedder, *, activate: bool = True, facts: Sequence[Fact] = ()
) -> str:
    """Write the small two-plan corpus of ``tests.conftest.make_corpus`` as a snapshot; its id."""
    from tests.conftest import make_corpus

    documents, chunks = make_corpus()
    texts = [c.index_text for c in chunks]
    return write_snapshot(
        index_dir,
        model=embedder.name,
        normalizer_version=NORMALIZER_VERSION,
        documents=documents,
        chunks=chunks,
        vectors=embedder.embed_passages(texts),
        lexical=LexicalIndex.build(texts),
        facts=facts,
        activate=activate,
    ).snapshot_id


def corpus_facts() -> list[Fact]:
    """Facts of the corpus of ``tests.conftest.make_corpus``: one responsibility, two targets."""
    from tests.conftest import make_corpus

    _, chunks = make_corpus()
    duty, target, other_target = chunks[1], chunks[0], chunks[3]
    return [
        Fact(
            FACT_RESPONSIBILITY,
            duty.doc_id,
            duty.section_path,
            "- Chủ trì tham mưu UBND phường triển khai kế hoạch.",
            subject="Phòng Văn hóa - Xã hội",
            role=ROLE_LEAD,
            detail="Chủ trì tham mưu",
            chunk_id=duty.chunk_id,
        ),
        Fact(
            FACT_TARGET,
            target.doc_id,
            target.section_path,
            "- 80% tổ dân phố có nhà văn hóa đạt chuẩn.",
            subject="tổ dân phố có nhà văn hóa đạt chuẩn",
            value="80%",
            chunk_id=target.chunk_id,
        ),
        Fact(
            FACT_TARGET,
            other_target.doc_id,
            other_target.section_path,
            other_target.text,
            subject="gia đình văn hóa",
            value="90%",
            chunk_id=other_target.chunk_id,
        ),
    ]
