"""Scope: reading a question (validation, the plans it is limited to, its intent), and the first
answerer, which refuses questions about places no plan covers.

Input: the question as typed and an optional locality filter. Output: a
:class:`~bot.answering.question.Question`; ``QueryError`` when the question is unusable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.answer import Answer
from bot.answering.corpus import Corpus
from bot.answering.question import Question
from bot.answering.render import not_found
from bot.errors import QueryError
from bot.query.intent import detect_intent
from bot.query.rewriting import AnalysedQuery
from bot.retrieval.document_scope import DocumentResolver, DocumentScope
from bot.retrieval.hybrid import Retriever, has_diacritics
from bot.text.normalize import fold, lone_surrogate, tokens
from bot.text.places import PlaceMention, find_places


def validate(question: str, max_chars: int) -> str:
    """The stripped question; ``QueryError`` when it is empty, longer than ``max_chars`` or holds a
    lone surrogate (which no later step could encode)."""
    text = question.strip()
    if (at := lone_surrogate(text)) is not None:
        raise QueryError(f"Câu hỏi chứa ký tự không hợp lệ (một nửa cặp UTF-16) ở vị trí {at + 1}: hãy gõ lại câu hỏi.")
    if not text:
        raise QueryError("Câu hỏi trống: hãy nhập nội dung cần hỏi.")
    if len(text) > max_chars:
        raise QueryError(f"Câu hỏi quá dài ({len(text)} ký tự); tối đa {max_chars} ký tự.")
    return text


def validate_locality(locality: str | None) -> str | None:
    """``locality`` unchanged; ``QueryError`` when it holds a lone surrogate (no place is written so)."""
    if locality and lone_surrogate(locality) is not None:
        raise QueryError("Tên địa bàn chứa ký tự không hợp lệ (một nửa cặp UTF-16): hãy gõ lại tên địa bàn.")
    return locality


def resolve_scope(
    retriever: Retriever, question: str, locality: str | None, documents: DocumentScope
) -> set[str] | None:
    """doc_ids the question is limited to: the locality given; else the documents it names by
    number (or, for a document the index holds only through others, those citing it:
    ``documents``, see :class:`~bot.retrieval.document_scope.DocumentScope`); else the plans of the
    places it names; else all (``None``). Empty only when a locality is given that no plan has."""
    if locality and locality.strip():
        return retriever.documents_for_locality(locality)
    if documents.doc_ids is not None:  # "Nghị định 86/2023/NĐ-CP": that decree, whatever place it says
        return set(documents.doc_ids)
    named = retriever.documents_for_locality(question)
    return named or None


def read_question(retriever: Retriever, text: str, locality: str | None, *, names: DocumentResolver) -> Question:
    """``text`` (already validated) read for the answerers; ``names`` resolves the documents it names."""
    documents = names.resolve(text)
    scope = resolve_scope(retriever, text, locality, documents)
    analysed = retriever.analyse(text)
    admitted: frozenset[str] = frozenset()
    if scope and documents.doc_ids is None:  # a place's documents, with those saying no place
        place = locality if locality and locality.strip() else text
        admitted = frozenset(scope - retriever.documents_for_locality(place, unplaced=False))
    return Question(
        text=text,
        locality=locality,
        scope=frozenset(scope) if scope is not None else None,
        analysed=analysed,
        # the document named is what it asks about, not a basis it cites ("Quyết định 2295 phê duyệt gì")
        intent=detect_intent(documents.without_named(f"{text} {analysed.text}")),
        documents=documents,
        admitted=admitted,
    )


def _mentions(question: str, analysed: AnalysedQuery, corpus: Corpus) -> tuple[PlaceMention, ...]:
    """The places the question names; for one typed without diacritics, also those of its restored
    reading when that has the same words (a folded unit word alone names nothing unknown)."""
    found = find_places(question, known=corpus.localities)
    if found or has_diacritics(question) or len(tokens(analysed.text)) != len(tokens(question)):
        return found
    return find_places(analysed.text, known=corpus.localities)


def unknown_place(question: str, analysed: AnalysedQuery, corpus: Corpus) -> str | None:
    """A place named in the question ("huyện Hoành Bồ") that no indexed plan is of: its name is no
    plan's locality nor province (:attr:`Corpus.place_keys`), and no plan's text names it with its
    unit word. The place is read by :func:`bot.text.places.find_places`, so its name ends where the
    gazetteer's does ("huyện Hoành Bồ mang số hiệu gì" names huyện Hoành Bồ), and is shown as the
    gazetteer spells it."""
    for mention in _mentions(question, analysed, corpus):
        if mention.key in corpus.place_keys:
            continue
        if f" {' '.join(re.findall(r'[a-z0-9]+', fold(mention.canonical)))} " in corpus.folded_text:
            continue  # a plan speaks of it (a commune of its district): it may answer
        return mention.canonical
    return None


@dataclass(frozen=True)
class ScopeGuard:
    """Answers ``not_found`` for a locality filter no plan has, a document number the index neither
    holds nor cites, or a place the question names that no plan is of; ``None`` for any other question."""

    corpus: Corpus

    def answer(self, question: Question) -> Answer | None:
        """The refusal, or ``None`` when the question's scope has plans."""
        if question.scope is not None and not question.scope:
            reason = f"Chưa có kế hoạch nào của địa bàn “{question.locality}” trong dữ liệu."
            return not_found(self.corpus.localities, reason)
        if question.scope is None and (missing := question.documents.missing):
            return not_found(self.corpus.localities, missing)  # "Không có văn bản ... trong dữ liệu."
        if question.scope is None and (place := unknown_place(question.text, question.analysed, self.corpus)):
            return not_found(self.corpus.localities, f"Chưa có kế hoạch nào của {place} trong dữ liệu.")
        return None
