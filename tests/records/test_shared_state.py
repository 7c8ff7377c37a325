"""One behaviour suite for the shared-state stores, run against SQLite/memory and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import CampaignBotError
from bot.records.backend import Records, open_records
from bot.records.feedback import Feedback
from bot.records.rate_limit import RateLimiter, RateLimits

Backend = tuple[str, Path, str | None]


def _vote(vote: int, user: int = 7, key: str = "100:1") -> Feedback:
    return Feedback(key, 100, user, vote, "ai chủ trì?", "Theo kế hoạch…", "answered", "phường Lê Chân", "snap")


def test_feedback_keeps_the_latest_vote_per_user_and_persists(records: Records, backend: Backend) -> None:
    records.feedback.record(_vote(1))
    records.feedback.record(_vote(-1))
    records.feedback.record(_vote(1, user=8))
    records.feedback.record(_vote(1, user=7, key="100:2"))
    votes = records.feedback.all()
    assert [(v.answer_key, v.user_id, v.vote) for v in votes] == [("100:1", 7, -1), ("100:1", 8, 1), ("100:2", 7, 1)]
    assert votes[0].question == "ai chủ trì?" and votes[0].locality == "phường Lê Chân" and votes[0].created_at
    _, path, url = backend
    assert open_records(path, url).feedback.all() == votes  # another process (replica) sees the same votes
    with pytest.raises(ValueError):
        records.feedback.record(_vote(0))


def test_localities_remember_and_forget(records: Records, backend: Backend) -> None:
    store = records.localities
    assert store.locality(5) is None
    store.set_locality(5, "phường Kinh Môn")
    store.set_locality(5, "thị trấn Cao Lộc")
    store.set_locality(6, "phường Lê Chân")
    store.set_locality(-1001234567890, "xã Tân Mỹ")  # group chats have large negative ids
    _, path, url = backend
    other = open_records(path, url).localities
    assert other.locality(5) == "thị trấn Cao Lộc" and other.locality(-1001234567890) == "xã Tân Mỹ"
    store.set_locality(5, None)
    assert other.locality(5) is None and other.locality(6) == "phường Lê Chân"


def _limiter(backend: Backend, now: list[float], limit: int = 2) -> RateLimits:
    name, _, url = backend
    if name == "postgresql":
        assert url is not None
        from bot.records.postgres import PostgresDatabase, PostgresRateLimiter

        return PostgresRateLimiter(PostgresDatabase(url), limit, 60.0, clock=lambda: now[0])
    return RateLimiter(limit, 60.0, clock=lambda: now[0])


def test_rate_limit_slides_per_key(backend: Backend) -> None:
    now = [1000.0]
    limiter = _limiter(backend, now)
    assert limiter.acquire(7) == 0 and limiter.acquire(7) == 0
    assert limiter.acquire(7) == pytest.approx(60.0)
    assert limiter.acquire(8) == 0  # another user
    now[0] = 1030.0
    assert limiter.acquire(7) == pytest.approx(30.0)
    now[0] = 1060.5
    assert limiter.acquire(7) == 0


def test_postgres_rate_limit_is_shared_by_replicas(fresh_postgres: str) -> None:
    now = [50.0]
    first = _limiter(("postgresql", Path(), fresh_postgres), now)
    second = _limiter(("postgresql", Path(), fresh_postgres), now)
    assert first.acquire("u") == 0 and second.acquire("u") == 0
    assert first.acquire("u") > 0 and second.acquire("u") > 0


def test_job_records_keep_the_last_jobs_and_find_the_running_ones(records: Records) -> None:
    jobs = records.jobs
    for number in range(25):
        jobs.save(f"job{number}", "succeeded", {"job_id": f"job{number}", "documents": [{"source": "a.docx"}]})
    jobs.save("job24", "running", {"job_id": "job24", "phase": "embedding"})
    assert jobs.load("job0") is None  # forgotten: only the last 20 are kept
    assert jobs.load("job5") == {"job_id": "job5", "documents": [{"source": "a.docx"}]}
    assert jobs.load("job24") == {"job_id": "job24", "phase": "embedding"}
    assert jobs.with_status(("queued", "running")) == ["job24"]
    assert jobs.load("nope") is None


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CampaignBotError, match="PostgreSQL"):
        open_records(tmp_path / "x.sqlite3", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
