"""The staff pages (``/can-bo``): sign in with the admin token, upload plans and read each one's report,
rebuild the index and watch the job, list the snapshots and switch back to one.

They drive the same use cases as the admin API (:mod:`bot.http.admin`): the one
:class:`~bot.admin.documents.DocumentStore` and :class:`~bot.admin.jobs.JobRunner` the app built
(``app.state``, see :func:`include_staff`), the refusal statuses of :func:`bot.http.admin.status_of`, the
snapshot store and ``holder.reload()``. Without an admin token every ``/can-bo`` address is a 404 page.

Security: the session is a signed cookie (:mod:`bot.web.staff_session`; HttpOnly, SameSite=Strict,
Secure over https, Path=/can-bo); every POST carries the session's CSRF token (403 page when missing or
wrong) and, when the browser sends an ``Origin``, it must be this host's; sign-in attempts are limited
per client. Pages are ``Cache-Control: no-store`` (they hold a CSRF token and staff-only state).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from bot.admin.documents import DocumentStore, StoredDocument
from bot.admin.jobs import FAILED, QUEUED, RUNNING, SUCCEEDED, Job, JobRunner
from bot.admin.uploads import EXPECTED_KIND
from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.errors import BuildError, JobBusy, SnapshotError, UploadError
from bot.http.abuse import client_key
from bot.http.admin import job_out, status_of
from bot.http.app import body_limits
from bot.http.operations import rate_limit_path
from bot.indexing.lock import build_lock
from bot.indexing.report import BuildStatus
from bot.ingest import SUPPORTED_SUFFIXES
from bot.records.backend import shared_rate_limits
from bot.records.rate_limit import RateLimits
from bot.snapshot.format import BUILDS_DIR, check_compatible
from bot.snapshot.store import current_snapshot_id, list_snapshots, read_manifest, set_current, verify_checksums
from bot.text.normalize import NORMALIZER_VERSION
from bot.web.staff_session import COOKIE_NAME, COOKIE_PATH, CSRF_FIELD, Session, StaffSessions
from bot.web.templating import render

STAFF_PATH = COOKIE_PATH
FILES_FIELD = "files"
MAX_FILES_PER_UPLOAD = 20
SIGN_IN_ATTEMPTS = 5  # per client and window: enough for typos, too few to guess a token
SIGN_IN_WINDOW_SECONDS = 300.0
MAX_JOB_ID_CHARS = 64
SESSION_ENDED = "Phiên làm việc đã hết hoặc không hợp lệ: vui lòng đăng nhập lại."
BAD_CSRF = "Biểu mẫu thiếu mã chống giả mạo hoặc mã không đúng: hãy mở lại trang cán bộ rồi gửi lại."
TOO_MANY_ATTEMPTS = "Bạn đã thử đăng nhập quá nhiều lần: vui lòng thử lại sau {seconds} giây."

# Why a file was refused, in words, by the admin API's status of its error (bot.http.admin.STATUS).
REFUSAL_LABELS = {
    400: "Tệp không dùng được",
    409: "Trùng với văn bản đã lưu",
    413: "Tệp quá lớn",
    415: "Loại tệp không được hỗ trợ",
    422: "Không đọc được tệp như một kế hoạch",
}
JOB_STATUS_LABELS = {QUEUED: "Đang xếp hàng", RUNNING: "Đang chạy", SUCCEEDED: "Đã xong", FAILED: "Thất bại"}
PHASE_LABELS = {
    "": "chưa bắt đầu",
    "starting": "bắt đầu",
    "waiting": "chờ một lần xây dựng khác kết thúc",
    "documents": "đọc văn bản",
    "embedding": "tính vectơ các đoạn",
    "reloading": "nạp bản chỉ mục mới",
    "done": "kết thúc",
}
DOCUMENT_STATUS_LABELS = {
    BuildStatus.NEW: "mới",
    BuildStatus.CHANGED: "đã thay đổi",
    BuildStatus.UNCHANGED: "không đổi",
    BuildStatus.REMOVED: "đã bỏ",
    BuildStatus.SKIPPED: "bỏ qua (lỗi)",
}


FormHandler = Callable[[Request, Session, FormData], Awaitable[Response]]


@dataclass(frozen=True)
class UploadOutcome:
    """One uploaded file: stored (with its report) or refused (with the error and its status)."""

    filename: str
    stored: StoredDocument | None = None
    error: str = ""
    status: int = 201

    @property
    def refusal(self) -> str:
        """The refusal in words (empty when stored)."""
        return REFUSAL_LABELS.get(self.status, "Bị từ chối") if self.stored is None else ""


@dataclass(frozen=True)
class SnapshotRow:
    """One snapshot of the index folder as the staff page lists it."""

    snapshot_id: str
    created_at: str = ""
    documents: int = 0
    chunks: int = 0
    current: bool = False
    error: str = ""  # the manifest could not be read


def include_staff(app: FastAPI, holder: ServiceHolder, settings: Settings) -> None:
    """Add the staff pages to ``app`` (after :func:`bot.http.app.create_app`), sharing the document store
    and job runner the admin API put in ``app.state``; without them (no admin token) the pages are off."""
    store = getattr(app.state, "admin_store", None)
    jobs = getattr(app.state, "admin_jobs", None)
    app.include_router(staff_router(holder, settings, store, jobs))


def staff_router(
    holder: ServiceHolder, settings: Settings, store: DocumentStore | None, jobs: JobRunner | None
) -> APIRouter:
    """The ``/can-bo`` pages over ``store`` and ``jobs``; 404 pages only when the admin token, the store or
    the runner is missing."""
    if not settings.admin_token or store is None or jobs is None:
        return _disabled_router()
    sessions = StaffSessions(settings.admin_token)
    attempts = shared_rate_limits(
        SIGN_IN_ATTEMPTS,
        SIGN_IN_WINDOW_SECONDS,
        scope="staff-sign-in",
        database_url=settings.database_url or None,
        sqlite_path=rate_limit_path(settings, holder),
    )
    pages = _StaffPages(holder, settings, store, jobs, sessions, attempts)
    router = APIRouter(prefix=STAFF_PATH, include_in_schema=False)
    router.add_api_route("", pages.home, methods=["GET"])
    router.add_api_route("/dang-nhap", pages.sign_in, methods=["POST"])
    router.add_api_route("/dang-xuat", pages.guarded(pages.sign_out), methods=["POST"])
    router.add_api_route("/tai-len", pages.guarded(pages.upload, max_files=MAX_FILES_PER_UPLOAD), methods=["POST"])
    router.add_api_route("/xay-dung", pages.guarded(pages.rebuild), methods=["POST"])
    router.add_api_route("/viec/{job_id}", pages.job_page, methods=["GET"])
    router.add_api_route("/viec/{job_id}/trang-thai", pages.job_status, methods=["GET"])
    router.add_api_route("/ban-chi-muc", pages.guarded(pages.switch), methods=["POST"])
    return router


def _disabled_router() -> APIRouter:
    router = APIRouter(prefix=STAFF_PATH, include_in_schema=False)

    def off(request: Request) -> HTMLResponse:
        return _message(
            request,
            404,
            "Trang cán bộ chưa được bật",
            "Máy chủ này chưa đặt mã quản trị (CAMPAIGN_BOT_ADMIN_TOKEN), nên không có trang cán bộ.",
        )

    router.add_api_route("", off, methods=["GET", "POST"])
    router.add_api_route("/{rest:path}", off, methods=["GET", "POST"])
    return router


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    response = render(request, name, {"nav": "staff", **context}, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def _message(
    request: Request, status: int, heading: str, text: str, *, link: tuple[str, str] | None = None
) -> HTMLResponse:
    """A short page saying why a request was refused (``link``: address and words of the way on)."""
    context = {"title": heading, "heading": heading, "text": text, "link": link}
    return _page(request, "staff_message.html", context, status_code=status)


def _cross_site(request: Request) -> HTMLResponse:
    return _message(request, 403, "Yêu cầu bị từ chối", "Yêu cầu này không đến từ trang cán bộ của máy chủ.")


def _same_origin(request: Request) -> bool:
    """True unless the browser says the request comes from another site (``Origin`` of another host)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def _set_cookie(request: Request, response: Response, value: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


class _StaffPages:
    """The route handlers, over the use cases they drive."""

    def __init__(
        self,
        holder: ServiceHolder,
        settings: Settings,
        store: DocumentStore,
        jobs: JobRunner,
        sessions: StaffSessions,
        attempts: RateLimits,
    ) -> None:
        self.holder = holder
        self.settings = settings
        self.store = store
        self.jobs = jobs
        self.sessions = sessions
        self.attempts = attempts

    # --- guards --------------------------------------------------------------------------------

    def _session(self, request: Request) -> Session | None:
        return self.sessions.check(request.cookies.get(COOKIE_NAME))

    def _context(self, session: Session) -> dict[str, Any]:
        return {"csrf_field": CSRF_FIELD, "csrf": self.sessions.csrf_token(session), "signed_in": True}

    def _sign_in_page(self, request: Request, status: int = 200, error: str = "") -> HTMLResponse:
        return _page(request, "staff_signin.html", {"title": "Đăng nhập cán bộ", "error": error}, status)

    async def _form(self, request: Request, **limits: int) -> FormData | HTMLResponse:
        try:
            return await request.form(**limits)
        except StarletteHTTPException as exc:  # malformed multipart, too many files or fields
            return _message(request, 400, "Không đọc được biểu mẫu", f"Biểu mẫu gửi lên không hợp lệ: {exc.detail}")
        except ClientDisconnect:  # the body limit cut it off and already answered 413
            return HTMLResponse(status_code=400)

    def guarded(self, handle: FormHandler, **limits: int) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint of a staff POST: ``handle(request, session, form)`` runs only when the request
        passes the checks, else a page refuses it: another site's ``Origin`` (403), no valid session (401,
        the sign-in page), a missing or wrong CSRF token (403). The form's files are closed after it."""

        async def endpoint(request: Request) -> Response:
            if not _same_origin(request):
                return _cross_site(request)
            session = self._session(request)
            if session is None:
                return self._sign_in_page(request, 401, SESSION_ENDED)
            form = await self._form(request, **limits)
            if isinstance(form, HTMLResponse):
                return form
            try:
                given = form.get(CSRF_FIELD)
                if not self.sessions.csrf_matches(session, given if isinstance(given, str) else None):
                    return _message(request, 403, "Yêu cầu bị từ chối", BAD_CSRF, link=(STAFF_PATH, "Về trang cán bộ"))
                return await handle(request, session, form)
            finally:
                await form.close()

        return endpoint

    # --- pages ---------------------------------------------------------------------------------

    def home(self, request: Request, chuyen: str = "") -> HTMLResponse:
        """The sign-in form, or (signed in) the upload and rebuild forms and the snapshots."""
        session = self._session(request)
        if session is None:
            return self._sign_in_page(request)
        rows = snapshot_rows(self.holder)
        context = {
            **self._context(session),
            "title": "Cán bộ: văn bản và chỉ mục",
            "accept": ",".join(s for s in SUPPORTED_SUFFIXES if s in EXPECTED_KIND),
            "file_mb": _megabytes(self.store.max_upload_bytes),
            "total_mb": _megabytes(body_limits(self.settings)(STAFF_PATH)),
            "snapshots": rows,
            "served": self.holder.snapshot_id,
            "switched": chuyen if chuyen and chuyen == self.holder.snapshot_id else "",
        }
        return _page(request, "staff.html", context)

    async def sign_in(self, request: Request) -> Response:
        """Check the admin token (constant time, a few attempts per client) and start a session."""
        if not _same_origin(request):
            return _cross_site(request)
        key = client_key(request.scope, trust_forwarded_for=self.settings.trust_forwarded_for)
        wait = await run_in_threadpool(self.attempts.acquire, key)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            limited = _message(request, 429, "Thử quá nhiều lần", TOO_MANY_ATTEMPTS.format(seconds=seconds))
            limited.headers["Retry-After"] = str(seconds)
            return limited
        form = await self._form(request)
        if isinstance(form, HTMLResponse):
            return form
        given = form.get("token")
        await form.close()
        if not isinstance(given, str) or not self.sessions.token_matches(given):
            return self._sign_in_page(request, 401, "Mã quản trị không đúng.")
        response = _see_other(STAFF_PATH)
        _set_cookie(request, response, self.sessions.issue(), self.sessions.lifetime)
        return response

    async def sign_out(self, request: Request, session: Session, form: FormData) -> Response:
        """End the session in this browser (the cookie is cleared)."""
        response = _see_other(STAFF_PATH)
        response.delete_cookie(
            COOKIE_NAME, path=COOKIE_PATH, httponly=True, samesite="strict", secure=request.url.scheme == "https"
        )
        return response

    async def upload(self, request: Request, session: Session, form: FormData) -> HTMLResponse:
        """Store each file through the document store; the report of each (or its refusal), not yet indexed."""
        files = [f for f in form.getlist(FILES_FIELD) if isinstance(f, UploadFile) and f.filename]
        if not files:  # a form sent with no file chosen carries one empty, unnamed part
            return _message(
                request, 400, "Chưa chọn tệp", "Hãy chọn ít nhất một tệp kế hoạch.", link=(STAFF_PATH, "Quay lại")
            )
        outcomes = []
        for file in files:
            data = await file.read(self.store.max_upload_bytes + 1)
            outcomes.append(await run_in_threadpool(store_upload, self.store, file.filename or "", data))
        context = {**self._context(session), "title": "Kết quả tải lên", "outcomes": outcomes}
        return _page(request, "staff_upload.html", context, status_code=upload_status(outcomes))

    async def rebuild(self, request: Request, session: Session, form: FormData) -> Response:
        """Start a reindex job and go to its page (409 page naming the running one when busy)."""
        try:
            job = self.jobs.start(full=form.get("full") == "1")
        except JobBusy as exc:
            return _message(
                request,
                status_of(exc),
                "Đang có một lần xây dựng",
                "Chỉ chạy một lần xây dựng chỉ mục mỗi lúc; hãy chờ lần đang chạy kết thúc.",
                link=(job_url(exc.job_id), "Xem lần đang chạy"),
            )
        return _see_other(job_url(job.job_id))

    def job_page(self, request: Request, job_id: str) -> HTMLResponse:
        """A job's status and report; refreshes itself while the job runs (no JS needed)."""
        session = self._session(request)
        if session is None:
            return self._sign_in_page(request, 401, "Hãy đăng nhập để xem tiến độ xây dựng.")
        job = self.jobs.get(job_id) if len(job_id) <= MAX_JOB_ID_CHARS else None
        if job is None:
            return _message(
                request,
                404,
                "Không tìm thấy lần xây dựng",
                f"Không có lần xây dựng {job_id!r} (chưa từng có hoặc đã quá cũ).",
                link=(STAFF_PATH, "Về trang cán bộ"),
            )
        context = {
            **self._context(session),
            "title": f"Xây dựng chỉ mục {job.job_id}",
            **job_view(job),
            "status_url": job_url(job.job_id) + "/trang-thai",
            "document_labels": DOCUMENT_STATUS_LABELS,
        }
        return _page(request, "staff_job.html", context)

    def job_status(self, request: Request, job_id: str) -> JSONResponse:
        """The job as the admin API shows it, with its status and phase in words (polled by staff.js)."""
        headers = {"Cache-Control": "no-store"}
        if self._session(request) is None:
            return JSONResponse({"error": "chưa đăng nhập"}, status_code=401, headers=headers)
        job = self.jobs.get(job_id) if len(job_id) <= MAX_JOB_ID_CHARS else None
        if job is None:
            return JSONResponse({"error": f"không có lần xây dựng {job_id!r}"}, status_code=404, headers=headers)
        view = job_view(job)
        body = {**job_out(job), **{k: view[k] for k in ("status_label", "phase_label", "running")}}
        return JSONResponse(body, headers=headers)

    async def switch(self, request: Request, session: Session, form: FormData) -> Response:
        """Make the chosen snapshot current and serve it; back to the staff page saying so."""
        target = form.get("snapshot")
        if not isinstance(target, str) or target not in list_snapshots(self.holder.index_dir):
            return _message(
                request, 404, "Không có bản chỉ mục này", "Bản chỉ mục đã chọn không có (đã bị xóa?).", link=_back()
            )
        try:
            served = await run_in_threadpool(switch_snapshot, self.holder, target)
        except BuildError:
            return _message(
                request,
                409,
                "Đang xây dựng chỉ mục",
                "Hãy chờ lần xây dựng đang chạy kết thúc rồi chuyển.",
                link=_back(),
            )
        except SnapshotError as exc:
            return _message(request, 409, "Không chuyển được", f"Bản chỉ mục này không dùng được: {exc}", link=_back())
        return _see_other(f"{STAFF_PATH}?chuyen={quote(served, safe='')}#ban-chi-muc")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _back() -> tuple[str, str]:
    return (f"{STAFF_PATH}#ban-chi-muc", "Về danh sách bản chỉ mục")


