"""The issuing body written in the header's left column, in readable case.

The header's left column names the issuing body in capitals, sometimes under its parent body
("ỦY BAN NHÂN DÂN / XÃ THIỆU DUY / BCĐ PHONG TRÀO / “TOÀN DÂN ĐKXD-ĐSVH”"); the right column holds
the national title and motto, which copied text puts before, after or between them ("CỘNG" /
"HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" when a PDF broke the line). A page title copied above the header
("TUYÊN TRUYỀN VỀ NGHỊ ĐỊNH 86/2023/NĐ-CP") is not a body either: the issuer starts at the first
line that names one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.ingest.patterns import is_caps
from bot.text.normalize import match_form
from bot.text.places import UNIT_WORDS

NATIONAL_TITLE = "cộng hòa xã hội chủ nghĩa việt nam"
# What the name of an issuing body starts with (match form).
BODY_STARTS = (
    "ủy ban",
    "ubnd",
    "hội đồng",
    "hđnd",
    "chính phủ",
    "thủ tướng",
    "văn phòng",
    "ban ",
    "bcđ",
    "bch",
    "btv",
    "sở ",
    "phòng ",
    "bộ ",
    "đảng ủy",
    "đảng bộ",
    "đảng đoàn",
    "huyện ủy",
    "tỉnh ủy",
    "thành ủy",
    "quận ủy",
    "thị ủy",
    "trung tâm",
    "mặt trận",
    "cục ",
    "chi cục",
    "tổng cục",
    "viện ",
    "hội ",
    "đoàn ",
    "liên đoàn",
    "công an",
    "trường ",
    "tòa án",
    "kho bạc",
)


def is_motto(text: str) -> bool:
    """The national title or motto, whole or a fragment of a broken line ("CỘNG", "Độc lập - ...")."""
    form = " ".join(match_form(text).split())
    if not form:
        return False
    if NATIONAL_TITLE in form or "xã hội chủ nghĩa" in form or form.startswith(("độc lập", "đảng cộng sản")):
        return True
    return is_caps(text) and NATIONAL_TITLE.startswith(form)


def _starts_body(text: str) -> bool:
    return (match_form(text) + " ").startswith(BODY_STARTS)


def _has_vowel(word: str) -> bool:
    bare = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return any(c in "aeiouy" for c in bare)


def _lower_word(word: str) -> str:
    """Lower case, except acronyms without a vowel ("BCĐ", "ĐKXD-ĐSVH") and a quoted name's first letter."""
    if not _has_vowel(word):
        return word
    lowered = word.lower()
    m = re.match(r"^([“\"'(«]+)(\w)", lowered)
    if m:
        return m.group(1) + m.group(2).upper() + lowered[m.end() :]
    return lowered


def _readable_line(line: str) -> str:
    """One capitalised header line in sentence case; a place name after a unit keeps its capitals."""
    words = line.split()
    out: list[str] = []
    for i, word in enumerate(words):
        two = " ".join(words[i : i + 2]).lower()
        unit = two if two in UNIT_WORDS else word.lower() if word.lower() in UNIT_WORDS else ""
        if unit:
            out.append(unit)
            out += [w[:1].upper() + w[1:].lower() for w in words[i + len(unit.split()) :]]
            break
        word = _lower_word(word)
        if out and out[-1] in ("“", '"', "«"):
            word = word[:1].upper() + word[1:]  # "“ TOÀN DÂN" → "“ Toàn dân"
        out.append(word)
    return " ".join(out)


def readable_issuer(lines: Sequence[str]) -> str:
    """ "UỶ BAN NHÂN DÂN" + "PHƯỜNG KINH MÔN" → "Uỷ ban nhân dân phường Kinh Môn" (spelling kept).

    Each body of a parent/child header is written on its own ("Ủy ban nhân dân xã Thiệu Duy – BCĐ
    phong trào “Toàn dân ĐKXD-ĐSVH”"); a place name ends with its line."""
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    text = " ".join(lines)
    if not is_caps(text):
        return text
    bodies: list[list[str]] = []
    for line in lines:
        if not bodies or _starts_body(line):
            bodies.append([])
        bodies[-1].append(line)
    rendered = []
    for body in bodies:
        sentence = " ".join(_readable_line(line) for line in body)
        rendered.append(sentence[:1].upper() + sentence[1:])
    return " – ".join(rendered)


def issuer_block(header: Sequence[str]) -> list[str]:
    """The header lines that name the issuing body: the capitalised lines before the national title
    (all capitalised non-motto lines when it stands first), from the first line naming a body."""
    caps = [line for line in header if is_caps(line) and not match_form(line).startswith("số")]
    first_motto = next((i for i, line in enumerate(header) if is_motto(line)), None)
    if first_motto is not None:
        before = [line for line in header[:first_motto] if line in caps]
        candidates = before or [line for line in caps if not is_motto(line)]
    else:
        candidates = caps
    merged: list[str] = []
    for line in candidates:
        if merged and len(merged[-1].split()) == 1 and not _starts_body(merged[-1]):
            merged[-1] = f"{merged[-1]} {line}"  # "ỦY" + "BAN NHÂN DÂN": a line a PDF broke
        else:
            merged.append(line)
    for start in range(len(merged)):
        if _starts_body(" ".join(merged[start:])):
            return merged[start:]
    return merged
