"""Questions about a plan's own header: its số hiệu, date of issue, issuing body, title, signer and
the date it takes effect.

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
from bot.models import KIND_HEADER, KIND_PREAMBLE, KIND_SIGNATURE, Chunk, DocumentMeta
from bot.query.intent import HEADER, SIGNER
from bot.query.phrases import FIELD_PATTERNS, OPTIONAL_FIELDS, OTHER_DOCUMENT, HeaderField
from bot.retrieval.hybrid import Retriever
from bot.text.normalize import fold

NUMBER = HeaderField.NUMBER
DATE = HeaderField.DATE
ISSUER = HeaderField.ISSUER
TITLE = HeaderField.TITLE
SIGNER_FIELD = HeaderField.SIGNER
EFFECTIVE = HeaderField.EFFECTIVE
DATE_FIELDS = frozenset({DATE, EFFECTIVE})

FIELD_LABELS: dict[HeaderField, str] = {
    NUMBER: "số hiệu",
    DATE: "ngày ban hành",
    ISSUER: "cơ quan ban hành",
    TITLE: "tên văn bản",
    SIGNER_FIELD: "người ký",
    EFFECTIVE: "ngày có hiệu lực",
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
    value = {
        NUMBER: meta.number,
        DATE: meta.date,
        ISSUER: meta.issuer,
        TITLE: meta.title,
        SIGNER_FIELD: meta.signer,
        EFFECTIVE: meta.effective_date,
    }[name]
    return value or None


def shown_value(meta: DocumentMeta, name: HeaderField, value: str) -> str:
    """How the answer states a located value: the signer with the titles the signature gives him
    ("Hoàng Công Tình (TM. UỶ BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)"), the others as located."""
    if name == SIGNER_FIELD and meta.signer_title:
        return f"{value} ({meta.signer_title})"
    return value


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
    if field in DATE_FIELDS:
        numbers = [str(int(n)) for n in re.findall(r"\d+", text)]
        parts = _date_parts(value)
        return bool(parts) and all(p in numbers for p in parts) and ("ngay" in fold(text) or "/" in text)
    wanted = " ".join(re.findall(r"[a-z0-9]+", fold(value)))
    return bool(wanted) and wanted in " ".join(re.findall(r"[a-z0-9]+", fold(text)))


_WRITTEN_DATE = re.compile(r"(?:ngày\s*\d{0,2}\s*)?tháng\s*\d{1,2}\s*năm\s*\d{4}|\d{1,2}/\d{1,2}/\d{4}", re.IGNORECASE)


def _as_written(value: str, field: HeaderField, text: str) -> str:
    """A date the way the line writes it ("ngày 29 tháng 09 năm 2025" rather than "29/09/2025")."""
    if field not in DATE_FIELDS:
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
    if field == SIGNER_FIELD:
        return _locate_signer(meta, value, chunks)
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
    if field == EFFECTIVE:  # the line saying "hiệu lực", not the date of issue that is often the same day
        windows = [w for w in windows if "hieu luc" in fold(" ".join(w[1]))] + windows
    for chunk, window in windows:
        if _states(value, field, " ".join(window)):
            return Located(field, _as_written(value, field, " ".join(window)), chunk, window)
    fallback = issuing[0] if field == ISSUER and issuing else next(iter(windows), None)
    return Located(field, value, fallback[0], fallback[1]) if fallback else None


def _locate_signer(meta: DocumentMeta, name: str, chunks: Sequence[Chunk]) -> Located | None:
    """The line naming the signer, the signature block first (then a portal's "Người ký: ..." line),
    with the title lines standing right above it in the block ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH")."""
    order = sorted(chunks, key=lambda c: (c.kind != KIND_SIGNATURE, c.kind != KIND_HEADER, c.ordinal))
    titles = {fold(t).strip() for t in (meta.signer_title or "").split("/") if t.strip()}
    for chunk in order:
        lines = [line for line in chunk.text.split("\n") if line.strip()]
        for at, line in enumerate(lines):
            if not _states(name, SIGNER_FIELD, line):
                continue
            start = at
            while start > 0 and fold(lines[start - 1]).strip() in titles:
                start -= 1
            return Located(SIGNER_FIELD, name, chunk, tuple(lines[start : at + 1]))
    return None


def _lines_of(chunk: Chunk) -> list[str]:
    return [line for line in chunk.text.split("\n") if line.strip()]


def _span(found: Located) -> tuple[int, int]:
    """The first and last index of ``found.lines`` among its chunk's non-empty lines."""
    lines, size = _lines_of(found.chunk), len(found.lines)
    for start in range(len(lines) - size + 1):
        if tuple(lines[start : start + size]) == found.lines:
            return start, start + size - 1
    return -1, -1


def _beside(found: Located, meta: DocumentMeta, field: HeaderField) -> Located | None:
    """``field`` stated on a line right next to ``found`` in its chunk (a portal's "Ngày ban hành"
    beside its "Ngày có hiệu lực"), so both are cited as one passage; ``None`` when no line there does."""
    value = field_value(meta, field)
    start, end = _span(found)
    lines = _lines_of(found.chunk)
    if value is None or start < 0:
        return None
    for at in (start - 1, end + 1):
        if 0 <= at < len(lines) and _states(value, field, lines[at]):
            return Located(field, _as_written(value, field, lines[at]), found.chunk, (lines[at],))
    return None


def _passages(located: Sequence[Located]) -> dict[HeaderField, tuple[Chunk, tuple[str, ...]]]:
    """The passage citing each located field: windows of one chunk that touch or overlap are joined
    into one (number and date on neighbouring lines make one quote, not two)."""
    spans = sorted(((found.chunk.chunk_id, *_span(found), found) for found in located), key=lambda s: s[:3])
    joined: list[tuple[str, int, int, list[Located]]] = []
    for chunk_id, start, end, found in spans:
        last = joined[-1] if joined else None
        if last and start >= 0 and last[0] == chunk_id and last[1] >= 0 and start <= last[2] + 1:
            joined[-1] = (chunk_id, last[1], max(end, last[2]), [*last[3], found])
        else:
            joined.append((chunk_id, start, end, [found]))
    passages: dict[HeaderField, tuple[Chunk, tuple[str, ...]]] = {}
    for _, start, end, group in joined:
        chunk = group[0].chunk
        lines = tuple(_lines_of(chunk)[start : end + 1]) if start >= 0 else group[0].lines
        for found in group:
            passages[found.field] = (chunk, lines)
    return passages


def header_answer(fields: Sequence[HeaderField], documents: Sequence[DocumentMeta], corpus: Corpus) -> Answer:
    """Số hiệu, date, issuer, title, signer or date in effect of ``documents`` (the plans in scope),
    from their metadata, each value cited with the lines that state it; ``not_found`` when none of
    them states any."""
    citations: list[Citation] = []
    parts: list[str] = []
    for meta in documents[:MAX_HEADER_PLANS]:
        chunks = corpus.chunks_of.get(meta.doc_id, [])
        located = {name: found for name in fields if (found := locate(meta, name, chunks)) is not None}
        if DATE in located and EFFECTIVE in located and (near := _beside(located[EFFECTIVE], meta, DATE)):
            located[DATE] = near
        passages = _passages(list(located.values()))
        stated: list[str] = []
        for name in fields:
            found = located.get(name)
            if found is None:
                if name not in OPTIONAL_FIELDS:  # an optional one unknown is not "not written": say nothing
                    stated.append(f"{FIELD_LABELS[name]}: không ghi")
                continue
            chunk, lines = passages[name]
            citation = cite(meta, chunk, "\n".join(lines), 1.0)
            if citation not in citations:  # number and date often stand on one line
                citations.append(citation)
            number = citations.index(citation) + 1
            value = shown_value(meta, name, found.value)
            label = f"{FIELD_LABELS[name]}:"
            if name == DATE:  # "ban hành ngày 04/01/2023", "ban hành tháng 3 năm 2024"
                label = "ban hành ngày" if value[:1].isdigit() else "ban hành"
            stated.append(f"{label} {value}{blank_note(name, found.value)} [{number}]")
        if stated:
            parts.append(f"{doc_label(meta)}: {'; '.join(stated)}.")
    if not citations:
        labels = ", ".join(FIELD_LABELS[name] for name in fields)
        plans = "; ".join(doc_label(meta) for meta in documents[:MAX_HEADER_PLANS])
        return not_found(corpus.localities, f"{plans} không ghi {labels}.")
    if len(parts) == 1:
        return Answer(STATUS_ANSWERED, f"Theo {parts[0]}", tuple(citations))
    more = len(documents) - MAX_HEADER_PLANS
    shown = [MULTI_PLAN_INTRO, *(f"• {part}" for part in parts)]
    if more > 0:
        shown.append(f"… và {more} kế hoạch khác: hãy hỏi kèm tên địa bàn.")
    return Answer(STATUS_ANSWERED, "\n".join(shown), tuple(citations))


PLACED_RATIO = 0.65  # a place's own document is named beside a better-ranking placeless one near it


def placed_documents(question: Question, documents: Sequence[DocumentMeta], retriever: Retriever) -> list[DocumentMeta]:
    """The documents of ``question``'s place whose header it asks about: the documents that say no
    place (``question.admitted``) only when one of them ranks first for the question (its title and
    text match it best), then with the place's own documents ranking close to it."""
    placed = [d for d in documents if d.doc_id not in question.admitted]
    if not question.admitted or not placed:
        return list(documents)
    hits = retriever.search(question.analysed, k=10, doc_ids={d.doc_id for d in documents})
    if not hits or hits[0].chunk.doc_id not in question.admitted:
        return placed
    best: dict[str, float] = {}
    for hit in hits:
        best.setdefault(hit.chunk.doc_id, hit.score)
    top = hits[0]
    keep = {top.chunk.doc_id} | {d.doc_id for d in placed if best.get(d.doc_id, 0.0) >= PLACED_RATIO * top.score}
    return [d for d in documents if d.doc_id in keep]


@dataclass(frozen=True)
class HeaderAnswerer:
    """Answers questions about the plans' headers from their metadata; the search only tells a
    place's documents from those that say no place (see :func:`placed_documents`)."""

    corpus: Corpus
    retriever: Retriever

    def answer(self, question: Question) -> Answer | None:
        """The header answer for the plans in scope (every plan when none is named), or ``None``
        when the question is no header question."""
        if question.intent.kind not in (HEADER, SIGNER) or not (fields := asked_fields(question.header_reading)):
            return None
        scope = question.scope
        documents = [d for d in self.corpus.documents if scope is None or d.doc_id in scope]
        documents = placed_documents(question, documents, self.retriever)
        if all(f in OPTIONAL_FIELDS for f in fields) and not any(
            field_value(d, f) for d in documents[:MAX_HEADER_PLANS] for f in fields
        ):
            return None  # no metadata says it: the passages may (a signature the reader did not read)
        return header_answer(fields, documents, self.corpus)
