"""Find a quoted span in a section's text and cut the text into marked and unmarked segments.

A citation's quote is a verbatim span of its chunk's source text (the file's own line breaks and
Markdown markers), and the page shows the chunk's display text (the same span tidied by cleanup). So a
quote is looked for as written first; then ignoring every whitespace difference (a quote that went
through a URL or a copy-paste, lines rejoined by cleanup); then also ignoring what cleanup removes
besides whitespace (Markdown ``*``/``#`` markers, invisible characters: the characters
:mod:`bot.text.spans` leaves out of its skeleton); last, by its first and last characters, when
cleanup left out something inside it (a page number, a footnote mark, which the quote, taken from the
file, still holds). The text is never rewritten: the segments, joined,
are the text itself, and the page renders each one escaped (``<mark>`` around the marked ones), so no
input ever reaches the page as HTML.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

Segment = tuple[str, bool]  # a piece of the text, and whether it is marked

ANCHOR_CHARS = 24  # the characters that anchor each end of a quote found around something left out
ANCHOR_SLACK = 0.1  # how much shorter than the quote the text between its anchors may be
_MARKUP = frozenset("*#\u200b\u200c\u200d\u2060\ufeff\u00ad")  # as bot.text.spans: what cleanup drops


def _not_space(char: str) -> bool:
    return not char.isspace()


def _not_markup(char: str) -> bool:
    return not char.isspace() and char not in _MARKUP and unicodedata.category(char) != "Cc"


def _skeleton(text: str, kept: Callable[[str], bool]) -> tuple[str, list[int]]:
    """The characters of ``text`` that ``kept`` keeps, and the offset in ``text`` of each."""
    offsets = [i for i, char in enumerate(text) if kept(char)]
    return "".join(text[i] for i in offsets), offsets


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """``(begin, end)`` of the first span of ``text`` that is ``quote`` (its surrounding whitespace left
    out); else of the first span equal to it up to whitespace; else up to whitespace and markup (the
    span then runs from the first to the last character kept); else anchored at both ends (see
    :func:`_anchored`). ``None`` when ``quote`` is blank or absent."""
    wanted = quote.strip()
    if not wanted:
        return None
    at = text.find(wanted)
    if at >= 0:
        return at, at + len(wanted)
    for kept in (_not_space, _not_markup):
        skeleton, offsets = _skeleton(text, kept)
        target, _ = _skeleton(wanted, kept)
        at = skeleton.find(target) if target else -1
        if at >= 0:
            return offsets[at], offsets[at + len(target) - 1] + 1
    found = _anchored(skeleton, target)
    return (offsets[found[0]], offsets[found[1] - 1] + 1) if found else None


def _anchored(skeleton: str, target: str) -> tuple[int, int] | None:
    """``[begin, end)`` in ``skeleton`` from where ``target``'s first :data:`ANCHOR_CHARS` stand to where
    its last ones do, when the stretch is at most :data:`ANCHOR_SLACK` shorter than ``target`` (the
    text lacks a few characters of the quote: a page number inside it); ``None`` otherwise or when
    ``target`` is too short to be anchored at both ends."""
    if len(target) < 3 * ANCHOR_CHARS:
        return None
    head, tail = target[:ANCHOR_CHARS], target[-ANCHOR_CHARS:]
    at = skeleton.find(head)
    while at >= 0:
        end = skeleton.find(tail, at + len(head))
        if end < 0:
            return None
        if len(target) * (1 - ANCHOR_SLACK) <= end + len(tail) - at <= len(target):
            return at, end + len(tail)
        at = skeleton.find(head, at + 1)
    return None


def segments(text: str, span: tuple[int, int] | None) -> list[Segment]:
    """``text`` cut into segments with ``span`` marked line by line: each line's part of the span is one
    marked segment, the line breaks between them are not marked (a ``<mark>`` never crosses a line).
    Empty segments are left out; ``"".join`` of the pieces is always ``text``."""
    if span is None:
        return [(text, False)] if text else []
    begin, end = span
    pieces: list[Segment] = [(text[:begin], False)]
    for i, line in enumerate(text[begin:end].split("\n")):
        if i:
            pieces.append(("\n", False))
        pieces.append((line, True))
    pieces.append((text[end:], False))
    return _merged([p for p in pieces if p[0]])


def _merged(pieces: list[Segment]) -> list[Segment]:
    """Neighbouring segments of the same kind joined into one."""
    merged: list[Segment] = []
    for piece, marked in pieces:
        if merged and merged[-1][1] == marked:
            merged[-1] = (merged[-1][0] + piece, marked)
        else:
            merged.append((piece, marked))
    return merged


def highlight(text: str, quote: str) -> list[Segment] | None:
    """The segments of ``text`` with ``quote`` marked (see :func:`find_quote`), ``None`` when absent."""
    span = find_quote(text, quote)
    return segments(text, span) if span is not None else None


def split_first_line(pieces: list[Segment]) -> tuple[list[Segment], list[Segment]]:
    """The segments of the first line of the text ``pieces`` make, and those of the rest (after the
    first line break, which belongs to neither): a section whose text opens with its heading line shows
    that line as its heading, marked where the quote covers it."""
    first: list[Segment] = []
    for index, (piece, marked) in enumerate(pieces):
        if "\n" not in piece:
            first.append((piece, marked))
            continue
        head, tail = piece.split("\n", 1)
        rest = ([(tail, marked)] if tail else []) + pieces[index + 1 :]
        return ([*first, (head, marked)] if head else first), rest
    return first, []
