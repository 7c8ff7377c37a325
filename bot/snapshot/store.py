"""Index snapshots on disk: write one, verify its checksums, switch ``current`` atomically, prune old ones.

The folder layout and the manifest are :mod:`bot.snapshot.format`'s. A snapshot is written into a
hidden temporary folder, every file fsynced, and renamed into ``builds/`` only when complete; then
``current`` is replaced atomically (write a temporary file, fsync, ``os.replace``). A reader therefore
sees either the old snapshot or the new one, never a half-written one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bot.errors import SnapshotError
from bot.models import Chunk, DocumentMeta, Fact
from bot.snapshot.dense import DenseIndex, IndexChoice
from bot.snapshot.format import (
    BUILDS_DIR,
    CHUNKS,
    CURRENT_FILE,
    DENSE,
    DOCUMENTS,
    FACTS,
    LEXICAL,
    MANIFEST,
    TMP_PREFIX,
    DocumentEntry,
    Manifest,
    check_compatible,
    chunk_from_dict,
    chunk_to_dict,
    document_from_dict,
    fact_from_dict,
)
from bot.snapshot.lexical import LexicalIndex


@dataclass(frozen=True)
class Snapshot:
    """A loaded, verified snapshot: everything retrieval needs, read-only."""

    path: Path
    manifest: Manifest
    documents: tuple[DocumentMeta, ...]
    chunks: tuple[Chunk, ...]
    dense: DenseIndex
    lexical: LexicalIndex
    facts: tuple[Fact, ...] = ()

    @property
    def snapshot_id(self) -> str:
        """The snapshot's id (its folder name)."""
        return self.manifest.snapshot_id

    def document(self, doc_id: str) -> DocumentMeta:
        """Metadata of ``doc_id``; raises ``KeyError`` when absent."""
        for meta in self.documents:
            if meta.doc_id == doc_id:
                return meta
        raise KeyError(doc_id)


# --- writing ---------------------------------------------------------------------------------------


