"""Use case: build an index snapshot from a folder of plan documents.

Documents that cannot be read are skipped with their reason; the others are indexed. The snapshot is
written by :mod:`bot.storage` so a running service never sees a half-built index, and one build at a
time is enforced with a lock file.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from bot.embedding import Embedder
from bot.errors import CampaignBotError
from bot.facts import extract_facts
from bot.ingest import SUPPORTED_SUFFIXES, parse_file
from bot.ingest.chunking import chunk_document
from bot.lexical import LexicalIndex
from bot.models import Chunk, Fact, ParsedDocument
from bot.storage import Manifest, write_snapshot
from bot.text import NORMALIZER_VERSION

log = logging.getLogger(__name__)

LOCK_FILE = ".build.lock"


class BuildError(CampaignBotError):
    """The build cannot produce a snapshot (no readable documents, another build running...)."""


@dataclass(frozen=True)
class DocumentResult:
    """What happened to one file during a build."""

    source: str
    doc_id: str | None = None
    chunks: int = 0
    error: str | None = None


@dataclass(frozen=True)
class BuildResult:
    """The new snapshot's manifest and a per-document report."""

    manifest: Manifest
    documents: tuple[DocumentResult, ...]

    @property
    def failed(self) -> tuple[DocumentResult, ...]:
        """Documents skipped because they could not be read."""
        return tuple(d for d in self.documents if d.error)


def discover(documents_dir: Path) -> list[Path]:
    """Plan files below ``documents_dir`` with a supported suffix, hidden files ignored, sorted."""
    if not documents_dir.is_dir():
        raise BuildError(f"documents folder not found: {documents_dir}")
    return sorted(
        p
        for p in documents_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(documents_dir).parts)
    )


def parse_documents(
    paths: Sequence[Path], *, progress: bool = False
) -> tuple[list[ParsedDocument], list[DocumentResult]]:
    """Parse every path; unreadable ones are reported, not raised. Duplicate ids are refused."""
    parsed: list[ParsedDocument] = []
    results: list[DocumentResult] = []
    seen: dict[str, str] = {}
    for path in tqdm(paths, desc="Đọc kế hoạch", unit="tệp", disable=not progress):
        try:
            doc = parse_file(path)
        except CampaignBotError as exc:
            results.append(DocumentResult(source=path.name, error=str(exc)))
            continue
        if doc.meta.doc_id in seen:
            results.append(
                DocumentResult(source=path.name, error=f"same document id as {seen[doc.meta.doc_id]}: rename the file")
            )
            continue
        seen[doc.meta.doc_id] = path.name
        parsed.append(doc)
        results.append(DocumentResult(source=path.name, doc_id=doc.meta.doc_id))
    return parsed, results


def index_document(doc: ParsedDocument) -> tuple[list[Chunk], list[Fact]]:
    """Everything a snapshot holds of one plan, besides embeddings: its chunks and its facts."""
    chunks = chunk_document(doc)
    return chunks, extract_facts(doc, chunks)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's build lock; raise ``BuildError`` at once if another build holds it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildError(f"another index build is running on {index_dir}; try again when it ends") from exc
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def build_index(documents_dir: Path, index_dir: Path, embedder: Embedder, *, progress: bool = False) -> BuildResult:
    """Parse, chunk, embed and index every plan in ``documents_dir`` into a new current snapshot."""
    with build_lock(index_dir):
        parsed, results = parse_documents(discover(documents_dir), progress=progress)
        if not parsed:
            reasons = "; ".join(f"{r.source}: {r.error}" for r in results) or "no .txt/.md files"
            raise BuildError(f"no readable plan in {documents_dir} ({reasons})")
        chunks: list[Chunk] = []
        facts: list[Fact] = []
        per_doc: dict[str, int] = {}
        for doc in parsed:
            doc_chunks, doc_facts = index_document(doc)
            per_doc[doc.meta.doc_id] = len(doc_chunks)
            chunks.extend(doc_chunks)
            facts.extend(doc_facts)
        texts = [chunk.index_text for chunk in chunks]
        log.info("embedding %d chunks of %d plans", len(chunks), len(parsed))
        vectors = embedder.embed_passages(texts)
        lexical = LexicalIndex.build(texts)
        manifest = write_snapshot(
            index_dir,
            model=embedder.name,
            normalizer_version=NORMALIZER_VERSION,
            documents=[doc.meta for doc in parsed],
            chunks=chunks,
            vectors=vectors,
            lexical=lexical,
            facts=facts,
        )
    final = tuple(DocumentResult(r.source, r.doc_id, per_doc.get(r.doc_id or "", 0), r.error) for r in results)
    return BuildResult(manifest=manifest, documents=final)
