"""The contract between the answer engine and its parts: a read :class:`Question` in, an
``Answer`` or ``None`` out.

The engine (:mod:`bot.answering.engine`) reads the question once (:func:`bot.answering.scope.read_question`)
and hands it to an ordered list of :class:`Answerer` s; the first that returns an answer wins. A new
kind of question is a new answerer placed in that list, not a new branch inside another part: a
comparison across named plans, or a document asked for by its số hiệu, would each be an answerer
that recognises its question (from ``intent`` and ``scope``) and returns ``None`` for any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.answering.answer import Answer
from bot.query.intent import Intent
from bot.query.rewriting import AnalysedQuery
from bot.retrieval.document_scope import DocumentScope


@dataclass(frozen=True)
class Question:
    """A valid question as the parts need it.

    ``scope``: the doc_ids it is limited to (the locality given, else the documents it names by
    number, else the plans of the places it names), ``None`` for every plan; an empty scope means the
    locality given has no plan. ``analysed``: the question rewritten into the corpus' Vietnamese.
    ``intent``: what it asks for. ``documents``: the documents it names by number or kind, and those
    citing them. ``via_citing``: the scope is the documents citing the one named (it did not say).
    ``admitted``: the documents of the scope that are in it only because they say no place (a page
    pasted without its province may be of the province asked about); the others the place names.
    """

    text: str
    locality: str | None
    scope: frozenset[str] | None
    analysed: AnalysedQuery
    intent: Intent
    documents: DocumentScope = field(default_factory=DocumentScope)
    via_citing: bool = False
    admitted: frozenset[str] = frozenset()

    @property
    def reading(self) -> str:
        """The question as typed and as rewritten, together (what phrase patterns look at)."""
        return f"{self.text} {self.analysed.text}"

    @property
    def header_reading(self) -> str:
        """What the question asks of the header of the documents in scope: :attr:`reading` without
        the named document's own number and date ("Nghị định 86/2023/NĐ-CP ban hành ngày nào" asks
        a date, it does not state one); "" when the scope's header is not what it asks about (it
        refers to another document, or the scope is the documents citing the one named)."""
        return "" if self.via_citing else self.documents.header_text(self.reading)

    @property
    def wording(self) -> str:
        """The rewritten question without the words naming the document in scope (they tell its
        passages apart no more than its title does): what its terms are weighed from."""
        return self.documents.without_named(self.analysed.text)


class Answerer(Protocol):
    """One part of the engine that answers some kind of question."""

    def answer(self, question: Question) -> Answer | None:
        """The answer to ``question``, or ``None`` when it is not this part's kind of question."""
        ...
