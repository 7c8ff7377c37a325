"""From raw lines to logical lines: PDF-extraction artefacts and Markdown emphasis removed.

Text extracted from PDF breaks every visual line, often with blank lines between them, and carries
page numbers and repeated page headers. :func:`clean_lines` returns one :class:`Line` per logical
line (paragraph, list item, heading, table row) in display form, so the outline parser sees the
same shape whatever the source format was. Markdown emphasis is removed from the text but kept as
a hint: a line that was a Markdown heading or wholly bold is ``marked``; a bold span opening the
line ("**1.1. Trưởng Ban chỉ đạo:** Phụ trách chung.") is kept as ``lead``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.ingest.issuer import is_motto
from bot.ingest.patterns import is_structural_start, numbering_of
from bot.text.normalize import clean

PAGE_BREAK = "\f"
"""A line that is exactly a form feed opens a new page (see :mod:`bot.ingest.readers`)."""


@dataclass(frozen=True)
class Line:
    """One logical line of a document in display form.

    ``marked``: the line was a Markdown heading or wholly bold (a heading hint, not a proof);
    ``lead``: the bold span that opened the line, without its markers ("" when none).
    """

    text: str
    marked: bool = False
    lead: str = ""
    pages: tuple[int, ...] = ()  # source pages the line stands on (paged formats); () when unknown

    @property
    def is_table_row(self) -> bool:
        """TAB-separated rows belong to tables and are never joined or re-flowed."""
        return "\t" in self.text


# --- page artefacts ----------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:-\s*\d{1,3}\s*-|\d{1,3}|(?:trang|page)\s+\d{1,3}(?:\s*/\s*\d{1,3})?)$", re.I)


def is_page_number(text: str) -> bool:
    """A line that is only a page number: "5", "- 3 -", "Trang 3", "Trang 3/10"."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def drop_page_artefacts(lines: Sequence[str]) -> list[str]:
    """Remove page-number lines and page headers repeated next to them (three times or more)."""
    dropped = page_artefacts(lines)
    return [line for i, line in enumerate(lines) if i not in dropped]


