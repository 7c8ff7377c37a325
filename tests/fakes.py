"""Test doubles for expensive dependencies."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.embedding.fake import FakeEmbedder
from bot.models import FACT_RESPONSIBILITY, FACT_TARGET, KIND_BODY, ROLE_LEAD, Chunk, DocumentMeta, Fact
from bot.snapshot.lexical import LexicalIndex
from bot.snapshot.store import write_snapshot
from bot.text.normalize import NORMALIZER_VERSION

Passage = tuple[DocumentMeta, tuple[str, ...], str]  # a document, the section path, the text


def passage_chunks(passages: Sequence[Passage], kinds: Sequence[str] = ()) -> list[Chunk]:
    """Chunks ``c0``, ``c1``... of ``passages``, with the context a build would give them (title,
    locality, section path); ``kinds[i]`` is the section kind of the i-th (default: body)."""
    return [
        Chunk(
            chunk_id=f"c{i}",
            doc_id=meta.doc_id,
            section_path=path,
            text=text,
            context=f"{meta.title}\n{meta.locality or ''}\n{' > '.join(path)}",
            kind=kinds[i] if i < len(kinds) else KIND_BODY,
            ordinal=i,
        )
        for i, (meta, path, text) in enumerate(passages)
    ]


def write_index(
    index_dir: Path,
    embedder: FakeEmbedder,
    documents: Sequence[DocumentMeta],
    chunks: Sequence[Chunk],
    *,
    facts: Sequence[Fact] = (),
    activate: bool = True,
) -> str:
    """Write ``documents`` and ``chunks`` as a snapshot of ``index_dir`` embedded by ``embedder``; its id."""
    texts = [c.index_text for c in chunks]
    return write_snapshot(
        index_dir,
        model=embedder.name,
        normalizer_version=NORMALIZER_VERSION,
        documents=list(documents),
        chunks=list(chunks),
        vectors=embedder.embed_passages(texts),
        lexical=LexicalIndex.build(texts),
        facts=facts,
        activate=activate,
    ).snapshot_id


def write_fake_index(
    index_dir: Path, embedder: FakeEmbedder, *, activate: bool = True, facts: Sequence[Fact] = ()
) -> str:
    """Write the small two-plan corpus of ``tests.conftest.make_corpus`` as a snapshot; its id."""
    from tests.conftest import make_corpus

    documents, chunks = make_corpus()
    return write_index(index_dir, embedder, documents, chunks, facts=facts, activate=activate)


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
