"""Line patterns of Vietnamese administrative documents, shared by cleanup and the outline parser.

Only the *shape* of a line is judged here (numbering, list bullet, "Nơi nhận", signature roles);
whether a numbered line really is a heading depends on its neighbours and is decided in
:mod:`bot.ingest.outline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.normalize import match_form

RANK_TOP = 1  # I., II. and unnumbered top headings (PHỤ LỤC)
RANK_LETTER = 5  # a), b)
# Legal texts name their divisions: Phần > Chương > Mục > Điều, above the plan-style numbering
# (an Điều holds khoản "1." and điểm "a)"). Their ranks sit above RANK_TOP.
RANK_PART = -3  # Phần thứ nhất, Phần I
RANK_CHAPTER = -2  # Chương I
RANK_DIVISION = -1  # Mục 1 (of a chapter)
RANK_ARTICLE = 0  # Điều 1.

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN = re.compile(r"^(?P<label>[IVXLC]{1,7})\s?[.)]\s*(?P<rest>[^\W\d_].*)$")
_ARABIC = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){0,3})(?:(?P<end>[.)])\s*|\s+)(?P<rest>(?:[^\W\d_]|[\"“(]).*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\)\s*(?P<rest>\S.*)$")


@dataclass(frozen=True)
class Numbering:
    """The numbering that opens a line: rank (1 = I., 2 = 1., 3 = 1.1., 4 = 1.1.1., 5 = a))."""

    rank: int
    label: str  # as written, without the closing "." or ")": "II", "1.2", "a"
    value: int  # the ordinal among siblings: II → 2, 1.2 → 2, b → 2
    rest: str  # the text after the numbering
    keyword: str = ""  # "Điều", "Chương", "Mục", "Phần" for the named divisions of legal texts

    @property
    def short(self) -> str:
        """The label users see for an untitled item: "6", "1.2", "a)", "Điều 3"."""
        if self.keyword:
            return f"{self.keyword} {self.label}"
        return f"{self.label})" if self.rank == RANK_LETTER else self.label


def roman_value(label: str) -> int | None:
    """Value of a well-formed Roman numeral up to 100, else ``None``."""
    total = 0
    values = [_ROMAN_VALUES[c] for c in label]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    canonical = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    tens = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"]
    if not 0 < total < 100 or tens[total // 10] + canonical[total % 10] != label:
        return None
    return total


_KEYWORD_RANKS = {"phần": RANK_PART, "chương": RANK_CHAPTER, "mục": RANK_DIVISION, "điều": RANK_ARTICLE}
_ORDINALS = ("nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười")
# "Chương I", "CHƯƠNG II: ...", "Mục 1. ...", "Phần thứ nhất", "Điều 1. Phạm vi điều chỉnh". An
# article needs its "." or ":" (or nothing after it): "Điều 7 Nghị định này quy định" is prose.
_LEGAL = re.compile(
    r"^(?P<keyword>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+"
    r"(?P<label>(?:thứ|THỨ)\s+[^\W\d_]+|[IVXLC]{1,6}|\d{1,3}|[A-Z])"
    r"(?P<sep>\s*[.:]\s*|\s*[-–]\s+|\s+|$)(?P<rest>.*)$"
)


def _legal_numbering(text: str) -> Numbering | None:
    m = _LEGAL.match(text)
    if not m:
        return None
    keyword = m.group("keyword").capitalize()
    rank = _KEYWORD_RANKS[keyword.lower()]
    label = m.group("label")
    rest = m.group("rest").strip()
    if rank == RANK_ARTICLE and rest and not m.group("sep").strip():
        return None
    if label.lower().startswith("thứ"):
        ordinal = label.split()[-1].lower()
        if ordinal not in _ORDINALS:
            return None
        value = _ORDINALS.index(ordinal) + 1
    elif label.isdigit():
        value = int(label)
    elif len(label) == 1 and label not in "IVXLC":
        value = ord(label) - ord("A") + 1
    else:
        roman = roman_value(label)
        if roman is None:
            return None
        value = roman
    if value == 0 or (rest and not m.group("sep").strip() and not rest[:1].isupper()):
        return None  # "Mục 1 của ..." goes on as prose
    return Numbering(rank, label, value, rest, keyword=keyword)


def numbering_of(text: str) -> Numbering | None:
    """The heading-style numbering opening ``text`` ("II. ...", "1.2. ...", "a) ...", "Điều 1. ..."), if any."""
    text = text.strip()
    if "\t" in text:
        return None
    legal = _legal_numbering(text)
    if legal is not None:
        return legal
    m = _ROMAN.match(text)
    if m:
        value = roman_value(m.group("label"))
        if value is not None:
            return Numbering(RANK_TOP, m.group("label"), value, m.group("rest").strip())
    m = _ARABIC.match(text)
    if m:
        parts = m.group("label").split(".")
        if len(parts) == 1 and not m.group("end"):
            return None  # "2026 có chiều sâu": a bare number is not a numbering
        value = int(parts[-1])
        if value == 0:
            return None
        return Numbering(1 + len(parts), m.group("label"), value, m.group("rest").strip())
    m = _LETTER.match(text)
    if m:
        value = ord(m.group("label")) - ord("a") + 1 if m.group("label") != "đ" else 5
        return Numbering(RANK_LETTER, m.group("label"), value, m.group("rest").strip())
    return None


_BULLET = re.compile(r"^[-+•–—]\s*\S")


def is_list_item(text: str) -> bool:
    """A "-"/"+"/"•" item: it stays a line of its section body."""
    return bool(_BULLET.match(text.strip()))


_RECIPIENTS = re.compile(r"^(?:nơi\s+)?nhận\s*:")


def is_recipients_start(text: str) -> bool:
    """The "Nơi nhận:" label (PDF extraction sometimes loses "Nơi")."""
    return bool(_RECIPIENTS.match(match_form(text)))


_APPENDIX = re.compile(r"^phụ lục(?:\s+(?:số\s+)?[ivxlc\d]+)?\s*[.:]?$")


def is_appendix_heading(text: str) -> bool:
    """ "PHỤ LỤC", "Phụ lục I", "PHỤ LỤC SỐ 02": a top-level heading after the signature."""
    return bool(_APPENDIX.match(match_form(text)))


_ON_BEHALF = re.compile(r"^(?:TM|T/M|T\.M|KT|TL|TUQ|Q|PP)\s*[./]?\s+\S", re.UNICODE)
_ROLES = (
    "chủ tịch",
    "bí thư",
    "trưởng ban",
    "chánh văn phòng",
    "giám đốc",
    "trưởng phòng",
    "thủ trưởng",
    "trưởng đoàn",
    "chủ nhiệm",
    "người ký",
)


def is_caps(text: str) -> bool:
    """All letters of ``text`` are upper case (and there is at least one)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_signature_role(text: str) -> bool:
    """A signature-block line: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "BÍ THƯ"."""
    text = text.strip()
    if not is_caps(text) or len(text) > 60 or numbering_of(text) is not None:
        return False
    if _ON_BEHALF.match(text):
        return True
    form = match_form(text)
    return any(form == role or form.startswith(("phó " + role, role + " ")) for role in _ROLES) or any(
        form.startswith(p) for p in ("phó chủ tịch", "phó bí thư", "phó trưởng ban", "phó giám đốc")
    )


