"""Document references in a question: "Nghị định 86/2023/NĐ-CP", "quyet dinh 2295", "KH 47/KH-BCĐ".

A reference is a kind word or its code (Kế hoạch/KH, Nghị định/NĐ, Quyết định/QĐ ...) with a number
in one of its written forms, or a coded number standing alone ("47/KH-BCĐ", "10-CTr/ĐU",
"20/UBND-BCĐPT"), optionally with a year ("/2023/", "năm 2023", "ngày 7/12/2023") and the issuer
the question states ("của Chính phủ", "của UBND tỉnh Phú Thọ", "tỉnh Thái Bình"). A kind word with
"năm YYYY" and no number ("Kế hoạch năm 2023 của Ban Chỉ đạo Trung ương") is a weaker reference:
kind and year only.

The grammar runs on the folded text (:func:`bot.text.normalize.fold`), so "Nghị định", "nghi dinh"
and "NGHỊ ĐỊNH" are one word; what is not a reference stays out: a kind word alone ("kế hoạch"),
a year alone ("năm 2025"), dates ("04/01/2023"), percentages ("90%"), counts ("kế hoạch 5 năm").
Pure functions over strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.text.normalize import fold

# Kind codes (folded, as they stand in a số hiệu) and the words that name them, folded.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "kh": ("ke hoach", "plan"),
    "nd": ("nghi dinh", "decree"),
    "qd": ("quyet dinh", "decision"),
    "tt": ("thong tu", "circular"),
    "ctr": ("chuong trinh hanh dong", "chuong trinh", "programme", "program"),
    "bc": ("bao cao", "report"),
    "hd": ("huong dan", "guidance"),
    "cv": ("cong van", "official letter"),
    "tb": ("thong bao", "notice"),
    "ct": ("chi thi", "directive"),
    "nq": ("nghi quyet", "resolution"),
    "da": ("de an", "scheme"),
    "kl": ("ket luan", "conclusion"),
    "ttr": ("to trinh",),
}
# How an answer names each kind.
KIND_NAMES = {
    "kh": "Kế hoạch",
    "nd": "Nghị định",
    "qd": "Quyết định",
    "tt": "Thông tư",
    "ctr": "Chương trình",
    "bc": "Báo cáo",
    "hd": "Hướng dẫn",
    "cv": "Công văn",
    "tb": "Thông báo",
    "ct": "Chỉ thị",
    "nq": "Nghị quyết",
    "da": "Đề án",
    "kl": "Kết luận",
    "ttr": "Tờ trình",
}
# doc_type as the header reader writes it ("Chương trình hành động") → kind code.
_WORD_KIND = {word: kind for kind, words in KIND_WORDS.items() for word in words}
# Codes typed as a word before a bare number ("NĐ 86", "qd 2295"): those no common syllable spells.
# "da" (đã), "cv", "tb", "hd", "bc" stand before a number only inside a coded number ("47/BC-UBND").
_BARE_CODES = ("kh", "nd", "qd", "nq", "tt", "ctr", "ct", "kl")

_YEAR = r"(?:19|20)\d\d"
_SEP = r"\s?[/\-]\s?"
# A code after the number: segments of letters (and digits after the first letter) chained by - or /.
_CODE = r"[a-z][a-z0-9&]*(?:\s?[/\-]\s?[a-z][a-z0-9&]*)*"
_NUMBER = (
    rf"(?<![\w/.\-])(?P<num>\d{{1,5}})"
    rf"(?:{_SEP}(?P<year>{_YEAR})(?=\s?[/\-]\s?[a-z]|(?![\w/\-])))?"
    rf"(?:{_SEP}(?P<code>{_CODE}))?"
)
_KIND_ALTERNATIVES = sorted(
    [re.escape(word).replace(r"\ ", r"\s") for word in _WORD_KIND] + list(_BARE_CODES), key=len, reverse=True
)
_KIND = rf"(?<![a-z0-9])(?P<kind>{'|'.join(_KIND_ALTERNATIVES)})"
# "số", "so", "no.", "number" between the kind and the number.
_NUMBER_WORD = r"(?:\s(?:so|no\.?|number|#))?"
_WITH_KIND = re.compile(rf"{_KIND}{_NUMBER_WORD}\s?{_NUMBER}")
_CODED = re.compile(_NUMBER)
_KIND_YEAR = re.compile(rf"{_KIND}\s(?:nam|year)\s(?P<year>{_YEAR})(?![\w/])")
# What follows a number that makes it a quantity or a date, not a document number.
_NOT_A_NUMBER = re.compile(
    r"\s?(?:%|[.,]\d|[/\-]\s?\d)|\s(?:nam(?!\s(?:19|20)\d\d)|thang|ngay(?!\s\d)|tuan|quy (?:i|ii|iii|iv|[1-4])|"
    r"lan|phan tram|noi dung|nhiem vu|muc|dieu|giai doan|ho|nguoi|gia dinh|don vi|years?|months?|days?|percent)\b"
)
# The year written after the number: "năm 2023", "ngày 7/12/2023", "ngày 13 tháng 02 năm 2023".
_YEAR_AFTER = re.compile(
    rf"\s?,?\s(?:nam|year|of)\s(?P<y1>{_YEAR})(?![\w/])|"
    rf"\s?,?\sngay\s\d{{1,2}}(?:\s?/\s?|\sthang\s)\d{{1,2}}(?:\s?/\s?|\snam\s)(?P<y2>{_YEAR})(?!\d)"
)
# The issuer stated after the reference: "của UBND tỉnh Phú Thọ", "do Chính phủ", or an
# administrative level right away ("Quyết định 2295/QĐ-UBND tỉnh Thái Bình").
_ISSUER_LEAD = re.compile(
    r"\s(?:cua|do)\s|(?=\s(?:tinh|thanh pho|tp|huyen|quan|thi xa|thi tran|xa|phuong|ubnd|uy ban|chinh phu|"
    r"thu tuong|ban chi dao|bcd|ban thuong vu|dang uy|thanh uy|tinh uy)\b)"
)
# Words that end an issuer's name: what a question goes on to ask about the document.
_ISSUER_END = frozenset(
    "duoc quy phe thuc trien gom co la ve yeu mang lay ap dat nam ngay ai gi nao bao thi can giao ky vay hay "
    "do khong chu tham de nhu the theo tai o va ma sau truoc khi lam hien hanh danh".split()
)
_MAX_ISSUER_WORDS = 7


@dataclass(frozen=True)
class DocumentRef:
    """One document a text refers to.

    ``kind``: kind code ("nd", "qd", "kh", see ``KIND_WORDS``), "" when only the code says it and
    names no kind ("20/UBND-BCĐPT"); ``number``: the digits ("86"), "" for a kind-and-year reference;
    ``year``: "2023" when stated; ``code``: the folded code after number and year, segments joined by
    "-" ("nd-cp", "kh-bcd", "ctr-du"), "" when not written; ``issuer``: the folded issuer words the
    text states after it ("ubnd tinh phu tho"), "" when none; ``text``: the reference as found in the
    folded text, and ``start``/``end`` its offsets there.
    """

    kind: str
    number: str
    year: str | None = None
    code: str = ""
    issuer: str = ""
    text: str = ""
    start: int = 0
    end: int = 0
    written: str = ""

    @property
    def label(self) -> str:
        """How an answer names the reference: as the text wrote it, else rebuilt from its parts
        ("Nghị định số 86/2023/ND-CP", "Kế hoạch năm 2023")."""
        if self.written:
            return self.written
        name = KIND_NAMES.get(self.kind, "văn bản")
        if not self.number:
            return f"{name} năm {self.year}" if self.year else name
        parts = [self.number, *([self.year] if self.year else []), *([self.code.upper()] if self.code else [])]
        return f"{name} số {'/'.join(parts)}"


_BLANKED = re.compile(r"[“”\"'()\[\]]")


def folded_text(text: str) -> str:
    """The form references are found in: folded, quotes and brackets as spaces, single spaces."""
    return " ".join(_BLANKED.sub(" ", fold(text)).split())


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character folded (memoised: questions use a few hundred distinct characters)."""
    return " " if char.isspace() or _BLANKED.match(char) else fold(char)


