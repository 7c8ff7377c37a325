""".pdf reader (pdfplumber, the only home of that library): text lines in reading order, by page.

A PDF holds positioned glyphs, not paragraphs. Per page, lines are read top to bottom; a line made
of two far-apart parts (issuer | motto in the header block) is split and each column read in turn;
ruled tables become TAB-separated rows. Lines repeated at the top or bottom of most pages (running
headers, footers) and page numbers are dropped. A line is joined to the next when it was broken by
the page width (the next line's first word would not have fitted), across pages too, so sentences
come out whole. Wholly bold lines are written ``**text**`` as cleanup expects.

Every page starts with a :data:`~bot.ingest.readers.PAGE_BREAK` line, so sections know their pages.
Pages without a text layer (scans) are read by OCR (:mod:`bot.ingest.ocr`) when Tesseract is
installed, else the file is refused with a message naming what to install.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

from bot.errors import DocumentError
from bot.ingest.cleanup import PAGE_BREAK, is_page_number
from bot.ingest.patterns import is_structural_start
from bot.ingest.readers import ocr
from bot.ingest.readers.result import ReadResult

# pdfminer logs every oddity of a damaged file as a warning; what matters reaches the user as an error
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MIN_TEXT_CHARS = 10  # a page with fewer visible characters has no text layer
MAX_UNMAPPED_SHARE = 0.2  # more glyphs without a Unicode value than this: the text layer is unusable
COLUMN_GAP = 4.0  # a gap wider than this many character widths separates two columns
INDENT = 1.0  # ems: a line starting this far right of the margin is indented (a paragraph's first line)
_SENTENCE_END = (".", ";", ":", "!", "?", "…")
LIST_TAB = 40.0  # points: a list marker stands at most about half an inch before its text
MIN_TABLE_COLUMNS = 3  # ruled boxes with fewer columns are frames, not tables
EDGE_LINES = 2  # running headers and footers are among the first/last lines of a page
MIN_REPEATED_SHARE = 0.5  # ... and stand on at least half of the pages


@dataclass
class _Line:
    """A visual line (or one column of it) of a page."""

    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float  # font size
    bold: bool
    first_word: float  # width of the first word, to tell whether it would have fitted above
    table: bool = False  # a TAB-separated table row (or an OCR line): never joined
    layout: bool = False  # one column of a side-by-side block (header, signature): never joined
    lead: str = ""  # the bold span opening a line that is not wholly bold ("1.1. Trưởng Ban:")
    first_page: int = 0  # the page the logical line starts on (set from ``page``)

    def __post_init__(self) -> None:
        self.first_page = self.first_page or self.page


def _is_bold(chars: Sequence[dict[str, Any]]) -> bool:
    visible = [c for c in chars if c["text"].strip()]
    return bool(visible) and all("bold" in str(c.get("fontname", "")).lower() for c in visible)


def _words(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters (in x order) grouped into words: a space char or a gap wider than a quarter em splits."""
    words: list[list[dict[str, Any]]] = []
    previous: dict[str, Any] | None = None
    for char in chars:
        if not char["text"].strip():
            previous = None
            continue
        gap = previous is not None and char["x0"] - previous["x1"] > 0.25 * float(char.get("size") or 10)
        if previous is None or gap:
            words.append([])
        words[-1].append(char)
        previous = char
    return words


def _text_of(chars: Sequence[dict[str, Any]]) -> str:
    """The characters in x order, words separated by one space."""
    return " ".join("".join(c["text"] for c in word) for word in _words(chars))


