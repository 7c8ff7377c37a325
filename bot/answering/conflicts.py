"""Conflict notes: facts of the asked kinds that the quoted lines of different plans state
differently ("Quyết định số 2214/QĐ-TTg" dated 28/02/2021 in one plan and 28/12/2021 in another).

Input: the excerpts an answer shows and the fact kinds asked. Output: notes closing the answer. A
disagreement is never resolved silently: both values are shown with the plans that state them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.comparable import same_value, unit_words
from bot.answering.corpus import Corpus
from bot.answering.lines import Excerpt

MAX_SUBJECT_CHARS = 120


def conflict_notes(excerpts: Sequence[Excerpt], kinds: Sequence[str], corpus: Corpus) -> list[str]:
    """One note per fact subject of ``kinds`` stated with different values in the shown lines."""
    values: dict[str, dict[str, list[str]]] = {}
    names: dict[str, str] = {}
    written: dict[tuple[str, str], str] = {}
    for excerpt in excerpts:
        hit, span = excerpt.hit, excerpt.span
        shown = " ".join(span.lines)
        for fact in corpus.facts_by_chunk.get(hit.chunk.chunk_id, []):
            if fact.kind not in kinds or not fact.value or fact.quote not in hit.chunk.text:
                continue
            if not any(line in fact.quote or fact.quote in line for line in span.lines) and fact.quote not in shown:
                continue
            key = unit_words(fact.subject)
            names.setdefault(key, fact.subject)
            spelled = written.setdefault((key, same_value(fact.value)), fact.value)  # document's own spelling
            places = values.setdefault(key, {}).setdefault(spelled, [])
            places.append(hit.document.locality or hit.document.title)
    notes = []
    for key, by_value in values.items():
        if len(by_value) > 1 and len(names[key]) <= MAX_SUBJECT_CHARS:
            stated = "; ".join(f"{value} ({', '.join(dict.fromkeys(places))})" for value, places in by_value.items())
            notes.append(f"Lưu ý: các văn bản ghi khác nhau về {names[key]}: {stated}.")
    return notes
