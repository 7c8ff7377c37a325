"""The front matter of a plan: header block, document-type line, title, preamble.

Everything before the first numbered heading is front matter. The document-type line ("KẾ HOẠCH",
"CHƯƠNG TRÌNH HÀNH ĐỘNG") splits it: above it stand the issuing body, the national motto, the
number and the date; below it the title (a few lines) and then the preamble ("Thực hiện Kế hoạch
số ..."), which opens with a verb and cites a numbered document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.ingest.patterns import is_caps
from bot.text.normalize import match_form

# Longest first: "chương trình hành động" before "chương trình".
DOC_TYPES = (
    "chương trình hành động",
    "kế hoạch",
    "chương trình",
    "quyết định",
    "báo cáo",
    "hướng dẫn",
    "thông báo",
    "đề án",
    "nghị quyết",
    "chỉ thị",
    "công văn",
    "tờ trình",
    "kết luận",
)

# A cited document: "Kế hoạch số 41/KH-UBND", "Quyết định số 530/QĐ-UBND", "Nghị quyết 80-NQ/TW".
DOC_REFERENCE = re.compile(
    r"(?P<type>Chương trình hành động|Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Chương trình|Hướng dẫn|"
    r"Công văn|Thông báo|Kết luận|Nghị định|Thông tư|Luật|Đề án|Văn bản)\s+(?:số\s*)?(?P<number>\d+[^\s,;]*)"
)
_PREAMBLE_VERB = re.compile(r"^(?:Thực hiện|Căn cứ|Triển khai|Theo|Trên cơ sở|Thi hành|Nhằm|Để)\b")
_TERMINAL = (".", ":", ";")


@dataclass(frozen=True)
class Front:
    """Front matter split into its parts (display lines)."""

    header: tuple[str, ...] = ()  # issuer, motto, number, place and date lines
    doc_type: str = ""  # "Kế hoạch", "Chương trình hành động" ("" when no type line)
    title: tuple[str, ...] = ()  # title lines below the type line (a caps remainder included)
    preamble: tuple[str, ...] = ()


def doc_type_of(text: str) -> tuple[str, str] | None:
    """(document type in sentence case, rest of the line) when ``text`` is a type line."""
    if not is_caps(text):
        return None
    form = match_form(text)
    for kind in DOC_TYPES:
        if form == kind:
            return kind.capitalize(), ""
        if form.startswith(kind + " ") and len(form) < 200:
            words = len(kind.split())
            return kind.capitalize(), " ".join(text.split()[words:])
    return None


def is_preamble_start(text: str) -> bool:
    """ "Thực hiện Kế hoạch số 41/KH-UBND ..." opens the preamble; a title never cites a number."""
    cites = bool(_PREAMBLE_VERB.match(text) and DOC_REFERENCE.search(text))
    return cites or text.rstrip().endswith("như sau:")


def split_front(lines: Sequence[str]) -> Front:
    """Split the lines before the first heading into header, type, title and preamble."""
    for k, line in enumerate(lines):
        found = doc_type_of(line)
        if found is None:
            continue
        doc_type, remainder = found
        title: list[str] = [remainder] if remainder else []
        rest = list(lines[k + 1 :])
        while rest:
            candidate = rest[0]
            if is_preamble_start(candidate) or len(candidate) > 300 or len(title) >= 6:
                break
            if title and title[-1].rstrip().endswith(_TERMINAL):
                break
            title.append(rest.pop(0))
        return Front(tuple(lines[:k]), doc_type, tuple(title), tuple(rest))
    header: list[str] = []
    rest = list(lines)
    while rest and not is_preamble_start(rest[0]) and (is_caps(rest[0]) or _is_header_line(rest[0])):
        header.append(rest.pop(0))
    return Front(tuple(header), "", (), tuple(rest))


def _is_header_line(text: str) -> bool:
    form = match_form(text)
    return form.startswith("số") or " ngày " in f" {form} " or form.startswith("độc lập")
