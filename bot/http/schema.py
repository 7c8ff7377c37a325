"""The HTTP API's JSON: pydantic models, and the functions that map the use cases' dataclasses onto them.

The mapping is written out field by field, so renaming or adding a field of a dataclass inside never
changes the API by accident; a change of the API is a change of this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BaseModel, Field, create_model

from bot.text.normalize import lone_surrogate

if TYPE_CHECKING:
    from bot.answering.engine import Citation, LocatedFact
    from bot.models import DocumentMeta
    from bot.retrieval.hybrid import Hit
    from bot.snapshot.store import Manifest


class AskRequest(BaseModel):
    """A question, optionally limited to one locality (the body of ``POST /ask``).

    The length limit is a setting: :func:`ask_request_model` builds the model an app validates with.
    """

    question: str
    locality: str | None = Field(default=None, description="Địa bàn, ví dụ 'phường Kinh Môn'.")


def ask_request_model(max_question_chars: int) -> type[AskRequest]:
    """``AskRequest`` refusing questions that are empty or longer than ``max_question_chars``.

    The limit appears in the OpenAPI schema (``maxLength``); the check is a validator rather than
    ``max_length`` so the 422 message says how long the question was.
    """

    def usable(value: str) -> str:
        if (at := lone_surrogate(value)) is not None:
            raise ValueError(f"question holds a lone UTF-16 surrogate at character {at + 1}, which is not text")
        if not value.strip():
            raise ValueError("question must not be empty or only whitespace")
        if len(value) > max_question_chars:
            raise ValueError(f"question is too long ({len(value)} characters, at most {max_question_chars})")
        return value

    limit = f"{max_question_chars:,}".replace(",", ".")  # Vietnamese groups thousands with dots
    question = Annotated[
        str,
        AfterValidator(usable),
        Field(
            description=f"Câu hỏi tiếng Việt (có hoặc không dấu), tối đa {limit} ký tự.",
            json_schema_extra={"minLength": 1, "maxLength": max_question_chars},
        ),
    ]
    return create_model("AskRequest", __base__=AskRequest, __doc__=AskRequest.__doc__, question=(question, ...))


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
    choices: list[str] = Field(
        default_factory=list,
        description="when many plans answer a question naming no place: the places to choose from "
        "(ask again with one as 'locality')",
    )
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


class HealthResponse(BaseModel):
    status: str
    snapshot: str
    created_at: str
    documents: int
    chunks: int
    model: str
    dimension: int


def citation_out(citation: Citation) -> CitationOut:
    return CitationOut(
        doc_id=citation.doc_id,
        title=citation.title,
        locality=citation.locality,
        section=citation.section,
        quote=citation.quote,
        score=citation.score,
        pages=list(citation.pages),
    )


def search_result_out(hit: Hit) -> SearchResult:
    return SearchResult(
        doc_id=hit.document.doc_id,
        title=hit.document.title,
        locality=hit.document.locality or "",
        section=hit.chunk.section,
        text=hit.chunk.source or hit.chunk.text,  # as the plan has it
        score=round(hit.score, 4),
    )


def document_out(document: DocumentMeta, chunks: int) -> DocumentOut:
    return DocumentOut(
        doc_id=document.doc_id,
        source=document.source,
        title=document.title,
        doc_type=document.doc_type,
        number=document.number,
        date=document.date,
        issuer=document.issuer,
        locality=document.locality,
        signer=document.signer,
        signer_title=document.signer_title,
        implements=list(document.implements),
        recipients=list(document.recipients),
        chunks=chunks,
    )


def fact_out(item: LocatedFact) -> FactOut:
    return FactOut(
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


def health_out(manifest: Manifest) -> HealthResponse:
    return HealthResponse(
        status="ok",
        snapshot=manifest.snapshot_id,
        created_at=manifest.created_at,
        documents=len(manifest.documents),
        chunks=manifest.chunk_count,
        model=manifest.model,
        dimension=manifest.dimension,
    )
