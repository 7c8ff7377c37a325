"""Questions about the collection of documents, answered from their metadata: the newest or oldest
document (optionally of a kind, of the places named), and the documents of a place.

:class:`CatalogueAnswerer` is one of the engine's answerers: it answers a question that
:func:`bot.query.across.read_across` reads as ``newest``, ``oldest`` or ``of_place`` and returns
``None`` for any other. Each document is cited with the header line stating its date (or its
number), found by :func:`bot.answering.header.locate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answering.answer import STATUS_ANSWERED, Answer, Citation, cite, doc_label
from bot.answering.corpus import Corpus
from bot.answering.header import DATE, NUMBER, locate
from bot.answering.question import Question
from bot.answering.render import not_found
from bot.models import KIND_HEADER, KIND_PREAMBLE, DocumentMeta
from bot.query.across import AcrossKind, AcrossQuestion, read_across
from bot.retrieval.hybrid import locality_key
from bot.text.normalize import fold

MAX_LISTED = 15
FOLLOWING = 2  # documents shown after the newest (oldest) one, for context

# Where a document says which place it belongs to. A new criterion (a province read at ingest) is
# one more entry here.
PLACE_FIELDS: tuple[Callable[[DocumentMeta], str | None], ...] = (
    lambda meta: meta.locality,
    lambda meta: meta.issuer,
    lambda meta: meta.title,
    lambda meta: meta.province,  # from the gazetteer (bot.text.places): a huyện's plan belongs to its tỉnh
)
_MONTHS_WORDS = re.compile(r"(?:(?:ngày\s*)?(\d{1,2})\s+)?tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def date_key(date: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) of a date as plans write it ("29/09/2025", "ngày 5 tháng 3 năm 2024",
    "tháng 3 năm 2024": day 0); ``None`` when it is no date."""
    if not date:
        return None
    if match := _NUMERIC_DATE.search(date):
        day, month, year = (int(g) for g in match.groups())
        return (year, month, day)
    if match := _MONTHS_WORDS.search(date):
        day_text, month_text, year_text = match.groups()
        return (int(year_text), int(month_text), int(day_text or 0))
    return None


def words(text: str | None) -> str:
    """``text`` folded to its words, space-padded (for " phrase " look-ups)."""
    return f" {' '.join(re.findall(r'[a-z0-9]+', fold(text or '')))} "


def of_kind(documents: Sequence[DocumentMeta], kind: str) -> list[DocumentMeta]:
    """The documents of ``kind`` (folded: "ke hoach"); a document of unknown kind is kept."""
    if not kind:
        return list(documents)
    return [d for d in documents if not d.doc_type or words(d.doc_type).startswith(f" {kind} ")]


def of_place(documents: Sequence[DocumentMeta], place: str) -> list[DocumentMeta]:
    """The documents whose locality, issuer or title names ``place`` (folded, compared by its bare
    name: "tinh gia lai" → "gia lai", as the title may write "Gia Lai" alone)."""
    key = locality_key(place)
    if not key:
        return []
    return [d for d in documents if any(f" {key} " in words(field(d)) for field in PLACE_FIELDS)]


def opening_names(documents: Sequence[DocumentMeta], place: str, corpus: Corpus) -> list[DocumentMeta]:
    """The documents whose opening (header, preamble, else first passage) names ``place``: a
    document whose metadata was not read (no header block) still says where it is from there."""
    key = locality_key(place)
    found = []
    for meta in documents:
        chunks = corpus.chunks_of.get(meta.doc_id, [])
        opening = [c for c in chunks if c.kind in (KIND_HEADER, KIND_PREAMBLE)] or chunks[:1]
        if key and any(f" {key} " in words(c.text) for c in opening):
            found.append(meta)
    return found


def header_citation(meta: DocumentMeta, corpus: Corpus) -> Citation | None:
    """The citation of the header line stating ``meta``'s date, else its number."""
    chunks = corpus.chunks_of.get(meta.doc_id, [])
    for field in (DATE, NUMBER):
        if (found := locate(meta, field, chunks)) is not None:
            return cite(meta, found.chunk, "\n".join(found.lines), 1.0)
    return None


