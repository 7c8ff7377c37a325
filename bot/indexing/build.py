"""Use case: build an index snapshot from a folder of plan documents.

Documents that cannot be read are skipped with their reason; the others are indexed. The snapshot is
written by :mod:`bot.snapshot.store` so a running service never sees a half-built index, and one build at a
time is enforced with a lock file.

Builds are incremental: a plan whose file name and content hash are those of a plan in the current
snapshot keeps that snapshot's chunks, facts, vectors and lexical tokens; only new or changed plans are
parsed and embedded, removed plans leave the index, and the lexical index is re-made from every
chunk's tokens. Chunk and fact ids derive from the plan's content only, so the result equals a full
rebuild. A snapshot made by another model, normaliser, format or parsing code is never reused.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.embedding.protocol import Embedder
from bot.errors import BuildError, CampaignBotError, SnapshotError
from bot.indexing.fingerprint import pipeline_fingerprint
from bot.indexing.lock import build_lock
from bot.indexing.report import BuildStatus, DocumentResult, cross_document_warnings
from bot.ingest import SUPPORTED_SUFFIXES, parse_file
from bot.ingest.chunking import chunk_document
from bot.ingest.facts import extract_facts
from bot.ingest.report import warnings as document_warnings
from bot.models import Chunk, DocumentMeta, Fact, ParsedDocument
from bot.snapshot.format import LEXICAL, DocumentEntry, Manifest
from bot.snapshot.lexical import LexicalIndex, field_tokens
from bot.snapshot.store import (
    clean_leftovers,
    current_snapshot_id,
    load_snapshot,
    prune_snapshots,
    read_manifest,
    write_snapshot,
)
from bot.text.normalize import NORMALIZER_VERSION

log = logging.getLogger(__name__)

EMBED_SLICE = 256  # chunks per embedding call when progress is reported (admin jobs)

# Called as the build advances: (phase, done, total); phases are "documents" and "embedding".
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildResult:
    """The new snapshot's manifest and a per-document report."""

    manifest: Manifest
    documents: tuple[DocumentResult, ...]
    reused_from: str | None = None  # the snapshot whose unchanged plans were reused (None: full build)
    embedded: int = 0  # chunks embedded by this build
    pruned: tuple[str, ...] = ()  # old snapshots deleted after the build
    cleaned: tuple[str, ...] = ()  # leftovers of interrupted builds removed before it

    @property
    def failed(self) -> tuple[DocumentResult, ...]:
        """Documents skipped because they could not be read."""
        return tuple(d for d in self.documents if d.error)


@dataclass
class _Reusable:
    """One plan of the base snapshot, ready to be copied into the new one."""

    meta: DocumentMeta
    entry: DocumentEntry
    chunks: list[Chunk] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    tokens: list[dict[str, list[str]]] = field(default_factory=list)


@dataclass
class _Planned:
    """One plan of the new snapshot, parsed anew or reused."""

    meta: DocumentMeta
    status: BuildStatus
    chunks: list[Chunk]
    facts: list[Fact]
    sections: int
    warnings: tuple[str, ...]
    reused: _Reusable | None = None


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


def _same_id(source: str, doc_id: str, seen: dict[str, str]) -> DocumentResult:
    return DocumentResult(
        source=source, error=f"same document id as {seen[doc_id]}: rename the file", status=BuildStatus.SKIPPED
    )


def index_document(doc: ParsedDocument) -> tuple[list[Chunk], list[Fact]]:
    """Everything a snapshot holds of one plan, besides embeddings: its chunks and its facts."""
    chunks = chunk_document(doc)
    return chunks, extract_facts(doc, chunks)


# --- the base snapshot --------------------------------------------------------------------------------


def _current_manifest(index_dir: Path) -> Manifest | None:
    """The current snapshot's manifest, or ``None`` when there is none or it is unreadable."""
    current = current_snapshot_id(index_dir)
    if current is None:
        return None
    try:
        return read_manifest(index_dir, current)
    except SnapshotError as exc:
        log.warning("current snapshot is unreadable, building from scratch: %s", exc)
        return None


