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
import logging
import re
from collections.abc import Sequence
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

from bot.errors import DocumentError
from bot.ingest.readers import ocr
from bot.ingest.readers.pdf_lines import PdfLine, drop_running_lines, emit_lines, join_broken, merge_split_rows
from bot.ingest.readers.result import ReadResult

# pdfminer logs every oddity of a damaged file as a warning; what matters reaches the user as an error
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MIN_TEXT_CHARS = 10  # a page with fewer visible characters has no text layer
MAX_UNMAPPED_SHARE = 0.2  # more glyphs without a Unicode value than this: the text layer is unusable
COLUMN_GAP = 4.0  # a gap wider than this many character widths separates two columns
LIST_TAB = 40.0  # points: a list marker stands at most about half an inch before its text
MIN_TABLE_COLUMNS = 3  # ruled boxes with fewer columns are frames, not tables


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


def _line_of(chars: Sequence[dict[str, Any]], page: int) -> PdfLine:
    ordered = sorted(chars, key=lambda c: c["x0"])
    words = _words(ordered)
    first = words[0] if words else []
    text = _text_of(ordered)
    if text[:1] and "\ue000" <= text[0] <= "\uf8ff":
        text = "•" + text[1:]  # a Symbol-font bullet has no Unicode value of its own
    return PdfLine(
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


def _within(line: PdfLine, column: Sequence[PdfLine], height: float) -> bool:
    """True when ``line`` lies inside the horizontal extent of ``column`` (a column's extra line)."""
    x0, x1 = min(c.x0 for c in column), max(c.x1 for c in column)
    return bool(column) and x0 - height <= line.x0 and line.x1 <= x1 + height


def _in_columns(rows: list[list[PdfLine]], middle: float) -> list[PdfLine]:
    """Lines in reading order: a run of rows split in two columns is read column by column.

    The run goes on over a single line that stands inside one of the columns right below it (the
    issuer often has one line more than the motto); any other line ends it.
    """
    out: list[PdfLine] = []
    left: list[PdfLine] = []
    right: list[PdfLine] = []

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


def _continues_run(line: PdfLine, left: Sequence[PdfLine], right: Sequence[PdfLine]) -> bool:
    last = max((*left, *right), key=lambda segment: segment.bottom)
    height = max(last.bottom - last.top, 1.0)
    if line.top - last.bottom > height:
        return False
    return any(column and _within(line, column, height) for column in (left, right))


def _table_rows(table: Any, page: int) -> list[PdfLine]:
    rows = []
    for cells in table.extract():
        texts = [" ".join((cell or "").split()) for cell in cells]
        if any(texts):
            top = table.bbox[1]
            rows.append(PdfLine("\t".join(texts), page, top, top, table.bbox[0], table.bbox[2], 0, False, 0, True))
    return rows


def _row_of(cells: Sequence[PdfLine]) -> PdfLine:
    """One TAB-separated row from the far-apart parts of a visual line."""
    first, last = cells[0], cells[-1]
    text = "\t".join(cell.text for cell in cells)
    return PdfLine(text, first.page, first.top, first.bottom, first.x0, last.x1, first.size, False, 0.0, table=True)


def _inside(obj: dict[str, Any], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def page_lines(page: Any, number: int) -> list[PdfLine]:
    """The lines of one pdfplumber page in reading order, table rows in place."""
    tables = [t for t in page.find_tables() if max((len(r.cells) for r in t.rows), default=0) >= MIN_TABLE_COLUMNS]
    boxes = [t.bbox for t in tables]
    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    rows: list[tuple[float, list[PdfLine]]] = []
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
    lines: list[PdfLine] = []
    text_rows: list[list[PdfLine]] = []
    for _, row in rows:
        if row[0].table:
            lines.extend(_in_columns(text_rows, page.width / 2))
            text_rows = []
            lines.extend(row)
        else:
            text_rows.append(row)
    lines.extend(_in_columns(text_rows, page.width / 2))
    return lines


# --- entry point ---------------------------------------------------------------------------------


def _unmapped(chars: Sequence[dict[str, Any]]) -> int:
    return sum(1 for c in chars if c["text"].startswith("(cid:"))


def has_usable_text(chars: Sequence[dict[str, Any]]) -> bool:
    """Enough characters that read as text: glyphs of a font without a Unicode map come out as
    "(cid:12)" and are no better than a picture."""
    visible = [c for c in chars if c["text"].strip()]
    unmapped = _unmapped(visible)
    return len(visible) - unmapped >= MIN_TEXT_CHARS and unmapped <= MAX_UNMAPPED_SHARE * len(visible)


# A plan runs to a few dozen pages; a PDF of thousands is not one, and reading it (or OCR-ing it) would
# hold a build for hours. Refused with a message before any page is read.
MAX_PDF_PAGES = 300


def read_pdf(data: bytes, name: str) -> ReadResult:
    """Lines of a PDF by page; scanned pages by OCR. :class:`DocumentError` when unreadable, encrypted,
    or longer than :data:`MAX_PDF_PAGES`."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
            if page_count > MAX_PDF_PAGES:
                raise DocumentError(
                    f"{name}: refused: the PDF has {page_count} pages (at most {MAX_PDF_PAGES}); "
                    "split it or upload the part that is the plan"
                )
            scanned = [
                i
                for i, page in enumerate(pdf.pages, start=1)
                if not has_usable_text(page.chars) and (page.images or _unmapped(page.chars) >= MIN_TEXT_CHARS)
            ]
            pages = [page_lines(page, i) if i not in scanned else [] for i, page in enumerate(pdf.pages, start=1)]
    except DocumentError:
        raise
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
    return ReadResult(tuple(emit_lines(lines, page_count)), notes=notes, page_count=page_count)


def _ocr_line(text: str, page: int) -> PdfLine:
    """An OCR line: no geometry, so it is never joined here (cleanup re-flows OCR text)."""
    return PdfLine(text, page, 0.0, 0.0, 0.0, 0.0, 0.0, False, 0.0, table=True)
