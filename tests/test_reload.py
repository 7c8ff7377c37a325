"""Hot reload: switching snapshots under requests, refusing corrupted ones, falling back at start-up."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.errors import SnapshotError
from bot.http.app import create_app
from bot.snapshot.format import BUILDS_DIR
from bot.snapshot.store import set_current
from tests.fakes import FakeEmbedder, write_fake_index


def corrupt(index: Path, snapshot_id: str) -> None:
    chunks = index / BUILDS_DIR / snapshot_id / "chunks.jsonl"
    chunks.write_text(chunks.read_text(encoding="utf-8").replace("Gia đình", "Gia dinh"), encoding="utf-8")


def test_hot_reload_under_requests_fails_none(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    old = write_fake_index(tmp_path, embedder)
    holder = ServiceHolder(tmp_path, embedder, watch_interval=0.0)
    # four threads of one client ask far past the per-client rate: the limit is not what is tested here
    client = TestClient(create_app(holder, Settings(index_dir=tmp_path, rate_limit=0)))
    statuses: Counter[int] = Counter()
    seen: list[list[str]] = [[] for _ in range(4)]
    started = threading.Barrier(5)
    switched = threading.Event()
    lock = threading.Lock()

    def hammer(slot: int) -> None:
        started.wait()
        after = 0
        for _ in range(3000):  # bounded; stops after 20 answers from the new snapshot
            response = client.post("/ask", json={"question": "Công an xã chủ trì việc gì?"})
            with lock:
                statuses[response.status_code] += 1
            snapshot = response.json().get("snapshot", "")
            seen[slot].append(snapshot)
            if switched.is_set() and snapshot != old:
                after += 1
                if after >= 20:
                    return

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    started.wait()
    new = write_fake_index(tmp_path, embedder)  # written and made current while requests run
    assert holder.wait_for_attempt(new, timeout=60)
    switched.set()
    for thread in threads:
        thread.join(120)
    assert set(statuses) == {200}, statuses
    for answers in seen:
        assert answers[-1] == new
        assert set(answers) <= {old, new}


def test_admin_reload_returns_the_snapshot(tmp_path: Path) -> None:
    from bot.config import Settings

    embedder = FakeEmbedder()
    first = write_fake_index(tmp_path, embedder)
    holder = ServiceHolder(tmp_path, embedder, watch_interval=None)
    client = TestClient(create_app(holder, Settings(admin_token="t0ken", documents_dir=tmp_path / "docs")))
    headers = {"Authorization": "Bearer t0ken"}
    assert client.get("/health").json()["snapshot"] == first
    second = write_fake_index(tmp_path, embedder)
    assert client.get("/health").json()["snapshot"] == first  # watching is off here
    response = client.post("/admin/reload", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"snapshot": second}
    assert client.get("/health").json()["snapshot"] == second


def test_corrupted_snapshot_is_refused_and_the_old_one_keeps_serving(tmp_path: Path) -> None:
    from bot.config import Settings

    embedder = FakeEmbedder()
    good = write_fake_index(tmp_path, embedder)
    holder = ServiceHolder(tmp_path, embedder, watch_interval=0.0)
    client = TestClient(create_app(holder, Settings(admin_token="t0ken", documents_dir=tmp_path / "docs")))
    assert client.get("/health").json()["snapshot"] == good
    bad = write_fake_index(tmp_path, embedder, activate=False)
    corrupt(tmp_path, bad)
    set_current(tmp_path, bad)

    with pytest.raises(SnapshotError, match=rf"snapshot {bad} is corrupted: chunks\.jsonl fails its checksum"):
        holder.reload()
    response = client.post("/admin/reload", headers={"Authorization": "Bearer t0ken"})
    assert response.status_code == 409
    assert "fails its checksum" in response.json()["error"]
    assert response.json()["serving"] == good
    # The watcher does not retry the refused snapshot; requests keep their answers from the good one.
    for _ in range(3):
        answer = client.post("/ask", json={"question": "Công an xã chủ trì việc gì?"})
        assert answer.status_code == 200 and answer.json()["snapshot"] == good
    assert holder.snapshot_id == good
    assert holder.last_error is not None and bad in holder.last_error


def test_start_up_on_a_corrupted_current_serves_the_previous_snapshot(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    good = write_fake_index(tmp_path, embedder)
    bad = write_fake_index(tmp_path, embedder)
    corrupt(tmp_path, bad)
    holder = ServiceHolder(tmp_path, embedder)
    assert holder.get().retriever.snapshot.snapshot_id == good
    assert holder.last_error is not None and "fails its checksum" in holder.last_error


def test_start_up_without_any_valid_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    only = write_fake_index(tmp_path, embedder)
    corrupt(tmp_path, only)
    with pytest.raises(SnapshotError, match="fails its checksum"):
        ServiceHolder(tmp_path, embedder).get()