def _reusable_plans(index_dir: Path, manifest: Manifest, embedder: Embedder) -> dict[str, _Reusable]:
    """Plans of the current snapshot by source name, or ``{}`` when it must not be reused."""
    if manifest.pipeline != pipeline_fingerprint() or manifest.dimension != embedder.dimension:
        log.info("snapshot %s was made by other code or dimension: full build", manifest.snapshot_id)
        return {}
    try:
        snapshot = load_snapshot(
            index_dir, manifest.snapshot_id, model=embedder.name, normalizer_version=NORMALIZER_VERSION
        )
        tokens = LexicalIndex.load_tokens(snapshot.path / LEXICAL)
        vectors = snapshot.dense.vectors()
    except (SnapshotError, OSError, ValueError) as exc:
        log.warning("snapshot %s cannot be reused, full build: %s", manifest.snapshot_id, exc)
        return {}
    if tokens is None or len(tokens) != len(snapshot.chunks):
        log.info("snapshot %s has no lexical tokens: full build", manifest.snapshot_id)
        return {}
    entries = {entry.doc_id: entry for entry in snapshot.manifest.documents}
    by_doc = {meta.doc_id: _Reusable(meta, entries[meta.doc_id]) for meta in snapshot.documents}
    for row, chunk in enumerate(snapshot.chunks):
        plan = by_doc[chunk.doc_id]
        plan.chunks.append(chunk)
        plan.vectors.append(vectors[row])
        plan.tokens.append(tokens[row])
    for fact in snapshot.facts:
        by_doc[fact.doc_id].facts.append(fact)
    return {plan.meta.source: plan for plan in by_doc.values()}


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # parse_file will report why


# --- the build ----------------------------------------------------------------------------------------


def _plan_documents(
    paths: Sequence[Path],
    previous: dict[str, DocumentEntry],
    reusable: dict[str, _Reusable],
    *,
    on_progress: ProgressCallback | None,
) -> tuple[list[_Planned], list[DocumentResult]]:
    """Reuse or parse every file, in order; skipped files come back as results with their reason."""
    planned: list[_Planned] = []
    skipped: list[DocumentResult] = []
    seen: dict[str, str] = {}
    for done, path in enumerate(paths):
        if on_progress is not None:
            on_progress("documents", done, len(paths))
        before = previous.get(path.name)
        plan = reusable.get(path.name)
        if plan is not None and plan.meta.content_hash == _file_hash(path):
            item = _Planned(
                plan.meta,
                BuildStatus.UNCHANGED,
                plan.chunks,
                plan.facts,
                plan.entry.sections,
                plan.entry.warnings,
                plan,
            )
        else:
            try:
                doc = parse_file(path)
            except CampaignBotError as exc:
                skipped.append(DocumentResult(source=path.name, error=str(exc), status=BuildStatus.SKIPPED))
                continue
            status = BuildStatus.NEW if before is None else BuildStatus.CHANGED
            if before is not None and before.content_hash == doc.meta.content_hash:
                status = BuildStatus.UNCHANGED  # same file, rebuilt (full build or other code)
            chunks, facts = index_document(doc)
            item = _Planned(doc.meta, status, chunks, facts, len(doc.sections), tuple(document_warnings(doc)))
        if item.meta.doc_id in seen:
            skipped.append(_same_id(path.name, item.meta.doc_id, seen))
            continue
        seen[item.meta.doc_id] = path.name
        planned.append(item)
    if on_progress is not None:
        on_progress("documents", len(paths), len(paths))
    return planned, skipped


def build_index(
    documents_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    full: bool = False,
    wait: bool = False,
    keep_snapshots: int | None = None,
    on_wait: Callable[[str], None] | None = None,
    on_progress: ProgressCallback | None = None,
) -> BuildResult:
    """Index the plans of ``documents_dir`` into a new current snapshot of ``index_dir``.

    Incremental unless ``full``: see the module docstring. Holds the build lock throughout (``wait``:
    block until free), removes leftovers of killed builds first, and afterwards deletes old snapshots
    beyond ``keep_snapshots`` (``None``: keep all). Raises ``BuildError`` when no plan is readable.
    """
    with build_lock(index_dir, wait=wait, on_wait=on_wait):
        cleaned = clean_leftovers(index_dir)
        if cleaned:
            log.info("removed leftovers of an interrupted build: %s", ", ".join(cleaned))
        paths = discover(documents_dir)
        base = _current_manifest(index_dir)
        previous = {entry.source: entry for entry in base.documents} if base else {}
        reusable = _reusable_plans(index_dir, base, embedder) if base and not full else {}
        planned, skipped = _plan_documents(paths, previous, reusable, on_progress=on_progress)
        if not planned:
            reasons = "; ".join(f"{r.source}: {r.error}" for r in skipped) or "no supported files"
            raise BuildError(f"no readable plan in {documents_dir} ({reasons})")
        manifest, embedded = _write(index_dir, planned, embedder, on_progress=on_progress)
        pruned = prune_snapshots(index_dir, keep_snapshots) if keep_snapshots is not None else []
    return BuildResult(
        manifest=manifest,
        documents=_report(paths, planned, skipped, previous),
        reused_from=base.snapshot_id if reusable and base else None,
        embedded=embedded,
        pruned=tuple(pruned),
        cleaned=tuple(cleaned),
    )


