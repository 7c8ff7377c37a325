"""The documents pages: the list of indexed documents (filters, a search box), each document's page
(metadata, section tree, text with a cited quote marked, structured facts) and its original file.

Every page reads one service per request (``holder.get()``), so the list, the page and the facts are
of the same snapshot. An unknown document or a missing file is a 404 page in Vietnamese, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from bot.answering.facts import LocatedFact, find_facts
from bot.answering.service import ServiceHolder, SnapshotService
from bot.config import Settings
from bot.models import FACT_BASIS, FACT_DEADLINE, FACT_FUNDING, FACT_RESPONSIBILITY, FACT_TARGET, DocumentMeta, Fact
from bot.text.normalize import fold
from bot.web.highlight import Segment, find_quote, segments, split_first_line
from bot.web.links import DOCUMENTS_PATH, QUOTE_PARAMETER, document_url, original_url
from bot.web.originals import content_disposition, manifest_source, media_type, original_path
from bot.web.sections import SectionNode, section_tree, walk
from bot.web.templating import render

MAX_SEARCH_CHARS = 200  # a search box, not a document: longer input is cut
MAX_QUOTE_CHARS = 5000  # links carry at most 1500 (bot.web.links); anything far longer is no quote


# --- the list --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to: a kind, a province, a locality (exact values from the data) and
    the words of ``q``, each of which must stand in the title, number, issuer or locality (compared
    without diacritics or case: "an binh" finds "phường An Bình")."""

    kind: str = ""
    province: str = ""
    locality: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        """Whether anything narrows the list."""
        return any((self.kind, self.province, self.locality, self.q.strip()))

    def matches(self, meta: DocumentMeta) -> bool:
        """Whether ``meta`` passes every filter."""
        if self.kind and meta.doc_type != self.kind:
            return False
        if self.province and meta.province != self.province:
            return False
        if self.locality and meta.locality != self.locality:
            return False
        words = fold(self.q).split()
        if not words:
            return True
        haystack = " ".join(fold(v) for v in (meta.title, meta.number, meta.issuer, meta.locality) if v)
        return all(word in haystack for word in words)


def options(values: Iterable[str | None]) -> list[str]:
    """The distinct non-empty ``values``, sorted as a Vietnamese reader expects (by the folded form)."""
    return sorted({v for v in values if v}, key=lambda v: (fold(v), v))


# --- a document's page -----------------------------------------------------------------------------


def metadata_rows(meta: DocumentMeta) -> list[tuple[str, tuple[str, ...]]]:
    """The metadata the document has, as (Vietnamese label, values) in reading order; unset fields left out."""

    def one(value: str | int | None) -> tuple[str, ...]:
        return (str(value),) if value not in (None, "") else ()

    rows = (
        ("Loại", one(meta.doc_type)),
        ("Số hiệu", one(meta.number)),
        ("Ngày ban hành", one(meta.date)),
        ("Nơi ban hành", one(meta.place)),
        ("Cơ quan ban hành", one(meta.issuer)),
        ("Địa bàn", one(meta.locality)),
        ("Cấp", one(meta.level)),
        ("Tỉnh", one(meta.province)),
        ("Người ký", one(meta.signer)),
        ("Chức vụ người ký", one(meta.signer_title)),
        ("Căn cứ / Thực hiện", meta.implements),
        ("Ban hành kèm theo", one(meta.issued_with)),
        ("Ngày có hiệu lực", one(meta.effective_date)),
        ("Ngày đăng", one(meta.published)),
        ("Số trang", one(meta.page_count)),
        ("Nơi nhận", meta.recipients),
        ("Tệp gốc", one(meta.source)),
    )
    return [(label, values) for label, values in rows if values]


@dataclass(frozen=True)
class FactColumn:
    """One column of a facts table: its header and how a fact fills it."""

    label: str
    value: Callable[[Fact], str]


@dataclass(frozen=True)
class FactTable:
    """The facts of one kind on a document's page."""

    kind: str
    title: str
    columns: tuple[FactColumn, ...]


FACT_TABLES = (
    FactTable(
        FACT_RESPONSIBILITY,
        "Trách nhiệm",
        (
            FactColumn("Đơn vị", lambda f: f.subject),
            FactColumn("Vai trò", lambda f: f.role),
            FactColumn("Nhiệm vụ", lambda f: f.detail or f.quote),
            FactColumn("Thời gian", lambda f: f.value),
        ),
    ),
    FactTable(
        FACT_TARGET,
        "Chỉ tiêu",
        (FactColumn("Chỉ tiêu", lambda f: f.subject), FactColumn("Giá trị", lambda f: f.value)),
    ),
    FactTable(
        FACT_DEADLINE,
        "Thời hạn",
        (FactColumn("Nhiệm vụ", lambda f: f.subject), FactColumn("Thời hạn", lambda f: f.value)),
    ),
    FactTable(FACT_FUNDING, "Kinh phí", (FactColumn("Nguồn kinh phí", lambda f: f.subject),)),
    FactTable(FACT_BASIS, "Căn cứ", (FactColumn("Văn bản", lambda f: f.subject),)),
)


@dataclass(frozen=True)
class FactRow:
    """One fact as a row: its cells, and the link to its line on this page."""

    cells: tuple[str, ...]
    section: str
    url: str


