"""Use case: manage the plan files of the documents folder (upload, delete) for the admin API.

An upload is checked (:mod:`bot.admin.uploads`), then parsed from a temporary copy named as it will be
stored, and stored only when it parses: a file that the build could not read never lands in
``documents/``. Files are stored without ever overwriting one (``os.link`` of a finished temporary
file, which fails if the name exists). Nothing is indexed here: a reindex job does that.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.admin.uploads import check_upload
from bot.errors import DocumentConflict, DocumentError, DocumentNotFound, UnreadableUpload
from bot.indexing.build import discover
from bot.ingest import SUPPORTED_SUFFIXES, doc_id_for, parse_file
from bot.ingest.report import warnings as document_warnings
from bot.models import DocumentMeta, ParsedDocument


@dataclass(frozen=True)
class StoredDocument:
    """A plan file now in the documents folder, and what the parser found in it."""

    doc_id: str
    source: str
    content_hash: str
    size: int
    title: str
    locality: str | None
    sections: int
    warnings: tuple[str, ...]
    meta: DocumentMeta  # the whole header found (kind, number, date, issuer...): the staff pages' report


class DocumentStore:
    """The documents folder as the admin API sees it; safe for concurrent requests."""

    def __init__(self, documents_dir: Path, *, max_upload_bytes: int) -> None:
        self.documents_dir = documents_dir
        self.max_upload_bytes = max_upload_bytes
        self._lock = threading.Lock()

    def _files(self) -> list[Path]:
        return discover(self.documents_dir) if self.documents_dir.is_dir() else []

    def add(self, filename: str, data: bytes) -> StoredDocument:
        """Store an uploaded plan; raises a :class:`bot.errors.UploadError` subclass when refused."""
        safe = check_upload(filename, data, max_bytes=self.max_upload_bytes, supported=SUPPORTED_SUFFIXES)
        digest = hashlib.sha256(data).hexdigest()
        doc = _parse_as(safe, data)
        with self._lock:
            self._refuse_conflicts(safe, digest)
            self.documents_dir.mkdir(parents=True, exist_ok=True)
            _store_new(self.documents_dir / safe, data)
        return StoredDocument(
            doc_id=doc.meta.doc_id,
            source=safe,
            content_hash=digest,
            size=len(data),
            title=doc.meta.title,
            locality=doc.meta.locality,
            sections=len(doc.sections),
            warnings=tuple(document_warnings(doc)),
            meta=doc.meta,
        )

    def _refuse_conflicts(self, safe: str, digest: str) -> None:
        doc_id = doc_id_for(safe)
        for path in self._files():
            if hashlib.sha256(path.read_bytes()).hexdigest() == digest:
                raise DocumentConflict(f"duplicate of {path.name}: the same file is already stored", existing=path.name)
            if path.name == safe or doc_id_for(path.name) == doc_id:
                raise DocumentConflict(
                    f"another plan is stored as {path.name} (id {doc_id}): delete it first or rename the upload",
                    existing=path.name,
                )

    def delete(self, doc_id: str) -> str:
        """Remove the file of plan ``doc_id``; returns its file name. ``DocumentNotFound`` when unknown."""
        with self._lock:
            for path in self._files():
                if doc_id_for(path.name) == doc_id:
                    path.unlink()
                    return path.name
        raise DocumentNotFound(f"no plan with id {doc_id!r} in {self.documents_dir}")


def _parse_as(name: str, data: bytes) -> ParsedDocument:
    """Parse ``data`` as the file ``name``; ``UnreadableUpload`` with the parser's reason when it fails."""
    with tempfile.TemporaryDirectory(prefix="campaign-bot-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return parse_file(path)
        except DocumentError as exc:
            raise UnreadableUpload(f"the file cannot be read as a plan: {exc}") from exc


def _store_new(target: Path, data: bytes) -> None:
    """Write ``target`` completely, never replacing an existing file (hidden temporary file + link)."""
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError as exc:
            raise DocumentConflict(f"{target.name} was stored meanwhile", existing=target.name) from exc
    finally:
        os.unlink(tmp)
