"""Search limited to the places a query names: each place's own best passages, without the words
naming the places, and no passage twice.

Once hundreds of plans are indexed, two things go wrong with a plain search of the plans of the
places named. The words naming a place are rare (one plan in hundreds holds them), so their weight
grows with the index until the passages that merely name the place (the header, the opening
line) outrank those about the matter asked; within the places' plans those words tell no passage
apart, so they are left out of the search (the scope already holds them). And when a query names
several places ("so sánh ... của phường Kinh Môn và tỉnh Sơn La"), the place with the more plans
(every plan of a province) fills every result: each place named gets its best passages in turn.
Copies of one template passage among one place's plans are shown once
(:func:`~bot.answering.alike.distinct_hits`); two places named each keep theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest

from bot.answering.alike import distinct_hits
from bot.retrieval.hybrid import Hit, Retriever
from bot.text.places import find_places

MAX_RETRIEVED = 1000
MIN_WORDS_LEFT = 2  # a query that is hardly more than its places is searched as typed


def without_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the character ``spans`` blanked out."""
    for start, end in sorted(spans, reverse=True):
        text = f"{text[:start]} {text[end:]}"
    return " ".join(text.split())


def place_scopes(retriever: Retriever, text: str, scope: set[str]) -> list[tuple[tuple[int, int], frozenset[str]]]:
    """The places ``text`` names that have plans within ``scope``: each mention's span and its plans
    (distinct sets, in the order named)."""
    known = [d.locality for d in retriever.snapshot.documents if d.locality]
    found: list[tuple[tuple[int, int], frozenset[str]]] = []
    for place in find_places(text, known=known):
        docs = frozenset(retriever.documents_for_locality(place.written) & scope)
        if docs and all(docs != other for _, other in found):
            found.append((place.span, docs))
    return found


def search_places(retriever: Retriever, text: str, k: int, scope: set[str]) -> list[Hit] | None:
    """The ``k`` best passages of the plans of the places ``text`` names, each place in turn, found
    without the words naming them; ``None`` when ``text`` names no place with plans in ``scope``
    (then the scope came from something else, a số hiệu: the caller searches as usual)."""
    places = place_scopes(retriever, text, scope)
    if not places:
        return None
    stripped = without_spans(text, [span for span, _ in places])
    query = stripped if len(stripped.split()) >= MIN_WORDS_LEFT else text
    # enough passages of each place's plans that its copies of one passage do not fill its turn
    per_place = [distinct_hits(retriever.search(query, k=wide(k, len(docs)), doc_ids=docs), k) for _, docs in places]
    return _in_turn(per_place, k)


def wide(k: int, plans: int) -> int:
    """How many passages to retrieve so that ``k`` distinct ones remain among ``plans`` plans that
    may be copies of each other: ``k`` of each plan, at most :data:`MAX_RETRIEVED`."""
    return min(k * max(plans, 1), MAX_RETRIEVED)


def _in_turn(rankings: Sequence[Sequence[Hit]], k: int) -> list[Hit]:
    """The first of each ranking, then the second of each..., each chunk once, at most ``k``. Two
    places' alike passages are both kept: a comparison needs each place's own line."""
    merged: dict[str, Hit] = {}
    for row in zip_longest(*rankings):
        for hit in row:
            if hit is not None:
                merged.setdefault(hit.chunk.chunk_id, hit)
    return list(merged.values())[:k]