def new_snapshot_id(now: datetime | None = None) -> str:
    """A sortable, unique snapshot id: UTC timestamp to the microsecond plus random suffix.

    Ids sort in creation order (rollback and pruning rely on it), also for builds within one second.
    """
    moment = now or datetime.now(UTC)
    return f"{moment.strftime('%Y%m%dT%H%M%S.%f')}-{os.urandom(3).hex()}"


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path`` (hex), read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_files(folder: Path) -> Iterator[Path]:
    """Every file of a snapshot except the manifest, in a stable order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            yield path


def _fsync_tree(folder: Path) -> None:
    """Flush every file so a crash after the rename cannot expose empty files."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def write_snapshot(
    index_dir: Path,
    *,
    model: str,
    normalizer_version: str,
    documents: Sequence[DocumentMeta],
    chunks: Sequence[Chunk],
    vectors: np.ndarray,
    lexical: LexicalIndex,
    facts: Sequence[Fact] = (),
    activate: bool = True,
    pipeline: str = "",
    sections: Mapping[str, int] | None = None,
    warnings: Mapping[str, Sequence[str]] | None = None,
    dense_index: IndexChoice | None = None,
) -> Manifest:
    """Write a complete snapshot under ``index_dir/builds`` and (by default) make it current.

    ``vectors`` row ``i`` and lexical document ``i`` belong to ``chunks[i]``. The snapshot becomes
    visible only once complete; on any error the temporary folder is removed and nothing that was
    served changes. ``sections``/``warnings`` (by doc id) are recorded per document in the manifest.
    ``dense_index`` is the FAISS index to build (default: chosen by size, see
    :func:`bot.snapshot.dense.choose_index`); the choice is recorded in the manifest.
    """
    if len(vectors) != len(chunks) or lexical.size != len(chunks):
        raise SnapshotError("vectors, lexical index and chunks disagree in size")
    builds = index_dir / BUILDS_DIR
    builds.mkdir(parents=True, exist_ok=True)
    snapshot_id = new_snapshot_id()
    latest = max(list_snapshots(index_dir), default="")
    if snapshot_id <= latest:  # the clock went back: keep ids in creation order all the same
        snapshot_id = f"{latest}-{os.urandom(2).hex()}"  # a prefix sorts first: this one comes after
    tmp = builds / f"{TMP_PREFIX}{snapshot_id}"
    try:
        tmp.mkdir()
        (tmp / DOCUMENTS).write_text(
            json.dumps([asdict(d) for d in documents], ensure_ascii=False, indent=1), encoding="utf-8"
        )
        with (tmp / CHUNKS).open("w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(json.dumps(chunk_to_dict(chunk), ensure_ascii=False) + "\n")
        with (tmp / FACTS).open("w", encoding="utf-8") as handle:
            for fact in facts:
                handle.write(json.dumps(asdict(fact), ensure_ascii=False) + "\n")
        dense = DenseIndex.build(vectors, dense_index)
        dense.save(tmp / DENSE)
        lexical.save(tmp / LEXICAL)
        per_doc = Counter(chunk.doc_id for chunk in chunks)
        facts_per_doc = Counter(fact.doc_id for fact in facts)
        manifest = Manifest(
            snapshot_id=snapshot_id,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            model=model,
            dimension=int(vectors.shape[1]) if vectors.ndim == 2 else 0,
            normalizer_version=normalizer_version,
            documents=tuple(
                DocumentEntry(
                    d.doc_id,
                    d.source,
                    d.content_hash,
                    per_doc.get(d.doc_id, 0),
                    sections=(sections or {}).get(d.doc_id, 0),
                    facts=facts_per_doc.get(d.doc_id, 0),
                    warnings=tuple((warnings or {}).get(d.doc_id, ())),
                )
                for d in documents
            ),
            chunk_count=len(chunks),
            checksums={str(p.relative_to(tmp)): file_sha256(p) for p in _data_files(tmp)},
            pipeline=pipeline,
            dense=dense.choice.to_dict(),
        )
        (tmp / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        _fsync_tree(tmp)
        os.rename(tmp, builds / snapshot_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if activate:
        set_current(index_dir, snapshot_id)
    return manifest


def set_current(index_dir: Path, snapshot_id: str) -> None:
    """Atomically point ``index_dir/current`` at an existing snapshot."""
    if not (index_dir / BUILDS_DIR / snapshot_id / MANIFEST).is_file():
        raise SnapshotError(f"snapshot {snapshot_id} does not exist in {index_dir}")
    tmp = index_dir / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(snapshot_id + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / CURRENT_FILE)


# --- reading ---------------------------------------------------------------------------------------


def current_snapshot_id(index_dir: Path) -> str | None:
    """The id named by ``index_dir/current``, or ``None`` when there is no built index."""
    pointer = index_dir / CURRENT_FILE
    if not pointer.is_file():
        return None
    value = pointer.read_text(encoding="utf-8").strip()
    return value or None


def list_snapshots(index_dir: Path) -> list[str]:
    """Ids of complete snapshots, oldest first."""
    builds = index_dir / BUILDS_DIR
    if not builds.is_dir():
        return []
    return sorted(p.name for p in builds.iterdir() if not p.name.startswith(".") and (p / MANIFEST).is_file())


def read_manifest(index_dir: Path, snapshot_id: str) -> Manifest:
    """The manifest of one snapshot."""
    path = index_dir / BUILDS_DIR / snapshot_id / MANIFEST
    if not path.is_file():
        raise SnapshotError(f"snapshot {snapshot_id} has no manifest at {path}")
    return Manifest.from_json(path.read_text(encoding="utf-8"))


def verify_checksums(folder: Path, manifest: Manifest) -> None:
    """Raise ``SnapshotError`` naming the first file that is missing or altered."""
    for name, expected in sorted(manifest.checksums.items()):
        path = folder / name
        if not path.is_file():
            raise SnapshotError(f"snapshot {manifest.snapshot_id} is incomplete: {name} is missing")
        if file_sha256(path) != expected:
            raise SnapshotError(f"snapshot {manifest.snapshot_id} is corrupted: {name} fails its checksum")


def load_snapshot(
    index_dir: Path,
    snapshot_id: str | None = None,
    *,
    model: str | None = None,
    normalizer_version: str | None = None,
) -> Snapshot:
    """Load and verify a snapshot (the current one by default).

    With ``model``/``normalizer_version`` given, a snapshot built differently is refused with a
    ``SnapshotError`` that says how to fix it; checksums are always verified.
    """
    snapshot_id = snapshot_id or current_snapshot_id(index_dir)
    if snapshot_id is None:
        raise SnapshotError(f"no index in {index_dir}: build one with `campaign-bot index build`")
    folder = index_dir / BUILDS_DIR / snapshot_id
    manifest = read_manifest(index_dir, snapshot_id)
    if model is not None and normalizer_version is not None:
        check_compatible(manifest, model=model, normalizer_version=normalizer_version)
    verify_checksums(folder, manifest)
    try:
        documents = tuple(document_from_dict(d) for d in json.loads((folder / DOCUMENTS).read_text(encoding="utf-8")))
        with (folder / CHUNKS).open(encoding="utf-8") as handle:
            chunks = tuple(chunk_from_dict(json.loads(line)) for line in handle if line.strip())
        facts: tuple[Fact, ...] = ()
        if (folder / FACTS).is_file():
            with (folder / FACTS).open(encoding="utf-8") as handle:
                facts = tuple(fact_from_dict(json.loads(line)) for line in handle if line.strip())
        dense = DenseIndex.load(folder / DENSE, IndexChoice.from_dict(manifest.dense))
        lexical = LexicalIndex.load(folder / LEXICAL)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise SnapshotError(f"snapshot {snapshot_id} cannot be read: {exc}") from exc
    if not (len(chunks) == dense.size == lexical.size == manifest.chunk_count):
        raise SnapshotError(f"snapshot {snapshot_id} is inconsistent: chunk counts differ between files")
    return Snapshot(folder, manifest, documents, chunks, dense, lexical, facts)


# --- maintenance (callers hold the build lock) -----------------------------------------------------


def clean_leftovers(index_dir: Path) -> list[str]:
    """Remove what an interrupted build left behind: ``builds/.tmp-*`` folders and stray ``current`` temps.

    Only call it while holding the build lock: a running build's temporary folder looks the same.
    Returns the names removed.
    """
    removed: list[str] = []
    builds = index_dir / BUILDS_DIR
    if builds.is_dir():
        for path in builds.iterdir():
            if path.name.startswith(TMP_PREFIX):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    if index_dir.is_dir():
        for path in index_dir.glob(f".{CURRENT_FILE}.*.tmp"):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def previous_snapshot(index_dir: Path) -> str | None:
    """The snapshot listed just before the current one (what a rollback goes back to), if any."""
    current = current_snapshot_id(index_dir)
    snapshots = list_snapshots(index_dir)
    if current not in snapshots:
        return None
    position = snapshots.index(current)
    return snapshots[position - 1] if position > 0 else None


def rollback(index_dir: Path) -> str:
    """Make the previous snapshot current again, after verifying its checksums; returns its id."""
    current = current_snapshot_id(index_dir)
    if current is None:
        raise SnapshotError(f"no index in {index_dir}: nothing to roll back")
    target = previous_snapshot(index_dir)
    if target is None:
        raise SnapshotError(f"snapshot {current} is the oldest one in {index_dir}: there is no previous snapshot")
    verify_checksums(index_dir / BUILDS_DIR / target, read_manifest(index_dir, target))
    set_current(index_dir, target)
    return target


def prune_snapshots(index_dir: Path, keep: int) -> list[str]:
    """Delete the oldest snapshots so that at most ``keep`` remain; returns the ids deleted.

    The current snapshot and the one before it (the rollback target) are never deleted, whatever
    ``keep`` says. A service that already loaded a deleted snapshot keeps serving it from memory.
    """
    protected = {current_snapshot_id(index_dir), previous_snapshot(index_dir)}
    snapshots = list_snapshots(index_dir)
    excess = len(snapshots) - max(keep, 1)
    deleted: list[str] = []
    for snapshot_id in snapshots:
        if len(deleted) >= excess:
            break
        if snapshot_id in protected:
            continue
        folder = index_dir / BUILDS_DIR / snapshot_id
        # Rename first so that a crash mid-delete leaves a hidden folder the next build cleans up.
        doomed = index_dir / BUILDS_DIR / f"{TMP_PREFIX}prune-{snapshot_id}"
        os.rename(folder, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
        deleted.append(snapshot_id)
    return deleted
