"""Which documents answer a question naming a place, when the scope also holds documents that say
no place (pasted without their province, they may be of the place asked about)."""

from __future__ import annotations

from bot.answering.candidates import Candidate
from bot.answering.evidence import choose
from bot.models import Chunk, DocumentMeta
from bot.retrieval.hybrid import Hit


def _candidate(doc_id: str, score: float) -> Candidate:
    chunk = Chunk(chunk_id=f"{doc_id}-1", doc_id=doc_id, section_path=(), text="...", context="")
    meta = DocumentMeta(doc_id=doc_id, source=f"{doc_id}.txt", title="Kế hoạch")
    return Candidate(Hit(chunk, meta, score, score, score), coverage=score)


def _docs(hits: list[Hit]) -> list[str]:
    return [h.chunk.doc_id for h in hits]


PLACE = frozenset({"danang", "central", "notice"})
ADMITTED = frozenset({"central", "notice"})


def test_the_places_own_document_answers_when_it_ranks_first() -> None:
    ranked = [_candidate("danang", 0.9), _candidate("central", 0.8), _candidate("notice", 0.7)]
    assert _docs(choose(ranked, named=PLACE, admitted=ADMITTED)) == ["danang"]
    # without documents admitted, every document in scope is named: the best of each (a comparison)
    assert _docs(choose(ranked, named=PLACE)) == ["danang", "central", "notice"]


def test_a_placeless_document_ranking_first_answers_with_the_place_documents_close_to_it() -> None:
    ranked = [_candidate("notice", 0.9), _candidate("danang", 0.8), _candidate("central", 0.7)]
    assert _docs(choose(ranked, named=PLACE, admitted=ADMITTED)) == ["notice", "danang"]
    far = [_candidate("notice", 0.9), _candidate("central", 0.7), _candidate("danang", 0.3)]
    assert _docs(choose(far, named=PLACE, admitted=ADMITTED)) == ["notice"]
