"""Backup and restore of what a deployment cannot rebuild cheaply: the snapshot served, the documents
it was built from, and the feedback database.

A backup folder holds::

    backup.json                 what is inside, with the SHA-256 of every file
    snapshot/<id>/...           the current snapshot, as in index/builds/<id>
    documents/...               the documents folder
    feedback.sqlite3            a consistent copy (SQLite's online backup API, safe while the bot writes)

:func:`restore` verifies every checksum before it writes anything, then copies the snapshot into
``index/builds`` and switches ``current`` to it atomically (:func:`bot.snapshot.store.set_current`),
so a service running on that index keeps answering from the old snapshot or the restored one.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import BackupError
from bot.snapshot.format import BUILDS_DIR
from bot.snapshot.store import current_snapshot_id, file_sha256, read_manifest, set_current, verify_checksums

BACKUP_MANIFEST = "backup.json"
FEEDBACK_FILE = "feedback.sqlite3"
FORMAT = 1


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (or a restore wrote)."""

    folder: Path
    snapshot_id: str
    documents: int
    feedback: bool


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file())


def _is_empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def backup(
    index_dir: Path, documents_dir: Path, feedback_db: Path, target: Path, *, force: bool = False
) -> BackupSummary:
    """Write a backup of the current snapshot of ``index_dir``, ``documents_dir`` and ``feedback_db``
    (when it exists) into ``target``, which must be empty unless ``force``."""
    snapshot_id = current_snapshot_id(index_dir)
    if snapshot_id is None:
        raise BackupError(f"no index to back up in {index_dir}: build one first (campaign-bot index build)")
    source = index_dir / BUILDS_DIR / snapshot_id
    verify_checksums(source, read_manifest(index_dir, snapshot_id))  # never back up a damaged snapshot
    if not _is_empty(target) and not force:
        raise BackupError(f"{target} is not empty: choose an empty folder or pass --force")
    if force and target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(source, target / "snapshot" / snapshot_id)
    if documents_dir.is_dir():
        shutil.copytree(documents_dir, target / "documents")
    else:
        (target / "documents").mkdir()
    has_feedback = feedback_db.is_file()
    if has_feedback:
        with closing(sqlite3.connect(feedback_db)) as src, closing(sqlite3.connect(target / FEEDBACK_FILE)) as dst:
            src.backup(dst)
    checksums = {str(p.relative_to(target)): file_sha256(p) for p in _files(target)}
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "snapshot": snapshot_id,
        "feedback": has_feedback,
        "checksums": checksums,
    }
    (target / BACKUP_MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    documents = sum(1 for _ in _files(target / "documents"))
    return BackupSummary(target, snapshot_id, documents, has_feedback)


def _read_manifest(folder: Path) -> dict[str, object]:
    path = folder / BACKUP_MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup: {BACKUP_MANIFEST} is missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of format {FORMAT}")
    return manifest


def verify_backup(folder: Path) -> dict[str, object]:
    """The manifest of the backup in ``folder``; ``BackupError`` naming the first file missing or altered."""
    manifest = _read_manifest(folder)
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict):
        raise BackupError(f"{folder / BACKUP_MANIFEST} lists no checksums")
    for name, expected in sorted(checksums.items()):
        path = folder / name
        if ".." in Path(name).parts or not path.is_file():
            raise BackupError(f"backup is incomplete: {name} is missing")
        if file_sha256(path) != expected:
            raise BackupError(f"backup is damaged: {name} fails its checksum")
    return manifest


def restore(
    source: Path, index_dir: Path, documents_dir: Path, feedback_db: Path, *, force: bool = False
) -> BackupSummary:
    """Restore the backup in ``source``: its snapshot becomes the current one of ``index_dir``, its
    documents replace ``documents_dir``, its feedback database ``feedback_db``. Refuses (``BackupError``)
    a damaged backup, and a non-empty documents folder or an existing feedback database unless ``force``."""
    manifest = verify_backup(source)
    snapshot_id = str(manifest["snapshot"])
    has_feedback = bool(manifest.get("feedback"))
    if not force:
        if not _is_empty(documents_dir):
            raise BackupError(f"{documents_dir} is not empty: restore into empty folders or pass --force")
        if has_feedback and feedback_db.exists():
            raise BackupError(f"{feedback_db} exists: restore into empty folders or pass --force")
    builds = index_dir / BUILDS_DIR
    builds.mkdir(parents=True, exist_ok=True)
    destination = builds / snapshot_id
    if not destination.exists():
        staging = builds / f".restore-{snapshot_id}"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(source / "snapshot" / snapshot_id, staging)
        staging.rename(destination)  # complete or absent, like a build
    verify_checksums(destination, read_manifest(index_dir, snapshot_id))
    if documents_dir.exists():
        shutil.rmtree(documents_dir)
    shutil.copytree(source / "documents", documents_dir)
    if has_feedback:
        feedback_db.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source / FEEDBACK_FILE)) as src, closing(sqlite3.connect(feedback_db)) as dst:
            src.backup(dst)
    set_current(index_dir, snapshot_id)
    documents = sum(1 for _ in _files(documents_dir))
    return BackupSummary(source, snapshot_id, documents, has_feedback)
