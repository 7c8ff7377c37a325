"""The admin HTTP API (``/admin/...``): upload and delete plans, reindex in the background, reload.

Enabled only when an admin token is configured (``CAMPAIGN_BOT_ADMIN_TOKEN``); without one the routes
do not exist (404). Every request must send ``Authorization: Bearer <token>``; the token is compared
in constant time (``hmac.compare_digest``). Errors are ``{"error": ...}`` with a specific status.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Header, Request, UploadFile
from fastapi.responses import JSONResponse

from bot.admin.documents import DocumentConflict, DocumentNotFound, DocumentStore
from bot.admin.jobs import JobBusy, JobRunner
from bot.admin.uploads import UploadError
from bot.answering.service import ServiceHolder
from bot.errors import SnapshotError


@dataclass(frozen=True)
class AdminSettings:
    """What the admin API needs from the configuration."""

    token: str
    documents_dir: Path
    max_upload_bytes: int = 20 * 1024 * 1024
    keep_snapshots: int | None = 5


class AdminAuthError(Exception):
    """A request without the right bearer token (never shown beyond its message)."""


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message, **extra})


def include_admin(app: FastAPI, holder: ServiceHolder, settings: AdminSettings) -> JobRunner:
    """Add the admin routes to ``app``; returns the job runner (tests wait on it)."""
    store = DocumentStore(settings.documents_dir, max_upload_bytes=settings.max_upload_bytes)
    jobs = JobRunner(holder, settings.documents_dir, keep_snapshots=settings.keep_snapshots)
    expected = settings.token.encode("utf-8")

    def authorized(authorization: Annotated[str | None, Header()] = None) -> None:
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8"), expected):
            raise AdminAuthError("missing or wrong admin token: send 'Authorization: Bearer <token>'")

    @app.exception_handler(AdminAuthError)
    async def _unauthorized(_: Request, exc: AdminAuthError) -> JSONResponse:
        return JSONResponse(status_code=401, content={"error": str(exc)}, headers={"WWW-Authenticate": "Bearer"})

    router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(authorized)])

    @router.post("/documents", status_code=201, response_model=None)
    def upload(file: Annotated[UploadFile, File(description="Kế hoạch (.txt, .md, ...)")]) -> Any:
        data = file.file.read(settings.max_upload_bytes + 1)
        try:
            stored = store.add(file.filename or "", data)
        except DocumentConflict as exc:
            return _error(exc.status, str(exc), existing=exc.existing)
        except UploadError as exc:
            return _error(exc.status, str(exc))
        return {**asdict(stored), "indexed": False, "next": "POST /admin/reindex to index it"}

    @router.delete("/documents/{doc_id}", response_model=None)
    def delete(doc_id: str) -> Any:
        try:
            source = store.delete(doc_id)
        except DocumentNotFound as exc:
            return _error(404, str(exc))
        return {"deleted": source, "doc_id": doc_id, "next": "POST /admin/reindex to drop it from the index"}

    @router.post("/reindex", status_code=202, response_model=None)
    def reindex(full: bool = False) -> Any:
        try:
            job = jobs.start(full=full)
        except JobBusy as exc:
            return _error(409, str(exc), job_id=exc.job_id)
        return {"job_id": job["job_id"], "status": job["status"]}

    @router.get("/jobs/{job_id}", response_model=None)
    def job(job_id: str) -> Any:
        found = jobs.get(job_id)
        return found if found is not None else _error(404, f"no job {job_id!r} (unknown or forgotten)")

    @router.post("/reload", response_model=None)
    def reload() -> Any:
        try:
            snapshot = holder.reload()
        except SnapshotError as exc:
            return _error(409, str(exc), serving=holder.snapshot_id)
        return {"snapshot": snapshot}

    app.include_router(router)
    app.state.admin_jobs = jobs
    return jobs
