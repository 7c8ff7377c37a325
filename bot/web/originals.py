"""The original file of an indexed document: where it is, what it is, how it is named when downloaded.

The snapshot keeps no copy of the files: the original of a document is the file its manifest entry
names (``source``, a bare file name) in the documents folder, where the build found it (directly in
the folder, or in a subfolder: the build looks below it too). Only names the manifest gives are looked
up, and only a regular file that resolves inside the documents folder is served, so no address can
reach any other file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePath
from urllib.parse import quote

from bot.snapshot.format import Manifest

MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DEFAULT_MEDIA_TYPE = "application/octet-stream"


def manifest_source(manifest: Manifest, doc_id: str) -> str | None:
    """The file name the manifest records for ``doc_id``, ``None`` when it has no such document."""
    return next((entry.source for entry in manifest.documents if entry.doc_id == doc_id), None)


def _inside(path: Path, folder: Path) -> bool:
    return path.is_file() and path.resolve().is_relative_to(folder)


def original_path(documents_dir: Path, source: str) -> Path | None:
    """The file named ``source`` in ``documents_dir`` (or in a subfolder of it), resolved; ``None`` when
    there is none, or ``source`` is not a plain file name, or the file resolves outside the folder (a
    link pointing out)."""
    if not source or PurePath(source).name != source or source in {".", ".."} or "\\" in source:
        return None
    if not documents_dir.is_dir():
        return None
    folder = documents_dir.resolve()
    direct = folder / source
    if _inside(direct, folder):
        return direct.resolve()
    for path in sorted(folder.rglob("*")):  # not rglob(source): a name may hold glob characters ("[1]")
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.name == source and not hidden and _inside(path, folder):
            return path.resolve()
    return None


def media_type(source: str) -> str:
    """The media type of a plan file, by its suffix."""
    return MEDIA_TYPES.get(PurePath(source).suffix.lower(), DEFAULT_MEDIA_TYPE)


def content_disposition(filename: str) -> str:
    """An ``attachment`` header value naming ``filename``: an ASCII fallback for old clients and the
    exact name in UTF-8 (RFC 5987 / RFC 6266 ``filename*``)."""
    bare = unicodedata.normalize("NFD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", "".join(c for c in bare if not unicodedata.combining(c)))
    ascii_name = ascii_name.strip("_") or "van-ban"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
