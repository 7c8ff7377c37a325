"""What a reader returns: lines of text, with notes and a page count for paged formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadResult:
    """What a reader got out of a file: its lines (with :data:`PAGE_BREAK` lines for paged formats),
    notes a reviewer should see ("trang 2, 3 đọc bằng OCR") and the page count (``None`` if unpaged)."""

    lines: tuple[str, ...]
    notes: tuple[str, ...] = ()
    page_count: int | None = None


Reader = Callable[[bytes, str], "list[str] | ReadResult"]
"""``reader(data, name) -> lines | ReadResult``; ``name`` is used in error messages only."""
