"""The answer service over the two small plans of ``tests.conftest.make_corpus``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.engine import AnswerService
from bot.retrieval.hybrid import Retriever
from bot.snapshot.lexical import LexicalIndex
from bot.snapshot.store import load_snapshot, write_snapshot
from tests.conftest import make_corpus
from tests.fakes import FakeEmbedder


@pytest.fixture
def service(tmp_path: Path) -> AnswerService:
    documents, chunks = make_corpus()
    texts = [c.index_text for c in chunks]
    embedder = FakeEmbedder()
    write_snapshot(
        tmp_path,
        model=embedder.name,
        normalizer_version="x",
        documents=documents,
        chunks=chunks,
        vectors=embedder.embed_passages(texts),
        lexical=LexicalIndex.build(texts),
    )
    return AnswerService(Retriever(load_snapshot(tmp_path), embedder), max_question_chars=200)
