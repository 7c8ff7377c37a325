"""Many replicas (README "Serving many users"): API instances over one index folder all answer and all
reload after a build; the Telegram webhook works on any replica, with limits shared in PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.http.app import create_app
from bot.telegram.server import SECRET_HEADER, WEBHOOK_PATH, telegram_integration
from tests.fakes import FakeEmbedder, write_fake_index
from tests.records.conftest import fresh_postgres, postgres_url  # noqa: F401 (fixtures)
from tests.telegram.fake_telegram import FakeBotApi
from tests.telegram.harness import options

HOOK = "https://bot.example.org/telegram/webhook"
SECRET = "shared_Secret-1"
QUESTION = "Công an xã chủ trì việc gì?"


def _update(update_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1700000000,
            "chat": {"id": 100, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "Lan"},
            "text": text,
        },
    }


def test_two_replicas_over_one_index_folder_answer_and_both_reload(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    first = write_fake_index(tmp_path, embedder)
    replicas = [ServiceHolder(tmp_path, embedder, watch_interval=0.0) for _ in range(2)]
    clients = [TestClient(create_app(holder)) for holder in replicas]
    for client in clients:
        response = client.post("/ask", json={"question": QUESTION})
        assert response.status_code == 200 and response.json()["snapshot"] == first
    second = write_fake_index(tmp_path, embedder)  # a build on any machine writing the shared folder
    for holder, client in zip(replicas, clients, strict=True):
        client.post("/ask", json={"question": QUESTION})  # a request makes the replica look at index/current
        assert holder.wait_for_attempt(second, timeout=60)
        assert client.post("/ask", json={"question": QUESTION}).json()["snapshot"] == second


def test_webhook_on_any_replica_with_the_rate_limit_shared_in_postgres(
    holder: ServiceHolder,
    api: FakeBotApi,
    tmp_path: Path,
    fresh_postgres: str,  # noqa: F811
) -> None:
    bot = options(api, tmp_path, webhook_url=HOOK, webhook_secret=SECRET, rate_limit=1, database_url=fresh_postgres)
    apps = [
        create_app(holder, lifespan=lifespan, routers=routers)
        for lifespan, routers in (telegram_integration(holder, bot), telegram_integration(holder, bot))
    ]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        api.wait_for("setWebhook", 2)  # each replica started its bot (both register the same URL)
        headers = {SECRET_HEADER: SECRET}
        assert one.post(WEBHOOK_PATH, json=_update(1, QUESTION), headers=headers).status_code == 200
        [answer] = api.wait_for("sendMessage")
        assert "tệ nạn xã hội" in answer.text
        # The same user's next question reaches the other replica: the limit (1 a minute) is shared.
        assert two.post(WEBHOOK_PATH, json=_update(2, QUESTION), headers=headers).status_code == 200
        replies = api.wait_for("sendMessage", 2)
        assert "Bạn hỏi hơi nhanh" in replies[1].text