def page_artefacts(lines: Sequence[str]) -> set[int]:
    """Indexes of the page-number lines and of page headers repeated next to them (three times or more)."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    page_idx = {i for i in content if is_page_number(lines[i])}
    neighbours: Counter[str] = Counter()
    for pos, i in enumerate(content):
        if i in page_idx:
            for j in (pos - 1, pos + 1):
                if 0 <= j < len(content) and content[j] not in page_idx:
                    neighbours[lines[content[j]].strip()] += 1
    repeated = {text for text, n in neighbours.items() if n >= 3 and len(text) <= 100}
    return page_idx | {i for i in content if lines[i].strip() in repeated}


_SEPARATOR = re.compile(r"^[\s\-–—_=*|~.•·]+$")


def is_separator(text: str) -> bool:
    """A line of rule characters only ("-------", "|", "***"): layout, never content."""
    return bool(_SEPARATOR.match(text))


# --- Markdown ----------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^#{1,6}\s+")
_PAIRED = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1")
_LEAD = re.compile(r"^(\*{2,3})(?=\S)(.+?)(?<=\S)\1(?=\s|$)")
_STRAY = re.compile(r"^\*{2,3}(?=\S)|(?<=\S)\*{2,3}$")


def strip_emphasis(text: str) -> str:
    """Remove Markdown emphasis markers (``**x**``, ``*x*``, ``***x***``, unpaired ``**`` at ends)."""
    previous = None
    while previous != text:
        previous, text = text, _PAIRED.sub(r"\2", text)
    return _STRAY.sub("", text).strip()


def _markdown_line(text: str, bold_open: bool) -> tuple[Line, bool]:
    """Parse one stripped line; ``bold_open`` says a ``**`` span opened on an earlier line is open.

    Returns the line and whether a bold span is still open after it.
    """
    heading = bool(_MD_HEADING.match(text))
    if heading:
        text = _MD_HEADING.sub("", text)
    lead = ""
    lead_match = _LEAD.match(text)
    if lead_match and lead_match.end() < len(text):
        lead = strip_emphasis(lead_match.group(2))
    whole_bold = bool(re.fullmatch(r"(\*{2,3})(?=\S).+(?<=\S)\1", text)) and not lead
    opens = text.startswith("**") and text.count("**") % 2 == 1
    closes = text.endswith("**") and text.count("**") % 2 == 1
    marked = heading or whole_bold or (opens and not bold_open) or (bold_open and closes)
    still_open = (bold_open and not closes) or (opens and not bold_open)
    return Line(strip_emphasis(text), marked=marked, lead=lead), still_open


# --- hard-wrapped text -------------------------------------------------------------------------

_TERMINAL = (".", "!", "?", ";", ":", "./.", "…")
MAX_WRAP_WIDTH = 130  # PDF pages hold at most ~100 characters a line; longer lines are paragraphs
MIN_OPEN_LINES = 5  # evidence needed before re-flowing a document


def _ends_open(text: str) -> bool:
    """True when ``text`` does not end a sentence, clause or label."""
    return not text.rstrip().endswith(_TERMINAL)


def is_hard_wrapped(lines: Sequence[str]) -> bool:
    """True for PDF-like text: most long lines stop mid-sentence at a fixed width.

    Paragraph-per-line text (Markdown, DOCX) has long lines that end sentences; hard-wrapped text
    has many lines of similar width that end open.
    """
    texts = [t.strip() for t in lines if t.strip() and "\t" not in t]
    if len(texts) < 8:
        return False
    width = _width(texts)
    if width > MAX_WRAP_WIDTH:
        return False
    long_lines = [t for t in texts if len(t) >= 0.6 * width]
    open_long = sum(1 for t in long_lines if _ends_open(t))
    return open_long >= MIN_OPEN_LINES and open_long / len(long_lines) >= 0.4


def _starts_lower(text: str) -> bool:
    first = text.lstrip("“\"'(«")[:1]
    return first.isalpha() and first.islower()


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _continues(prev: str, nxt: str, last: str, width: int) -> bool:
    """True when ``nxt`` is the rest of ``prev`` (whose last physical line is ``last``)."""
    if "\t" in prev or "\t" in nxt or is_structural_start(nxt) or prev.endswith("./.") or is_motto(nxt):
        return False
    if _starts_lower(nxt):
        return True  # sentences and headings never start in lower case
    if not _ends_open(prev):
        return False
    if not nxt[:1].isalpha():
        return True  # "20 năm ...", "“TDĐKXDĐSVH”.": a number or quote going on with the sentence
    numbering = numbering_of(prev)
    if numbering is not None:
        # A heading broken at the width goes on in lower case (handled above); a capitalised line
        # after it is its body, except the rest of an all-caps Roman heading.
        return numbering.rank == 1 and _is_caps(prev) and _is_caps(nxt)
    # All-caps lines (issuer, motto, signature roles) stand alone; prose goes on after a full line.
    return not _is_caps(nxt) and len(last) >= 0.75 * width


def _width(texts: Sequence[str]) -> int:
    """The usual length of a full line: the 90th percentile of line lengths."""
    lengths = sorted(len(t) for t in texts)
    return lengths[max(0, int(len(lengths) * 0.9) - 1)] if lengths else 0


def _join(lines: Sequence[Line]) -> list[Line]:
    """Join broken lines, keeping the heading hints of the first part.

    A Markdown heading or bold line is complete by construction and is never joined.
    """
    width = _width([line.text for line in lines])
    out: list[Line] = []
    last = ""
    for line in lines:
        free = out and not out[-1].marked and not line.marked
        if free and _continues(out[-1].text, line.text, last, width):
            pages = tuple(sorted({*out[-1].pages, *line.pages}))
            out[-1] = Line(f"{out[-1].text} {line.text}", marked=False, lead=out[-1].lead, pages=pages)
        else:
            out.append(line)
        last = line.text
    return out


def join_broken_lines(texts: Sequence[str]) -> list[str]:
    """Rejoin lines broken mid-sentence (blank lines between them are artefacts too)."""
    return [line.text for line in _join([Line(t) for t in texts if t.strip()])]


# --- entry point -------------------------------------------------------------------------------


def _display(raw: str) -> str:
    """Display form of one raw line: TABs of table rows kept, stray outer spaces removed."""
    text = clean(raw)
    return text.strip(" ") if "\t" in text else text.strip()


def _paged(raw_lines: Iterable[str]) -> tuple[list[str], list[int]]:
    """Display forms of the lines and the page of each (0 when the format has no pages).

    A :data:`PAGE_BREAK` line opens the next page; it becomes a blank line.
    """
    texts: list[str] = []
    pages: list[int] = []
    page = 0
    for raw in raw_lines:
        if raw == PAGE_BREAK:
            page += 1
            raw = ""
        texts.append(_display(raw))
        pages.append(page)
    return texts, pages


def clean_lines(raw_lines: Iterable[str]) -> list[Line]:
    """Logical lines of a document, in display form, without blank lines.

    Lines carry the page they stand on when the reader marked pages with :data:`PAGE_BREAK` lines.
    """
    texts, page_of = _paged(raw_lines)
    dropped = page_artefacts(texts)
    lines: list[Line] = []
    bold_open = False
    for i, text in enumerate(texts):
        if i in dropped or not text.strip() or is_separator(text):
            continue
        pages = (page_of[i],) if page_of[i] else ()
        if "\t" in text:
            lines.append(Line(strip_emphasis(text) if "*" in text else text, pages=pages))
            continue
        line, bold_open = _markdown_line(text, bold_open)
        if line.text:
            lines.append(replace(line, pages=pages))
    return _join(lines) if is_hard_wrapped([line.text for line in lines]) else lines
