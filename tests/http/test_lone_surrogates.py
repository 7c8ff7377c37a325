"""A lone UTF-16 surrogate is no text: every way it can arrive gets a clear 422, never a 500.

JSON may carry one as an escape (``"\\udc00"``); Python keeps it in a ``str`` that no later step
(the word segmenter, the JSON encoder of a response) can encode. The real word segmenter crashed on
it; the fake corpus here goes through the same validation, which refuses it before any of that.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.errors import QueryError
from bot.http.app import create_app
from bot.text.normalize import lone_surrogate, without_surrogates
from tests.fakes import FakeEmbedder, write_fake_index


@pytest.fixture
def holder(tmp_path: Path) -> ServiceHolder:
    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    return ServiceHolder(tmp_path, embedder)


@pytest.fixture
def client(holder: ServiceHolder) -> TestClient:
    return TestClient(create_app(holder), raise_server_exceptions=False)


@pytest.mark.parametrize(
    "body",
    [
        b'{"question": "\\udc00"}',
        b'{"question": "ai \\ud800 ph\\u1ee5 tr\\u00e1ch"}',
        b'{"question": "\\ud83d kinh mon"}',  # the first half of an emoji, the second half lost
    ],
)
def test_ask_refuses_a_lone_surrogate_with_422(client: TestClient, body: bytes) -> None:
    response = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "lone UTF-16 surrogate" in response.json()["error"]


def test_a_surrogate_in_an_overlong_question_still_gets_its_422(client: TestClient) -> None:
    """The refusal echoes the input: the echo must be encodable too."""
    body = b'{"question": "' + b"a" * 3000 + b'\\udc00", "k": "many"}'
    response = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "\ufffd" in response.text or "surrogate" in response.json()["error"]


def test_locality_with_a_lone_surrogate_is_422(client: TestClient) -> None:
    body = b'{"question": "ai ch\\u1ee7 tr\\u00ec", "locality": "ph\\u01b0\\u1eddng \\udfff"}'
    response = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "địa bàn" in response.json()["error"]


def test_search_with_undecodable_bytes_is_not_a_5xx(client: TestClient) -> None:
    # %ED%A0%80 is a surrogate encoded as UTF-8 bytes: not valid UTF-8
    response = client.get("/search?q=ai%ED%A0%80")
    assert response.status_code < 500


def test_the_engine_refuses_it_for_every_adapter(holder: ServiceHolder) -> None:
    """Telegram and the CLI call the engine directly; a CLI argument of undecodable bytes arrives
    as a surrogate (Python's surrogateescape)."""
    service = holder.get()
    with pytest.raises(QueryError, match="không hợp lệ"):
        service.ask("ai ph\udce1 tr\u00e1ch")
    with pytest.raises(QueryError, match="không hợp lệ"):
        service.search("\udc80")
    with pytest.raises(QueryError, match="địa bàn"):
        service.ask("ai chủ trì", locality="\ud800")


def test_surrogate_helpers() -> None:
    assert lone_surrogate("an toàn") is None
    assert lone_surrogate("ab\udc00") == 2
    assert without_surrogates("a\ud800b") == "a\ufffdb"
    assert without_surrogates("ổn 👍") == "ổn 👍"  # a real emoji is a character, kept
