"""Readers by file suffix: each turns a file's bytes into lines of text.

A small registry, so that later formats (.docx, .pdf) plug in with :func:`register`; everything
they return goes through the same cleanup and outline parser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.errors import DocumentError

Reader = Callable[[bytes, str], list[str]]
"""``reader(data, name) -> lines``; ``name`` is used in error messages only."""

_READERS: dict[str, Reader] = {}


def register(suffix: str, reader: Reader) -> None:
    """Make ``reader`` handle files ending in ``suffix`` (".txt"; case-insensitive)."""
    _READERS[suffix.lower()] = reader


def read_plain_text(data: bytes, name: str) -> list[str]:
    """UTF-8 text (a BOM is allowed) split into lines; anything else is a :class:`DocumentError`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{name}: not valid UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    return text.splitlines()


register(".txt", read_plain_text)
register(".md", read_plain_text)


def supported_suffixes() -> tuple[str, ...]:
    """The suffixes a reader is registered for, sorted."""
    return tuple(sorted(_READERS))


def read_lines(path: Path, data: bytes) -> list[str]:
    """Lines of the file at ``path`` whose content is ``data``."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(supported_suffixes())}"
        )
    return reader(data, path.name)
