"""Chunks: the units of retrieval, cut along the section tree.

* one chunk per section with text (preamble, body, recipients, signature); a long section is cut at
  line boundaries (paragraphs, list items), never inside a line, each part keeping the path;
* a run of numbered items ("1. ...", "2. ..." that are content, not titles) joins the chunk of the
  section they stand under;
* one chunk per appendix-table row, whose text is the raw row line and whose context spells the
  columns out ("Nhiệm vụ: ...; Đơn vị chủ trì: ...").

``text`` is always a span of the cleaned document (display form); ``source`` the same span as the
file has it (see :mod:`bot.source_spans`), which citations quote. The section's heading line opens
the first part, so "1.7. Bí thư Đoàn thanh niên" is both found and quotable. ``context`` holds the
plan title, locality and section path.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from bot.ingest.kinds import citation_label
from bot.ingest.paragraphs import is_paragraph_label
from bot.models import (
    COL_COORDINATING,
    COL_LEAD,
    COL_NUMBER,
    COL_OUTPUT,
    COL_TASK,
    COL_TIME,
    KIND_BODY,
    KIND_HEADER,
    KIND_PREAMBLE,
    KIND_RECIPIENTS,
    KIND_SIGNATURE,
    KIND_TABLE,
    Chunk,
    ParsedDocument,
    Section,
    TableRow,
)
from bot.text.spans import SourceText

DEFAULT_MAX_CHARS = 1200

ROW_LABELS = (
    (COL_TASK, "Nhiệm vụ"),
    (COL_LEAD, "Đơn vị chủ trì"),
    (COL_COORDINATING, "Đơn vị phối hợp"),
    (COL_TIME, "Thời gian"),
    (COL_OUTPUT, "Kết quả"),
)


def split_lines(lines: Sequence[str], max_chars: int) -> list[list[str]]:
    """Group consecutive lines into parts of at most ``max_chars`` (a longer line stands alone)."""
    parts: list[list[str]] = []
    size = 0
    for line in lines:
        if parts and size + 1 + len(line) <= max_chars:
            parts[-1].append(line)
            size += 1 + len(line)
        else:
            parts.append([line])
            size = len(line)
    return parts


def section_lines(section: Section) -> list[str]:
    """The section's lines as they stand in the document, heading line first for body sections; a
    table's header row last, after its title ("bảng gồm những cột nào" is answered there)."""
    lines = [line for line in section.text.split("\n") if line.strip()]
    heading = section.heading
    named = heading and not is_paragraph_label(heading)  # "Đoạn 2" names a place, it is no line of the text
    if section.kind in (KIND_BODY, KIND_TABLE) and named and not (lines and lines[0].startswith(heading)):
        lines.insert(0, heading)
    if section.columns:
        lines.append(section.columns)
    return lines


def row_description(row: TableRow) -> str:
    """ "Nhiệm vụ: ...; Đơn vị chủ trì: ...; ..." for the filled columns of ``row``."""
    return "; ".join(f"{label}: {row.get(column)}" for column, label in ROW_LABELS if row.get(column))


# What the special parts of a plan are, in the words users ask about them ("gửi tới những nơi nào",
# "ai ký", "thực hiện văn bản nào"): retrieval sees this in the context of those chunks.
HEADER_HEADING = "Phần đầu văn bản"
KIND_DESCRIPTIONS = {
    KIND_HEADER: "Thông tin văn bản: số hiệu, ngày ban hành, cơ quan ban hành, tên kế hoạch",
    KIND_RECIPIENTS: "Nơi nhận: văn bản được gửi tới các cơ quan, đơn vị, cá nhân",
    KIND_SIGNATURE: "Phần ký: người ký văn bản, chức vụ, thẩm quyền ký",
    KIND_PREAMBLE: "Căn cứ ban hành: văn bản cấp trên mà kế hoạch thực hiện; cơ quan ban hành",
}


def context_for(doc: ParsedDocument, path: Sequence[str], extra: str = "", kind: str = KIND_BODY) -> str:
    """Plan title, locality and section path (one per line), the kind's description, then ``extra``."""
    if path and is_paragraph_label(path[-1]):
        # a paragraph has no heading to situate it: the document's name and what it cites stand instead
        identity = "\n".join((citation_label(doc.meta), *doc.meta.implements))
        parts = [doc.meta.title, doc.meta.locality or "", identity, KIND_DESCRIPTIONS.get(kind, "")]
    else:
        parts = [doc.meta.title, doc.meta.locality or "", " > ".join(path), KIND_DESCRIPTIONS.get(kind, "")]
    if extra:
        parts.append(extra)
    return "\n".join(part for part in parts if part)


