"""The "Ai làm gì" pages: who does what, the targets and the deadlines, across the plans.

Three tables of the current snapshot's structured facts (:mod:`bot.answering.registers`), each
filtered by a plain GET form (bookmarkable, no JavaScript needed) and downloadable, with the same
filters, as CSV and .xlsx (:mod:`bot.web.exports`):

* ``/ai-lam-gi``: responsibilities, by unit group, locality and role;
* ``/ai-lam-gi/chi-tieu``: targets, by locality;
* ``/ai-lam-gi/thoi-han``: deadlines, by locality, those due in the coming quarter first.

A table's downloads are its address with ``.csv`` or ``.xlsx`` added. Every row links to its plan's
page at the section, with the quoted line to highlight (:func:`bot.web.links.document_url`). A filter
value no row has gives an empty table; an unusable one (an unknown role, an over-long value) a page
saying so, with status 422.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from bot.answering import registers
from bot.answering.corpus import Corpus
from bot.answering.registers import DeadlineRow, ResponsibilityRow, Source, TargetRow
from bot.answering.service import ServiceHolder
from bot.errors import QueryError, SnapshotError
from bot.text.deadlines import (
    RANK_COMING,
    RANK_LATER,
    RANK_PAST,
    RANK_RECURRING,
    Period,
    coming_quarter,
)
from bot.web.exports import FORMATS, Sheet, download
from bot.web.links import document_url
from bot.web.templating import render

log = logging.getLogger(__name__)

WHO_PATH = "/ai-lam-gi"
TARGETS_PATH = f"{WHO_PATH}/chi-tieu"
DEADLINES_PATH = f"{WHO_PATH}/thoi-han"
NO_INDEX = "Chưa có văn bản nào được lập chỉ mục, hoặc chỉ mục đang được nạp lại: xin thử lại sau ít phút."
VIETNAM = timezone(timedelta(hours=7))  # the plans' days are Vietnam's (no daylight saving time)

SOURCE_HEADERS = ("Văn bản", "Địa bàn", "Mục")
RESPONSIBILITY_HEADERS = ("Đơn vị", "Nhiệm vụ", "Vai trò", "Thời gian", *SOURCE_HEADERS)
TARGET_HEADERS = ("Chỉ tiêu", "Giá trị", *SOURCE_HEADERS)
DEADLINE_HEADERS = ("Nhiệm vụ", "Thời hạn", "Từ ngày", "Đến ngày", "Đến hạn", *SOURCE_HEADERS)
DUE = {
    RANK_COMING: "Trong quý tới",
    RANK_RECURRING: "Định kỳ, thường xuyên",
    RANK_LATER: "Sau quý tới",
    RANK_PAST: "Đã qua",
}


def vietnam_today() -> date:
    """Today in Vietnam."""
    return datetime.now(VIETNAM).date()


@dataclass(frozen=True)
class TableRow:
    """A row as shown and downloaded: its cells, and the address of its plan at its section."""

    cells: tuple[str, ...]
    url: str


def _source_cells(source: Source) -> tuple[str, ...]:
    return source.document, source.locality, source.section


def _row(cells: tuple[str, ...], source: Source) -> TableRow:
    return TableRow(cells + _source_cells(source), document_url(source.doc_id, source.section, source.quote))


def responsibility_row(row: ResponsibilityRow) -> TableRow:
    """The cells of :data:`RESPONSIBILITY_HEADERS`."""
    return _row((row.unit, row.task, row.role, row.time), row.source)


def target_row(row: TargetRow) -> TableRow:
    """The cells of :data:`TARGET_HEADERS`."""
    return _row((row.indicator, row.value), row.source)


def _day(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def deadline_row(row: DeadlineRow) -> TableRow:
    """The cells of :data:`DEADLINE_HEADERS`: the period read from the deadline (none for an unread or
    an ongoing one), and when it is due."""
    period = row.period
    start, end = ("", "") if period is None or period.ongoing else (_day(period.start), _day(period.end))
    return _row((row.task, row.deadline, start, end, DUE.get(row.rank, "")), row.source)


@dataclass(frozen=True)
class Table:
    """One of the three tables: its page, title, file name and columns."""

    path: str
    title: str
    stem: str  # the downloaded file's name, without its extension
    headers: tuple[str, ...]


RESPONSIBILITIES = Table(WHO_PATH, "Phân công nhiệm vụ", "phân-công-nhiệm-vụ", RESPONSIBILITY_HEADERS)
TARGETS = Table(TARGETS_PATH, "Chỉ tiêu", "chỉ-tiêu", TARGET_HEADERS)
DEADLINES = Table(DEADLINES_PATH, "Thời hạn", "thời-hạn", DEADLINE_HEADERS)
TABLES = (RESPONSIBILITIES, TARGETS, DEADLINES)


def _query(**filters: str) -> str:
    """The filters as a query string (``?unit=...``), "" when none is set."""
    kept = {name: value for name, value in filters.items() if value}
    return "?" + urlencode(kept) if kept else ""


def who_router(holder: ServiceHolder, today: Callable[[], date] = vietnam_today) -> APIRouter:
    """The "Ai làm gì" pages and downloads of ``holder``'s current snapshot; ``today`` is the clock
    the deadlines are read by."""
    router = APIRouter(include_in_schema=False)

    def page(request: Request, table: Table, rows: Sequence[TableRow], context: dict[str, Any]) -> HTMLResponse:
        filters = {k: context.get(k, "") for k in ("unit", "locality", "role")}
        query = _query(**filters)
        base = {
            "title": f"Ai làm gì: {table.title.lower()}",
            "nav": "who",
            "table": table,
            "tables": TABLES,
            "rows": rows,
            "downloads": [(fmt, f"{table.path}.{fmt}{query}") for fmt in FORMATS],
            "error": "",
        }
        return render(request, "who.html", {**base, **context})

    def refused(request: Request, table: Table, error: Exception, status: int) -> HTMLResponse:
        """The page saying why there is no table: the filter's problem (422), or no index to read (503;
        its message names server paths, so it goes to the log and the page says it in Vietnamese)."""
        if isinstance(error, SnapshotError):
            log.warning("no snapshot for %s: %s", request.url.path, error)
        message = NO_INDEX if isinstance(error, SnapshotError) else str(error)
        context = {"title": f"Ai làm gì: {table.title.lower()}", "nav": "who", "table": table, "tables": TABLES}
        return render(request, "who.html", {**context, "rows": [], "downloads": [], "error": message}, status)

    def responsibilities(unit: str, locality: str, role: str) -> tuple[registers.Responsibilities, list[TableRow]]:
        found = registers.responsibilities(holder.get().corpus, unit=unit, locality=locality, role=role)
        return found, [responsibility_row(r) for r in found.rows]

    def targets(locality: str, corpus: Corpus | None = None) -> list[TableRow]:
        corpus = corpus or holder.get().corpus
        return [target_row(r) for r in registers.targets(corpus, locality=locality)]

    def deadlines(locality: str, corpus: Corpus | None = None) -> list[TableRow]:
        corpus = corpus or holder.get().corpus
        return [deadline_row(r) for r in registers.deadlines(corpus, today(), locality=locality)]

    @router.get(WHO_PATH, response_class=HTMLResponse)
    def responsibilities_page(request: Request, unit: str = "", locality: str = "", role: str = "") -> HTMLResponse:
        try:
            found, rows = responsibilities(unit, locality, role)
        except QueryError as error:
            return refused(request, RESPONSIBILITIES, error, 422)
        except SnapshotError as error:
            return refused(request, RESPONSIBILITIES, error, 503)
        group = next((g for g in found.groups if g.key == found.unit), None)
        context = {
            "unit": found.unit,
            "locality": found.locality,
            "role": found.role,
            "groups": found.groups,
            "group": group,
            "localities": found.localities,
            "roles": registers.ROLES,
        }
        return page(request, RESPONSIBILITIES, rows, context)

    @router.get(TARGETS_PATH, response_class=HTMLResponse)
    def targets_page(request: Request, locality: str = "") -> HTMLResponse:
        try:
            corpus = holder.get().corpus  # one snapshot for the rows and the choices
            rows, localities = targets(locality, corpus), corpus.localities
        except QueryError as error:
            return refused(request, TARGETS, error, 422)
        except SnapshotError as error:
            return refused(request, TARGETS, error, 503)
        return page(request, TARGETS, rows, {"locality": locality.strip(), "localities": localities})

    @router.get(DEADLINES_PATH, response_class=HTMLResponse)
    def deadlines_page(request: Request, locality: str = "") -> HTMLResponse:
        try:
            corpus = holder.get().corpus  # one snapshot for the rows and the choices
            rows, localities = deadlines(locality, corpus), corpus.localities
        except QueryError as error:
            return refused(request, DEADLINES, error, 422)
        except SnapshotError as error:
            return refused(request, DEADLINES, error, 503)
        window: Period = coming_quarter(today())
        context = {
            "locality": locality.strip(),
            "localities": localities,
            "window": (_day(window.start), _day(window.end)),
        }
        return page(request, DEADLINES, rows, context)

    def downloaded(request: Request, table: Table, fmt: str, rows: Callable[[], list[TableRow]]) -> Response:
        if fmt not in FORMATS:
            raise HTTPException(status_code=404, detail=f"no {fmt!r} download: {', '.join(FORMATS)}")
        try:
            found = rows()
        except QueryError as error:
            return refused(request, table, error, 422)
        except SnapshotError as error:
            return refused(request, table, error, 503)
        return download(Sheet(table.title, table.headers, tuple(r.cells for r in found)), fmt, table.stem)

    @router.get(WHO_PATH + ".{fmt}")
    def responsibilities_file(
        request: Request, fmt: str, unit: str = "", locality: str = "", role: str = ""
    ) -> Response:
        return downloaded(request, RESPONSIBILITIES, fmt, lambda: responsibilities(unit, locality, role)[1])

    @router.get(TARGETS_PATH + ".{fmt}")
    def targets_file(request: Request, fmt: str, locality: str = "") -> Response:
        return downloaded(request, TARGETS, fmt, lambda: targets(locality))

    @router.get(DEADLINES_PATH + ".{fmt}")
    def deadlines_file(request: Request, fmt: str, locality: str = "") -> Response:
        return downloaded(request, DEADLINES, fmt, lambda: deadlines(locality))

    return router