def describe(meta: DocumentMeta) -> str:
    """ "Kế hoạch số 78/KH-UBND (phường Kinh Môn), ngày 29/09/2025": what the metadata says."""
    date = f", {'' if fold(meta.date).startswith(('ngay', 'thang')) else 'ngày '}{meta.date}" if meta.date else ""
    date = date or ", không ghi ngày"
    return f"{doc_label(meta)}{date}"


def _cited_lines(documents: Sequence[DocumentMeta], corpus: Corpus) -> tuple[list[str], list[Citation]]:
    lines: list[str] = []
    citations: list[Citation] = []
    for meta in documents:
        citation = header_citation(meta, corpus)
        if citation is None:
            lines.append(f"• {describe(meta)}")
            continue
        citations.append(citation)
        lines.append(f"• {describe(meta)} [{len(citations)}]")
    return lines, citations


def by_date(reading: AcrossQuestion, documents: Sequence[DocumentMeta], corpus: Corpus) -> Answer:
    """The newest (or oldest) of ``documents`` by the date in their header, then the next ones."""
    dated = [(key, d) for d in of_kind(documents, reading.doc_kind) if (key := date_key(d.date)) is not None]
    if not dated:
        return not_found(corpus.localities, "Các văn bản này không ghi ngày ban hành.")
    newest = reading.kind == AcrossKind.NEWEST
    dated.sort(key=lambda pair: pair[0], reverse=newest)
    ordered = [d for _, d in dated[: 1 + FOLLOWING]]
    lines, citations = _cited_lines(ordered, corpus)
    word = "mới nhất" if newest else "sớm nhất"
    undated = len(of_kind(documents, reading.doc_kind)) - len(dated)
    head = f"Văn bản ban hành {word} (theo ngày ghi ở đầu văn bản, trong {len(dated)} văn bản có ghi ngày):"
    parts = [head, lines[0]]
    if len(lines) > 1:
        parts += ["Kế đến:", *lines[1:]]
    if undated:
        parts.append(f"{undated} văn bản không ghi ngày ban hành nên không xếp được.")
    if dated[0][0][2] == 0:
        parts.append("Lưu ý: văn bản này chỉ ghi tháng, năm, không ghi ngày cụ thể.")
    return Answer(STATUS_ANSWERED, "\n".join(parts), tuple(citations))


def listing(reading: AcrossQuestion, documents: Sequence[DocumentMeta], corpus: Corpus) -> Answer | None:
    """The documents of the place asked (by their metadata, else by their opening lines), with kind,
    number and date; ``None`` when none names it
    (it may be no place: the question is then someone else's)."""
    found = of_kind(of_place(documents, reading.place), reading.doc_kind)
    if not found:
        found = of_kind(opening_names(documents, reading.place, corpus), reading.doc_kind)
    if not found:
        return None
    found.sort(key=lambda d: date_key(d.date) or (0, 0, 0), reverse=True)
    lines, citations = _cited_lines(found[:MAX_LISTED], corpus)
    key = locality_key(reading.place)
    # the place as the documents write it ("xã Tân Hòa"), not as folded from the question
    shown = next((d.locality for d in found if d.locality and locality_key(d.locality) == key), key.title())
    head = f"Có {len(found)} văn bản thuộc {shown} trong dữ liệu (mới nhất trước):"
    more = [f"… và {len(found) - MAX_LISTED} văn bản khác."] if len(found) > MAX_LISTED else []
    return Answer(STATUS_ANSWERED, "\n".join([head, *lines, *more]), tuple(citations))


@dataclass(frozen=True)
class CatalogueAnswerer:
    """Answers questions about the collection (newest, oldest, documents of a place) from metadata."""

    corpus: Corpus

    def answer(self, question: Question) -> Answer | None:
        """The answer, or ``None`` when the question is none of these kinds."""
        reading = read_across(question.text)
        if reading is None:
            return None
        scope = question.scope
        documents = [d for d in self.corpus.documents if scope is None or d.doc_id in scope]
        if reading.kind in (AcrossKind.NEWEST, AcrossKind.OLDEST):
            return by_date(reading, documents, self.corpus)
        if reading.kind == AcrossKind.OF_PLACE:
            return listing(reading, self.corpus.documents, self.corpus)
        return None
