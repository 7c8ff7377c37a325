"""What the answer engine knows of one snapshot besides the retriever: term statistics (IDF over all
plans or over the plans in scope), the facts of each chunk, the chunks of each plan.

Built lazily, once per snapshot, and read by every part of the engine; the memo tables are bounded
by the snapshot (its lines, the subsets of its plans questions name), not by the questions asked.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cached_property

from bot.models import Chunk, DocumentMeta, Fact
from bot.query.terms import QueryTerms, folded_terms
from bot.retrieval.document_scope import DocumentResolver
from bot.snapshot.store import Snapshot
from bot.text.normalize import fold
from bot.text.places import bare_name, find_places, successor

# Terms that frame a question (see ``Intent.framing``), and the bigrams holding them, weigh this much.
FRAMING_WEIGHT = 0.3
_PROVINCE_LEVEL = re.compile(r"^\s*(?:tỉnh|thành phố)\s+", re.IGNORECASE)


class Corpus:
    """Statistics and lookups over one snapshot's chunks and facts (read-only once built)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # bounded by the snapshot's own lines: it cannot grow with the questions asked
        self._line_terms: dict[str, set[str]] = {}
        # bounded by the subsets of the snapshot's plans that questions name (in practice a handful)
        self._scoped_idf: dict[frozenset[str], tuple[dict[str, float], int]] = {}

    @property
    def documents(self) -> Sequence[DocumentMeta]:
        """The snapshot's plans, in snapshot order."""
        return self.snapshot.documents

    @cached_property
    def localities(self) -> tuple[str, ...]:
        """The localities the plans cover, sorted (named when the plans do not answer)."""
        return tuple(sorted({d.locality for d in self.snapshot.documents if d.locality}))

    @cached_property
    def place_keys(self) -> frozenset[str]:
        """Folded bare names of the places plans are of: their localities and provinces (and the
        province that took one over in 2025), as :attr:`bot.text.places.PlaceMention.key` spells them."""
        keys: set[str] = set()
        for meta in self.snapshot.documents:
            if not meta.locality:
                continue
            keys.add(bare_name(meta.locality))
            places = find_places(meta.locality)
            province = meta.province or (places[-1].province if places else None)
            keys.update(bare_name(p) for p in (province, successor(province) if province else None) if p)
        return frozenset(keys)

    @cached_property
    def placed(self) -> frozenset[str]:
        """doc_ids whose own text names the province their locality was placed in (or the province
        that took it over in 2025): the place read is borne out by the document itself, not only by
        the gazetteer, whose pick among homonyms (a commune name recurs in many provinces) may be wrong."""
        found: set[str] = set()
        for meta in self.snapshot.documents:
            if not meta.province:
                continue
            # the proper name as written, capitalised ("Nam Định", "NAM ĐỊNH"): not "Hải Nam định hướng"
            names = {_PROVINCE_LEVEL.sub("", p) for p in (meta.province, successor(meta.province)) if p}
            pattern = "|".join(re.escape(n) for name in names if name for n in (name, name.upper()))
            text = "\n".join(c.text for c in self.chunks_of.get(meta.doc_id, ()))
            if pattern and re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text):
                found.add(meta.doc_id)
        return frozenset(found)

    @cached_property
    def documents_named(self) -> DocumentResolver:
        """The resolver of the documents a question names by number or kind (their số hiệu, and
        what each document cites), built once per snapshot."""
        return DocumentResolver.from_snapshot(self.snapshot.documents, self.snapshot.chunks)

    @cached_property
    def chunk_terms(self) -> dict[str, set[str]]:
        """chunk_id → the folded terms of its index text."""
        return {c.chunk_id: set(folded_terms(c.index_text)) for c in self.snapshot.chunks}

    @cached_property
    def idf(self) -> dict[str, float]:
        """Term → IDF over every chunk of the snapshot."""
        df: Counter[str] = Counter()
        for terms in self.chunk_terms.values():
            df.update(terms)
        n = max(len(self.chunk_terms), 1)
        return {t: math.log(1 + n / c) for t, c in df.items()}

    @cached_property
    def folded_text(self) -> str:
        """Every chunk's folded words, space-joined and space-padded (for " phrase " look-ups)."""
        parts = [fold(c.index_text) for c in self.snapshot.chunks]
        return " " + " ".join(" ".join(re.findall(r"[a-z0-9]+", p)) for p in parts) + " "

    def idf_within(self, doc_ids: frozenset[str]) -> tuple[dict[str, float], int]:
        """IDF over the chunks of ``doc_ids`` and their number; memoised (few distinct scopes exist)."""
        cached = self._scoped_idf.get(doc_ids)
        if cached is None:
            chunks = [c.chunk_id for c in self.snapshot.chunks if c.doc_id in doc_ids]
            df: Counter[str] = Counter()
            for chunk_id in chunks:
                df.update(self.chunk_terms[chunk_id])
            n = max(len(chunks), 1)
            cached = self._scoped_idf[doc_ids] = ({t: math.log(1 + n / c) for t, c in df.items()}, len(chunks))
        return cached

    def query_terms(
        self,
        question: str,
        *,
        within: frozenset[str] | set[str] | None = None,
        framing: frozenset[str] = frozenset(),
        english: bool = False,
    ) -> QueryTerms:
        """IDF-weighted content terms; unknown terms weigh as the rarest known term (they matter).

        ``within`` (doc_ids): weigh by the document frequencies among those plans' chunks only, so
        that words every passage of the scope shares (the plan's title, its locality) weigh least.
        ``framing``: syllables that frame the question (see ``Intent.framing``), and the bigrams
        holding them, weigh ``FRAMING_WEIGHT`` as much. ``english``: the question is in English, whose
        words the plans do not know are left out (its Vietnamese key terms were added by the rewriter).
        """
        idf, size = (self.idf, len(self.chunk_terms)) if within is None else self.idf_within(frozenset(within))
        unseen = math.log(1 + max(size, 1))
        weights: dict[str, float] = {}
        for term in folded_terms(question, replace=True):
            if english and term not in self.idf:
                continue  # an English word the plans never use says nothing about them
            weight = idf.get(term, unseen) * (0.5 if "_" in term else 1.0)
            if framing and not framing.isdisjoint(term.split("_")):
                weight *= FRAMING_WEIGHT
            weights[term] = weight
        return QueryTerms(weights)

    def terms_of(self, text: str) -> set[str]:
        """Folded terms of a line or quote of the snapshot, memoised (the same lines recur per question)."""
        cached = self._line_terms.get(text)
        if cached is None:
            cached = self._line_terms[text] = set(folded_terms(text))
        return cached

    @cached_property
    def facts_by_chunk(self) -> dict[str, list[Fact]]:
        """chunk_id → the facts found in it, in snapshot order."""
        found: dict[str, list[Fact]] = {}
        for fact in self.snapshot.facts:
            found.setdefault(fact.chunk_id, []).append(fact)
        return found

    @cached_property
    def _fact_quotes(self) -> dict[tuple[str, str], set[str]]:
        """(chunk_id, fact kind) → the quotes of the facts of that kind in that chunk."""
        quotes: dict[tuple[str, str], set[str]] = {}
        for fact in self.snapshot.facts:
            quotes.setdefault((fact.chunk_id, fact.kind), set()).add(fact.quote)
        return quotes

    def quotes_of(self, chunk_id: str, kinds: Sequence[str]) -> set[str]:
        """Quotes of the facts of ``kinds`` found in chunk ``chunk_id``."""
        quotes: set[str] = set()
        for kind in kinds:
            quotes |= self._fact_quotes.get((chunk_id, kind), set())
        return quotes

    @cached_property
    def chunk_sources(self) -> dict[str, str]:
        """chunk_id → the chunk's verbatim source span, for chunks whose display text differs."""
        return {c.chunk_id: c.source for c in self.snapshot.chunks if c.source}

    @cached_property
    def chunks_of(self) -> dict[str, list[Chunk]]:
        """doc_id → its chunks in document order."""
        found: dict[str, list[Chunk]] = {}
        for chunk in self.snapshot.chunks:
            found.setdefault(chunk.doc_id, []).append(chunk)
        return found

    def warm_up(self) -> None:
        """Build the statistics every question needs."""
        _ = self.chunk_terms, self.idf, self.folded_text, self.documents_named, self.place_keys
