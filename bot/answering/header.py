"""Questions about a plan's own header: its số hiệu, date of issue, issuing body, title.

These are answered from the metadata read at index time (``DocumentMeta``), not from passage
retrieval: "Kế hoạch của phường Kinh Môn ban hành ngày nào?" wants "29/09/2025" and the line that
says it, not the whole header block.

:class:`HeaderAnswerer` is one of the engine's answerers (see :mod:`bot.answering.question`): it
answers a header question (intent ``header`` and a field asked, the phrases in
:mod:`bot.query.phrases`) before any passage search, and returns ``None`` for any other question.
The functions below it are pure, over plain data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.answer import STATUS_ANSWERED, Answer, Citation, cite, doc_label
from bot.answering.corpus import Corpus
from bot.answering.question import Question
from bot.answering.render import MULTI_PLAN_INTRO, not_found
from bot.models import KIND_HEADER, KIND_PREAMBLE, Chunk, DocumentMeta
from bot.query.intent import HEADER
from bot.query.phrases import FIELD_PATTERNS, OTHER_DOCUMENT, HeaderField
from bot.text.normalize import fold

NUMBER = HeaderField.NUMBER
DATE = HeaderField.DATE
ISSUER = HeaderField.ISSUER
TITLE = HeaderField.TITLE

FIELD_LABELS: dict[HeaderField, str] = {
    NUMBER: "số hiệu",
    DATE: "ngày ban hành",
    ISSUER: "cơ quan ban hành",
    TITLE: "tên văn bản",
}
MAX_WINDOW = 3  # header values may stand on up to three lines ("UỶ BAN NHÂN DÂN" / "PHƯỜNG KINH MÔN")
MAX_HEADER_PLANS = 10


@dataclass(frozen=True)
class Located:
    """A header value with the chunk and the consecutive lines of it that state the value."""

    field: HeaderField
    value: str
    chunk: Chunk
    lines: tuple[str, ...]


def asked_fields(question: str) -> tuple[HeaderField, ...]:
    """The header fields ``question`` asks for, in a fixed order; () when it is no header question
    (it names another document, or asks none of them)."""
    folded = " ".join(re.findall(r"[a-z0-9]+", fold(question)))
    if OTHER_DOCUMENT.search(folded):
        return ()
    return tuple(name for name, pattern in FIELD_PATTERNS if pattern.search(folded))


def field_value(meta: DocumentMeta, name: HeaderField) -> str | None:
    """The value of header field ``name`` as the plan writes it, ``None`` when it has none."""
    value = {NUMBER: meta.number, DATE: meta.date, ISSUER: meta.issuer, TITLE: meta.title}[name]
    return value or None


def blank_note(name: HeaderField, value: str) -> str:
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


def _states(value: str, field: HeaderField, text: str) -> bool:
    """Does ``text`` state ``value`` (dates compared by their numbers, the rest folded)?"""
    if field == DATE:
        numbers = [str(int(n)) for n in re.findall(r"\d+", text)]
        parts = _date_parts(value)
        return bool(parts) and all(p in numbers for p in parts) and ("ngay" in fold(text) or "/" in text)
    wanted = " ".join(re.findall(r"[a-z0-9]+", fold(value)))
    return bool(wanted) and wanted in " ".join(re.findall(r"[a-z0-9]+", fold(text)))


_WRITTEN_DATE = re.compile(r"(?:ngày\s*\d{0,2}\s*)?tháng\s*\d{1,2}\s*năm\s*\d{4}|\d{1,2}/\d{1,2}/\d{4}", re.IGNORECASE)


def _as_written(value: str, field: HeaderField, text: str) -> str:
    """A date the way the line writes it ("ngày 29 tháng 09 năm 2025" rather than "29/09/2025")."""
    if field != DATE:
        return value
    for match in _WRITTEN_DATE.finditer(text):
        if _states(value, DATE, match.group(0) if "/" in match.group(0) else f"ngày {match.group(0)}"):
            return " ".join(match.group(0).split())
    return value


def locate(meta: DocumentMeta, field: HeaderField, chunks: Sequence[Chunk]) -> Located | None:
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
    if field == DATE:  # the date line as the document writes it, before a portal's "Ngày ban hành: 19/09/2024"
        windows = [w for w in windows if re.search(r"ngày\s*\d{1,2}\s*tháng", " ".join(w[1]), re.I)] + windows
    for chunk, window in windows:
        if _states(value, field, " ".join(window)):
            return Located(field, _as_written(value, field, " ".join(window)), chunk, window)
    fallback = issuing[0] if field == ISSUER and issuing else next(iter(windows), None)
    return Located(field, value, fallback[0], fallback[1]) if fallback else None


def header_answer(fields: Sequence[HeaderField], documents: Sequence[DocumentMeta], corpus: Corpus) -> Answer:
    """Số hiệu, date, issuer or title of ``documents`` (the plans in scope), from their metadata,
    each value cited with the line that states it; ``not_found`` when none of them states any."""
    citations: list[Citation] = []
    parts: list[str] = []
    for meta in documents[:MAX_HEADER_PLANS]:
        chunks = corpus.chunks_of.get(meta.doc_id, [])
        stated: list[str] = []
        for name in fields:
            found = locate(meta, name, chunks)
            if found is None:
                stated.append(f"{FIELD_LABELS[name]}: không ghi")
                continue
            citation = cite(meta, found.chunk, "\n".join(found.lines), 1.0)
            if citation not in citations:  # number and date often stand on one line
                citations.append(citation)
            number = citations.index(citation) + 1
            label = "ban hành" if name == DATE else f"{FIELD_LABELS[name]}:"
            stated.append(f"{label} {found.value}{blank_note(name, found.value)} [{number}]")
        parts.append(f"{doc_label(meta)}: {'; '.join(stated)}.")
    if not citations:
        labels = ", ".join(FIELD_LABELS[name] for name in fields)
        plans = "; ".join(doc_label(meta) for meta in documents[:MAX_HEADER_PLANS])
        return not_found(corpus.localities, f"{plans} không ghi {labels}.")
    if len(parts) == 1:
        return Answer(STATUS_ANSWERED, f"Theo {parts[0]}", tuple(citations))
    more = len(documents) - MAX_HEADER_PLANS
    lines = [MULTI_PLAN_INTRO, *(f"• {part}" for part in parts)]
    if more > 0:
        lines.append(f"… và {more} kế hoạch khác: hãy hỏi kèm tên địa bàn.")
    return Answer(STATUS_ANSWERED, "\n".join(lines), tuple(citations))


@dataclass(frozen=True)
class HeaderAnswerer:
    """Answers questions about the plans' headers from their metadata (no search needed)."""

    corpus: Corpus

    def answer(self, question: Question) -> Answer | None:
        """The header answer for the plans in scope (every plan when none is named), or ``None``
        when the question is no header question."""
        if question.intent.kind != HEADER or not (fields := asked_fields(question.header_reading)):
            return None
        scope = question.scope
        documents = [d for d in self.corpus.documents if scope is None or d.doc_id in scope]
        return header_answer(fields, documents, self.corpus)
