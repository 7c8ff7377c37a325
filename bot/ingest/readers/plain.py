"""The reader of .txt and .md files: UTF-8 text."""

from __future__ import annotations

from bot.errors import DocumentError


def read_plain_text(data: bytes, name: str) -> list[str]:
    """UTF-8 text (a BOM is allowed) split into lines; anything else is a :class:`DocumentError`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{name}: not valid UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    return text.splitlines()
