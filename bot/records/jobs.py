"""Where the admin API's reindex jobs are remembered: this process's memory (one instance) or
PostgreSQL (:class:`bot.records.postgres.PostgresJobRecords`), so that any replica behind a load
balancer answers ``GET /admin/jobs/{id}`` for a job another replica runs.

A job's state is stored as a JSON-ready dict (the admin use case owns its shape); only its status
is read here, to find the jobs still queued or running.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Protocol

KEPT_JOBS = 20


class JobRecords(Protocol):
    """The last jobs' states, by job id."""

    def save(self, job_id: str, status: str, state: dict[str, Any]) -> None:
        """Store (or replace) job ``job_id``'s state; only the last :data:`KEPT_JOBS` jobs are kept."""

    def load(self, job_id: str) -> dict[str, Any] | None:
        """Job ``job_id``'s last saved state, or ``None`` when unknown (or forgotten)."""

    def with_status(self, statuses: tuple[str, ...]) -> list[str]:
        """Ids of the kept jobs whose status is one of ``statuses``, oldest first."""


class MemoryJobRecords:
    """Job states in this process's memory (the embedded default)."""

    def __init__(self, kept: int = KEPT_JOBS) -> None:
        self._kept = kept
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()

    def save(self, job_id: str, status: str, state: dict[str, Any]) -> None:
        with self._lock:
            self._jobs[job_id] = (status, state)
            while len(self._jobs) > self._kept:
                self._jobs.popitem(last=False)

    def load(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self._jobs.get(job_id)
        return entry[1] if entry else None

    def with_status(self, statuses: tuple[str, ...]) -> list[str]:
        with self._lock:
            return [job_id for job_id, (status, _) in self._jobs.items() if status in statuses]