_Piece = tuple[tuple[str, ...], str, str, str, TableRow | None, tuple[int, ...]]


_BARE_NUMBER = re.compile(r"(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?")


def is_item(section: Section) -> bool:
    """A numbered item rather than a titled heading: the outline names it by its bare number ("6")."""
    return section.kind == KIND_BODY and len(section.path) > 1 and bool(_BARE_NUMBER.fullmatch(section.heading))


def _groups(sections: Sequence[Section]) -> Iterator[tuple[Section, list[Section]]]:
    """Each section with the numbered items directly under it that it absorbs.

    A run of items ("1. Kinh phí ... ngân sách ...", "2. Kinh phí lồng ghép ...") is one list, so it is
    one retrieval unit with its parent's heading: the answer to "kinh phí lấy từ đâu" is both lines,
    and "bài học kinh nghiệm nào" finds the heading and its items together. An item whose parent did
    not come right before it (another titled section in between) stands on its own.
    """
    index = 0
    while index < len(sections):
        section = sections[index]
        items: list[Section] = []
        nxt = index + 1
        while (
            nxt < len(sections)
            and is_item(sections[nxt])
            and sections[nxt].path[:-1] == section.path
            and not (
                nxt + 1 < len(sections) and sections[nxt + 1].path[: len(sections[nxt].path)] == sections[nxt].path
            )
        ):
            items.append(sections[nxt])
            nxt += 1
        yield section, items
        index = nxt


def _pieces(doc: ParsedDocument, max_chars: int) -> Iterator[_Piece]:
    """(path, text, context, kind, row, pages) of every chunk in document order."""
    if doc.header:
        # the header block answers "số hiệu", "ngày ban hành", "cơ quan ban hành", "tên kế hoạch"
        path: tuple[str, ...] = (HEADER_HEADING,)
        yield path, "\n".join(doc.header), context_for(doc, path, kind=KIND_HEADER), KIND_HEADER, None, ()
    for section, items in _groups(doc.sections):
        lines = section_lines(section) + [line for item in items for line in section_lines(item)]
        pages = tuple(sorted({page for part in (section, *items) for page in part.pages}))
        has_body = any(line != section.heading for line in lines)
        if has_body:
            for part in split_lines(lines, max_chars):
                yield (
                    section.path,
                    "\n".join(part),
                    context_for(doc, section.path, kind=section.kind),
                    section.kind,
                    None,
                    pages,
                )
        for row in section.rows:
            path = section.path + tuple(p for p in (row.group, row.get(COL_NUMBER)) if p)
            group = f"Nhóm: {row.group}" if row.group else ""
            extra = "; ".join(p for p in (group, row_description(row)) if p)
            yield path, row.line, context_for(doc, path, extra), KIND_TABLE, row, section.pages


def chunk_id(content_hash: str, path: Sequence[str], text: str, occurrence: int = 0) -> str:
    """Short stable id of a chunk: same document, path and text give the same id on every build."""
    key = "\x1f".join([content_hash, " > ".join(path), text, str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def chunk_document(doc: ParsedDocument, *, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    """The chunks of ``doc`` in document order, numbered by ``ordinal``."""
    seen: Counter[tuple[tuple[str, ...], str]] = Counter()
    chunks: list[Chunk] = []
    source = SourceText.of(doc.source_text)
    cursor = 0  # chunks follow the document order: look for each one after the previous one
    for ordinal, (path, text, context, kind, row, pages) in enumerate(_pieces(doc, max_chars)):
        occurrence = seen[(path, text)]
        seen[(path, text)] += 1
        span = source.find(text, cursor) or source.find_anchored(text)  # anchored: cleanup dropped a footnote mark
        if span is not None:
            cursor = span[0]
        chunks.append(
            Chunk(
                chunk_id=chunk_id(doc.meta.content_hash or doc.meta.doc_id, path, text, occurrence),
                doc_id=doc.meta.doc_id,
                section_path=path,
                text=text,
                context=context,
                kind=kind,
                ordinal=ordinal,
                row=row,
                pages=pages,
                source=source.text[span[0] : span[1]] if span and source.text[span[0] : span[1]] != text else "",
            )
        )
    return chunks