def job_url(job_id: str) -> str:
    """The page of reindex job ``job_id``."""
    return f"{STAFF_PATH}/viec/{quote(job_id, safe='')}"


def job_view(job: Job) -> dict[str, Any]:
    """What the job page shows of ``job``, in words."""
    running = job.status in (QUEUED, RUNNING)
    return {
        "job": job,
        "running": running,
        "status_label": JOB_STATUS_LABELS.get(job.status, job.status),
        "phase_label": PHASE_LABELS.get(job.phase, job.phase),
    }


def store_upload(store: DocumentStore, filename: str, data: bytes) -> UploadOutcome:
    """Store one file through ``store``; a refusal becomes its outcome with the admin API's status."""
    try:
        return UploadOutcome(filename, stored=store.add(filename, data))
    except UploadError as exc:
        return UploadOutcome(filename, error=str(exc), status=status_of(exc))


def upload_status(outcomes: Sequence[UploadOutcome]) -> int:
    """200 when any file was stored, else the status of the first refusal."""
    if any(o.stored is not None for o in outcomes):
        return 200
    return outcomes[0].status if outcomes else 400


def snapshot_rows(holder: ServiceHolder) -> list[SnapshotRow]:
    """The snapshots of ``holder``'s index folder, newest first, the current one marked."""
    current = current_snapshot_id(holder.index_dir)
    rows = []
    for snapshot_id in reversed(list_snapshots(holder.index_dir)):
        try:
            manifest = read_manifest(holder.index_dir, snapshot_id)
        except SnapshotError as exc:
            rows.append(SnapshotRow(snapshot_id, current=snapshot_id == current, error=str(exc)))
            continue
        rows.append(
            SnapshotRow(
                snapshot_id,
                created_at=manifest.created_at,
                documents=len(manifest.documents),
                chunks=manifest.chunk_count,
                current=snapshot_id == current,
            )
        )
    return rows


def switch_snapshot(holder: ServiceHolder, snapshot_id: str) -> str:
    """Make ``snapshot_id`` current and serve it; returns the id served.

    Checked before anything changes (built by this embedder and normaliser, checksums intact:
    ``SnapshotError``), under the build lock so no build activates another meanwhile (``BuildError`` when
    one runs). If the service cannot load it after all, ``current`` goes back to what it named.
    """
    index_dir = holder.index_dir
    with build_lock(index_dir):
        manifest = read_manifest(index_dir, snapshot_id)
        check_compatible(manifest, model=holder.embedder.name, normalizer_version=NORMALIZER_VERSION)
        verify_checksums(index_dir / BUILDS_DIR / snapshot_id, manifest)
        before = current_snapshot_id(index_dir)
        set_current(index_dir, snapshot_id)
        try:
            return holder.reload()
        except SnapshotError:
            if before is not None:
                set_current(index_dir, before)
            raise
