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

from bot.ingest.kinds import KINDS, PROCEDURE
from bot.ingest.patterns import is_caps
from bot.text.normalize import match_form

# Longest first: "chương trình hành động" before "chương trình" (see :mod:`bot.ingest.kinds`).
DOC_TYPES = tuple(match_form(kind) for kind in KINDS if kind not in (PROCEDURE, "Thông báo kết luận"))

# A cited document: "Kế hoạch số 41/KH-UBND", "Quyết định số 530/QĐ-UBND", "Nghị quyết 80-NQ/TW";
# the kind may be written in lower case ("thực hiện kế hoạch số 418/KH-UBND").
_CITED_KINDS = (
    "Chương trình hành động|Kế hoạch|Quyết định|Nghị quyết|Chỉ thị|Chương trình|Hướng dẫn|Công văn|"
    "Thông báo|Kết luận|Nghị định|Thông tư liên tịch|Thông tư|Luật|Đề án|Văn bản|Quy chế|Quy định|Tờ trình"
)
DOC_REFERENCE = re.compile(
    "(?P<type>"
    + "|".join(f"[{name[0]}{name[0].lower()}]{name[1:]}" for name in _CITED_KINDS.split("|"))
    + r")\s+(?:số\s*)?(?P<number>\d+[^\s,;]*)"
)
_PREAMBLE_VERB = re.compile(r"^(?:Thực hiện|Căn cứ|Triển khai|Theo|Trên cơ sở|Thi hành|Nhằm|Để)\b")
# Lines that open the preamble whatever follows: the legal basis and the proposing body.
_BASIS_OPENING = re.compile(r"^(?:Căn cứ|Theo đề nghị|Xét đề nghị)\b")
# The enacting authority written under the title of a decision ("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ").
_AUTHORITY = (
    "ủy ban",
    "ubnd",
    "chính phủ",
    "thủ tướng",
    "bộ trưởng",
    "chủ tịch",
    "hội đồng nhân dân",
    "ban thường vụ",
    "ban chấp hành",
    "ban chỉ đạo",
    "giám đốc",
    "đảng ủy",
)
_TERMINAL = (".", ":", ";")
_ATTACHMENT_LINE = re.compile(r"^\(?\s*(?:Ban hành\s+)?kèm theo\b", re.IGNORECASE)
MAX_HEADER_LINE_CHARS = 100
MAX_TITLE_SENTENCE_CHARS = 60  # a longer line ending with "." is a sentence of the text, not the title


@dataclass(frozen=True)
class Front:
    """Front matter split into its parts (display lines)."""

    header: tuple[str, ...] = ()  # issuer, motto, number, place and date lines
    doc_type: str = ""  # "Kế hoạch", "Chương trình hành động" ("" when no type line)
    title: tuple[str, ...] = ()  # title lines below the type line (a caps remainder included)
    preamble: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()  # the enacting body under a decision's title ("ỦY BAN NHÂN DÂN TỈNH ...")


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
    return cites or bool(_BASIS_OPENING.match(text)) or text.rstrip().endswith("như sau:")


def is_authority_line(text: str) -> bool:
    """ "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ", "BỘ TRƯỞNG BỘ VĂN HÓA...": the enacting formula of a decision."""
    return is_caps(text) and len(text) <= 120 and match_form(text).startswith(_AUTHORITY)


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
            if title and (is_authority_line(candidate) or _ATTACHMENT_LINE.match(candidate)):
                break  # "ỦY BAN NHÂN DÂN TỈNH ..." enacts; "(Ban hành kèm theo ...)" says where it comes from
            if title and candidate.rstrip().endswith(".") and len(candidate) > MAX_TITLE_SENTENCE_CHARS:
                break  # a sentence: the text has begun ("Hôm nay, ngày 20 tháng 11 năm 2024, tại ...")
            if title and title[-1].rstrip().endswith(_TERMINAL):
                break
            title.append(rest.pop(0))
        authority = (rest.pop(0),) if rest and title and is_authority_line(rest[0]) else ()
        return Front(tuple(lines[:k]), doc_type, tuple(title), tuple(rest), authority)
    header: list[str] = []
    rest = list(lines)
    while rest and not is_preamble_start(rest[0]) and (is_caps(rest[0]) or _is_header_line(rest[0])):
        header.append(rest.pop(0))
    return Front(tuple(header), "", (), tuple(rest))


def _is_header_line(text: str) -> bool:
    form = match_form(text)
    if len(text) > MAX_HEADER_LINE_CHARS:
        return False  # a paragraph ("Ngày 25/5/2022, UBND huyện ban hành ...") is not a header line
    return form.startswith(("số", "độc lập", "v/v")) or " ngày " in f" {form} "
