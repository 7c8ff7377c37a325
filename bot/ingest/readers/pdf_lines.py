"""Lines of a PDF page and what is done to them across pages: running headers and footers dropped,
table rows cut by a page break joined, lines broken at the margin joined into logical lines.

Kept apart from :mod:`bot.ingest.readers.pdf` (which reads pages with pdfplumber) so that each stays
small; this module knows nothing of pdfplumber.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.ingest.cleanup import PAGE_BREAK, is_page_number
from bot.ingest.patterns import is_structural_start

INDENT = 1.0  # ems: a line starting this far right of the margin is indented (a paragraph's first line)
_SENTENCE_END = (".", ";", ":", "!", "?", "…")
EDGE_LINES = 2  # running headers and footers are among the first/last lines of a page
MIN_REPEATED_SHARE = 0.5  # ... and stand on at least half of the pages


@dataclass
class PdfLine:
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


# --- running headers and footers -------------------------------------------------------------------


def _edge_key(text: str) -> str:
    """Running headers differ only by their numbers ("Trang 2", "KH 78/2025 - 3")."""
    return re.sub(r"\d+", "#", text.lower()).strip()


def drop_running_lines(pages: Sequence[list[PdfLine]]) -> list[list[PdfLine]]:
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


def merge_split_rows(pages: Sequence[list[PdfLine]]) -> list[list[PdfLine]]:
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


def _right_margin(lines: Sequence[PdfLine]) -> float:
    """Where full lines end: the 90th percentile of line ends (a few lines may stick out).

    Measured over the whole document: a page holding mostly a table has too few lines to tell.
    """
    ends = sorted(line.x1 for line in lines if not line.table and not line.layout)
    return ends[max(0, int(len(ends) * 0.9) - 1)] if ends else 0.0


def _left_margin(lines: Sequence[PdfLine]) -> float:
    """Where lines start: the 10th percentile of line starts."""
    starts = sorted(line.x0 for line in lines if not line.table and not line.layout)
    return starts[int(len(starts) * 0.1)] if starts else 0.0


def _broken(line: PdfLine, following: PdfLine, margin: float, left: float = 0.0) -> bool:
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


def join_broken(pages: Sequence[list[PdfLine]]) -> list[PdfLine]:
    """Logical lines of the document (in order) with lines broken by the page width joined.

    A joined line keeps the page it starts on (``first_page``); ``page`` is that of its last part.
    """
    every = [line for lines in pages for line in lines]
    margin, left = _right_margin(every), _left_margin(every)
    out: list[PdfLine] = []
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


def emit_lines(lines: Sequence[PdfLine], page_count: int) -> list[str]:
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


def _marked(line: PdfLine) -> str:
    """The line with its bold written the Markdown way cleanup reads: ``**all**`` or ``**lead** rest``."""
    if line.table:
        return line.text
    if line.bold:
        return f"**{line.text}**"
    if line.lead and line.text.startswith(line.lead):
        return f"**{line.lead}** {line.text[len(line.lead) :].lstrip()}"
    return line.text
