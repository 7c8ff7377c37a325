"""Test doubles for expensive dependencies."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.embedding.fake import FakeEmbedder
from bot.models import FACT_RESPONSIBILITY, FACT_TARGET, ROLE_LEAD, Fact
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