def _fold_map(text: str) -> tuple[str, list[int]]:
    """``folded_text(text)`` built character by character, with the offset in ``text`` of each of
    its characters (so a reference found folded can be shown as the question spells it)."""
    chars: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        for folded in _fold_char(char):
            if folded == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(folded)
            where.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def _code_parts(code: str) -> tuple[str, ...]:
    return tuple(part for part in re.split(r"\s?[/\-]\s?", code) if part)


def code_kind(code: str) -> str:
    """The kind a code names by its first segment ("kh-bcd" → "kh"); "" when it names none."""
    parts = _code_parts(code)
    return parts[0] if parts and parts[0] in KIND_WORDS else ""


def kind_of_type(doc_type: str) -> str:
    """Kind code of a document type as written ("Chương trình hành động" → "ctr"); "" if unknown."""
    words = folded_text(doc_type)
    for word in sorted(_WORD_KIND, key=len, reverse=True):
        if words.startswith(word):
            return _WORD_KIND[word]
    return ""


def _kind_code(word: str) -> str:
    word = " ".join(word.split())
    return word if word in KIND_WORDS else _WORD_KIND.get(word, "")


def _year_after(folded: str, end: int) -> tuple[str | None, int]:
    match = _YEAR_AFTER.match(folded, end)
    if not match:
        return None, end
    return match.group("y1") or match.group("y2"), match.end()


