"""The contract between the answer engine and its parts: a read :class:`Question` in, an
``Answer`` or ``None`` out.

The engine (:mod:`bot.answering.engine`) reads the question once (:func:`bot.answering.scope.read_question`)
and hands it to an ordered list of :class:`Answerer` s; the first that returns an answer wins. A new
kind of question is a new answerer placed in that list, not a new branch inside another part: a
comparison across named plans, or a document asked for by its số hiệu, would each be an answerer
that recognises its question (from ``intent`` and ``scope``) and returns ``None`` for any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.answering.answer import Answer
from bot.query.intent import Intent
from bot.query.rewriting import AnalysedQuery


@dataclass(frozen=True)
class Question:
    """A valid question as the parts need it.

    ``scope``: the doc_ids it is limited to (the locality given, else the plans it names), ``None``
    for every plan; an empty scope means the locality given has no plan. ``analysed``: the question
    rewritten into the corpus' Vietnamese. ``intent``: what it asks for.
    """

    text: str
    locality: str | None
    scope: frozenset[str] | None
    analysed: AnalysedQuery
    intent: Intent

    @property
    def reading(self) -> str:
        """The question as typed and as rewritten, together (what phrase patterns look at)."""
        return f"{self.text} {self.analysed.text}"


class Answerer(Protocol):
    """One part of the engine that answers some kind of question."""

    def answer(self, question: Question) -> Answer | None:
        """The answer to ``question``, or ``None`` when it is not this part's kind of question."""
        ...
