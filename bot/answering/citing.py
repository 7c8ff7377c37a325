"""Which documents cite another one, and whether they agree on its date and number.

"Những văn bản nào căn cứ Nghị định 86/2023/NĐ-CP", "các kế hoạch có ghi cùng ngày ban hành của
Kế hoạch 14/KH-BCĐ không": answered from the basis facts (``FACT_BASIS``: every document reference
a plan's lines make, with the date written after it), one line per citing document with its
quoted line, then whether the dates (and numbers) they write agree, and with the date of the
cited document itself when it is in the collection.

:class:`CitingAnswerer` is one of the engine's answerers; ``None`` for any other question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.answer import STATUS_ANSWERED, Answer, Citation, cite, doc_label
from bot.answering.catalogue import date_key, header_citation, of_kind, words
from bot.answering.corpus import Corpus
from bot.answering.question import Question
from bot.answering.render import not_found
from bot.models import FACT_BASIS, DocumentMeta, Fact
from bot.query.across import AcrossKind, Reference, folded_question, read_across, reference_in

MAX_LISTED = 12


def cites(fact: Fact, reference: Reference) -> bool:
    """Does basis ``fact`` name ``reference``? Same kind (when the question says one) and the
    question's number parts a prefix of the fact's ("nghị định 86" names 86/2023/NĐ-CP)."""
    named = reference_in(folded_question(fact.subject))
    if named is None:
        return False
    if reference.kind and named.kind != reference.kind:
        return False
    return named.number[: len(reference.number)] == reference.number


def is_document(meta: DocumentMeta, reference: Reference) -> bool:
    """Is ``meta`` the document ``reference`` names (its own số hiệu)?"""
    number = tuple(re.findall(r"[a-z0-9]+", words(meta.number)))
    return bool(number) and number[: len(reference.number)] == reference.number


def _date_text(key: tuple[int, int, int]) -> str:
    year, month, day = key
    return f"{day:02d}/{month:02d}/{year}" if day else f"tháng {month:02d}/{year}"


@dataclass(frozen=True)
class _Citing:
    meta: DocumentMeta
    fact: Fact
    number: int  # its citation number


def citing_answer(reference: Reference, doc_kind: str, corpus: Corpus) -> Answer:
    """The documents citing ``reference`` (of ``doc_kind`` when given), each with its line cited, and
    whether the dates they write agree (with the cited document's own date when it is indexed)."""
    documents = {d.doc_id: d for d in corpus.documents}
    allowed = {d.doc_id for d in of_kind(list(documents.values()), doc_kind)}
    cited_docs = [d for d in corpus.documents if is_document(d, reference)]
    chunks = {c.chunk_id: c for cs in corpus.chunks_of.values() for c in cs}
    first: dict[str, Fact] = {}
    for fact in corpus.snapshot.facts:
        if fact.kind != FACT_BASIS or fact.doc_id not in allowed or fact.doc_id in first:
            continue
        if any(fact.doc_id == d.doc_id for d in cited_docs) or not cites(fact, reference):
            continue
        first[fact.doc_id] = fact
    name = f"{reference.kind} {reference.number[0]}".strip() if reference.number else reference.kind
    if not first:
        return not_found(corpus.localities, f"Không văn bản nào trong dữ liệu dẫn văn bản này ({name}…).")
    citations: list[Citation] = []
    rows: list[_Citing] = []
    for doc_id, fact in list(first.items())[:MAX_LISTED]:
        meta = documents[doc_id]
        citations.append(cite(meta, chunks[fact.chunk_id], fact.quote, 1.0))
        rows.append(_Citing(meta, fact, len(citations)))
    lines = [f"Có {len(first)} văn bản dẫn {rows[0].fact.subject.split(' số ')[0].lower()} này:"]
    for row in rows:
        date = f", ghi ngày {row.fact.value}" if row.fact.value else ", không ghi ngày"
        lines.append(f"• {doc_label(row.meta)}: dẫn “{row.fact.subject}”{date} [{row.number}]")
    if len(first) > MAX_LISTED:
        lines.append(f"… và {len(first) - MAX_LISTED} văn bản khác.")
    lines += agreement(rows, cited_docs, corpus, citations)
    return Answer(STATUS_ANSWERED, "\n".join(lines), tuple(citations))


def agreement(
    rows: list[_Citing], cited_docs: list[DocumentMeta], corpus: Corpus, citations: list[Citation]
) -> list[str]:
    """Sentences saying whether the citing documents write the same date and number (appends the
    cited document's own header line to ``citations`` when it is indexed)."""
    dates = {key for row in rows if (key := date_key(row.fact.value)) is not None}
    numbers = {row.fact.subject.split(" số ")[-1].upper() for row in rows}
    said: list[str] = []
    if len(rows) > 1:
        if len(dates) == 1:
            said.append(f"Các văn bản này ghi cùng một ngày: {_date_text(next(iter(dates)))}.")
        elif len(dates) > 1:
            said.append("Các văn bản ghi ngày khác nhau: " + "; ".join(sorted(_date_text(k) for k in dates)) + ".")
        if len(numbers) > 1:
            said.append("Số hiệu được ghi khác nhau: " + "; ".join(sorted(numbers)) + ".")
    for meta in cited_docs[:1]:
        own = date_key(meta.date)
        citation = header_citation(meta, corpus)
        if own is None or citation is None:
            continue
        citations.append(citation)
        verdict = ", khớp" if dates == {own} else ", không khớp với ngày các văn bản dẫn" if dates else ""
        said.append(f"Chính văn bản này ({doc_label(meta)}) ghi ngày {meta.date} [{len(citations)}]{verdict}.")
    return said


@dataclass(frozen=True)
class CitingAnswerer:
    """Answers "which documents cite X (and do they agree)" from the basis facts."""

    corpus: Corpus

    def answer(self, question: Question) -> Answer | None:
        """The answer, or ``None`` when the question is no such question."""
        reading = read_across(question.text)
        if reading is None or reading.kind != AcrossKind.CITING or reading.reference is None:
            return None
        return citing_answer(reading.reference, reading.doc_kind, self.corpus)
