"""Lexical (BM25) retrieval over Vietnamese text: the only home of pyvi and bm25s.

Two fields are indexed for every chunk, because neither alone serves every user:

* ``words``: Vietnamese words from pyvi's segmenter ("tuyên_truyền", "trung_tâm"), in match form
  (NFC, one tone-mark placement, lower case). Precise for queries typed with diacritics.
* ``folded``: diacritic-free syllables plus adjacent-syllable bigrams ("tuyen", "tuyen_truyen").
  Queries typed without accents ("ai phu trach tuyen truyen") match here; the bigrams restore some
  of the precision that folding loses ("xa hoi" vs "xa" + "hoi").

Queries go through exactly the same functions as documents.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from bot.text.normalize import clean, fold, token_parts, tokens, unify_tone_marks

log = logging.getLogger(__name__)

FIELDS = ("words", "folded")
TOKENS_FILE = "tokens.jsonl"
_PUNCT_ONLY = frozenset(".,;:!?()[]{}\"'“”‘’…-–—/\\*#|")


@lru_cache(maxsize=1)
def _segmenter() -> object:
    """pyvi's ViTokenizer, imported once (it loads a CRF model on import, ~1 s)."""
    from pyvi import ViTokenizer

    return ViTokenizer


def word_tokens(text: str) -> list[str]:
    """Vietnamese word tokens (compounds joined by ``_``) in match form.

    The segmenter sees the cleaned text with its case (pyvi uses capitalisation as a feature); tokens
    are lower-cased afterwards. Pure punctuation is dropped.
    """
    prepared = unify_tone_marks(clean(text)).replace("\n", " . ").replace("\t", " . ")
    if not prepared.strip():
        return []
    segmented: str = _segmenter().tokenize(prepared)  # type: ignore[attr-defined]
    out: list[str] = []
    for token in segmented.split():
        token = token.lower().strip("".join(_PUNCT_ONLY - {"_"}))
        if token and not all(ch in _PUNCT_ONLY or ch == "_" for ch in token):
            out.append(token)
    return out


def folded_tokens(text: str) -> list[str]:
    """Diacritic-free syllables of ``text``, the parts of chained tokens, then adjacent bigrams."""
    base = tokens(text)
    syllables = [fold(token) for token in base if token]
    parts = [fold(part) for token in base for part in token_parts(token)]
    bigrams = [f"{a}_{b}" for a, b in pairwise(syllables)]
    return syllables + parts + bigrams


def field_tokens(text: str) -> dict[str, list[str]]:
    """Tokens of ``text`` for every lexical field."""
    return {"words": word_tokens(text), "folded": folded_tokens(text)}


@dataclass
class LexicalIndex:
    """BM25 indexes of one corpus, one per field; row ``i`` of every score vector is document ``i``."""

    retrievers: dict[str, object]
    size: int

    # Token lists of every indexed text, per field, in row order: kept so that an incremental build can
    # re-index the corpus without segmenting unchanged texts again (pyvi is the slow part).
    tokens: list[dict[str, list[str]]] = field(default_factory=list)

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        """Index ``texts`` (already the full text to match: context and body)."""
        return cls.from_tokens([field_tokens(text) for text in texts])

    @classmethod
    def from_tokens(cls, rows: Sequence[dict[str, list[str]]]) -> LexicalIndex:
        """Index texts given by their :func:`field_tokens`; equal to :meth:`build` on the same texts."""
        import bm25s

        per_field: dict[str, list[list[str]]] = {name: [] for name in FIELDS}
        for row in rows:
            for name in FIELDS:
                # bm25s cannot index an empty document; a placeholder token keeps row alignment.
                per_field[name].append(row.get(name) or ["∅"])
        retrievers: dict[str, object] = {}
        for name, corpus in per_field.items():
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            retriever.index(corpus, show_progress=False)
            retrievers[name] = retriever
        return cls(retrievers=retrievers, size=len(rows), tokens=[dict(row) for row in rows])

    def scores(self, query: str) -> dict[str, np.ndarray]:
        """BM25 score of every document for ``query``, per field (zeros when nothing matches)."""
        result: dict[str, np.ndarray] = {}
        for name, toks in field_tokens(query).items():
            if not toks or self.size == 0:
                result[name] = np.zeros(self.size, dtype=np.float32)
                continue
            retriever = self.retrievers[name]
            result[name] = np.asarray(retriever.get_scores(toks), dtype=np.float32)  # type: ignore[attr-defined]
        return result

    def save(self, directory: Path) -> None:
        """Write every field's index below ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        for name, retriever in self.retrievers.items():
            retriever.save(str(directory / name), show_progress=False)  # type: ignore[attr-defined]
        (directory / "lexical.json").write_text(json.dumps({"fields": list(FIELDS), "size": self.size}))
        if self.tokens:
            with (directory / TOKENS_FILE).open("w", encoding="utf-8") as handle:
                for row in self.tokens:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    @staticmethod
    def load_tokens(directory: Path) -> list[dict[str, list[str]]] | None:
        """The per-row tokens saved with an index, or ``None`` when it has none (older snapshots)."""
        path = directory / TOKENS_FILE
        if not path.is_file():
            return None
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """Read an index written by :meth:`save`."""
        import bm25s

        info = json.loads((directory / "lexical.json").read_text())
        retrievers = {
            name: bm25s.BM25.load(str(directory / name), show_progress=False, verbosity=0) for name in info["fields"]
        }
        return cls(retrievers=retrievers, size=int(info["size"]))
