"""Use case: answer a question from the plans, extractively, with citations.

No generative model is available offline, so an answer is made of the documents' own lines: the
lines of the best sections that share the most (IDF-weighted) terms with the question, each cited
with plan, locality, section path and the quoted line. When the evidence is weak, or the question
asks for a quantity the evidence does not state, or names a place no plan covers, the answer is
``not_found`` with a sentence saying so: a number or a name is never invented.

This module only wires the parts. A question is read once (:mod:`~bot.answering.scope`: validation,
the plans in scope, the intent) into a :class:`~bot.answering.question.Question`, then offered to an
ordered list of answerers, each returning an answer or ``None``:

1. :class:`~bot.answering.scope.ScopeGuard`: a locality, a document number or a place no plan
   covers → ``not_found``;
2. across documents (:mod:`bot.query.across` reads the question): :class:`~bot.answering.citing.CitingAnswerer`
   (which documents cite X, do they agree), :class:`~bot.answering.catalogue.CatalogueAnswerer`
   (newest, oldest, documents of a place), :class:`~bot.answering.targets.TargetsAnswerer` (a target
   compared between named places, how many plans set a target);
3. :class:`~bot.answering.documents.NamedDocumentAnswerer`, which asks the parts below and, when a
   document the question names by number does not say it, asks them again of the documents citing it:

   a. :class:`~bot.answering.header.HeaderAnswerer`: số hiệu, date, issuer, title, from the metadata;
   b. :class:`~bot.answering.passage.PassageAnswerer`: the extractive pipeline (candidates → evidence
      → line choice → checks → rendering), which answers whatever reaches it (many plans answering a
      question naming no place: :mod:`bot.answering.breadth`, the best few and which place?).

The documents a question names by number ("Nghị định 86/2023/NĐ-CP", "QĐ 2295") are resolved once
per question (:class:`~bot.retrieval.document_scope.DocumentResolver`, built once per snapshot in
:class:`~bot.answering.corpus.Corpus`) and are its scope before any place it names.

A new kind of question (a comparison across plans, a document asked for by its number) is a new
answerer inserted in :meth:`AnswerService.answerers`, never a branch inside an existing part.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from bot.answering.alike import distinct_hits
from bot.answering.answer import (
    NOT_FOUND_SENTENCE,
    STATUS_ANSWERED,
    STATUS_NOT_FOUND,
    Answer,
    AnswerStatus,
    Citation,
    doc_label,
    pages_label,
)
from bot.answering.catalogue import CatalogueAnswerer
from bot.answering.citing import CitingAnswerer
from bot.answering.corpus import Corpus
from bot.answering.documents import NamedDocumentAnswerer
from bot.answering.facts import LocatedFact, find_facts
from bot.answering.header import HeaderAnswerer
from bot.answering.passage import PassageAnswerer
from bot.answering.question import Answerer
from bot.answering.render import not_found
from bot.answering.scope import ScopeGuard, read_question, resolve_scope, validate, validate_locality
from bot.answering.searching import search_places, wide
from bot.answering.targets import TargetsAnswerer
from bot.models import FACT_RESPONSIBILITY, FACT_TARGET
from bot.query.terms import QueryTerms
from bot.retrieval.hybrid import Hit, Retriever

__all__ = [
    "NOT_FOUND_SENTENCE",
    "STATUS_ANSWERED",
    "STATUS_NOT_FOUND",
    "Answer",
    "AnswerService",
    "AnswerStatus",
    "Citation",
    "LocatedFact",
    "doc_label",
    "pages_label",
]


class AnswerService:
    """Answers questions and searches on one retriever (one snapshot)."""

    def __init__(self, retriever: Retriever, *, candidates: int = 40, max_question_chars: int = 2000) -> None:
        self.retriever = retriever
        self.candidates = candidates
        self.max_question_chars = max_question_chars
        self.corpus = Corpus(retriever.snapshot)

    @cached_property
    def answerers(self) -> Sequence[Answerer]:
        """The parts that answer, in the order they are asked (the first answer wins)."""
        return (
            ScopeGuard(self.corpus),
            CitingAnswerer(self.corpus),
            CatalogueAnswerer(self.corpus),
            TargetsAnswerer(self.corpus),
            NamedDocumentAnswerer(
                (
                    HeaderAnswerer(self.corpus, self.retriever),
                    PassageAnswerer(self.retriever, self.corpus, self.candidates),
                )
            ),
        )

    def warm_up(self) -> None:
        """Build the per-snapshot caches and run one query, so the first real request is fast."""
        self.corpus.warm_up()
        _ = self.retriever.rewriter
        self.ask("ai chủ trì thực hiện kế hoạch")

    # --- questions -------------------------------------------------------------------------------

    def validate(self, question: str) -> str:
        """The stripped question; ``QueryError`` when it is empty, too long or not encodable text."""
        return validate(question, self.max_question_chars)

    def scope(self, question: str, locality: str | None) -> set[str] | None:
        """doc_ids the question is limited to: the locality given, else the documents it names by
        number, else the plans of the places it names, else all (``None``)."""
        return resolve_scope(self.retriever, question, locality, self.corpus.documents_named.resolve(question))

    def ask(self, question: str, locality: str | None = None) -> Answer:
        """Answer ``question`` from the plans (``locality`` optionally restricts the plans)."""
        text, locality = self.validate(question), validate_locality(locality)
        read = read_question(self.retriever, text, locality, names=self.corpus.documents_named)
        for answerer in self.answerers:
            if (answer := answerer.answer(read)) is not None:
                return answer
        return not_found(self.corpus.localities)  # not reached: the passage answerer always answers

    def search(self, query: str, k: int = 5, locality: str | None = None) -> list[Hit]:
        """Hybrid search, limited to ``locality`` when given, else to the documents the query names by
        number (else the plans of the places it names), best first.

        A query naming places is searched per place, without the words naming them
        (:mod:`bot.answering.searching`); a passage copied in several plans is shown once.
        A query naming a document is about that document, which the index may hold only as an
        excerpt, explained whole by the documents citing it: the named document's best passages take
        the first half of the ``k`` places, the best of its own and the citing documents' the rest."""
        text, locality = self.validate(query), validate_locality(locality)
        scope = self.scope(text, locality)
        if scope is None:
            plans = len(self.corpus.documents)
            return distinct_hits(self.retriever.search(text, k=wide(k, plans)), k)
        if locality and locality.strip():
            return self.retriever.search(text, k=k, doc_ids=scope)
        named = self.corpus.documents_named.resolve(text)
        if named.doc_ids is None and (placed := search_places(self.retriever, text, k, scope)) is not None:
            return placed
        hits = self.retriever.search(text, k=k, doc_ids=scope)
        citing = named.cited_elsewhere - scope
        if not citing:
            return hits
        own = hits[: (k + 1) // 2]
        taken = {h.chunk.chunk_id for h in own}
        wider = self.retriever.search(text, k=k, doc_ids=scope | citing)
        return own + [h for h in wider if h.chunk.chunk_id not in taken][: k - len(own)]

    def query_terms(
        self,
        question: str,
        *,
        within: set[str] | None = None,
        framing: frozenset[str] = frozenset(),
        english: bool = False,
    ) -> QueryTerms:
        """IDF-weighted content terms of ``question`` (see :meth:`Corpus.query_terms`)."""
        return self.corpus.query_terms(question, within=within, framing=framing, english=english)

    # --- facts -----------------------------------------------------------------------------------

    def facts(self, kind: str, *, subject: str | None = None, locality: str | None = None) -> list[LocatedFact]:
        """Facts of ``kind`` in document order, limited to plans of ``locality`` and to subjects
        containing ``subject`` (compared folded, so "phong van hoa" finds "Phòng Văn hóa - Xã hội")."""
        scope = self.retriever.documents_for_locality(locality) if locality and locality.strip() else None
        return find_facts(self.corpus, kind, subject=subject, scope=scope)

    def responsibilities(self, unit: str | None = None, locality: str | None = None) -> list[LocatedFact]:
        """What units must do (role chủ trì / phối hợp / tham mưu / thực hiện), optionally of one unit."""
        return self.facts(FACT_RESPONSIBILITY, subject=unit, locality=locality)

    def targets(self, locality: str | None = None) -> list[LocatedFact]:
        """The plans' targets (chỉ tiêu), optionally of one locality."""
        return self.facts(FACT_TARGET, locality=locality)
