"""The HTTP API through FastAPI's TestClient, on a small corpus with a fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot import __version__
from bot.answering.service import ServiceHolder
from bot.cli import wiring
from bot.config import Settings
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


def long_question(chars: int) -> str:
    text = ("Công an xã chủ trì việc gì? " * (chars // 28 + 1))[:chars]
    assert len(text) == chars
    return text


@pytest.fixture
def client_5000(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The app as ``campaign-bot serve`` wires it, with CAMPAIGN_BOT_MAX_QUESTION_CHARS=5000."""
    monkeypatch.setenv("CAMPAIGN_BOT_MAX_QUESTION_CHARS", "5000")
    settings = Settings(index_dir=tmp_path)
    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    return TestClient(create_app(wiring.service_holder(settings, embedder), settings))


def test_question_limit_of_ask_is_the_setting(client_5000: TestClient) -> None:
    ok = client_5000.post("/ask", json={"question": long_question(3000)})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] in {"answered", "not_found"}
    too_long = client_5000.post("/ask", json={"question": long_question(5001)})
    assert too_long.status_code == 422
    assert too_long.json()["error"] == "question: Value error, question is too long (5001 characters, at most 5000)"


def test_question_limit_of_search_is_the_setting(client_5000: TestClient) -> None:
    ok = client_5000.get("/search", params={"q": long_question(3000), "k": 2})
    assert ok.status_code == 200, ok.text
    assert len(ok.json()["results"]) == 2
    too_long = client_5000.get("/search", params={"q": long_question(5001)})
    assert too_long.status_code == 422
    assert too_long.json()["error"] == "q: String should have at most 5000 characters"


def test_default_limit_refuses_3000_characters(client: TestClient) -> None:
    response = client.post("/ask", json={"question": long_question(3000)})
    assert response.status_code == 422
    assert "at most 2000" in response.json()["error"]
    assert client.get("/search", params={"q": long_question(3000)}).status_code == 422


def test_openapi_schema_states_the_limit_and_the_version(client_5000: TestClient) -> None:
    schema = client_5000.get("/openapi.json").json()
    assert schema["info"]["version"] == __version__
    question = schema["components"]["schemas"]["AskRequest"]["properties"]["question"]
    assert question["maxLength"] == 5000 and "5.000 ký tự" in question["description"]
    (q,) = [p for p in schema["paths"]["/search"]["get"]["parameters"] if p["name"] == "q"]
    assert q["schema"]["maxLength"] == 5000


def test_holder_and_settings_must_agree_on_the_limit(tmp_path: Path) -> None:
    holder = ServiceHolder(tmp_path, FakeEmbedder(), max_question_chars=2000)
    with pytest.raises(ValueError, match="2000 characters per question, the settings 5000"):
        create_app(holder, Settings(max_question_chars=5000))
