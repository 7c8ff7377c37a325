"""What a build reports: the status of each plan, its per-document result, and the build's error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.models import DocumentMeta


class BuildStatus(StrEnum):
    """What happened to a plan, compared with the snapshot that was current when the build started."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class DocumentResult:
    """What happened to one file during a build: status, what was found, warnings or the skip reason."""

    source: str
    doc_id: str | None = None
    chunks: int = 0
    error: str | None = None
    status: BuildStatus = BuildStatus.NEW
    sections: int = 0
    facts: int = 0
    warnings: tuple[str, ...] = ()
    # Header metadata found (None: not found, see the warnings).
    locality: str | None = None
    number: str | None = None
    date: str | None = None


def cross_document_warnings(documents: Sequence[DocumentMeta]) -> dict[str, list[str]]:
    """Warnings that need the whole corpus, by doc id: a copy of another plan, or the same plan twice.

    A plan is flagged when its content hash equals an earlier plan's, or when its number, locality and
    date are those of an earlier plan under another file name; the earlier plan is named.
    """
    found: dict[str, list[str]] = {}
    by_hash: dict[str, str] = {}
    by_identity: dict[tuple[str, str, str], str] = {}
    for meta in documents:
        notes: list[str] = []
        if meta.content_hash and meta.content_hash in by_hash:
            notes.append(f"duplicate of another plan: same content as {by_hash[meta.content_hash]}")
        elif meta.number and meta.locality and meta.date:
            key = (meta.number.lower(), meta.locality.lower(), meta.date)
            if key in by_identity:
                notes.append(f"duplicate of another plan: same number, locality and date as {by_identity[key]}")
            by_identity.setdefault(key, meta.source)
        if meta.content_hash:
            by_hash.setdefault(meta.content_hash, meta.source)
        if notes:
            found[meta.doc_id] = notes
    return found
