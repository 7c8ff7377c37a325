"""The admin HTTP API (``/admin/...``): upload and delete plans, reindex in the background, reload.

Enabled only when an admin token is configured (``CAMPAIGN_BOT_ADMIN_TOKEN``); without one the routes
do not exist (404). Every request must send ``Authorization: Bearer <token>``; the token is compared
in constant time (``hmac.compare_digest``). Errors are ``{"error": ...}`` with a specific status.

The use cases raise error types (:mod:`bot.errors`); which HTTP status each one gets is decided
here, in :data:`STATUS`, and nowhere else.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Header, Request, UploadFile
from fastapi.responses import JSONResponse

from bot.admin.documents import DocumentStore, StoredDocument
from bot.admin.jobs import Job, JobRunner
from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.errors import (
    AdminAuthError,
    CampaignBotError,
    DocumentConflict,
    DocumentNotFound,
    EmptyUpload,
    JobBusy,
    SnapshotError,
    UnreadableUpload,
    UnsupportedUpload,
    UnusableFileName,
    UploadError,
    UploadTooLarge,
)
from bot.records.backend import job_records

if TYPE_CHECKING:
    from bot.indexing.build import DocumentResult

# The status of each refusal; a subclass not listed gets its nearest listed base's status.
STATUS: dict[type[CampaignBotError], int] = {
    UploadError: 400,
    EmptyUpload: 400,
    UnusableFileName: 400,
    UploadTooLarge: 413,
    UnsupportedUpload: 415,
    UnreadableUpload: 422,
    DocumentConflict: 409,
    DocumentNotFound: 404,
    JobBusy: 409,
    AdminAuthError: 401,
}


def status_of(exc: CampaignBotError) -> int:
    """The HTTP status for ``exc``: its type's in :data:`STATUS`, else its nearest base's, else 400."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _refusal(exc: CampaignBotError) -> JSONResponse:
    """``{"error": message}`` with the status of the error's type, and what the error carries."""
    extra: dict[str, Any] = {}
    if isinstance(exc, DocumentConflict):
        extra["existing"] = exc.existing
    if isinstance(exc, JobBusy):
        extra["job_id"] = exc.job_id
    return _error(status_of(exc), str(exc), **extra)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message, **extra})


def stored_out(stored: StoredDocument) -> dict[str, Any]:
    """The JSON of an uploaded plan (``POST /admin/documents``)."""
    return {
        "doc_id": stored.doc_id,
        "source": stored.source,
        "content_hash": stored.content_hash,
        "size": stored.size,
        "title": stored.title,
        "locality": stored.locality,
        "sections": stored.sections,
        "warnings": list(stored.warnings),
        "indexed": False,
        "next": "POST /admin/reindex to index it",
    }


def document_result_out(result: DocumentResult) -> dict[str, Any]:
    """One file's line of a reindex job's report."""
    return {
        "source": result.source,
        "doc_id": result.doc_id,
        "chunks": result.chunks,
        "error": result.error,
        "status": result.status,
        "sections": result.sections,
        "facts": result.facts,
        "warnings": list(result.warnings),
        "locality": result.locality,
        "number": result.number,
        "date": result.date,
    }


def job_out(job: Job) -> dict[str, Any]:
    """The JSON of a reindex job (``GET /admin/jobs/{job_id}``)."""
    return {
        "job_id": job.job_id,
        "full": job.full,
        "status": job.status,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "snapshot": job.snapshot,
        "documents": [document_result_out(d) for d in job.documents],
        "errors": list(job.errors),
        "progress": {"phase": job.phase, "done": job.done, "total": job.total, "message": job.message},
    }


def include_admin(app: FastAPI, holder: ServiceHolder, settings: Settings) -> JobRunner:
    """Add the admin routes to ``app`` (``settings.admin_token`` must be set); returns the job runner."""
    if not settings.admin_token:
        raise ValueError("the admin API needs an admin token")
    store = DocumentStore(settings.documents_dir, max_upload_bytes=settings.max_upload_bytes)
    jobs = JobRunner(
        holder,
        settings.documents_dir,
        keep_snapshots=settings.keep_snapshots,
        records=job_records(settings.database_url or None),
        on_finished=getattr(getattr(app.state, "metrics", None), "build_finished", None),
    )
    expected = settings.admin_token.encode("utf-8")

    def authorized(authorization: Annotated[str | None, Header()] = None) -> None:
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8"), expected):
            raise AdminAuthError("missing or wrong admin token: send 'Authorization: Bearer <token>'")

    @app.exception_handler(AdminAuthError)
    async def _unauthorized(_: Request, exc: AdminAuthError) -> JSONResponse:
        return JSONResponse(
            status_code=status_of(exc), content={"error": str(exc)}, headers={"WWW-Authenticate": "Bearer"}
        )

    router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(authorized)])

    @router.post("/documents", status_code=201, response_model=None)
    def upload(file: Annotated[UploadFile, File(description="Kế hoạch (.txt, .md, ...)")]) -> Any:
        data = file.file.read(settings.max_upload_bytes + 1)
        try:
            stored = store.add(file.filename or "", data)
        except UploadError as exc:
            return _refusal(exc)
        return stored_out(stored)

    @router.delete("/documents/{doc_id}", response_model=None)
    def delete(doc_id: str) -> Any:
        try:
            source = store.delete(doc_id)
        except DocumentNotFound as exc:
            return _refusal(exc)
        return {"deleted": source, "doc_id": doc_id, "next": "POST /admin/reindex to drop it from the index"}

    @router.post("/reindex", status_code=202, response_model=None)
    def reindex(full: bool = False) -> Any:
        try:
            job = jobs.start(full=full)
        except JobBusy as exc:
            return _refusal(exc)
        return {"job_id": job.job_id, "status": job.status}

    @router.get("/jobs/{job_id}", response_model=None)
    def job(job_id: str) -> Any:
        found = jobs.get(job_id)
        return job_out(found) if found is not None else _error(404, f"no job {job_id!r} (unknown or forgotten)")

    @router.post("/reload", response_model=None)
    def reload() -> Any:
        try:
            snapshot = holder.reload()
        except SnapshotError as exc:
            return _error(409, str(exc), serving=holder.snapshot_id)
        return {"snapshot": snapshot}

    app.include_router(router)
    app.state.admin_jobs = jobs
    app.state.admin_store = store  # the staff pages (bot.web.staff) store uploads through the same store
    return jobs