def _write(
    index_dir: Path, planned: Sequence[_Planned], embedder: Embedder, *, on_progress: ProgressCallback | None
) -> tuple[Manifest, int]:
    """Embed what is new, assemble every plan in order and write the snapshot; returns it and the count."""
    fresh = [chunk.index_text for item in planned if item.reused is None for chunk in item.chunks]
    log.info("embedding %d new chunks (%d plans reused)", len(fresh), sum(1 for p in planned if p.reused))
    new_vectors = iter(_embed(embedder, fresh, on_progress))
    chunks: list[Chunk] = []
    facts: list[Fact] = []
    vectors: list[np.ndarray] = []
    tokens: list[dict[str, list[str]]] = []
    for item in planned:
        chunks.extend(item.chunks)
        facts.extend(item.facts)
        if item.reused is not None:
            vectors.extend(item.reused.vectors)
            tokens.extend(item.reused.tokens)
        else:
            vectors.extend(next(new_vectors) for _ in item.chunks)
            tokens.extend(field_tokens(chunk.index_text) for chunk in item.chunks)
    matrix = np.stack(vectors).astype(np.float32) if vectors else np.zeros((0, embedder.dimension), np.float32)
    manifest = write_snapshot(
        index_dir,
        model=embedder.name,
        normalizer_version=NORMALIZER_VERSION,
        documents=[item.meta for item in planned],
        chunks=chunks,
        vectors=matrix,
        lexical=LexicalIndex.from_tokens(tokens),
        facts=facts,
        pipeline=pipeline_fingerprint(),
        sections={item.meta.doc_id: item.sections for item in planned},
        warnings={item.meta.doc_id: item.warnings for item in planned},
    )
    return manifest, len(fresh)


def _embed(embedder: Embedder, texts: Sequence[str], on_progress: ProgressCallback | None) -> np.ndarray:
    """Passage vectors of ``texts``; in slices when progress is reported (vectors do not depend on it)."""
    if not texts:
        return np.zeros((0, embedder.dimension), np.float32)
    if on_progress is None:
        return embedder.embed_passages(texts)
    parts = []
    for start in range(0, len(texts), EMBED_SLICE):
        on_progress("embedding", start, len(texts))
        parts.append(embedder.embed_passages(texts[start : start + EMBED_SLICE]))
    on_progress("embedding", len(texts), len(texts))
    return np.concatenate(parts)


def _report(
    paths: Sequence[Path],
    planned: Sequence[_Planned],
    skipped: Sequence[DocumentResult],
    previous: dict[str, DocumentEntry],
) -> tuple[DocumentResult, ...]:
    """One result per file in folder order, then the plans that left the index."""
    extra = cross_document_warnings([item.meta for item in planned])
    by_source: dict[str, DocumentResult] = {r.source: r for r in skipped}
    for item in planned:
        by_source[item.meta.source] = DocumentResult(
            source=item.meta.source,
            doc_id=item.meta.doc_id,
            chunks=len(item.chunks),
            status=item.status,
            sections=item.sections,
            facts=len(item.facts),
            warnings=(*item.warnings, *extra.get(item.meta.doc_id, ())),
            locality=item.meta.locality,
            number=item.meta.number,
            date=item.meta.date,
        )
    results = [by_source[path.name] for path in paths if path.name in by_source]
    present = {path.name for path in paths}
    results += [
        DocumentResult(source=source, doc_id=entry.doc_id, status=BuildStatus.REMOVED)
        for source, entry in previous.items()
        if source not in present
    ]
    return tuple(results)


def inspect_file(path: Path) -> str:
    """What ``campaign-bot inspect`` prints: the parser's view of one plan, then its chunks and facts.

    Raises ``DocumentError`` when the file cannot be read (the build would skip it for that reason).
    """
    from collections import Counter

    from bot.ingest.report import describe

    doc = parse_file(path)
    chunks, facts = index_document(doc)
    kinds = Counter(fact.kind for fact in facts)
    summary = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())) or "none"
    return f"{describe(doc)}\n\nChunks: {len(chunks)}\nFacts: {len(facts)} ({summary})"
