"""Test doubles for expensive dependencies."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.embedding.fake import FakeEmbedder
from bot.models import Fact
from bot.snapshot.lexical import LexicalIndex
from bot.snapshot.store import write_snapshot
from bot.text.normalize import NORMALIZER_VERSION


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
