"""Kinds of documents: their names, how a number's code names them, and the label citations use.

A document says what it is in its type line ("NGHỊ ĐỊNH", "KẾ HOẠCH"), in a legal site's metadata
block ("Loại văn bản: Quyết định"), in its number's code (the abbreviations of Nghị định
30/2020/NĐ-CP: "KH" Kế hoạch, "QĐ" Quyết định; a number whose code names only the issuing body,
"Số: 20/UBND-VX", is a Công văn's), or, for a web article, in its title ("Kế hoạch thực hiện ...").
"""

from __future__ import annotations

import re

from bot.models import DocumentMeta
from bot.text.normalize import match_form

# Canonical spellings, longest first so that "Chương trình hành động" wins over "Chương trình".
KINDS = (
    "Chương trình hành động",
    "Thông báo kết luận",
    "Thông tư liên tịch",
    "Thủ tục hành chính",
    "Chương trình",
    "Kế hoạch",
    "Quyết định",
    "Nghị định",
    "Nghị quyết",
    "Thông tư",
    "Chỉ thị",
    "Hướng dẫn",
    "Báo cáo",
    "Công văn",
    "Công điện",
    "Thông báo",
    "Kết luận",
    "Biên bản",
    "Quy chế",
    "Quy định",
    "Phương án",
    "Đề án",
    "Tờ trình",
    "Pháp lệnh",
    "Điều lệ",
    "Luật",
)
ARTICLE = "Tin bài"  # a web article (news, summary) that is not itself an official document
PROCEDURE = "Thủ tục hành chính"
LETTER = "Công văn"

_FORMS = {match_form(kind): kind for kind in KINDS}

# Ký hiệu → kind (Nghị định 30/2020/NĐ-CP, Phụ lục III; party documents use the same letters).
_CODES = {
    "nq": "Nghị quyết",
    "qđ": "Quyết định",
    "nđ": "Nghị định",
    "tt": "Thông tư",
    "ttlt": "Thông tư liên tịch",
    "ct": "Chỉ thị",
    "qc": "Quy chế",
    "qyđ": "Quy định",
    "tb": "Thông báo",
    "hd": "Hướng dẫn",
    "ctr": "Chương trình",
    "cthđ": "Chương trình hành động",
    "kh": "Kế hoạch",
    "pa": "Phương án",
    "đa": "Đề án",
    "bc": "Báo cáo",
    "bb": "Biên bản",
    "ttr": "Tờ trình",
    "cđ": "Công điện",
    "kl": "Kết luận",
}


def canonical_kind(text: str) -> str | None:
    """The canonical spelling of a kind named exactly by ``text`` ("QUYẾT ĐỊNH" → "Quyết định")."""
    return _FORMS.get(" ".join(match_form(text).strip(" :.").split()))


def leading_kind(text: str) -> str | None:
    """The kind that opens ``text`` ("Kế hoạch thực hiện ..." → "Kế hoạch"), longest name first."""
    form = match_form(text)
    for name_form, kind in _FORMS.items():
        if form == name_form or form.startswith(name_form + " "):
            return kind
    return None


def kind_from_code(number: str | None) -> str | None:
    """The kind a document number's code names: "14/KH-BCĐ" → "Kế hoạch", "10-CTr/ĐU" →
    "Chương trình", "86/2023/NĐ-CP" → "Nghị định"; a code of bodies only ("20/UBND-VX") → "Công văn".
    ``None`` when there is no code."""
    if not number:
        return None
    tokens = [t for t in re.split(r"[^\w]+", match_form(number)) if t and not t.isdigit()]
    if not tokens:
        return None
    for token in tokens:
        if token in _CODES:
            return _CODES[token]
    return LETTER


def refine_kind(kind: str, title: str) -> str:
    """A kind the title makes precise: "Thông báo" + "Kết luận của ..." → "Thông báo kết luận"."""
    if kind == "Thông báo" and match_form(title).startswith("kết luận"):
        return "Thông báo kết luận"
    return kind


def has_number(meta: DocumentMeta) -> bool:
    """The number is known: "Số: /KH-BCĐ" keeps the code but no number."""
    return bool(meta.number and re.search(r"\d", meta.number))


def citation_label(meta: DocumentMeta) -> str:
    """How an answer names the document: "Nghị định số 86/2023/NĐ-CP", "Kế hoạch số 14/KH-BCĐ";
    without a number, the kind and its date ("Kế hoạch ngày 25/5/2022", "Kế hoạch tháng 3 năm 2024"),
    else the title."""
    kind = meta.doc_type or leading_kind(meta.title) or ""
    if kind and has_number(meta):
        return f"{kind} số {meta.number}"
    if kind and meta.issued_with:
        return f"{kind} ban hành kèm theo {meta.issued_with}"
    if kind and kind != ARTICLE and meta.date:
        return f"{kind} {meta.date}" if meta.date.startswith("tháng") else f"{kind} ngày {meta.date}"
    if kind == ARTICLE and (meta.date or meta.published):
        return f"{ARTICLE} ngày {meta.date or meta.published}"
    return meta.title or kind