def fact_rows(table: FactTable, found: Sequence[LocatedFact]) -> list[FactRow]:
    """The rows of ``table`` for ``found``; each links to the fact's section with its quote marked."""
    return [
        FactRow(
            tuple(column.value(item.fact) for column in table.columns),
            item.fact.section,
            document_url(item.fact.doc_id, item.fact.section, item.fact.quote),
        )
        for item in found
    ]


@dataclass(frozen=True)
class SectionBlock:
    """A section as the page shows it: its node, its heading and text as segments, whether it holds the mark.

    A section's text opens with its heading line when the document writes the heading as a line of
    its own ("1.2. Công chức Văn hóa xã hội"): that line is then the heading (not shown twice), with
    the mark on it when the quote covers it."""

    node: SectionNode
    heading: tuple[Segment, ...]
    segments: tuple[Segment, ...]
    marked: bool

    @property
    def heading_level(self) -> int:
        """h3 for top-level sections (under the page's h1 and the h2 "Nội dung"), down to h6."""
        return min(self.node.level + 2, 6)


def section_block(node: SectionNode, quote: str) -> SectionBlock:
    """``node`` with ``quote`` (when given) marked where it first stands in the section's text."""
    span = find_quote(node.text, quote) if quote else None
    pieces = segments(node.text, span)
    if node.path and node.text.split("\n", 1)[0].strip() == node.heading.strip():
        heading, body = split_first_line(pieces)
    else:
        heading, body = [(node.heading, False)], pieces
    return SectionBlock(node, tuple(heading), tuple(body), span is not None)


def section_blocks(tree: Sequence[SectionNode], quote: str) -> list[SectionBlock]:
    """Every section in document order; ``quote`` (when given) marked where it first stands in each
    section holding it (the link's fragment scrolls to the cited one)."""
    return [section_block(node, quote) for node in walk(tree)]


def document_context(service: SnapshotService, meta: DocumentMeta, quote: str, *, has_original: bool) -> dict[str, Any]:
    """What ``document.html`` shows of ``meta`` with ``quote`` marked."""
    chunks = service.corpus.chunks_of.get(meta.doc_id, [])
    tree = section_tree(chunks)
    quote = quote.strip()
    blocks = section_blocks(tree, quote if len(quote) <= MAX_QUOTE_CHARS else "")  # far too long: not looked for
    tables = [
        (table, fact_rows(table, find_facts(service.corpus, table.kind, subject=None, scope={meta.doc_id})))
        for table in FACT_TABLES
    ]
    return {
        "title": meta.title or meta.doc_id,
        "nav": "documents",
        "meta": meta,
        "rows": metadata_rows(meta),
        "tree": tree,
        "blocks": blocks,
        "quote": quote,
        "first_marked": next((b.node for b in blocks if b.marked), None),
        "fact_tables": [(table, rows) for table, rows in tables if rows],
        "original": original_url(meta.doc_id) if has_original else "",
    }


# --- routes ----------------------------------------------------------------------------------------


def not_found_page(request: Request, message: str) -> HTMLResponse:
    """The polite 404 page with ``message``."""
    context = {"title": "Không tìm thấy", "nav": "documents", "message": message}
    return render(request, "not_found.html", context, status_code=404)


def add_document_routes(router: APIRouter, holder: ServiceHolder, settings: Settings) -> None:
    """Add the documents pages of ``holder``'s current snapshot to ``router``; originals are read from
    ``settings.documents_dir``."""

    @router.get(DOCUMENTS_PATH, response_class=HTMLResponse)
    def documents(request: Request, kind: str = "", province: str = "", locality: str = "", q: str = "") -> Response:
        every = holder.get().documents()
        filters = Filters(kind, province, locality, q[:MAX_SEARCH_CHARS])
        context = {
            "title": "Văn bản",
            "nav": "documents",
            "filters": filters,
            "documents": [(meta, document_url(meta.doc_id)) for meta in every if filters.matches(meta)],
            "total": len(every),
            "kinds": options(m.doc_type for m in every),
            "provinces": options(m.province for m in every),
            "localities": options(m.locality for m in every),
        }
        return render(request, "documents.html", context)

    @router.get(DOCUMENTS_PATH + "/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: str) -> Response:
        service = holder.get()
        meta = service.documents_by_id().get(doc_id)
        if meta is None:
            return not_found_page(request, "Không có văn bản này trong chỉ mục hiện tại.")
        source = manifest_source(service.manifest, doc_id)  # the one name /goc serves, as there
        has_original = source is not None and original_path(settings.documents_dir, source) is not None
        quote = request.query_params.get(QUOTE_PARAMETER, "")
        return render(request, "document.html", document_context(service, meta, quote, has_original=has_original))

    @router.get(DOCUMENTS_PATH + "/{doc_id}/goc")
    def original(request: Request, doc_id: str) -> Response:
        source = manifest_source(holder.get().manifest, doc_id)
        path = original_path(settings.documents_dir, source) if source else None
        if source is None or path is None:
            return not_found_page(request, "Không tìm thấy tệp gốc của văn bản này.")
        headers = {"Content-Disposition": content_disposition(source)}
        return FileResponse(path, media_type=media_type(source), headers=headers)

    @router.get(DOCUMENTS_PATH + "/{rest:path}", response_class=HTMLResponse)
    def elsewhere(request: Request, rest: str) -> Response:
        # any other address below the documents (an id holding "/", a mistyped suffix) is a page too
        return not_found_page(request, "Không có trang này trong mục Văn bản.")
