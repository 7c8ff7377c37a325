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

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN = re.compile(r"^(?P<label>[IVXLC]{1,7})\s?[.)]\s*(?P<rest>[^\W\d_].*)$")
_ARABIC = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){0,3})(?P<end>[.)])?\s+(?P<rest>(?:[^\W\d_]|[\"“(]).*)$")
_LETTER = re.compile(r"^(?P<label>[a-zđ])\)\s*(?P<rest>\S.*)$")


@dataclass(frozen=True)
class Numbering:
    """The numbering that opens a line: rank (1 = I., 2 = 1., 3 = 1.1., 4 = 1.1.1., 5 = a))."""

    rank: int
    label: str  # as written, without the closing "." or ")": "II", "1.2", "a"
    value: int  # the ordinal among siblings: II → 2, 1.2 → 2, b → 2
    rest: str  # the text after the numbering

    @property
    def short(self) -> str:
        """The label users see for an untitled item: "6", "1.2", "a)"."""
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


def numbering_of(text: str) -> Numbering | None:
    """The heading-style numbering opening ``text`` ("II. ...", "1.2. ...", "a) ..."), if any."""
    text = text.strip()
    if "\t" in text:
        return None
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


def is_structural_start(text: str) -> bool:
    """A line that opens something (heading, list item, label, signature): never a continuation."""
    return (
        numbering_of(text) is not None
        or is_list_item(text)
        or is_recipients_start(text)
        or is_appendix_heading(text)
        or bool(_ON_BEHALF.match(text.strip()))
        or match_form(text).startswith("số:")
    )
