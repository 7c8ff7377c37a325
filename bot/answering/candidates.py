"""Candidates: the passages retrieved for a question, reranked by retrieval score and term coverage.

Input: a :class:`~bot.answering.question.Question`. Output: :class:`Candidates` (the question's
weighted terms and the hits in rank order), or ``None`` when nothing was retrieved or the question
has no content term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.corpus import Corpus
from bot.answering.question import Question
from bot.models import KIND_HEADER, KIND_PREAMBLE, KIND_RECIPIENTS, KIND_SIGNATURE
from bot.query.intent import BASIS, HEADER, RECIPIENTS, SIGNER, Intent, IntentKind
from bot.query.rewriting import english_terms
from bot.query.terms import QueryTerms
from bot.retrieval.hybrid import Hit, Retriever

# Rank bonus of a chunk of the kind the intent asks for (recipients, signature), or holding a fact
# of the intent's kind.
KIND_BONUS = 0.25
FACT_BONUS = 0.05
FACT_MATCH_WEIGHT = 0.3
INTENT_CHUNK_KINDS: dict[IntentKind, str] = {
    RECIPIENTS: KIND_RECIPIENTS,
    SIGNER: KIND_SIGNATURE,
    HEADER: KIND_HEADER,
    BASIS: KIND_PREAMBLE,
}
PER_PLAN_CANDIDATES = 3
MIN_ENGLISH_TERMS = 2


@dataclass(frozen=True)
class Candidate:
    """A retrieved hit with the share of the question's weighted terms it contains."""

    hit: Hit
    coverage: float
    bonus: float = 0.0
    fact_match: float = 0.0  # coverage of the question by the best fact of the asked kind in the chunk
    focus: float | None = None  # coverage weighed within the plans in scope (None: same as coverage)

    @property
    def rank(self) -> float:
        """Retrieval score and term coverage, equally weighted (both must agree for a top answer),
        plus the intent bonus. Coverage here is weighed within the plans in scope, where the words
        naming the plan (its title, its place) no longer tell its passages apart."""
        focus = self.coverage if self.focus is None else self.focus
        return 0.5 * self.hit.score + 0.5 * focus + self.bonus


@dataclass(frozen=True)
class Candidates:
    """The question's terms and the candidates, best first.

    ``terms`` are weighed over every plan; ``focused`` within the plans in scope (``terms`` itself,
    the same object, when the question names none)."""

    terms: QueryTerms
    focused: QueryTerms
    ranked: tuple[Candidate, ...]


def rerank(
    hits: Sequence[Hit], terms: QueryTerms, intent: Intent, corpus: Corpus, *, focused: QueryTerms | None = None
) -> list[Candidate]:
    """Hits reordered by retrieval score and term coverage together (see :class:`Candidate`),
    plus a bonus for chunks of the kind the intent asks for or holding facts of its kind.
    ``focused``: the question's terms weighed within the plans in scope, for the ranking."""
    focused = focused or terms
    wanted_kind = INTENT_CHUNK_KINDS.get(intent.kind)
    candidates = []
    for hit in hits:
        bonus = KIND_BONUS if hit.chunk.kind == wanted_kind else 0.0
        # a chunk holding a fact of the asked kind that matches the question is the answer's home
        quotes = corpus.quotes_of(hit.chunk.chunk_id, intent.fact_kinds)
        best_fact = max((focused.overlap(corpus.terms_of(q)) for q in quotes), default=0.0) / focused.total
        if quotes:
            bonus += FACT_BONUS + FACT_MATCH_WEIGHT * best_fact
        chunk_terms = corpus.chunk_terms[hit.chunk.chunk_id]
        coverage = terms.overlap(chunk_terms) / terms.total
        focus = focused.overlap(chunk_terms) / focused.total if focused is not terms else None
        candidates.append(Candidate(hit, coverage, bonus, best_fact, focus))
    return sorted(candidates, key=lambda c: c.rank, reverse=True)


def gather(question: Question, retriever: Retriever, corpus: Corpus, *, k: int) -> Candidates | None:
    """The ``k`` best passages for ``question`` in its scope, with every plan's best few too (a
    question naming no plan may be answered by each), reranked; ``None`` when there is no evidence
    to rank."""
    analysed, intent, scope = question.analysed, question.intent, question.scope
    hits = retriever.search(analysed, k=k, doc_ids=scope, per_document=PER_PLAN_CANDIDATES)
    # English words the plans never use are left out only when the question's key terms were
    # understood (the term map found some): "Who won the 2022 FIFA World Cup?" keeps them all
    english = analysed.english and len(english_terms(question.text)) >= MIN_ENGLISH_TERMS
    wording = question.wording  # not the words naming the document in scope
    terms = corpus.query_terms(wording, framing=intent.framing, english=english)
    if not hits or terms.total <= 0:
        return None
    focused = corpus.query_terms(wording, within=scope, framing=intent.framing, english=english) if scope else terms
    return Candidates(terms, focused, tuple(rerank(hits, terms, intent, corpus, focused=focused)))
