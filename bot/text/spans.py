"""Map display text back to the verbatim text of the source file.

Ingestion shows a plan in *display form*: Markdown emphasis and heading markers removed, lines
broken mid-sentence rejoined, odd spaces collapsed. Citations must quote the plan verbatim, so each
chunk keeps the span of the source text it was cut from, and a quote taken from the display text is
mapped back to the matching span of that source ("**1.1. Trưởng Ban:** Phụ trách chung." stays as
written, with its markers).

Display and source are compared on their *skeleton*: the NFC text without whitespace, Markdown
markers (``*``, ``#``) and invisible characters, which is all that cleanup changes. The returned span
runs from the first to the last skeleton character, so markers around it are left out and only the
ones inside it are kept.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

# find_anchored: the skeleton characters that anchor each end, and how much longer the source stretch may be
ANCHOR_CHARS = 24
ANCHOR_SLACK = 0.1

_IGNORED = frozenset("*#\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _kept(char: str) -> bool:
    return not char.isspace() and char not in _IGNORED and unicodedata.category(char) != "Cc"


@dataclass(frozen=True)
class SourceText:
    """A source text with its skeleton and, for each skeleton character, its offset in the text."""

    text: str
    skeleton: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> SourceText:
        """Index ``raw`` (NFC-normalised first: the display form is NFC too)."""
        text = unicodedata.normalize("NFC", raw)
        offsets = tuple(i for i, char in enumerate(text) if _kept(char))
        return cls(text, "".join(text[i] for i in offsets), offsets)

    def find(self, display: str, start: int = 0) -> tuple[int, int] | None:
        """``(begin, end)`` offsets in :attr:`text` of the span whose skeleton equals ``display``'s,
        searching from text offset ``start`` on (then from the beginning); ``None`` when absent."""
        wanted = skeleton_of(display)
        if not wanted:
            return None
        first = bisect_left(self.offsets, start)  # first skeleton character at or after ``start``
        at = self.skeleton.find(wanted, first)
        if at < 0 and first:
            at = self.skeleton.find(wanted)
        if at < 0:
            return None
        return self.offsets[at], self.offsets[at + len(wanted) - 1] + 1

    def verbatim(self, display: str, start: int = 0) -> str | None:
        """The source span for ``display`` (see :meth:`find`; else :meth:`find_anchored`), or ``None``."""
        span = self.find(display, start) or self.find_anchored(display)
        return self.text[span[0] : span[1]] if span else None

    def find_anchored(self, display: str) -> tuple[int, int] | None:
        """The span from where ``display``'s first characters stand to where its last ones do, when the
        two are in order and the span's skeleton is at most :data:`ANCHOR_SLACK` longer: cleanup removed
        something inside (a footnote number, a page number, a running header), and the file's own text
        of that stretch is the verbatim quote. ``None`` otherwise."""
        wanted = skeleton_of(display)
        if len(wanted) < 3 * ANCHOR_CHARS:
            return None
        head, tail = wanted[:ANCHOR_CHARS], wanted[-ANCHOR_CHARS:]
        at = self.skeleton.find(head)
        while at >= 0:
            end = self.skeleton.find(tail, at + len(head))
            if end < 0:
                return None
            length = end + len(tail) - at
            if len(wanted) <= length <= len(wanted) * (1 + ANCHOR_SLACK):
                return self.offsets[at], self.offsets[end + len(tail) - 1] + 1
            at = self.skeleton.find(head, at + 1)
        return None


def skeleton_of(text: str) -> str:
    """The characters of ``text`` (NFC) that cleanup never changes."""
    return "".join(char for char in unicodedata.normalize("NFC", text) if _kept(char))


def verbatim_quote(display: str, source: str) -> str:
    """The span of ``source`` that ``display`` was made from; ``display`` itself when none matches."""
    if not source or display == source:
        return display
    return SourceText.of(source).verbatim(display) or display
