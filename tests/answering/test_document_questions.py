"""Questions naming a document by its number are answered from that document, end to end (fake embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.engine import STATUS_ANSWERED, STATUS_NOT_FOUND, AnswerService
from bot.answering.service import ServiceHolder
from bot.http.app import create_app
from bot.models import KIND_BODY, KIND_HEADER, DocumentMeta
from bot.retrieval.hybrid import Retriever
from bot.snapshot.store import load_snapshot
from tests.fakes import FakeEmbedder, passage_chunks, write_index

DECREE = DocumentMeta(
    doc_id="nd86",
    source="nd86.txt",
    title="Nghị định quy định khung tiêu chuẩn xét tặng danh hiệu Gia đình văn hóa",
    doc_type="Nghị định",
    number="86/2023/NĐ-CP",
    date="07/12/2023",
    issuer="Chính phủ",
)
BA_CHE = DocumentMeta(
    doc_id="kh47",
    source="kh47.txt",
    title="Kế hoạch xét tặng danh hiệu Gia đình văn hóa huyện Ba Chẽ năm 2020",
    doc_type="Kế hoạch",
    number="47/KH-BCĐ",
    date="14/04/2020",
    issuer="Ban Chỉ đạo phong trào huyện Ba Chẽ",
    locality="huyện Ba Chẽ",
)
KINH_MON = DocumentMeta(
    doc_id="kh78",
    source="kh78.txt",
    title="Kế hoạch xét tặng danh hiệu Gia đình văn hóa phường Kinh Môn",
    doc_type="Kế hoạch",
    number="78/KH-UBND",
    date="29/09/2025",
    issuer="Ủy ban nhân dân phường Kinh Môn",
    locality="phường Kinh Môn",
    implements=("Nghị định số 86/2023/NĐ-CP ngày 07 tháng 12 năm 2023 của Chính phủ",),
)
# Every document speaks of the same title ("Gia đình văn hóa"); the plans state different targets.
SPECS = [
    (DECREE, KIND_HEADER, ("Phần đầu văn bản",), "CHÍNH PHỦ\nSố: 86/2023/NĐ-CP\nHà Nội, ngày 07 tháng 12 năm 2023"),
    (
        DECREE,
        KIND_BODY,
        ("Điều 1. Phạm vi điều chỉnh",),
        "Nghị định này quy định khung tiêu chuẩn xét tặng danh hiệu “Gia đình văn hóa”; trình tự, thủ tục, "
        "hồ sơ xét tặng danh hiệu.",
    ),
    (
        BA_CHE,
        KIND_BODY,
        ("II. CHỈ TIÊU",),
        "Phấn đấu 90% hộ gia đình được công nhận danh hiệu “Gia đình văn hóa”.",
    ),
    (
        KINH_MON,
        KIND_BODY,
        ("II. CHỈ TIÊU",),
        "Phấn đấu 95% hộ gia đình được công nhận danh hiệu “Gia đình văn hóa”.",
    ),
    (
        KINH_MON,
        KIND_BODY,
        ("III. TRÌNH TỰ BÌNH XÉT",),
        "Theo Nghị định số 86/2023/NĐ-CP, việc bình xét danh hiệu “Gia đình văn hóa” hằng năm hoàn thành "
        "trước ngày 25 tháng 11.",
    ),
]


def _write_index(folder: Path, embedder: FakeEmbedder) -> None:
    chunks = passage_chunks([(meta, path, text) for meta, _, path, text in SPECS], [kind for _, kind, _, _ in SPECS])
    write_index(folder, embedder, [DECREE, BA_CHE, KINH_MON], chunks)


@pytest.fixture
def service(tmp_path: Path) -> AnswerService:
    embedder = FakeEmbedder()
    _write_index(tmp_path, embedder)
    return AnswerService(Retriever(load_snapshot(tmp_path), embedder))


def test_a_question_naming_a_plan_by_number_is_answered_from_it_alone(service: AnswerService) -> None:
    question = "bao nhiêu phần trăm hộ gia đình được công nhận danh hiệu Gia đình văn hóa?"
    everyone = service.ask(question)
    assert {c.doc_id for c in everyone.citations} == {"kh47", "kh78"}  # the plans share the topic
    for named in (f"Kế hoạch 47/KH-BCĐ đặt chỉ tiêu {question}", f"ke hoach 47 nam 2020: {question}"):
        answer = service.ask(named)
        assert answer.status == STATUS_ANSWERED
        assert {c.doc_id for c in answer.citations} == {"kh47"}
        assert "90%" in answer.answer and "95%" not in answer.answer


def test_a_header_question_on_a_named_decree(service: AnswerService) -> None:
    for question in ("Nghị định 86/2023/NĐ-CP được ban hành ngày nào?", "nghi dinh 86 ban hanh ngay nao"):
        answer = service.ask(question)
        assert answer.status == STATUS_ANSWERED
        assert "07 tháng 12 năm 2023" in answer.answer
        assert [c.doc_id for c in answer.citations] == ["nd86"]
        assert "Hà Nội, ngày 07 tháng 12 năm 2023" in answer.citations[0].quote


def test_what_the_named_decree_does_not_say_comes_from_the_documents_citing_it(service: AnswerService) -> None:
    answer = service.ask("Theo Nghị định 86/2023/NĐ-CP, bình xét Gia đình văn hóa hằng năm hoàn thành trước ngày nào?")
    assert answer.status == STATUS_ANSWERED
    assert "25 tháng 11" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"kh78"}  # the plan applying the decree, cited as such


def test_a_number_the_index_does_not_hold(service: AnswerService) -> None:
    answer = service.ask("Kế hoạch 99/KH-UBND đặt chỉ tiêu gia đình văn hóa bao nhiêu?")
    assert answer.status == STATUS_NOT_FOUND
    assert answer.answer.startswith("Không có văn bản Kế hoạch 99/KH-UBND trong dữ liệu.")
    assert answer.citations == ()


def test_ask_and_search_over_http(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    _write_index(tmp_path, embedder)
    client = TestClient(create_app(ServiceHolder(tmp_path, embedder)))
    body = client.post("/ask", json={"question": "KH 47/KH-BCĐ đặt chỉ tiêu gia đình văn hóa bao nhiêu?"}).json()
    assert body["status"] == STATUS_ANSWERED
    assert {c["doc_id"] for c in body["citations"]} == {"kh47"}
    # a search lists the named decree's passages and those of the plan applying it, no other plan's
    found = client.get("/search", params={"q": "Nghị định 86/2023/NĐ-CP gia đình văn hóa", "k": 5}).json()
    assert {hit["doc_id"] for hit in found["results"]} == {"nd86", "kh78"}


def test_search_puts_the_named_document_first(service: AnswerService) -> None:
    """The named decree's own passages hold the first half of the places, even where the plan
    citing it scores higher; the plan fills the rest."""
    hits = service.search("Nghị định 86/2023/NĐ-CP chỉ tiêu gia đình văn hóa", k=3)
    assert [h.chunk.doc_id for h in hits[:2]] == ["nd86", "nd86"]
    assert "kh78" in {h.chunk.doc_id for h in hits}
    assert len({h.chunk.chunk_id for h in hits}) == len(hits)