def is_person_name(text: str) -> bool:
    """A signer's name: two to five capitalised words and nothing else ("Hoàng Công Tình")."""
    words = text.strip().split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


# Fields of an administrative-procedure record (the national TTHC database's table, copied from a
# portal: label and value run together, "Lĩnh vựcVăn hóa cơ sở"). Longest first.
PROCEDURE_FIELDS = (
    "Cơ quan có thẩm quyền quyết định",
    "Thẩm quyền giải quyết",
    "Cơ quan thực hiện",
    "Cơ quan phối hợp",
    "Đối tượng thực hiện",
    "Cách thức thực hiện",
    "Trình tự thực hiện",
    "Thành phần hồ sơ",
    "Số lượng hồ sơ",
    "Thời gian giải quyết",
    "Thời hạn giải quyết",
    "Kết quả thực hiện",
    "Yêu cầu, điều kiện",
    "Điều kiện thực hiện",
    "Mẫu đơn, mẫu tờ khai",
    "Căn cứ pháp lý",
    "Địa điểm thực hiện",
    "Tên thủ tục",
    "Mã thủ tục",
    "Lĩnh vực",
    "Lệ phí",
    "Yêu cầu",
)
_PROCEDURE_FIELD = re.compile(
    "^(?P<label>" + "|".join(re.escape(f) for f in PROCEDURE_FIELDS) + r")(?=$|\s*:|[-–+]|[A-ZÀ-ỸĐ0-9])"
)


def procedure_field(text: str) -> str | None:
    """The procedure-record field a line opens ("Thời gian giải quyếtTrong thời hạn ..." → its label):
    the label ends the line, or a colon, a dash or a capital glued to it follows."""
    m = _PROCEDURE_FIELD.match(text.strip())
    return m.group("label") if m else None


def is_structural_start(text: str) -> bool:
    """A line that opens something (heading, list item, label, signature): never a continuation."""
    return (
        numbering_of(text) is not None
        or is_list_item(text)
        or is_recipients_start(text)
        or is_appendix_heading(text)
        or bool(_ON_BEHALF.match(text.strip()))
        or match_form(text).startswith("số:")
        or procedure_field(text) is not None
    )
