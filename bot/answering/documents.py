"""A question naming a document by its number, answered from the documents citing it when that
document does not say it.

"Nghị định 86/2023/NĐ-CP quy định hồ sơ gồm những gì?" is scoped to the decree (see
:func:`bot.answering.scope.resolve_scope`). The index may hold the decree only as an excerpt, while
its guides and the plans applying it (the documents that cite it, ``DocumentScope.cited_elsewhere``)
state what it asks: when the parts it wraps answer ``not_found`` from the named document, the same
question is asked again of those citing documents, as a :class:`~bot.answering.question.Question`
marked ``via_citing`` (their headers are not the named document's, so no header answer comes from
them). The first ``not_found`` stands when they do not say it either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answering.answer import STATUS_NOT_FOUND, Answer
from bot.answering.question import Answerer, Question


def _first(parts: Sequence[Answerer], question: Question) -> Answer | None:
    """The first answer of ``parts`` to ``question`` (``None`` when none answers)."""
    for part in parts:
        if (answer := part.answer(question)) is not None:
            return answer
    return None


@dataclass(frozen=True)
class NamedDocumentAnswerer:
    """Asks ``parts`` in order; a ``not_found`` about a named document is asked again of the
    documents citing it (an explicit locality filter keeps the first answer: it was asked for)."""

    parts: Sequence[Answerer]

    def answer(self, question: Question) -> Answer | None:
        """The parts' answer, or the citing documents' when the named one does not say it."""
        answer = _first(self.parts, question)
        citing = question.documents.cited_elsewhere
        if answer is None or answer.status != STATUS_NOT_FOUND or question.locality or question.via_citing:
            return answer
        if not citing:
            return answer
        again = _first(self.parts, replace(question, scope=frozenset(citing), via_citing=True))
        return again if again is not None and again.status != STATUS_NOT_FOUND else answer
