"""Passages alike across plans: the plans whose answering passage says the same thing, grouped.

Plans of many localities are written from one template: with hundreds of plans in the index, the
best passages of dozens of plans are the same lines with another place name in them. Shown one per
plan they repeat each other and hide the plans that say something else. So the excerpts of the
answering plans are grouped by what they say: two excerpts are alike when their lines are equal
once folded (case, diacritics, punctuation) and once each plan's own names (its locality, the place
of its date line, its số hiệu) are masked, or nearly equal (:data:`NEAR`) with the same numbers in
the same order; a target of 95% and one of 85% are never alike.

Each group is shown by one plan, its *representative*: the members' passages say the same, so
the member whose document is best understood is cited, as that citation tells the reader most:
the most header facts read (number, date, issuer, locality, its province...), then a place borne
out by its own text (``placed``: the province read is named in the document), then the best ranked.

Input: excerpts best first. Output: :class:`Alike` groups, ordered by their best member's rank
(the evidence), so that each shown slot is distinct content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.answering.lines import Excerpt
from bot.models import DocumentMeta
from bot.retrieval.hybrid import Hit
from bot.text.normalize import fold
from bot.text.places import bare_name

NEAR = 0.9  # word-pair (bigram) overlap (Jaccard) from which two excerpts with the same numbers are alike
_MASK = "§"
_WORD = re.compile(r"[a-z0-9]+")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Alike:
    """Plans whose excerpts say the same: ``shown`` is the representative's excerpt, ``members``
    every member's excerpt (the representative included), best ranked first."""

    shown: Excerpt
    members: tuple[Excerpt, ...]

    @property
    def size(self) -> int:
        """How many plans share this content."""
        return len(self.members)


def own_names(meta: DocumentMeta) -> tuple[tuple[str, ...], ...]:
    """The folded word sequences naming the plan itself (its locality, the place of its date line,
    its số hiệu), longest first: what differs between copies of one template."""
    names: set[tuple[str, ...]] = set()
    for name in (meta.locality, meta.place, meta.number):
        if not name:
            continue
        names.add(tuple(_WORD.findall(fold(name))))
        if name is not meta.number:
            names.add(tuple(bare_name(name).split()))
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


def content_words(excerpt: Excerpt) -> tuple[str, ...]:
    """The folded words of the excerpt's lines, each run naming its own plan replaced by a mask."""
    return masked_words(" ".join(excerpt.span.lines), excerpt.hit.document)


def masked_words(text: str, meta: DocumentMeta) -> tuple[str, ...]:
    """The folded words of ``text`` (a passage of plan ``meta``), each run naming the plan itself
    replaced by a mask: equal for the same passage in two copies of one template."""
    words = _WORD.findall(fold(text))
    for name in own_names(meta):
        size, i, out = len(name), 0, []
        while i < len(words):
            if tuple(words[i : i + size]) == name:
                out.append(_MASK)
                i += size
            else:
                out.append(words[i])
                i += 1
        words = out
    return tuple(words)


def understood(meta: DocumentMeta) -> int:
    """How many header facts were read from the plan (a number with digits, date, issuer, signer,
    locality, its level, its province): the better understood plan makes the more telling citation."""
    facts = (
        meta.number and _DIGITS.search(meta.number),
        meta.date,
        meta.issuer,
        meta.signer,
        meta.locality,
        meta.level,
        meta.province,
    )
    return sum(1 for fact in facts if fact)


def _bigrams(words: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset(pairwise(words)) or frozenset({(w, "") for w in words})


def _numbers(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in words if _DIGITS.search(w))


def _near(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Nearly the same words, and exactly the same numbers in the same order."""
    if _numbers(a) != _numbers(b):
        return False
    pa, pb = _bigrams(a), _bigrams(b)
    union = len(pa | pb)
    return union > 0 and len(pa & pb) / union >= NEAR


def distinct_hits(hits: Sequence[Hit], limit: int | None = None) -> list[Hit]:
    """``hits`` without those whose passage is alike (see the module) to a better one's: another
    plan's copy of the same template passage; in order, at most ``limit``."""
    seen: list[tuple[str, ...]] = []
    exact: set[tuple[str, ...]] = set()
    kept: list[Hit] = []
    for hit in hits:
        if limit is not None and len(kept) >= limit:
            break
        words = masked_words(hit.chunk.text, hit.document)
        if words in exact or any(_near(key, words) for key in seen):
            exact.add(words)
            continue
        exact.add(words)
        seen.append(words)
        kept.append(hit)
    return kept


def group_alike(excerpts: Sequence[Excerpt], placed: frozenset[str] = frozenset()) -> list[Alike]:
    """The excerpts (best first, one per plan) grouped by content, groups in the order of their
    best member; each group shown by its best understood member (then one of ``placed``: doc_ids
    whose text bears out their province; then the best ranked)."""
    keys: list[tuple[str, ...]] = []
    members: list[list[Excerpt]] = []
    for excerpt in excerpts:
        words = content_words(excerpt)
        found = next((i for i, key in enumerate(keys) if key == words), None)
        if found is None:
            found = next((i for i, key in enumerate(keys) if _near(key, words)), None)
        if found is None:
            keys.append(words)
            members.append([excerpt])
        else:
            members[found].append(excerpt)
    groups = []
    for group in members:
        # max() keeps the first (best ranked) among the equally understood
        shown = max(group, key=lambda e: (understood(e.hit.document), e.hit.chunk.doc_id in placed))
        groups.append(Alike(shown, tuple(group)))
    return groups
