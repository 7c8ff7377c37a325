"""Find a quoted span in a section's text and cut the text into marked and unmarked segments.

A citation's quote is a verbatim span of its chunk's source text, so it is looked for as written
first; a quote that went through a URL or a copy-paste may have its spaces and line breaks changed,
so it is then looked for ignoring every whitespace difference. The text is never rewritten: the
segments, joined, are the text itself, and the page renders each one escaped (``<mark>`` around the
marked ones), so no input ever reaches the page as HTML.
"""

from __future__ import annotations

Segment = tuple[str, bool]  # a piece of the text, and whether it is marked


def _skeleton(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and the offset in ``text`` of each character kept."""
    offsets = [i for i, char in enumerate(text) if not char.isspace()]
    return "".join(text[i] for i in offsets), offsets


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """``(begin, end)`` of the first span of ``text`` that is ``quote`` (its surrounding whitespace left
    out), else of the first span equal to it up to whitespace, from its first to its last non-space
    character; ``None`` when ``quote`` is blank or absent."""
    wanted = quote.strip()
    if not wanted:
        return None
    at = text.find(wanted)
    if at >= 0:
        return at, at + len(wanted)
    skeleton, offsets = _skeleton(text)
    target, _ = _skeleton(wanted)
    at = skeleton.find(target)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(target) - 1] + 1


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
