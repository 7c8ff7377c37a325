"""Hybrid retrieval over a snapshot: BM25 fields fused with dense (FAISS) similarity.

Queries are normalised exactly like documents (``bot.text``); abbreviations are expanded before
lexical matching. A question typed without diacritics leans on the folded BM25 field because the
embedding model understands unaccented Vietnamese poorly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bot.embedding.protocol import Embedder
from bot.models import Chunk, DocumentMeta
from bot.query.rewriting import AnalysedQuery, QueryRewriter
from bot.snapshot.store import Snapshot
from bot.text.normalize import expand_abbreviations, fold, match_form
from bot.text.places import PROVINCE_LEVELS, bare_name, find_places, successor


@dataclass(frozen=True)
class Weights:
    """Fusion weights of the three signals; they sum to 1."""

    dense: float
    words: float
    folded: float


# Measured on the development set: BM25 is stronger than e5-small on these plans, and e5 collapses
# on unaccented queries, so the folded field carries those.
WITH_DIACRITICS = Weights(dense=0.40, words=0.35, folded=0.25)
WITHOUT_DIACRITICS = Weights(dense=0.10, words=0.10, folded=0.80)
# Diacritics restored from the corpus: usually right, so the accented fields count, but less.
RESTORED = Weights(dense=0.30, words=0.30, folded=0.40)
# English: the multilingual embedding carries the meaning; BM25 sees the term map's Vietnamese.
ENGLISH = Weights(dense=0.50, words=0.25, folded=0.25)


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with its scores (each in [0, 1] after per-query scaling)."""

    chunk: Chunk
    document: DocumentMeta
    score: float
    dense: float
    lexical: float


def has_diacritics(text: str) -> bool:
    """True when ``text`` carries any Vietnamese diacritic (or đ)."""
    return fold(text) != match_form(text)


def locality_key(locality: str) -> str:
    """The bare place name of a locality, folded: ``"phường Kinh Môn"`` → ``"kinh mon"``,
    ``"Văn phòng UBND tỉnh Sơn La"`` → ``"son la"`` (see :func:`bot.text.places.bare_name`)."""
    return bare_name(locality)


def _scale(values: np.ndarray) -> np.ndarray:
    """Scale scores into [0, 1] by the best score of this query (0 stays 0)."""
    top = float(values.max()) if values.size else 0.0
    if top <= 0:
        return np.zeros_like(values)
    return np.clip(values / top, 0.0, 1.0)


def _scale_dense(values: np.ndarray) -> np.ndarray:
    """Min-max scale cosine similarities: e5 cosines crowd into a narrow band (≈0.7–0.9)."""
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-6:
        return np.zeros_like(values)
    return (values - low) / (high - low)


def _weights(query: AnalysedQuery) -> Weights:
    """Fusion weights for how the question was typed."""
    if query.english:
        return ENGLISH
    if has_diacritics(query.raw) and not query.restored:
        return WITH_DIACRITICS
    return RESTORED if query.restored else WITHOUT_DIACRITICS


