from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.hybrid import Retriever, has_diacritics, locality_key
from bot.snapshot.lexical import LexicalIndex, folded_tokens, word_tokens
from bot.snapshot.store import load_snapshot, write_snapshot
from tests.conftest import make_corpus
from tests.fakes import FakeEmbedder


@pytest.fixture
def retriever(tmp_path: Path) -> Retriever:
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
    return Retriever(load_snapshot(tmp_path), embedder)


def test_tokens_for_both_fields() -> None:
    assert "tuyên_truyền" in word_tokens("Đẩy mạnh công tác tuyên truyền")
    folded = folded_tokens("Uỷ ban nhân dân")
    assert folded[:4] == ["uy", "ban", "nhan", "dan"]
    assert "nhan_dan" in folded
    # one tone-mark placement: the old and new spellings index identically
    assert folded_tokens("hoá") == folded_tokens("hóa")
    assert word_tokens("Văn hoá") == word_tokens("Văn hóa")


def test_diacritics_detection_and_locality_key() -> None:
    assert has_diacritics("ai phụ trách")
    assert not has_diacritics("ai phu trach")
    assert locality_key("phường Kinh Môn") == "kinh mon"
    assert locality_key("thị trấn Cao Lộc") == "cao loc"
    assert locality_key("Văn phòng UBND tỉnh Sơn La") == "son la"


def test_search_with_and_without_diacritics_finds_the_same_section(retriever: Retriever) -> None:
    accented = retriever.search("phòng chống tệ nạn xã hội do ai chủ trì", k=1)
    plain = retriever.search("phong chong te nan xa hoi do ai chu tri", k=1)
    assert accented[0].chunk.section_path[-1] == "2. Công an xã"
    assert plain[0].chunk.chunk_id == accented[0].chunk.chunk_id
    assert 0 <= plain[0].score <= 1


def test_abbreviations_match_full_forms(retriever: Retriever) -> None:
    hit = retriever.search("Phòng VH-XH chủ trì tham mưu UBND", k=1)[0]
    assert hit.chunk.section_path[-1] == "1. Phòng Văn hóa - Xã hội"


def test_locality_filter(retriever: Retriever) -> None:
    assert retriever.documents_for_locality("gia dinh van hoa o tan hoa") == {"beta"}
    assert retriever.documents_for_locality("P. An Bình") == {"alpha"}
    assert retriever.documents_for_locality("Hà Nội") == set()
    hits = retriever.search("danh hiệu Gia đình văn hóa", k=5, doc_ids={"beta"})
    assert hits and {h.chunk.doc_id for h in hits} == {"beta"}


def test_per_document_candidates_reach_every_plan(retriever: Retriever) -> None:
    top = retriever.search("gia đình văn hóa", k=1)
    assert len(top) == 1
    both = retriever.search("gia đình văn hóa", k=1, per_document=1)
    assert {h.chunk.doc_id for h in both} == {"alpha", "beta"}
    assert both[0] == top[0]  # the best hit stays first; the other plan's best follows
    assert retriever.search("gia đình văn hóa", k=1, doc_ids={"beta"}, per_document=2)[0].chunk.doc_id == "beta"
