"""Use case: reindex jobs run in the background for the admin API, one at a time.

A job runs :func:`bot.indexing.build.build_index` in a thread (so it takes the same build lock as
``campaign-bot index build``, waiting if a command-line build holds it) and, when the snapshot is
written, reloads the running service. Its state (status, progress, per-document results, errors) is
kept for the last jobs in a :class:`~bot.records.jobs.JobRecords` (this process's memory, or
PostgreSQL so that every replica sees it) and read through :meth:`JobRunner.get`, as a frozen
:class:`Job` (each change replaces it whole, so a reader never sees a half-made update).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.answering.service import ServiceHolder
from bot.errors import CampaignBotError, JobBusy
from bot.indexing.build import BuildResult, DocumentResult, build_index
from bot.indexing.report import BuildStatus
from bot.records.jobs import KEPT_JOBS, JobRecords, MemoryJobRecords

log = logging.getLogger(__name__)

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
__all__ = ["KEPT_JOBS", "Job", "JobRunner"]

Builder = Callable[..., BuildResult]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Job:
    """The state of one reindex job at one moment."""

    job_id: str
    full: bool
    status: str = QUEUED
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    phase: str = ""  # "waiting", "documents", "embedding", "reloading"
    done: int = 0
    total: int = 0
    message: str = ""  # what the job is doing or waiting for, in words
    snapshot: str | None = None
    documents: tuple[DocumentResult, ...] = ()
    errors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form kept by the job records."""
        data = asdict(self)
        data["documents"] = [{**asdict(d), "status": d.status.value} for d in self.documents]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        """Inverse of :meth:`to_dict`."""
        documents = tuple(
            DocumentResult(
                **{
                    **d,
                    "status": BuildStatus(d["status"]),
                    "warnings": tuple(d.get("warnings") or ()),
                }
            )
            for d in data.get("documents") or ()
        )
        return cls(**{**data, "documents": documents, "errors": tuple(data.get("errors") or ())})


class JobRunner:
    """Starts reindex jobs for ``holder``'s index from ``documents_dir`` and remembers the last ones."""

    def __init__(
        self,
        holder: ServiceHolder,
        documents_dir: Path,
        *,
        keep_snapshots: int | None = None,
        builder: Builder = build_index,
        records: JobRecords | None = None,
        on_finished: Callable[[str, float], None] | None = None,
    ) -> None:
        """``on_finished(status, seconds)`` is told each job's end (the metrics' build durations)."""
        self.holder = holder
        self._on_finished = on_finished
        self._started: dict[str, float] = {}
        self.documents_dir = documents_dir
        self.keep_snapshots = keep_snapshots
        self._builder = builder
        self._lock = threading.Lock()
        self._records = records or MemoryJobRecords()
        self._jobs: dict[str, Job] = {}  # the jobs this process runs, as last saved
        self._thread: threading.Thread | None = None

    def start(self, *, full: bool = False) -> Job:
        """Queue a reindex job and start it; ``JobBusy`` when one is still queued or running."""
        with self._lock:
            for busy_id in self._records.with_status((QUEUED, RUNNING)):
                busy = self.get(busy_id)
                status = busy.status if busy else RUNNING
                raise JobBusy(f"reindex job {busy_id} is still {status}", job_id=busy_id)
            job = Job(job_id=uuid.uuid4().hex[:12], full=full)
            self._save(job)
            self._thread = threading.Thread(
                target=self._run, args=(job.job_id, full), name=f"reindex-{job.job_id}", daemon=True
            )
            self._thread.start()
            return job

    def get(self, job_id: str) -> Job | None:
        """Job ``job_id``'s state now, or ``None`` when unknown (or forgotten)."""
        data = self._records.load(job_id)
        return Job.from_dict(data) if data is not None else None

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running job's thread to end (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _save(self, job: Job) -> None:
        self._jobs[job.job_id] = job
        self._records.save(job.job_id, job.status, job.to_dict())

    def _update(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            job = replace(self._jobs[job_id], **changes)
            self._save(job)
            return job

    def _run(self, job_id: str, full: bool) -> None:
        self._started[job_id] = time.monotonic()
        self._update(job_id, status=RUNNING, started_at=_now(), phase="starting")
        try:
            result = self._builder(
                self.documents_dir,
                self.holder.index_dir,
                self.holder.embedder,
                full=full,
                wait=True,
                keep_snapshots=self.keep_snapshots,
                on_wait=lambda message: self._update(job_id, phase="waiting", message=message),
                on_progress=lambda phase, done, total: self._update(job_id, phase=phase, done=done, total=total),
            )
        except CampaignBotError as exc:
            self._finish(job_id, FAILED, [str(exc)])
            return
        except Exception as exc:  # a bug must end the job visibly, not kill the thread silently
            log.exception("reindex job %s crashed", job_id)
            self._finish(job_id, FAILED, [f"internal error: {type(exc).__name__}: {exc}"])
            return
        skipped = [f"{d.source}: {d.error}" for d in result.documents if d.error]
        self._update(job_id, phase="reloading", documents=result.documents, snapshot=result.manifest.snapshot_id)
        try:
            self.holder.reload()
        except CampaignBotError as exc:
            self._finish(job_id, FAILED, [*skipped, f"snapshot written but not served: {exc}"])
            return
        self._finish(job_id, SUCCEEDED, skipped)

    def _finish(self, job_id: str, status: str, errors: list[str]) -> None:
        with self._lock:
            job = self._jobs.pop(job_id)
            finished = replace(job, status=status, errors=(*job.errors, *errors), finished_at=_now(), phase="done")
            self._records.save(job_id, status, finished.to_dict())
        started = self._started.pop(job_id, None)
        if self._on_finished is not None and started is not None:
            self._on_finished(status, time.monotonic() - started)
