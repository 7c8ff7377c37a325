"""Questions about a plan's own header: its số hiệu, date of issue, issuing body, title.

These are answered from the metadata read at index time (``DocumentMeta``), not from passage
retrieval: "Kế hoạch của phường Kinh Môn ban hành ngày nào?" wants "29/09/2025" and the line that
says it, not the whole header block. Pure functions over plain data; the answer service composes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import KIND_HEADER, KIND_PREAMBLE, Chunk, DocumentMeta
from bot.text.normalize import fold

NUMBER = "number"
DATE = "date"
ISSUER = "issuer"
TITLE = "title"

# Which header fields a question asks for (folded question, see ``bot.intent``).
_FIELD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NUMBER, re.compile(r"\b(so hieu|so ky hieu|ky hieu|so may|so bao nhieu|ghi so|document number|number)\b")),
    (
        DATE,
        re.compile(
            r"\b(ngay ban hanh|ban hanh (ngay|khi|vao|luc|nam|thang) (nao|may)|ngay nao|ngay thang|thang may|"
            r"nam nao|khi nao|bao gio|date|when)\b"
        ),
    ),
    (
        ISSUER,
        re.compile(
            r"\b((co quan|don vi|cap) nao ban hanh|ai ban hanh|ban hanh boi|do (co quan|ai)|issuer|issued by)\b"
        ),
    ),
    (TITLE, re.compile(r"\b(ten (ke hoach|van ban|chuong trinh|day du)|trich yeu|title)\b")),
)
# A question naming another kind of document asks about that document, not the plan's header.
_OTHER_DOCUMENT = re.compile(r"\b(quyet dinh|nghi quyet|chi thi|thong tu|cong van|huong dan so|qd|nq)\b")
FIELD_LABELS = {NUMBER: "số hiệu", DATE: "ngày ban hành", ISSUER: "cơ quan ban hành", TITLE: "tên văn bản"}
MAX_WINDOW = 3  # header values may stand on up to three lines ("UỶ BAN NHÂN DÂN" / "PHƯỜNG KINH MÔN")


@dataclass(frozen=True)
class Located:
    """A header value with the chunk and the consecutive lines of it that state the value."""

    field: str
    value: str
    chunk: Chunk
    lines: tuple[str, ...]


def asked_fields(question: str) -> tuple[str, ...]:
    """The header fields ``question`` asks for, in a fixed order; () when it is no header question
    (it names another document, or asks none of them)."""
    folded = " ".join(re.findall(r"[a-z0-9]+", fold(question)))
    if _OTHER_DOCUMENT.search(folded):
        return ()
    return tuple(name for name, pattern in _FIELD_PATTERNS if pattern.search(folded))


def field_value(meta: DocumentMeta, name: str) -> str | None:
    """The value of header field ``name`` as the plan writes it, ``None`` when it has none."""
    value = {NUMBER: meta.number, DATE: meta.date, ISSUER: meta.issuer, TITLE: meta.title}[name]
    return value or None


def blank_note(name: str, value: str) -> str:
    """What the plan left blank in a value it does give: "Số: /KH-BCĐ" has no number, "tháng 3 năm
    2024" no day (drafts and copies before signing leave them to be filled in)."""
    if name == NUMBER and not re.search(r"\d", value):
        return " (chưa ghi số)"
    if name == DATE and not re.search(r"\d{1,2}/\d|ngày\s*\d", value):
        return " (không ghi ngày cụ thể)"
    return ""


def _date_parts(date: str) -> tuple[str, ...]:
    """Day, month, year of "29/09/2025" or "tháng 3 năm 2024" without leading zeros."""
    return tuple(str(int(n)) for n in re.findall(r"\d+", date))


def _states(value: str, field: str, text: str) -> bool:
    """Does ``text`` state ``value`` (dates compared by their numbers, the rest folded)?"""
    if field == DATE:
        numbers = [str(int(n)) for n in re.findall(r"\d+", text)]
        parts = _date_parts(value)
        return bool(parts) and all(p in numbers for p in parts) and ("ngay" in fold(text) or "/" in text)
    wanted = " ".join(re.findall(r"[a-z0-9]+", fold(value)))
    return bool(wanted) and wanted in " ".join(re.findall(r"[a-z0-9]+", fold(text)))


_WRITTEN_DATE = re.compile(r"(?:ngày\s*\d{0,2}\s*)?tháng\s*\d{1,2}\s*năm\s*\d{4}|\d{1,2}/\d{1,2}/\d{4}", re.IGNORECASE)


def _as_written(value: str, field: str, text: str) -> str:
    """A date the way the line writes it ("ngày 29 tháng 09 năm 2025" rather than "29/09/2025")."""
    if field != DATE:
        return value
    for match in _WRITTEN_DATE.finditer(text):
        if _states(value, DATE, match.group(0) if "/" in match.group(0) else f"ngày {match.group(0)}"):
            return " ".join(match.group(0).split())
    return value


def locate(meta: DocumentMeta, field: str, chunks: Sequence[Chunk]) -> Located | None:
    """Where the plan states its ``field``: the fewest consecutive lines of one chunk, header and
    preamble first (for the issuer, a line saying "ban hành" first); ``None`` when the field is
    unknown.

    A value the header reader put together from several places ("Ủy ban nhân dân huyện ban hành ...
    huyện Cẩm Xuyên") may stand on no line as such: then the line that issues the plan, or the
    header's first line, is cited.
    """
    value = field_value(meta, field)
    if value is None:
        return None
    order = sorted(chunks, key=lambda c: (c.kind != KIND_HEADER, c.kind != KIND_PREAMBLE, c.ordinal))
    windows = [
        (chunk, tuple(lines[start : start + size]))
        for size in range(1, MAX_WINDOW + 1)
        for chunk in order
        for lines in [[line for line in chunk.text.split("\n") if line.strip()]]
        for start in range(len(lines) - size + 1)
    ]
    issuing = [w for w in windows if len(w[1]) == 1 and "ban hanh" in fold(w[1][0])]
    if field == ISSUER:
        windows = [w for w in windows if "ban hanh" in fold(" ".join(w[1]))] + windows
    for chunk, window in windows:
        if _states(value, field, " ".join(window)):
            return Located(field, _as_written(value, field, " ".join(window)), chunk, window)
    fallback = issuing[0] if field == ISSUER and issuing else next(iter(windows), None)
    return Located(field, value, fallback[0], fallback[1]) if fallback else None
