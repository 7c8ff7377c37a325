"""The operational layer through the real app: rate limit (429), in-flight bound (503), the JSON request
log, the request id, ``/metrics`` and CORS, on the small fake corpus."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import anyio
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.abuse import InFlightLimitMiddleware
from bot.http.app import create_app
from bot.http.logs import JsonFormatter
from tests.fakes import FakeEmbedder, write_fake_index


def make_client(tmp_path: Path, **settings: object) -> TestClient:
    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    app = create_app(ServiceHolder(tmp_path, embedder), Settings(index_dir=tmp_path, **settings))  # type: ignore[arg-type]
    return TestClient(app)


def metric_samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_rate_limit_per_client_gives_429_with_retry_after(tmp_path: Path) -> None:
    client = make_client(tmp_path, rate_limit=3)
    statuses = [client.post("/ask", json={"question": "ai chủ trì"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.post("/ask", json={"question": "ai chủ trì"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "thử lại sau" in refused.json()["error"]
    assert client.get("/search", params={"q": "kinh phí"}).status_code == 429  # the same client, the same budget
    assert client.get("/health").status_code == 200  # not a question: never limited
    assert metric_samples(client)[("campaign_bot_rate_limited_total", (("route", "/ask"),))] == 1.0


def test_rate_limit_zero_turns_it_off(tmp_path: Path) -> None:
    client = make_client(tmp_path, rate_limit=0)
    assert all(client.get("/search", params={"q": "kinh phí"}).status_code == 200 for _ in range(70))


def test_in_flight_bound_refuses_at_once_with_503() -> None:
    release = threading.Event()
    entered = anyio.Event()

    inner = FastAPI()

    @inner.get("/slow")
    async def slow() -> dict[str, bool]:
        entered.set()
        await anyio.to_thread.run_sync(release.wait)
        return {"ok": True}

    app = InFlightLimitMiddleware(inner, limit=1)

    async def scenario() -> tuple[int, int, str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            async with anyio.create_task_group() as group:
                first: list[httpx.Response] = []

                async def hold() -> None:
                    first.append(await client.get("/slow"))

                group.start_soon(hold)
                await entered.wait()
                second = await client.get("/slow")
                release.set()
            return first[0].status_code, second.status_code, second.headers.get("retry-after", "")

    held, refused, retry_after = anyio.run(scenario)
    assert (held, refused) == (200, 503)
    assert retry_after == "1"


def test_every_request_logs_one_json_line_without_the_question(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(tmp_path)
    with caplog.at_level(logging.INFO, logger="campaign_bot.request"):
        response = client.post("/ask", json={"question": "ai chủ trì bí mật"}, headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    records = [r for r in caplog.records if r.name == "campaign_bot.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "abc-123"
    assert line["route"] == "/ask"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["answer_status"] in {"answered", "not_found", "choices", "out_of_scope"}
    assert "bí mật" not in json.dumps(line, ensure_ascii=False)


def test_questions_are_logged_only_when_configured(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(tmp_path, log_questions=True)
    with caplog.at_level(logging.INFO, logger="campaign_bot.request"):
        client.post("/ask", json={"question": "ai chủ trì bí mật"})
    (record,) = [r for r in caplog.records if r.name == "campaign_bot.request"]
    assert record.fields["question"] == "ai chủ trì bí mật"  # type: ignore[attr-defined]


def test_a_forged_request_id_is_replaced(tmp_path: Path) -> None:
    client = make_client(tmp_path)
    response = client.get("/health", headers={"X-Request-ID": "bad id\nwith newline"})
    assert response.headers["x-request-id"] != "bad id\nwith newline"
    assert len(response.headers["x-request-id"]) == 32


def test_metrics_count_requests_answers_and_the_snapshot(tmp_path: Path) -> None:
    client = make_client(tmp_path)
    client.post("/ask", json={"question": "ai chủ trì"})
    client.post("/ask", json={"question": "ai chủ trì"})
    client.post("/ask", json={"question": ""})  # 422
    samples = metric_samples(client)
    assert samples[("campaign_bot_requests_total", (("route", "/ask"), ("status", "200")))] == 2.0
    assert samples[("campaign_bot_requests_total", (("route", "/ask"), ("status", "422")))] == 1.0
    assert sum(v for (name, _), v in samples.items() if name == "campaign_bot_answers_total") == 2.0
    assert samples[("campaign_bot_request_seconds_count", (("route", "/ask"),))] == 3.0
    snapshot = client.get("/health").json()["snapshot"]
    assert samples[("campaign_bot_snapshot", (("snapshot", snapshot),))] == 1.0


def test_cors_is_off_by_default_and_on_for_the_origins_given(tmp_path: Path) -> None:
    default = make_client(tmp_path / "a")
    response = default.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    allowed = make_client(tmp_path / "b", cors_origins="https://portal.example")
    ok = allowed.get("/health", headers={"Origin": "https://portal.example"})
    assert ok.headers["access-control-allow-origin"] == "https://portal.example"
    other = allowed.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
