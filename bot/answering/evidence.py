"""Evidence gates: is there real evidence for an answer, and which plans answer.

Input: the :class:`~bot.answering.question.Question` and its
:class:`~bot.answering.candidates.Candidates`. Output: :class:`Evidence` (one hit per answering
plan, the plans said to be silent), or ``None`` when the evidence is too weak to answer at all.
Thresholds are calibrated on the development set (see README, "Evaluation").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.candidates import Candidate, Candidates
from bot.answering.question import Question
from bot.models import DocumentMeta
from bot.query.rewriting import AnalysedQuery
from bot.retrieval.hybrid import Hit

MIN_COVERAGE = 0.45
SILENT_COVERAGE = 0.3  # below it in every passage, a plan is said not to mention the matter
MIN_DENSE_FOR_FOREIGN = 0.83
PER_LOCALITY_RATIO = 0.65
PER_LOCALITY_COVERAGE = 0.6
MIN_FACT_MATCH = 0.3
MAX_LOCALITIES = 5


@dataclass(frozen=True)
class Evidence:
    """The hits to answer from (one per plan, best first), the plans that are silent on the matter,
    and whether each plan's lines should be fewer (several plans the question did not name)."""

    chosen: tuple[Hit, ...]
    silent: tuple[DocumentMeta, ...]
    shorter: bool


def supported(question: AnalysedQuery, ranked: Sequence[Candidate]) -> bool:
    """Is there real evidence? Enough of the question's weighted terms must occur in a top hit."""
    if max(c.coverage for c in ranked[:3]) >= MIN_COVERAGE:
        return True
    # a fact of the asked kind ("kinh phí ... từ đâu" → a funding line) that matches the question
    top = ranked[0]
    if top.fact_match >= MIN_FACT_MATCH and top.coverage >= MIN_FACT_MATCH:
        return True
    # A question in English shares few terms with the plans: trust the multilingual embedding
    # only when it is clearly confident.
    return question.english and ranked[0].hit.dense >= MIN_DENSE_FOR_FOREIGN


def choose(
    ranked: Sequence[Candidate], *, named: frozenset[str] | None, admitted: frozenset[str] = frozenset()
) -> list[Hit]:
    """The hits to answer from, one per plan.

    Several plans named (a comparison): the best hit of each. One plan in scope: the best hit.
    None named: the best hit of every plan that ranks close to the overall best, because plans
    of different localities answer the same question differently. Documents in scope only because
    they say no place (``admitted``) answer a place's question only when one of them ranks above
    every document of that place: then the best of them, with the place's documents ranking close to it.
    """
    best_per_doc: dict[str, Candidate] = {}
    for candidate in ranked:
        best_per_doc.setdefault(candidate.hit.chunk.doc_id, candidate)
    if named is not None:
        best = [c for c in best_per_doc.values() if c.hit.chunk.doc_id in named]
        return [c.hit for c in _placed_first(best, admitted)]
    return answering(ranked)[:MAX_LOCALITIES]


def _placed_first(best: Sequence[Candidate], admitted: frozenset[str]) -> list[Candidate]:
    """``best`` (one candidate per document, best first) without the admitted documents that do not
    answer better than the documents of the place asked about."""
    placed = [c for c in best if c.hit.chunk.doc_id not in admitted]
    if not placed:
        return list(best)
    beating = [c for c in best if c.hit.chunk.doc_id in admitted and c.rank > placed[0].rank]
    if not beating:
        return placed
    top = beating[0]
    return [c for c in best if c is top or (c in placed and c.rank >= PER_LOCALITY_RATIO * top.rank)]


def answering(ranked: Sequence[Candidate]) -> list[Hit]:
    """The best hit of every plan that answers a question naming none, best first (uncapped)."""
    best_per_doc: dict[str, Candidate] = {}
    for candidate in ranked:
        best_per_doc.setdefault(candidate.hit.chunk.doc_id, candidate)
    top = ranked[0]
    # a plan answers too when its best passage ranks close to the best one, or when it states a
    # fact of the asked kind covering the question nearly as well (the rank's bonus can favour one plan)
    return [
        c.hit
        for c in best_per_doc.values()
        if c.rank >= PER_LOCALITY_RATIO * top.rank
        or (c.fact_match >= MIN_FACT_MATCH and c.coverage >= PER_LOCALITY_COVERAGE * top.coverage)
    ]


def silent(
    ranked: Sequence[Candidate],
    chosen: Sequence[Hit],
    scope: frozenset[str] | None,
    documents: Sequence[DocumentMeta],
) -> list[DocumentMeta]:
    """Plans that give no answer when several do: not chosen, and hardly any evidence of their own
    (a plan with some evidence is left unnamed rather than said to be silent)."""
    if scope is not None or len(chosen) < 2:
        return []
    answered = {hit.chunk.doc_id for hit in chosen}
    evidence = {c.hit.chunk.doc_id for c in ranked if c.coverage >= SILENT_COVERAGE}
    return [d for d in documents if d.doc_id not in answered | evidence]


def weigh(question: Question, candidates: Candidates, documents: Sequence[DocumentMeta]) -> Evidence | None:
    """The evidence to answer ``question`` from, ``None`` when it is too weak."""
    ranked, scope = candidates.ranked, question.scope
    if not supported(question.analysed, ranked):
        return None
    named = scope if scope is not None and len(scope) > 1 else None
    chosen = choose(ranked, named=named, admitted=question.admitted)
    # several plans the question did not name: fewer lines each, so the answer stays readable
    shorter = scope is None and len(chosen) > 1
    return Evidence(tuple(chosen), tuple(silent(ranked, chosen, scope, documents)), shorter)