def _issuer_after(folded: str, end: int) -> str:
    lead = _ISSUER_LEAD.match(folded, end)
    if not lead:
        return ""
    words: list[str] = []
    following = re.findall(r"[a-z0-9&]+|[^\sa-z0-9&]", folded[lead.end() :])
    for i, word in enumerate(following):
        if not word[0].isalnum() or word in _ISSUER_END or len(words) >= _MAX_ISSUER_WORDS:
            break
        if word == "ban" and following[i + 1 : i + 2] == ["hanh"]:
            break  # "... ban hành": the verb, not a "Ban" (board) of the issuer's name
        words.append(word)
    return " ".join(words)


def _make(folded: str, match: re.Match[str], kind_word: str) -> DocumentRef | None:
    number, code = match.group("num"), " ".join((match.group("code") or "").split())
    kind = _kind_code(kind_word) if kind_word else code_kind(code)
    if not kind_word and not code:
        return None  # a bare number is no reference
    if not code and kind_word and kind_word.strip() in _BARE_CODES and len(number) < 2:
        return None  # "ct 5": too short to be a code typed before a number
    year = match.group("year")
    if not code and (re.fullmatch(_YEAR, number) or (not year and _NOT_A_NUMBER.match(folded, match.end()))):
        return None  # "kế hoạch 2025", "kế hoạch 2022-2026", "kế hoạch 5 năm", "quyết định 25/5/2022"
    kind = code_kind(code) or kind  # the code states the kind: it is the document's own spelling
    end = match.end()
    if year is None:
        year, end = _year_after(folded, end)
    return DocumentRef(
        kind=kind,
        number=str(int(number)),
        year=year,
        code="-".join(_code_parts(code)),
        issuer=_issuer_after(folded, end),
        text=folded[match.start() : end],
        start=match.start(),
        end=end,
    )


def parse_refs(text: str) -> tuple[DocumentRef, ...]:
    """The document references of ``text`` in order of appearance (offsets in ``folded_text(text)``),
    each with its ``written`` spelling."""
    folded, where = _fold_map(text)
    return tuple(
        replace(ref, written=text[where[ref.start] : where[ref.end - 1] + 1].strip()) if ref.end > ref.start else ref
        for ref in refs_in_folded(folded)
    )


def refs_in_folded(folded: str) -> tuple[DocumentRef, ...]:
    """:func:`parse_refs` on text already in ``folded_text`` form."""
    found: list[DocumentRef] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _WITH_KIND.finditer(folded):
        ref = _make(folded, match, match.group("kind"))
        if ref is not None:
            found.append(ref)
            taken.append((ref.start, ref.end))
    for match in _CODED.finditer(folded):
        if not free(match.start(), match.end()):
            continue
        ref = _make(folded, match, "")
        if ref is not None:
            found.append(ref)
            taken.append((ref.start, ref.end))
    for match in _KIND_YEAR.finditer(folded):
        if not free(match.start(), match.end()) or match.group("kind") in _BARE_CODES:
            continue  # "kh năm 2023": an abbreviation before "năm" is too weak a sign
        end = match.end()
        found.append(
            DocumentRef(
                kind=_kind_code(match.group("kind")),
                number="",
                year=match.group("year"),
                issuer=_issuer_after(folded, end),
                text=folded[match.start() : end],
                start=match.start(),
                end=end,
            )
        )
        taken.append((match.start(), end))
    return tuple(sorted(found, key=lambda ref: ref.start))


def identity_ref(number: str | None, doc_type: str = "", date: str | None = None) -> DocumentRef | None:
    """The reference a document's own số hiệu makes ("22/2024/QĐ-UBND" → qd 22 2024 qd-ubnd), the
    kind taken from the code or else from ``doc_type``, the year from the number or else the date;
    ``None`` when the number has no digits."""
    if not number or not re.search(r"\d", number):
        return None
    folded = folded_text(number)
    match = _CODED.search(folded)
    if not match:
        return None
    code = " ".join((match.group("code") or "").split())
    years = re.findall(rf"(?<!\d){_YEAR}(?!\d)", folded_text(date or ""))
    return DocumentRef(
        kind=code_kind(code) or kind_of_type(doc_type),
        number=str(int(match.group("num"))),
        year=match.group("year") or (years[-1] if years else None),
        code="-".join(_code_parts(code)),
        text=folded,
    )


def without_refs(text: str, refs: tuple[DocumentRef, ...]) -> str:
    """``folded_text(text)`` with the spans of ``refs`` (found in it) blanked out."""
    folded = _fold_map(text)[0]
    for ref in sorted(refs, key=lambda r: r.start, reverse=True):
        folded = folded[: ref.start] + " " + folded[ref.end :]
    return " ".join(folded.split())
