"""HTTP API (FastAPI): ask, search, list plans, health.

Pydantic models live here, at the boundary; inside, the plain dataclasses of the use cases. Every
deliberate error becomes a 4xx/503 with a message, never a traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from bot.answering.engine import LocatedFact
from bot.answering.service import ServiceHolder, SnapshotService
from bot.errors import CampaignBotError, QueryError, SnapshotError

if TYPE_CHECKING:
    from bot.http.admin import AdminSettings

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


class AskRequest(BaseModel):
    """A question, optionally limited to one locality."""

    question: str = Field(description="Câu hỏi tiếng Việt (có hoặc không dấu), tối đa 2.000 ký tự.")
    locality: str | None = Field(default=None, description="Địa bàn, ví dụ 'phường Kinh Môn'.")

    @field_validator("question")
    @classmethod
    def _question_is_usable(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question must not be empty or only whitespace")
        if len(value) > MAX_QUESTION_CHARS:
            raise ValueError(f"question is too long ({len(value)} characters, at most {MAX_QUESTION_CHARS})")
        return value


class CitationOut(BaseModel):
    doc_id: str
    title: str
    locality: str
    section: str
    quote: str
    score: float
    pages: list[int] = Field(default_factory=list, description="Trang của đoạn trích (kế hoạch dạng PDF).")


class AskResponse(BaseModel):
    status: str = Field(description="'answered' or 'not_found'")
    answer: str
    citations: list[CitationOut]
    took_ms: float
    snapshot: str


class SearchResult(BaseModel):
    doc_id: str
    title: str
    locality: str
    section: str
    text: str
    score: float


class SearchResponse(BaseModel):
    results: list[SearchResult]
    took_ms: float


class DocumentOut(BaseModel):
    doc_id: str
    source: str
    title: str
    doc_type: str
    number: str | None
    date: str | None
    issuer: str | None
    locality: str | None
    signer: str | None
    signer_title: str | None
    implements: list[str]
    recipients: list[str]
    chunks: int


class FactOut(BaseModel):
    """A structured fact with its plan, section and verbatim quote."""

    kind: str
    doc_id: str
    title: str
    locality: str
    section: str
    quote: str
    subject: str
    role: str
    value: str
    detail: str


class FactsResponse(BaseModel):
    facts: list[FactOut]
    took_ms: float


def _facts_out(found: list[LocatedFact]) -> list[FactOut]:
    return [
        FactOut(
            kind=item.fact.kind,
            doc_id=item.document.doc_id,
            title=item.document.title,
            locality=item.document.locality or "",
            section=item.fact.section,
            quote=item.fact.quote,
            subject=item.fact.subject,
            role=item.fact.role,
            value=item.fact.value,
            detail=item.fact.detail,
        )
        for item in found
    ]


class HealthResponse(BaseModel):
    status: str
    snapshot: str
    created_at: str
    documents: int
    chunks: int
    model: str
    dimension: int


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def create_app(
    holder: ServiceHolder,
    admin: AdminSettings | None = None,
    *,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """The FastAPI application serving ``holder``'s current snapshot (with ``admin``: the /admin API).

    ``lifespan`` and ``routers`` add what another adapter needs (the Telegram bot started with the
    server, its webhook route); they are composed by the CLI so this module imports no bot code.
    """
    app = FastAPI(
        title="campaign-bot",
        description="Hỏi đáp có trích dẫn về các kế hoạch thực hiện Phong trào "
        "“Toàn dân đoàn kết xây dựng đời sống văn hóa”.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.holder = holder
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
        return JSONResponse(status_code=422, content=jsonable_encoder({"error": "; ".join(messages), "detail": detail}))

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

    @app.post("/ask", response_model=AskResponse)
    def ask(request: AskRequest) -> AskResponse:
        start = time.perf_counter()
        current = service()
        answer = current.ask(request.question, locality=request.locality)
        return AskResponse(
            status=answer.status,
            answer=answer.answer,
            citations=[CitationOut(**c.__dict__) for c in answer.citations],
            took_ms=_elapsed_ms(start),
            snapshot=current.snapshot_id,
        )

    @app.get("/search", response_model=SearchResponse)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="Truy vấn")],
        k: Annotated[int, Query(ge=1, le=50)] = 5,
        locality: str | None = None,
    ) -> SearchResponse:
        start = time.perf_counter()
        hits = service().search(q, k=k, locality=locality)
        results = [
            SearchResult(
                doc_id=h.document.doc_id,
                title=h.document.title,
                locality=h.document.locality or "",
                section=h.chunk.section,
                text=h.chunk.source or h.chunk.text,  # as the plan has it
                score=round(h.score, 4),
            )
            for h in hits
        ]
        return SearchResponse(results=results, took_ms=_elapsed_ms(start))

    @app.get("/documents", response_model=list[DocumentOut])
    def documents() -> list[DocumentOut]:
        current = service()
        counts = {entry.doc_id: entry.chunks for entry in current.manifest.documents}
        return [
            DocumentOut(
                doc_id=d.doc_id,
                source=d.source,
                title=d.title,
                doc_type=d.doc_type,
                number=d.number,
                date=d.date,
                issuer=d.issuer,
                locality=d.locality,
                signer=d.signer,
                signer_title=d.signer_title,
                implements=list(d.implements),
                recipients=list(d.recipients),
                chunks=counts.get(d.doc_id, 0),
            )
            for d in current.documents()
        ]

    @app.get("/responsibilities", response_model=FactsResponse)
    def responsibilities(
        unit: Annotated[str | None, Query(max_length=200, description="Đơn vị, ví dụ 'Phòng Văn hóa'")] = None,
        locality: Annotated[str | None, Query(max_length=200, description="Địa bàn")] = None,
    ) -> FactsResponse:
        start = time.perf_counter()
        found = service().responsibilities(unit=unit, locality=locality)
        return FactsResponse(facts=_facts_out(found), took_ms=_elapsed_ms(start))

    @app.get("/targets", response_model=FactsResponse)
    def targets(
        locality: Annotated[str | None, Query(max_length=200, description="Địa bàn")] = None,
    ) -> FactsResponse:
        start = time.perf_counter()
        return FactsResponse(facts=_facts_out(service().targets(locality=locality)), took_ms=_elapsed_ms(start))

    @app.get("/health", response_model=HealthResponse)
    def health() -> HealthResponse:
        manifest = service().manifest
        return HealthResponse(
            status="ok",
            snapshot=manifest.snapshot_id,
            created_at=manifest.created_at,
            documents=len(manifest.documents),
            chunks=manifest.chunk_count,
            model=manifest.model,
            dimension=manifest.dimension,
        )

    if admin is not None:
        from bot.http.admin import include_admin

        include_admin(app, holder, admin)
    return app
