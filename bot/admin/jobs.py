"""Use case: reindex jobs run in the background for the admin API, one at a time.

A job runs :func:`bot.build.build_index` in a thread (so it takes the same build lock as
``campaign-bot index build``, waiting if a command-line build holds it) and, when the snapshot is
written, reloads the running service. Its state (status, progress, per-document results, errors) is
kept in memory for the last jobs and read through :meth:`JobRunner.get`.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.answering.service import ServiceHolder
from bot.errors import CampaignBotError, JobBusy
from bot.indexing.build import BuildResult, build_index

log = logging.getLogger(__name__)

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
KEPT_JOBS = 20

Builder = Callable[..., BuildResult]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    """The state of one reindex job (mutated by its thread under :attr:`JobRunner._lock`)."""

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
    documents: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        data = asdict(self)
        data["progress"] = {"phase": self.phase, "done": self.done, "total": self.total, "message": self.message}
        for key in ("phase", "done", "total", "message"):
            del data[key]
        return data


class JobRunner:
    """Starts reindex jobs for ``holder``'s index from ``documents_dir`` and remembers the last ones."""

    def __init__(
        self,
        holder: ServiceHolder,
        documents_dir: Path,
        *,
        keep_snapshots: int | None = None,
        builder: Builder = build_index,
    ) -> None:
        self.holder = holder
        self.documents_dir = documents_dir
        self.keep_snapshots = keep_snapshots
        self._builder = builder
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._thread: threading.Thread | None = None

    def start(self, *, full: bool = False) -> dict[str, Any]:
        """Queue a reindex job and start it; ``JobBusy`` when one is still queued or running."""
        with self._lock:
            for job in self._jobs.values():
                if job.status in (QUEUED, RUNNING):
                    raise JobBusy(f"reindex job {job.job_id} is still {job.status}", job_id=job.job_id)
            job = Job(job_id=uuid.uuid4().hex[:12], full=full)
            self._jobs[job.job_id] = job
            while len(self._jobs) > KEPT_JOBS:
                self._jobs.popitem(last=False)
            self._thread = threading.Thread(target=self._run, args=(job,), name=f"reindex-{job.job_id}", daemon=True)
            self._thread.start()
            return job.to_dict()

    def get(self, job_id: str) -> dict[str, Any] | None:
        """A copy of job ``job_id``'s state, or ``None`` when unknown (or forgotten)."""
        with self._lock:
            job = self._jobs.get(job_id)
            return job.to_dict() if job else None

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running job's thread to end (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _update(self, job: Job, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(job, key, value)

    def _run(self, job: Job) -> None:
        self._update(job, status=RUNNING, started_at=_now(), phase="starting")
        try:
            result = self._builder(
                self.documents_dir,
                self.holder.index_dir,
                self.holder.embedder,
                full=job.full,
                wait=True,
                keep_snapshots=self.keep_snapshots,
                on_wait=lambda message: self._update(job, phase="waiting", message=message),
                on_progress=lambda phase, done, total: self._update(job, phase=phase, done=done, total=total),
            )
        except CampaignBotError as exc:
            self._finish(job, FAILED, errors=[*job.errors, str(exc)])
            return
        except Exception as exc:  # a bug must end the job visibly, not kill the thread silently
            log.exception("reindex job %s crashed", job.job_id)
            self._finish(job, FAILED, errors=[*job.errors, f"internal error: {type(exc).__name__}: {exc}"])
            return
        documents = [asdict(d) for d in result.documents]
        skipped = [f"{d.source}: {d.error}" for d in result.documents if d.error]
        self._update(job, phase="reloading", documents=documents, snapshot=result.manifest.snapshot_id)
        try:
            self.holder.reload()
        except CampaignBotError as exc:
            self._finish(job, FAILED, errors=[*job.errors, *skipped, f"snapshot written but not served: {exc}"])
            return
        self._finish(job, SUCCEEDED, errors=[*job.errors, *skipped])

    def _finish(self, job: Job, status: str, *, errors: list[str]) -> None:
        self._update(job, status=status, errors=errors, finished_at=_now(), phase="done")
