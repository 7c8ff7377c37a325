"""Checks on an uploaded plan file before anything is stored: its type by content, a safe name.

The file name is never trusted: its directory part is dropped, it is folded to ASCII (Vietnamese
letters lose their marks, "đ" becomes "d"), and its suffix must agree with what the bytes are:

* ``.pdf``: starts with ``%PDF-``;
* ``.docx``: a ZIP archive holding ``word/document.xml``;
* ``.txt`` / ``.md``: valid UTF-8 (a BOM is allowed) without NUL bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import PurePosixPath

from bot.errors import EmptyUpload, UnsupportedUpload, UnusableFileName, UploadTooLarge

KIND_PDF = "PDF"
KIND_DOCX = "Word (.docx)"
KIND_TEXT = "UTF-8 text"
EXPECTED_KIND = {".pdf": KIND_PDF, ".docx": KIND_DOCX, ".txt": KIND_TEXT, ".md": KIND_TEXT}
MAX_NAME_CHARS = 120


def detect_kind(data: bytes) -> str | None:
    """What the bytes are (``KIND_*``), or ``None`` when none of the supported kinds."""
    if data.startswith(b"%PDF-"):
        return KIND_PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return KIND_DOCX if "word/document.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return KIND_TEXT


def safe_filename(name: str) -> str:
    """A plain ASCII file name for ``name``: no folders, no leading dots, letters, digits, ``._-`` only.

    "../Kế hoạch số 78 (Kinh Môn).TXT" → "Ke-hoach-so-78-Kinh-Mon.txt". ``UnusableFileName`` when nothing
    usable is left.
    """
    base = PurePosixPath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFD", base.replace("đ", "d").replace("Đ", "D"))
    base = "".join(c for c in base if not unicodedata.combining(c))
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_.")[:MAX_NAME_CHARS]
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    if not stem:
        raise UnusableFileName(f"file name {name!r} has no usable letters or digits")
    return f"{stem}.{suffix}" if suffix else stem


def check_upload(name: str, data: bytes, *, max_bytes: int, supported: tuple[str, ...]) -> str:
    """Validate an upload; returns its safe file name. Raises a :class:`bot.errors.UploadError` subclass.

    Checks, in order: size (``UploadTooLarge``), content (``EmptyUpload``), name (``UnusableFileName``),
    a supported suffix, and that the content is what the suffix says (both ``UnsupportedUpload``), so a
    renamed binary or a mislabelled file is refused before it is parsed.
    """
    if len(data) > max_bytes:
        raise UploadTooLarge(f"file is too large ({len(data)} bytes; at most {max_bytes})")
    if not data:
        raise EmptyUpload("file is empty")
    safe = safe_filename(name)
    suffix = PurePosixPath(safe).suffix
    if suffix not in supported or suffix not in EXPECTED_KIND:
        allowed = ", ".join(s for s in supported if s in EXPECTED_KIND)
        raise UnsupportedUpload(f"file type {suffix or '(none)'} is not supported; supported: {allowed}")
    kind = detect_kind(data)
    if kind != EXPECTED_KIND[suffix]:
        found = kind or "not a supported type (binary data or not UTF-8)"
        raise UnsupportedUpload(
            f"{safe}: the name says {EXPECTED_KIND[suffix]} but the content is {found}; upload the file as it is"
        )
    return safe
