"""The HTTP API through FastAPI's TestClient, on a small corpus with a fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.http.app import create_app
from tests.fakes import FakeEmbedder, write_fake_index


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    return TestClient(create_app(ServiceHolder(tmp_path, embedder)))


def test_ask_returns_the_contract(client: TestClient) -> None:
    response = client.post("/ask", json={"question": "Công an xã chủ trì việc gì?"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "answered"
    assert "tệ nạn xã hội" in body["answer"]
    citation = body["citations"][0]
    assert set(citation) == {"doc_id", "title", "locality", "section", "quote", "score", "pages"}
    assert citation["pages"] == []  # a .txt plan has no pages
    assert citation["locality"] == "xã Tân Hòa"
    assert isinstance(body["took_ms"], float)


def test_ask_with_locality_field(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "gia đình văn hóa", "locality": "phường An Bình"}).json()
    assert {c["locality"] for c in body["citations"]} == {"phường An Bình"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"question": ""}, "must not be empty"),
        ({"question": "   \t\n "}, "must not be empty"),
        ({"question": "a" * 2001}, "too long"),
        ({}, "question"),
        ({"question": 12}, "question"),
    ],
)
def test_unusable_questions_get_422_with_a_message(client: TestClient, payload: dict, message: str) -> None:  # type: ignore[type-arg]
    response = client.post("/ask", json=payload)
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_search(client: TestClient) -> None:
    response = client.get("/search", params={"q": "kinh phi ngan sach", "k": 2})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    assert results[0]["section"] == "III. KINH PHÍ"
    assert set(results[0]) == {"doc_id", "title", "locality", "section", "text", "score"}
    assert client.get("/search", params={"q": "x", "k": 0}).status_code == 422
    assert client.get("/search", params={"q": ""}).status_code == 422


def test_documents_and_health(client: TestClient) -> None:
    documents = client.get("/documents").json()
    assert [d["doc_id"] for d in documents] == ["alpha", "beta"]
    assert documents[0]["number"] == "12/KH-UBND" and documents[0]["chunks"] == 3
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["documents"] == 2 and health["chunks"] == 6
    assert health["model"] == "fake-embedder"


def test_missing_index_is_503_with_a_message(tmp_path: Path) -> None:
    client = TestClient(create_app(ServiceHolder(tmp_path / "empty", FakeEmbedder())))
    response = client.post("/ask", json={"question": "xin chào"})
    assert response.status_code == 503
    assert "campaign-bot index build" in response.json()["error"]


def test_reload_switches_snapshot(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    first = write_fake_index(tmp_path, embedder)
    holder = ServiceHolder(tmp_path, embedder)
    client = TestClient(create_app(holder))
    assert client.get("/health").json()["snapshot"] == first
    second = write_fake_index(tmp_path, embedder)
    assert holder.reload() == second
    assert client.get("/health").json()["snapshot"] == second
