"""Ingestion: plan files → :class:`~bot.models.ParsedDocument` (metadata + section tree).

Every format is read into lines (:mod:`.readers`), cleaned of PDF and Markdown artefacts
(:mod:`.cleanup`), split into front matter and sections (:mod:`.outline`) and described by its
metadata (:mod:`.header`); :mod:`.chunking` turns the result into retrieval units.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from bot.errors import DocumentError
from bot.ingest.cleanup import clean_lines
from bot.ingest.header import extract_meta
from bot.ingest.outline import parse_outline
from bot.ingest.readers import PAGE_BREAK, read_document, supported_suffixes
from bot.ingest.site import read_site
from bot.models import ParsedDocument

SUPPORTED_SUFFIXES: tuple[str, ...] = supported_suffixes()

__all__ = ["SUPPORTED_SUFFIXES", "doc_id_for", "parse_file", "parse_lines", "parse_text"]


def doc_id_for(source: str) -> str:
    """Slug of the file stem: "cao-loc_KH-BCD_2024.md" → "cao-loc_kh-bcd_2024"."""
    stem = Path(source).stem
    ascii_stem = unicodedata.normalize("NFD", stem.replace("đ", "d").replace("Đ", "D"))
    ascii_stem = "".join(c for c in ascii_stem if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_stem).strip("-_")
    return slug or "document"


def parse_lines(
    lines: list[str],
    *,
    source: str,
    content_hash: str = "",
    notes: tuple[str, ...] = (),
    page_count: int | None = None,
) -> ParsedDocument:
    """Parse the raw lines of a document named ``source`` (:data:`PAGE_BREAK` lines open pages).

    ``notes`` and ``page_count`` are what the reader reported (see :class:`~bot.ingest.readers.ReadResult`).
    """
    cleaned = clean_lines(lines)
    if not cleaned:
        raise DocumentError(f"{source}: the document is empty")
    site = read_site(cleaned)
    if not site.lines:
        raise DocumentError(f"{source}: the document has no text besides the web page's")
    outline = parse_outline(list(site.lines))
    meta = extract_meta(
        outline.front,
        outline.sections,
        doc_id=doc_id_for(source),
        source=source,
        content_hash=content_hash,
        site=site,
    )
    if page_count is not None:
        meta = replace(meta, page_count=page_count)
    front = outline.front
    # the header chunk quotes one span of the text: the motto stays in it, never in a section
    type_line = (front.doc_type.upper(),) if front.doc_type else ()
    header = (*site.header, *front.header, *type_line, *front.title, *front.authority)
    source_text = "\n".join(line for line in lines if line != PAGE_BREAK)
    return ParsedDocument(meta=meta, sections=outline.sections, header=header, notes=notes, source_text=source_text)


def parse_text(raw: str, *, source: str, content_hash: str = "") -> ParsedDocument:
    """Parse a document given as text (``source`` is its file name, for ids and messages)."""
    return parse_lines(raw.splitlines(), source=source, content_hash=content_hash)


def parse_file(path: Path) -> ParsedDocument:
    """Read and parse the plan at ``path``; :class:`DocumentError` when it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    read = read_document(path, data)
    return parse_lines(
        list(read.lines),
        source=path.name,
        content_hash=hashlib.sha256(data).hexdigest(),
        notes=read.notes,
        page_count=read.page_count,
    )
