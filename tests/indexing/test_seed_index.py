"""Integration: the real model and a real index of the bundled plans, through the real entry points."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.http.app import create_app
from bot.snapshot.store import load_snapshot
from tests.conftest import DOCUMENTS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(seed_index: Path, real_embedder) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(ServiceHolder(seed_index, real_embedder)))


def test_index_holds_every_bundled_plan(seed_index: Path, real_embedder) -> None:  # type: ignore[no-untyped-def]
    snapshot = load_snapshot(seed_index)
    assert len(snapshot.documents) == len(list(DOCUMENTS.iterdir())) == 5
    assert snapshot.manifest.model == real_embedder.name
    assert snapshot.manifest.dimension == 384
    assert {d.locality for d in snapshot.documents} >= {
        "phường Kinh Môn",
        "thị trấn Cao Lộc",
        "phường Lê Chân",
    }


def _quote_in_plan(quote: str, source: str) -> bool:
    """The quote is a span of the plan file exactly as written (Markdown markers, line breaks and all)."""
    return quote in unicodedata.normalize("NFC", (DOCUMENTS / source).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("question", "locality", "expected"),
    [
        (
            "Phường Lê Chân giao đơn vị nào chủ trì phòng, chống tệ nạn xã hội?",
            "phường Lê Chân",
            "Công an phường",
        ),
        (
            "phuong kinh mon phan dau bao nhieu phan tram dan so tap luyen the duc the thao",
            "phường Kinh Môn",
            "47%",
        ),
        ("Văn phòng UBND tỉnh Sơn La báo cáo kết quả 6 tháng trước ngày nào?", "Sơn La", "15/6/2026"),
    ],
)
def test_answers_cite_the_right_plan(client: TestClient, question: str, locality: str, expected: str) -> None:
    body = client.post("/ask", json={"question": question}).json()
    assert body["status"] == "answered", body
    assert expected in body["answer"]
    assert locality in body["citations"][0]["locality"]
    sources = {d["doc_id"]: d["source"] for d in client.get("/documents").json()}
    for citation in body["citations"]:
        assert _quote_in_plan(citation["quote"], sources[citation["doc_id"]]), citation["quote"]


def test_unrelated_question_is_not_found(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "Giá vàng hôm nay bao nhiêu một chỉ?"}).json()
    assert body["status"] == "not_found"
    assert "không nêu" in body["answer"]


def test_search_without_diacritics(client: TestClient) -> None:
    results = client.get("/search", params={"q": "hoi nghi tong ket 20 nam cap huyen", "k": 5}).json()["results"]
    assert results and results[0]["locality"] == "huyện Cẩm Xuyên"


def test_health(client: TestClient, seed_index: Path) -> None:
    health = client.get("/health").json()
    assert health["documents"] == 5 and health["dimension"] == 384
    assert health["snapshot"] == (seed_index / "current").read_text().strip()
