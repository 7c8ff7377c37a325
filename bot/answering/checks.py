"""Checks on a drafted passage answer: does the evidence state the value asked for, and is a
premise the question states true?

Input: a :class:`Draft` (the question, its candidates, the excerpts chosen). Output: an answer
replacing the draft (``not_found`` when the value asked is stated nowhere, a verdict on the
premise), or ``None`` to let the draft through. :data:`CHECKS` runs in order; the first answer wins.
A new check is a new function appended there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.answering.answer import STATUS_ANSWERED, Answer
from bot.answering.candidates import Candidates
from bot.answering.comparable import same_value
from bot.answering.corpus import Corpus
from bot.answering.lines import Excerpt, Span
from bot.answering.question import Question
from bot.answering.render import compose, not_found, value_missing
from bot.ingest.patterns import is_person_name
from bot.models import COL_NUMBER, FACT_TARGET, Chunk
from bot.query.intent import COUNT, DATE, MONEY, PERSON, PLACE, ValueKind
from bot.retrieval.hybrid import Hit
from bot.text.normalize import unify_tone_marks

# What is not a quantity: dates, years, document numbers, list numbering.
_NOT_QUANTITY = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}|\b(?:19|20)\d\d\b|\d+[/-][\w/\-.]*[A-ZĐ][\w/\-Đ]*|^\s*[\d.]+[.)]?\s|\b\d+[.)]\s"
)
# A value of each kind an intent may require (see ``bot.query.intent``), matched on the lower-cased line.
_VALUE_FORMS = {
    MONEY: re.compile(r"\d[\d.,]*\s*(?:đồng|đ\b|vnđ|vnd|nghìn|ngàn|triệu|tỷ)"),
    COUNT: re.compile(r"(?<![\d/])\d+(?:[.,]\d+)?(?!\s*%|[\d/])"),
    DATE: re.compile(
        r"\b\d{1,2}/\d{1,4}\b|\bngày\s+\d|\btháng\s+\d|\bquý\s+[ivx\d]|hằng (?:tháng|quý)|hàng (?:tháng|quý)"
    ),
    PLACE: re.compile(r"hội trường|địa điểm|trụ sở|nhà văn hóa|sân vận động|\btại (?:trung tâm|ubnd|ủy ban|sân)"),
}
# "ông/bà/đồng chí" and a capitalised name: a person named inside a sentence.
_NAMED_PERSON = re.compile(
    r"\b(?:[Ôô]ng|[Bb]à|[Đđ]ồng chí|[Đđ]/c)\s+(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\s+){1,3}[A-ZĐÀ-Ỹ][a-zà-ỹđ]*"
)
PREMISE_CANDIDATES = 10


@dataclass(frozen=True)
class Draft:
    """A passage answer before the checks: the question, its candidates, the excerpts to show."""

    question: Question
    candidates: Candidates
    excerpts: tuple[Excerpt, ...]


def _texts(chunk: Chunk, span: Span) -> list[str]:
    """What a value may stand in: a table row's cells but its number, else the span's lines."""
    if chunk.row is not None:
        return [value for name, value in chunk.row.cells if name != COL_NUMBER]
    return list(span.lines)


def states_quantity(chunk: Chunk, span: Span) -> bool:
    """Does the span state a number that is a quantity (not a date, year, document number or list number)?"""
    return any(re.search(r"\d", _NOT_QUANTITY.sub(" ", text)) for text in _texts(chunk, span))


def states_value(chunk: Chunk, span: Span, kind: ValueKind) -> bool:
    """Does the span state a value of ``kind`` (an amount of money, a count, a day or month, a venue,
    a person's name)?

    Counts ignore dates, years, document numbers and list numbering, like :func:`states_quantity`.
    """
    texts = _texts(chunk, span)
    if kind == PERSON:
        return any(is_person_name(text) or _NAMED_PERSON.search(text) for text in texts)
    form = _VALUE_FORMS[kind]
    for text in texts:
        line = unify_tone_marks(text).lower()
        if kind == COUNT:
            line = _NOT_QUANTITY.sub(" ", line)
        if form.search(line):
            return True
    return False


def value_stated(draft: Draft, corpus: Corpus) -> Answer | None:
    """A question asking for a value (an amount, a date, a venue, a name) that no excerpt states:
    ``not_found`` with the closest line."""
    kind = draft.question.intent.value
    if kind and not any(states_value(e.hit.chunk, e.span, kind) for e in draft.excerpts):
        return value_missing(kind, draft.excerpts[0])
    return None


def quantity_stated(draft: Draft, corpus: Corpus) -> Answer | None:
    """A question asking "how many" that no excerpt answers with a number: ``not_found``."""
    if draft.question.intent.wants_quantity and not any(states_quantity(e.hit.chunk, e.span) for e in draft.excerpts):
        return not_found(corpus.localities)
    return None


def premise(draft: Draft, corpus: Corpus) -> Answer | None:
    """Answer a yes/no question that states a target figure ("60% có đúng không?"): the target
    it is about is the best-matching target fact; a different figure is corrected, and the target
    the stated figure belongs to, if any, is named too. ``None`` when no candidate states a target."""
    intent = draft.question.intent
    if not (intent.yes_no and intent.figures):
        return None
    terms = draft.candidates.terms
    pairs = [
        (c.hit, fact)
        for c in draft.candidates.ranked[:PREMISE_CANDIDATES]
        for fact in corpus.facts_by_chunk.get(c.hit.chunk.chunk_id, [])
        if fact.kind == FACT_TARGET
    ]
    if not pairs:
        return None
    about_hit, about = max(pairs, key=lambda pair: terms.overlap(corpus.terms_of(pair[1].quote)))
    stated = {same_value(figure) for figure in intent.figures}
    excerpts: list[Excerpt] = [_quoted(about_hit, about.quote)]
    if same_value(about.value) in stated:
        verdict = f"Đúng, chỉ tiêu là {about.value}."
    else:
        verdict = f"Không, chỉ tiêu là {about.value}, không phải {', '.join(intent.figures)}."
        for hit, fact in pairs:
            if same_value(fact.value) in stated and fact.quote != about.quote:
                verdict += f" Còn {fact.value} là chỉ tiêu khác (xem [2])."
                excerpts.append(_quoted(hit, fact.quote))
                break
    if len(excerpts) == 1:
        composed = compose(excerpts)
        return Answer(STATUS_ANSWERED, f"{verdict}\n{composed.answer}", composed.citations)
    return compose(excerpts, intro=verdict)


def _quoted(hit: Hit, quote: str) -> Excerpt:
    return Excerpt(hit, Span((quote,), (quote,)))


Check = Callable[[Draft, Corpus], Answer | None]
CHECKS: tuple[Check, ...] = (value_stated, quantity_stated, premise)
