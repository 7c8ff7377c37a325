"""Readers by file suffix: each turns a file's bytes into lines of text.

A small registry: a format plugs in with :func:`register`, and everything a reader returns goes
through the same cleanup and outline parser, so a plan gives the same section tree whatever its
format. A reader returns its lines, or a :class:`ReadResult` when it has more to say (notes, page
count). Paged formats mark the start of every page with a :data:`PAGE_BREAK` line, so cleanup and
the outline parser can tell which pages a section stands on (citations show "trang N").

Every reader's text is checked for legacy Vietnamese font encodings (TCVN3, VNI): such text would
be indexed as garbage, so it is refused with a message saying how to convert it.
"""

from __future__ import annotations

from pathlib import Path

from bot.errors import DocumentError
from bot.ingest.cleanup import PAGE_BREAK
from bot.ingest.readers.legacy_fonts import check_unicode_text
from bot.ingest.readers.plain import read_plain_text
from bot.ingest.readers.result import Reader, ReadResult

__all__ = [
    "PAGE_BREAK",
    "ReadResult",
    "Reader",
    "read_document",
    "read_lines",
    "read_plain_text",
    "register",
    "supported_suffixes",
]


_READERS: dict[str, Reader] = {}


def register(suffix: str, reader: Reader) -> None:
    """Make ``reader`` handle files ending in ``suffix`` (".txt"; case-insensitive)."""
    _READERS[suffix.lower()] = reader


def _read_docx(data: bytes, name: str) -> list[str]:
    from bot.ingest.readers.docx import read_docx  # python-docx is imported only when a .docx is read

    return read_docx(data, name)


def _read_pdf(data: bytes, name: str) -> ReadResult:
    from bot.ingest.readers.pdf import read_pdf  # pdfplumber is imported only when a .pdf is read

    return read_pdf(data, name)


register(".txt", read_plain_text)
register(".md", read_plain_text)
register(".docx", _read_docx)
register(".pdf", _read_pdf)


def supported_suffixes() -> tuple[str, ...]:
    """The suffixes a reader is registered for, sorted."""
    return tuple(sorted(_READERS))


def read_document(path: Path, data: bytes) -> ReadResult:
    """What the reader for ``path``'s suffix got out of ``data``, checked for legacy font encodings."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(supported_suffixes())}"
        )
    result = reader(data, path.name)
    if not isinstance(result, ReadResult):
        result = ReadResult(tuple(result))
    check_unicode_text(result.lines, path.name)
    return result


def read_lines(path: Path, data: bytes) -> list[str]:
    """Lines of the file at ``path`` whose content is ``data`` (see :func:`read_document`)."""
    return list(read_document(path, data).lines)