def _segments(chars: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The chars of one visual line split at column gaps."""
    ordered = sorted(chars, key=lambda c: c["x0"])
    widths = sorted(c["x1"] - c["x0"] for c in ordered if c["text"].strip()) or [5.0]
    gap = COLUMN_GAP * max(widths[len(widths) // 2], 1.0)
    groups: list[list[dict[str, Any]]] = [[]]
    last_x1: float | None = None
    for char in ordered:
        if not char["text"].strip():
            continue
        if last_x1 is not None and char["x0"] - last_x1 > gap:
            groups.append([])
        groups[-1].append(char)
        last_x1 = char["x1"]
    groups = [g for g in groups if g]
    merged: list[list[dict[str, Any]]] = []
    for group in groups:
        gap = group[0]["x0"] - merged[-1][-1]["x1"] if merged else 0.0
        if merged and gap <= LIST_TAB and _is_label(_text_of(merged[-1])):
            merged[-1] = merged[-1] + group  # "-" or "1." set apart by the list's tab: not a column
        else:
            merged.append(group)
    return merged


_LABEL = re.compile(r"^(?:[-+•–—●○■□▪·*\ue000-\uf8ff]|\d{1,2}(?:\.\d{1,2})*[.)]?|[IVXLC]{1,6}[.)]|[a-zđ][.)])$")


def _is_label(text: str) -> bool:
    """A list marker on its own: a bullet (Symbol-font bullets are private-use characters) or a number."""
    return bool(_LABEL.match(text))


def _lead_of(ordered: Sequence[dict[str, Any]]) -> str:
    """The text of the bold characters opening the line, when the line does not stay bold."""
    visible = [c for c in ordered if c["text"].strip()]
    count = 0
    while count < len(visible) and _is_bold(visible[count : count + 1]):
        count += 1
    if count == 0 or count == len(visible):
        return ""
    return _text_of([c for c in ordered if c["x1"] <= visible[count - 1]["x1"]])


def _line_of(chars: Sequence[dict[str, Any]], page: int) -> _Line:
    ordered = sorted(chars, key=lambda c: c["x0"])
    words = _words(ordered)
    first = words[0] if words else []
    text = _text_of(ordered)
    if text[:1] and "\ue000" <= text[0] <= "\uf8ff":
        text = "•" + text[1:]  # a Symbol-font bullet has no Unicode value of its own
    return _Line(
        text=text,
        page=page,
        top=min(c["top"] for c in ordered),
        bottom=max(c["bottom"] for c in ordered),
        x0=ordered[0]["x0"],
        x1=ordered[-1]["x1"],
        size=max(float(c.get("size") or 0) for c in ordered),
        bold=_is_bold(ordered),
        first_word=(first[-1]["x1"] - first[0]["x0"]) if first else 0.0,
        lead=_lead_of(ordered),
    )


def _within(line: _Line, column: Sequence[_Line], height: float) -> bool:
    """True when ``line`` lies inside the horizontal extent of ``column`` (a column's extra line)."""
    x0, x1 = min(c.x0 for c in column), max(c.x1 for c in column)
    return bool(column) and x0 - height <= line.x0 and line.x1 <= x1 + height


def _in_columns(rows: list[list[_Line]], middle: float) -> list[_Line]:
    """Lines in reading order: a run of rows split in two columns is read column by column.

    The run goes on over a single line that stands inside one of the columns right below it (the
    issuer often has one line more than the motto); any other line ends it.
    """
    out: list[_Line] = []
    left: list[_Line] = []
    right: list[_Line] = []

    def flush() -> None:
        for segment in (*left, *right):
            segment.layout = True
        out.extend(left + right)
        left.clear()
        right.clear()

    for row in rows:
        in_run = bool(left or right)
        if len(row) > 1 or (in_run and _continues_run(row[0], left, right)):
            for segment in row:
                (left if (segment.x0 + segment.x1) / 2 < middle else right).append(segment)
            continue
        flush()
        out.extend(row)
    flush()
    return out


def _continues_run(line: _Line, left: Sequence[_Line], right: Sequence[_Line]) -> bool:
    last = max((*left, *right), key=lambda segment: segment.bottom)
    height = max(last.bottom - last.top, 1.0)
    if line.top - last.bottom > height:
        return False
    return any(column and _within(line, column, height) for column in (left, right))


def _table_rows(table: Any, page: int) -> list[_Line]:
    rows = []
    for cells in table.extract():
        texts = [" ".join((cell or "").split()) for cell in cells]
        if any(texts):
            top = table.bbox[1]
            rows.append(_Line("\t".join(texts), page, top, top, table.bbox[0], table.bbox[2], 0, False, 0, True))
    return rows


def _row_of(cells: Sequence[_Line]) -> _Line:
    """One TAB-separated row from the far-apart parts of a visual line."""
    first, last = cells[0], cells[-1]
    text = "\t".join(cell.text for cell in cells)
    return _Line(text, first.page, first.top, first.bottom, first.x0, last.x1, first.size, False, 0.0, table=True)


def _inside(obj: dict[str, Any], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def page_lines(page: Any, number: int) -> list[_Line]:
    """The lines of one pdfplumber page in reading order, table rows in place."""
    tables = [t for t in page.find_tables() if max((len(r.cells) for r in t.rows), default=0) >= MIN_TABLE_COLUMNS]
    boxes = [t.bbox for t in tables]
    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    rows: list[tuple[float, list[_Line]]] = []
    for visual in text_page.extract_text_lines(return_chars=True, strip=True):
        segments = [_line_of(group, number) for group in _segments(visual["chars"])]
        if len(segments) >= MIN_TABLE_COLUMNS:  # an unruled table: cells set apart by wide gaps
            segments = [_row_of(segments)]
        if segments:
            rows.append((visual["top"], segments))
    for table in tables:
        table_rows = _table_rows(table, number)
        if table_rows:
            rows.append((table.bbox[1], table_rows))
    rows.sort(key=lambda item: item[0])
    lines: list[_Line] = []
    text_rows: list[list[_Line]] = []
    for _, row in rows:
        if row[0].table:
            lines.extend(_in_columns(text_rows, page.width / 2))
            text_rows = []
            lines.extend(row)
        else:
            text_rows.append(row)
    lines.extend(_in_columns(text_rows, page.width / 2))
    return lines


# --- running headers and footers -------------------------------------------------------------------


def _edge_key(text: str) -> str:
    """Running headers differ only by their numbers ("Trang 2", "KH 78/2025 - 3")."""
    return re.sub(r"\d+", "#", text.lower()).strip()


def drop_running_lines(pages: Sequence[list[_Line]]) -> list[list[_Line]]:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""
    edge_keys = []
    for lines in pages:
        body = [line for line in lines if not line.table]
        edges = body[:EDGE_LINES] + body[-EDGE_LINES:]
        edge_keys.append({_edge_key(line.text) for line in edges})
    counts: dict[str, int] = {}
    for keys in edge_keys:
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, math.ceil(MIN_REPEATED_SHARE * len(pages)))
    repeated = {key for key, n in counts.items() if n >= needed}
    out = []
    for lines in pages:
        body = [line for line in lines if not line.table]
        edge_ids = {id(line) for line in body[:EDGE_LINES] + body[-EDGE_LINES:]}
        out.append(
            [
                line
                for line in lines
                if id(line) not in edge_ids or not (is_page_number(line.text) or _edge_key(line.text) in repeated)
            ]
        )
    return out


def merge_split_rows(pages: Sequence[list[_Line]]) -> list[list[_Line]]:
    """Join a table row that a page break cut in two: the next page opens with a row of the same
    width whose first cell ("TT") is empty while others are filled, right after a row of the table."""
    out = [list(lines) for lines in pages]
    for before, after in itertools.pairwise(out):
        if not before or not after or not (before[-1].table and after[0].table):
            continue
        upper, lower = before[-1].text.split("\t"), after[0].text.split("\t")
        if len(upper) == len(lower) and not lower[0] and any(lower[1:]):
            cells = [" ".join(part for part in pair if part) for pair in zip(upper, lower, strict=True)]
            before[-1].text = "\t".join(cells)
            del after[0]
    return out


# --- broken lines --------------------------------------------------------------------------------


def _right_margin(lines: Sequence[_Line]) -> float:
    """Where full lines end: the 90th percentile of line ends (a few lines may stick out).

    Measured over the whole document: a page holding mostly a table has too few lines to tell.
    """
    ends = sorted(line.x1 for line in lines if not line.table and not line.layout)
    return ends[max(0, int(len(ends) * 0.9) - 1)] if ends else 0.0


def _left_margin(lines: Sequence[_Line]) -> float:
    """Where lines start: the 10th percentile of line starts."""
    starts = sorted(line.x0 for line in lines if not line.table and not line.layout)
    return starts[int(len(starts) * 0.1)] if starts else 0.0


def _broken(line: _Line, following: _Line, margin: float, left: float = 0.0) -> bool:
    """True when ``following`` goes on with ``line``: its first word would not have fitted on it.

    A sentence that ends at the margin followed by an indented line is a paragraph end, not a break.
    """
    if line.table or following.table or line.layout or following.layout or line.bold != following.bold:
        return False
    if is_structural_start(following.text) or is_page_number(following.text):
        return False
    if following.page == line.page:
        height = max(line.bottom - line.top, 1.0)
        if following.top - line.bottom > 0.9 * height:
            return False  # a blank line between: a new paragraph
    space = 0.3 * (line.size or 10)
    if line.text.endswith(_SENTENCE_END) and following.x0 > left + INDENT * (following.size or 10):
        return False
    return line.x1 + space + following.first_word > margin


def join_broken(pages: Sequence[list[_Line]]) -> list[_Line]:
    """Logical lines of the document (in order) with lines broken by the page width joined.

    A joined line keeps the page it starts on (``first_page``); ``page`` is that of its last part.
    """
    every = [line for lines in pages for line in lines]
    margin, left = _right_margin(every), _left_margin(every)
    out: list[_Line] = []
    for lines in pages:
        for line in lines:
            if out and _broken(out[-1], line, margin, left):
                previous = out[-1]
                previous.text = f"{previous.text} {line.text}"
                previous.x1, previous.top, previous.bottom, previous.page = line.x1, line.top, line.bottom, line.page
                previous.first_word = line.first_word
            else:
                out.append(line)
    return out


def _emit(lines: Sequence[_Line], page_count: int) -> list[str]:
    """Text lines with a :data:`PAGE_BREAK` before each page's first line (empty pages too)."""
    out: list[str] = []
    page = 0
    for line in lines:
        while page < line.first_page:
            out.append(PAGE_BREAK)
            page += 1
        out.append(_marked(line))
    while page < page_count:
        out.append(PAGE_BREAK)
        page += 1
    return out


def _marked(line: _Line) -> str:
    """The line with its bold written the Markdown way cleanup reads: ``**all**`` or ``**lead** rest``."""
    if line.table:
        return line.text
    if line.bold:
        return f"**{line.text}**"
    if line.lead and line.text.startswith(line.lead):
        return f"**{line.lead}** {line.text[len(line.lead) :].lstrip()}"
    return line.text


# --- entry point ---------------------------------------------------------------------------------


def _unmapped(chars: Sequence[dict[str, Any]]) -> int:
    return sum(1 for c in chars if c["text"].startswith("(cid:"))


def has_usable_text(chars: Sequence[dict[str, Any]]) -> bool:
    """Enough characters that read as text: glyphs of a font without a Unicode map come out as
    "(cid:12)" and are no better than a picture."""
    visible = [c for c in chars if c["text"].strip()]
    unmapped = _unmapped(visible)
    return len(visible) - unmapped >= MIN_TEXT_CHARS and unmapped <= MAX_UNMAPPED_SHARE * len(visible)


def read_pdf(data: bytes, name: str) -> ReadResult:
    """Lines of a PDF by page; scanned pages by OCR. :class:`DocumentError` when unreadable."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
            scanned = [
                i
                for i, page in enumerate(pdf.pages, start=1)
                if not has_usable_text(page.chars) and (page.images or _unmapped(page.chars) >= MIN_TEXT_CHARS)
            ]
            pages = [page_lines(page, i) if i not in scanned else [] for i, page in enumerate(pdf.pages, start=1)]
    except Exception as exc:  # a damaged file can fail anywhere in pdfminer: report it, never crash a build
        causes = [*exc.args, exc.__context__]
        if any(isinstance(cause, PDFPasswordIncorrect) for cause in causes):
            raise DocumentError(f"{name}: the PDF is password-protected; save a copy without the password") from exc
        raise DocumentError(f"{name}: not a readable PDF file ({str(exc) or type(exc).__name__})") from exc
    notes: tuple[str, ...] = ()
    if scanned:
        texts = ocr.read_pages(data, scanned, name)
        for number, page_texts in texts.items():
            pages[number - 1] = [_ocr_line(text, number) for text in page_texts]
        notes = (f"trang {', '.join(str(n) for n in scanned)} đọc bằng OCR (Tesseract, tiếng Việt); nên kiểm tra lại",)
    lines = join_broken(merge_split_rows(drop_running_lines(pages)))
    return ReadResult(tuple(_emit(lines, page_count)), notes=notes, page_count=page_count)


def _ocr_line(text: str, page: int) -> _Line:
    """An OCR line: no geometry, so it is never joined here (cleanup re-flows OCR text)."""
    return _Line(text, page, 0.0, 0.0, 0.0, 0.0, 0.0, False, 0.0, table=True)