class Retriever:
    """Searches one snapshot. Thread-safe for concurrent reads; holds no mutable state."""

    def __init__(self, snapshot: Snapshot, embedder: Embedder) -> None:
        self.snapshot = snapshot
        self.embedder = embedder
        self._documents = {d.doc_id: d for d in snapshot.documents}

    @cached_property
    def rewriter(self) -> QueryRewriter:
        """Query understanding learned from this snapshot's chunks (built once, ~0.1 s per 1,000 chunks)."""
        return QueryRewriter([chunk.index_text for chunk in self.snapshot.chunks])

    def analyse(self, query: str | AnalysedQuery) -> AnalysedQuery:
        """``query`` rewritten into the corpus' Vietnamese (returned as is when already analysed)."""
        return query if isinstance(query, AnalysedQuery) else self.rewriter.analyse(query)

    @cached_property
    def locality_keys(self) -> dict[str, str]:
        """doc_id → bare folded place name of the plan's locality (documents without one omitted)."""
        keys: dict[str, str] = {}
        for meta in self.snapshot.documents:
            if meta.locality:
                key = locality_key(meta.locality)
                if key:
                    keys[meta.doc_id] = key
        return keys

    @cached_property
    def number_keys(self) -> dict[str, str]:
        """doc_id → folded số hiệu of plans whose number has digits ("78/KH-UBND" → "78 kh ubnd")."""
        keys: dict[str, str] = {}
        for meta in self.snapshot.documents:
            if meta.number and re.search(r"\d", meta.number):
                keys[meta.doc_id] = " ".join(re.findall(r"[a-z0-9]+", fold(meta.number)))
        return keys

    @cached_property
    def provinces(self) -> dict[str, frozenset[str]]:
        """doc_id → the province of the plan's locality, and the one that took it over in 2025
        ("tỉnh Thái Bình" → also "tỉnh Hưng Yên"); read from the locality for plans indexed before
        documents carried their province."""
        found: dict[str, frozenset[str]] = {}
        for meta in self.snapshot.documents:
            province = meta.province
            if province is None and meta.locality:
                places = find_places(meta.locality)
                province = places[-1].province if places else None
            if province:
                found[meta.doc_id] = frozenset(p for p in (province, successor(province)) if p)
        return found

    def documents_for_locality(self, text: str, *, unplaced: bool = True) -> set[str]:
        """doc_ids whose locality or số hiệu is named in ``text`` (a question or a locality filter);
        when it names neither, those of the provinces it names ("các kế hoạch của tỉnh Quảng Ninh"
        finds a plan of huyện Ba Chẽ). A province asked about also gets the plans of no known province,
        unless ``unplaced`` is false (then only the documents the place names)."""
        folded = f" {' '.join(re.findall(r'[a-z0-9]+', fold(text)))} "
        named = {doc_id for doc_id, key in self.locality_keys.items() if f" {key} " in folded}
        places = find_places(text, known=[d.locality for d in self.snapshot.documents if d.locality])
        keys = {place.key for place in places}
        named |= {doc_id for doc_id, key in self.locality_keys.items() if key in keys}
        named |= {doc_id for doc_id, key in self.number_keys.items() if f" {key} " in folded}
        # a plan whose place its text does not say may be of a province asked about: not left out
        admitted = {d.doc_id for d in self.snapshot.documents if d.doc_id not in self.provinces and unplaced}
        wide = bool(places) and all(place.level in PROVINCE_LEVELS for place in places)
        if named:
            if wide and all(self._documents[d].level in PROVINCE_LEVELS for d in named):
                return named | admitted  # the province's own plans ("TP Hồ Chí Minh")
            return named
        wanted = {place.province for place in places if place.level in PROVINCE_LEVELS and place.province}
        in_province = {doc_id for doc_id, provinces in self.provinces.items() if provinces & wanted}
        return in_province | admitted if in_province else set()

    def search(
        self,
        query: str | AnalysedQuery,
        k: int = 5,
        doc_ids: Iterable[str] | None = None,
        *,
        per_document: int = 0,
    ) -> list[Hit]:
        """The ``k`` best chunks for ``query``, best first, optionally limited to ``doc_ids``; with
        ``per_document``, also the best that many of every plan (in score order, after the others
        would have come), so that a question every plan answers differently reaches each plan."""
        chunks = self.snapshot.chunks
        if not chunks or not (query.raw if isinstance(query, AnalysedQuery) else query).strip():
            return []
        fused, dense, lexical = self.score_all(query)
        allowed = set(doc_ids) if doc_ids is not None else None
        order = np.argsort(-fused, kind="stable")
        hits: list[Hit] = []
        taken: dict[str, int] = {}
        for i in order:
            chunk = chunks[int(i)]
            if allowed is not None and chunk.doc_id not in allowed:
                continue
            if len(hits) >= k and taken.get(chunk.doc_id, 0) >= per_document:
                continue
            taken[chunk.doc_id] = taken.get(chunk.doc_id, 0) + 1
            hits.append(
                Hit(
                    chunk=chunk,
                    document=self._documents[chunk.doc_id],
                    score=float(fused[i]),
                    dense=float(dense[i]),
                    lexical=float(lexical[i]),
                )
            )
            if len(hits) >= k and all(taken.get(d, 0) >= per_document for d in allowed or self._documents):
                break
        return hits

    def score_all(self, query: str | AnalysedQuery) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fused, raw dense (cosine) and scaled lexical scores of every chunk, in index order."""
        analysed = self.analyse(query)
        text = analysed.text
        fields = self.snapshot.lexical.scores(expand_abbreviations(text))
        words = _scale(fields["words"])
        folded = _scale(fields["folded"])
        vector = self.embedder.embed_queries([text])[0]
        cosine = self.snapshot.dense.scores(vector)
        weights = _weights(analysed)
        fused = weights.dense * _scale_dense(cosine) + weights.words * words + weights.folded * folded
        lexical = np.maximum(words, folded)
        return fused, cosine, lexical
