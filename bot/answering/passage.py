"""The passage answerer: an extractive answer from the plans' own lines, the engine's last answerer
(it answers every question that reaches it, ``not_found`` included).

Its steps, each a module with a typed output:

    candidates.gather  → Candidates   (retrieval, term weights, reranking)
    evidence.weigh     → Evidence     (is there evidence; which plans answer; which are silent)
    lines.best_span    → Excerpt      (the lines of each chosen passage, their verbatim quotes)
    checks.CHECKS      → Answer|None  (value asked stated? premise true?)
    render.compose     → Answer       (text, numbered citations, conflict notes)
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.answer import Answer
from bot.answering.breadth import ask_which_place, merged
from bot.answering.candidates import gather
from bot.answering.checks import CHECKS, Draft
from bot.answering.conflicts import conflict_notes
from bot.answering.corpus import Corpus
from bot.answering.evidence import weigh
from bot.answering.lines import Excerpt, best_span
from bot.answering.question import Question
from bot.answering.render import compose, not_found
from bot.retrieval.hybrid import Hit, Retriever


@dataclass(frozen=True)
class PassageAnswerer:
    """Answers from the best passages of the plans in scope; ``candidates``: how many to rank."""

    retriever: Retriever
    corpus: Corpus
    candidates: int = 40

    def answer(self, question: Question) -> Answer:
        """The extractive answer, or ``not_found`` when the evidence is weak or lacks the value asked."""
        candidates = gather(question, self.retriever, self.corpus, k=self.candidates)
        if candidates is None:
            return not_found(self.corpus.localities)
        evidence = weigh(question, candidates, self.corpus.documents)
        if evidence is None:
            return not_found(self.corpus.localities)
        intent = question.intent

        def excerpt_of(hit: Hit) -> Excerpt:
            return Excerpt(hit, best_span(hit.chunk, candidates.focused, intent, self.corpus, shorter=evidence.shorter))

        excerpts = tuple(excerpt_of(hit) for hit in evidence.chosen)
        draft = Draft(question, candidates, excerpts)
        for check in CHECKS:
            if (checked := check(draft, self.corpus)) is not None:
                return checked
        if (broad := ask_which_place(question, candidates.ranked, excerpt_of, self.corpus.placed)) is not None:
            return broad  # many plans answer a question naming no place: the best few, and which place?
        shown, remarks = merged(excerpts, self.corpus.placed)  # many plans named: alike ones together
        notes = conflict_notes(shown, intent.fact_kinds, self.corpus)
        return compose(shown, silent=evidence.silent, notes=notes, remarks=remarks)
