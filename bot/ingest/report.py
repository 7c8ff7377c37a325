"""The human-readable view of a parsed document (``campaign-bot inspect FILE``)."""

from __future__ import annotations

from bot.ingest.chunking import row_description
from bot.ingest.kinds import ARTICLE, PROCEDURE, citation_label, has_number
from bot.models import KIND_BODY, KIND_PREAMBLE, KIND_TABLE, ParsedDocument

_FIELDS = (
    ("title", "Tiêu đề"),
    ("doc_type", "Loại văn bản"),
    ("number", "Số hiệu"),
    ("date", "Ngày"),
    ("effective_date", "Ngày hiệu lực"),
    ("published", "Ngày đăng (trang web)"),
    ("place", "Địa danh"),
    ("issuer", "Cơ quan ban hành"),
    ("locality", "Địa bàn"),
    ("signer", "Người ký"),
    ("signer_title", "Chức vụ ký"),
    ("issued_with", "Ban hành kèm theo"),
)
# Kinds that carry no number, no preamble of their own: a web article, a procedure record.
_UNNUMBERED = (ARTICLE, PROCEDURE)
MAX_ROWS_SHOWN = 50


def warnings(doc: ParsedDocument) -> list[str]:
    """What a reviewer should check: missing kind, locality, date or number, no heading, empty text,
    and what the reader had to do (pages read by OCR)."""
    found: list[str] = []
    meta = doc.meta
    if not meta.doc_type:
        found.append("no document kind found (type line, site block, number code or title)")
    if not meta.locality:
        found.append("no locality found (issuer, title and preamble name none)")
    if not meta.date:
        posted = f" (the web page posted it on {meta.published})" if meta.published else ""
        found.append(f"no date found in the header{posted}")
    if not has_number(meta) and meta.doc_type not in _UNNUMBERED and not meta.issued_with:
        found.append("no document number (Số) found" if not meta.number else f"the number is blank ({meta.number})")
    texts = [s for s in doc.sections if s.text.strip() or s.rows]
    if not texts:
        found.append("the document has no text")
    elif not any(s.kind in (KIND_BODY, KIND_TABLE) and s.path for s in doc.sections):
        only_preamble = all(s.kind == KIND_PREAMBLE for s in texts)
        found.append(
            "no numbered heading found: the text is its preamble only (an excerpt?)"
            if only_preamble
            else "no numbered heading found: the whole text is one block"
        )
    has_preamble = any(s.kind == KIND_PREAMBLE for s in doc.sections)
    has_type_line = bool(meta.doc_type) and meta.doc_type.upper() in doc.header  # a summary has no preamble
    if has_type_line and not (meta.implements or has_preamble or meta.issued_with):
        found.append("no preamble (Thực hiện/Căn cứ ...) and no basis cited")
    found.extend(doc.notes)
    return found


def describe(doc: ParsedDocument) -> str:
    """Metadata, the indented section tree with kind and size, table rows, then warnings."""
    meta = doc.meta
    out = [f"{meta.source}  (id {meta.doc_id})"]
    out += [f"  {label}: {getattr(meta, name)}" for name, label in _FIELDS if getattr(meta, name)]
    out.append(f"  Tên trích dẫn: {citation_label(meta)}")
    if meta.page_count:
        out.append(f"  Số trang: {meta.page_count}")
    out.append(f"  Căn cứ / thực hiện văn bản: {len(meta.implements)}")
    out += [f"    - {item}" for item in meta.implements]
    out.append(f"  Nơi nhận: {len(meta.recipients)}")
    out += [f"    - {item}" for item in meta.recipients]
    out.append("")
    out.append(f"Sections ({len(doc.sections)}):")
    for section in doc.sections:
        indent = "  " * max(section.level, 1)
        name = section.heading or "(phần mở đầu)"
        size = f"{len(section.text)} chars" + (f", {len(section.rows)} rows" if section.rows else "")
        out.append(f"{indent}{name}  [{section.kind}, {size}]")
        shown = section.rows[:MAX_ROWS_SHOWN]
        for row in shown:
            group = f"{row.group} | " if row.group else ""
            out.append(f"{indent}    · {group}{row_description(row)}")
        if len(section.rows) > len(shown):
            out.append(f"{indent}    · ... {len(section.rows) - len(shown)} more rows")
    problems = warnings(doc)
    out.append("")
    out.append("Warnings:" if problems else "Warnings: none")
    out += [f"  ! {problem}" for problem in problems]
    return "\n".join(out)
