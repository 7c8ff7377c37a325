"""HTTP API (FastAPI): ask, search, list plans, health.

Pydantic models live at the boundary (:mod:`bot.http.schema`); inside, the plain dataclasses of the
use cases. Every deliberate error becomes a 4xx/503 with a message, never a traceback. Limits come
from the :class:`~bot.config.Settings` given to :func:`create_app`.

No ``from __future__ import annotations`` here: FastAPI reads the routes' annotations at run time,
and the body model of ``/ask`` and the query limit of ``/search`` are built per app, inside
:func:`create_app`, from values a string annotation could not reach.
"""

import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot import __version__
from bot.answering.service import ServiceHolder, SnapshotService
from bot.config import Settings
from bot.errors import CampaignBotError, QueryError, SnapshotError
from bot.http.body_limit import BodyLimitMiddleware
from bot.http.headers import add_security_headers
from bot.http.observe import note
from bot.http.operations import add_operations
from bot.http.schema import (
    AskRequest,
    AskResponse,
    DocumentOut,
    FactsResponse,
    HealthResponse,
    SearchResponse,
    ask_request_model,
    citation_out,
    document_out,
    fact_out,
    health_out,
    search_result_out,
)
from bot.text.normalize import without_surrogates

log = logging.getLogger(__name__)


def _encodable(value: object) -> object:
    """``value`` (JSON data) with every lone surrogate replaced by U+FFFD: an error may echo the
    input it refuses, and a surrogate in it would make the 422 itself fail to encode (a 500)."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    if isinstance(value, dict):
        return {k: _encodable(v) for k, v in value.items()}
    return value


# Bodies of routes that take files (the admin API, the staff pages) may hold several plans; every other
# body is a question or a Telegram update, a few kB at most.
UPLOAD_PATH_PREFIXES = ("/admin/documents", "/can-bo")
UPLOAD_OVERHEAD_BYTES = 1024 * 1024  # multipart boundaries and headers around the files
OTHER_BODY_BYTES = 1024 * 1024


def body_limits(settings: Settings) -> Callable[[str], int]:
    """The longest body accepted on a path: the upload limit (+ multipart overhead) where files are
    sent, 1 MB elsewhere."""
    upload = settings.max_upload_bytes + UPLOAD_OVERHEAD_BYTES

    def limit_of(path: str) -> int:
        return upload if path.startswith(UPLOAD_PATH_PREFIXES) else OTHER_BODY_BYTES

    return limit_of


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def create_app(
    holder: ServiceHolder,
    settings: Settings | None = None,
    *,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """The FastAPI application serving ``holder``'s current snapshot.

    ``settings`` (default: read from the environment) give the question limit and, with an
    ``admin_token``, enable the /admin API. ``holder`` must enforce the same question limit (build
    both from one Settings, see :mod:`bot.cli.wiring`); a mismatch is refused here with ``ValueError``.
    ``lifespan`` and ``routers`` add what another adapter needs (the Telegram bot started with the
    server, its webhook route); they are composed by the CLI so this module imports no bot code.
    """
    settings = settings if settings is not None else Settings()
    limit = settings.max_question_chars
    if holder.max_question_chars != limit:
        raise ValueError(
            f"the service holder allows {holder.max_question_chars} characters per question, the settings {limit}"
        )
    app = FastAPI(
        title="campaign-bot",
        description="Hỏi đáp có trích dẫn về các kế hoạch thực hiện Phong trào "
        "“Toàn dân đoàn kết xây dựng đời sống văn hóa”.",
        version=__version__,
        lifespan=lifespan,
    )
    app.state.holder = holder
    add_security_headers(app)
    for router in routers:
        app.include_router(router)

    def service() -> SnapshotService:
        return holder.get()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        messages = [f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in errors]
        # ``ctx`` may hold the raised exception itself, which JSON cannot carry: keep the rest.
        detail = [{k: v for k, v in e.items() if k != "ctx"} for e in errors]
        content = jsonable_encoder({"error": "; ".join(messages), "detail": detail})
        return JSONResponse(status_code=422, content=_encodable(content))

    @app.exception_handler(QueryError)
    async def _bad_query(_: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"error": str(exc)})

    @app.exception_handler(SnapshotError)
    async def _no_index(_: Request, exc: SnapshotError) -> JSONResponse:
        log.error("index unavailable: %s", exc)
        return JSONResponse(status_code=503, content={"error": str(exc)})

    @app.exception_handler(CampaignBotError)
    async def _other(_: Request, exc: CampaignBotError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": str(exc)})

    def ask(request: AskRequest) -> AskResponse:
        start = time.perf_counter()
        current = service()
        answer = current.ask(request.question, locality=request.locality)
        note(snapshot=current.snapshot_id, answer_status=answer.status, question=request.question)
        return AskResponse(
            status=answer.status,
            answer=answer.answer,
            citations=[citation_out(c) for c in answer.citations],
            choices=list(answer.choices),
            took_ms=_elapsed_ms(start),
            snapshot=current.snapshot_id,
        )

    # FastAPI validates the body with the route's annotation: the model of this app's question limit.
    ask.__annotations__["request"] = ask_request_model(limit)
    app.post("/ask", response_model=AskResponse)(ask)

    @app.get("/search", response_model=SearchResponse)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=limit, description="Truy vấn")],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
        locality: str | None = None,
    ) -> SearchResponse:
        start = time.perf_counter()
        current = service()
        note(snapshot=current.snapshot_id, question=q)
        hits = current.search(q, k=k, locality=locality)
        return SearchResponse(results=[search_result_out(h) for h in hits], took_ms=_elapsed_ms(start))

    @app.get("/documents", response_model=list[DocumentOut])
    def documents() -> list[DocumentOut]:
        current = service()
        counts = {entry.doc_id: entry.chunks for entry in current.manifest.documents}
        return [document_out(d, counts.get(d.doc_id, 0)) for d in current.documents()]

    @app.get("/responsibilities", response_model=FactsResponse)
    def responsibilities(
        unit: Annotated[str | None, Query(max_length=200, description="Đơn vị, ví dụ 'Phòng Văn hóa'")] = None,
        locality: Annotated[str | None, Query(max_length=200, description="Địa bàn")] = None,
    ) -> FactsResponse:
        start = time.perf_counter()
        found = service().responsibilities(unit=unit, locality=locality)
        return FactsResponse(facts=[fact_out(f) for f in found], took_ms=_elapsed_ms(start))

    @app.get("/targets", response_model=FactsResponse)
    def targets(
        locality: Annotated[str | None, Query(max_length=200, description="Địa bàn")] = None,
    ) -> FactsResponse:
        start = time.perf_counter()
        found = service().targets(locality=locality)
        return FactsResponse(facts=[fact_out(f) for f in found], took_ms=_elapsed_ms(start))

    @app.get("/health", response_model=HealthResponse)
    def health() -> HealthResponse:
        return health_out(service().manifest)

    # innermost: a body refused while it streams is still logged and counted by the operations layer
    app.add_middleware(BodyLimitMiddleware, limit_of=body_limits(settings))
    add_operations(app, holder, settings)  # before the admin API: its jobs report to the metrics
    if settings.admin_token:
        from bot.http.admin import include_admin

        include_admin(app, holder, settings)
    return app
