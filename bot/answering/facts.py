"""Fact look-ups: the facts extracted at index time (responsibilities, targets...), with their plan.

Not an answerer: these serve the structured endpoints (``/responsibilities``, ``/targets``) and
Telegram commands, which list facts rather than answer a question.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.answering.comparable import unit_words
from bot.answering.corpus import Corpus
from bot.models import DocumentMeta, Fact
from bot.text.spans import verbatim_quote


@dataclass(frozen=True)
class LocatedFact:
    """A fact with the plan it comes from."""

    fact: Fact
    document: DocumentMeta


def find_facts(corpus: Corpus, kind: str, *, subject: str | None, scope: set[str] | None) -> list[LocatedFact]:
    """Facts of ``kind`` in document order, limited to plans ``scope`` (doc_ids; ``None``: all) and to
    subjects containing ``subject`` (compared folded, so "phong van hoa" finds "Phòng Văn hóa - Xã hội").
    Each quote is the plan's verbatim text."""
    wanted = unit_words(subject) if subject and subject.strip() else ""
    documents = {d.doc_id: d for d in corpus.documents}
    found: list[LocatedFact] = []
    for fact in corpus.snapshot.facts:
        if fact.kind != kind or (scope is not None and fact.doc_id not in scope):
            continue
        if wanted and f" {wanted} " not in f" {unit_words(fact.subject)} ":
            continue
        source = corpus.chunk_sources.get(fact.chunk_id, "")
        located = replace(fact, quote=verbatim_quote(fact.quote, source)) if source else fact
        found.append(LocatedFact(located, documents[fact.doc_id]))
    return found
