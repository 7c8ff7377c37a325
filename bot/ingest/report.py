"""The human-readable view of a parsed document (``campaign-bot inspect FILE``)."""

from __future__ import annotations

from bot.ingest.chunking import row_description
from bot.models import KIND_BODY, KIND_PREAMBLE, KIND_TABLE, ParsedDocument

_FIELDS = (
    ("title", "Tiêu đề"),
    ("doc_type", "Loại văn bản"),
    ("number", "Số hiệu"),
    ("date", "Ngày"),
    ("place", "Địa danh"),
    ("issuer", "Cơ quan ban hành"),
    ("locality", "Địa bàn"),
    ("signer", "Người ký"),
    ("signer_title", "Chức vụ ký"),
)
MAX_ROWS_SHOWN = 50


def warnings(doc: ParsedDocument) -> list[str]:
    """What a reviewer should check: missing locality or date, no numbered heading, empty text, and
    what the reader had to do (pages read by OCR)."""
    found: list[str] = []
    meta = doc.meta
    if not meta.locality:
        found.append("no locality found (issuer, title and preamble name none)")
    if not meta.date:
        found.append("no date found in the header")
    if not meta.number:
        found.append("no document number (Số) found")
    if not any(s.kind in (KIND_BODY, KIND_TABLE) and s.path for s in doc.sections):
        found.append("no numbered heading found: the whole text is one block")
    if not any(s.text.strip() or s.rows for s in doc.sections):
        found.append("the document has no text")
    if not any(s.kind == KIND_PREAMBLE for s in doc.sections):
        found.append("no preamble (Thực hiện/Căn cứ ...) before the first heading")
    found.extend(doc.notes)
    return found


def describe(doc: ParsedDocument) -> str:
    """Metadata, the indented section tree with kind and size, table rows, then warnings."""
    meta = doc.meta
    out = [f"{meta.source}  (id {meta.doc_id})"]
    out += [f"  {label}: {getattr(meta, name)}" for name, label in _FIELDS if getattr(meta, name)]
    if meta.page_count:
        out.append(f"  Số trang: {meta.page_count}")
    out.append(f"  Thực hiện văn bản: {len(meta.implements)}")
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
