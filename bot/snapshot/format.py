"""The snapshot format: folder layout, manifest, and the JSON forms of documents, chunks and facts.

Layout of an index folder::

    index/
      current                 # one line: the id of the snapshot being served
      builds/<snapshot_id>/   # immutable once its folder name exists
        manifest.json         # format, model, dimension, normaliser version, documents, counts, checksums
        documents.json        # DocumentMeta of every plan
        chunks.jsonl          # one Chunk per line, in index order
        facts.jsonl           # structured facts (responsibilities, targets, deadlines...), one per line
        dense.faiss           # inner-product FAISS index, exact or HNSW/IVF by size (bot.snapshot.dense)
        lexical/              # BM25 fields (bot.snapshot.lexical)

Writing, verifying and switching snapshots is :mod:`bot.snapshot.store`'s job.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.errors import SnapshotError
from bot.models import Chunk, DocumentMeta, Fact, TableRow

FORMAT_VERSION = 1
CURRENT_FILE = "current"
BUILDS_DIR = "builds"
MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
CHUNKS = "chunks.jsonl"
FACTS = "facts.jsonl"
DENSE = "dense.faiss"
LEXICAL = "lexical"
TMP_PREFIX = ".tmp-"  # folders being written (or left by a killed build) below builds/


@dataclass(frozen=True)
class DocumentEntry:
    """What the manifest records of one indexed plan."""

    doc_id: str
    source: str
    content_hash: str
    chunks: int
    sections: int = 0
    facts: int = 0
    # What a reviewer should check in this plan alone (bot.ingest.report.warnings), kept so that an
    # incremental build can report unchanged plans without parsing them again.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    """Describes a snapshot; checked before a snapshot is served."""

    snapshot_id: str
    created_at: str
    model: str
    dimension: int
    normalizer_version: str
    documents: tuple[DocumentEntry, ...]
    chunk_count: int
    checksums: dict[str, str]
    format_version: int = FORMAT_VERSION
    # Fingerprint of the code that turned files into chunks and facts (see bot.indexing.fingerprint): an incremental
    # build reuses a plan's chunks only from a snapshot made by the same code.
    pipeline: str = ""
    # The FAISS index type and its parameters (bot.snapshot.dense.IndexChoice.to_dict); empty: exact search.
    dense: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The manifest as pretty JSON (stable key order)."""
        data = asdict(self)
        data["counts"] = {"documents": len(self.documents), "chunks": self.chunk_count}
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse :meth:`to_json` output; raises ``SnapshotError`` when fields are missing."""
        try:
            data = json.loads(text)
            return cls(
                snapshot_id=data["snapshot_id"],
                created_at=data["created_at"],
                model=data["model"],
                dimension=int(data["dimension"]),
                normalizer_version=str(data["normalizer_version"]),
                documents=tuple(
                    DocumentEntry(**{**entry, "warnings": tuple(entry.get("warnings") or ())})
                    for entry in data["documents"]
                ),
                chunk_count=int(data["chunk_count"]),
                checksums=dict(data["checksums"]),
                format_version=int(data["format_version"]),
                pipeline=str(data.get("pipeline", "")),
                dense=dict(data.get("dense") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SnapshotError(f"manifest is not readable: {exc}") from exc


def check_compatible(manifest: Manifest, *, model: str, normalizer_version: str) -> None:
    """Refuse a snapshot built with another model or text normaliser than the running code uses."""
    if manifest.format_version != FORMAT_VERSION:
        raise SnapshotError(
            f"snapshot {manifest.snapshot_id} has format {manifest.format_version}, "
            f"this version reads format {FORMAT_VERSION}; rebuild with `campaign-bot index build`"
        )
    if manifest.model != model:
        raise SnapshotError(
            f"snapshot {manifest.snapshot_id} was built with model '{manifest.model}', "
            f"but the configured model is '{model}'; rebuild with `campaign-bot index build`"
        )
    if manifest.normalizer_version != normalizer_version:
        raise SnapshotError(
            f"snapshot {manifest.snapshot_id} was built with text normaliser {manifest.normalizer_version}, "
            f"this version uses {normalizer_version}; rebuild with `campaign-bot index build`"
        )


# --- (de)serialisation of plain data -------------------------------------------------------------


def chunk_to_dict(chunk: Chunk) -> dict[str, Any]:
    """A JSON-ready dict of ``chunk``."""
    return asdict(chunk)


def chunk_from_dict(data: dict[str, Any]) -> Chunk:
    """Inverse of :func:`chunk_to_dict`."""
    row = data.get("row")
    return Chunk(
        chunk_id=data["chunk_id"],
        doc_id=data["doc_id"],
        section_path=tuple(data["section_path"]),
        text=data["text"],
        context=data["context"],
        kind=data["kind"],
        ordinal=int(data["ordinal"]),
        row=(
            TableRow(
                cells=tuple((str(k), str(v)) for k, v in row["cells"]),
                group=row.get("group", ""),
                line=row.get("line", ""),
            )
            if row
            else None
        ),
        pages=tuple(int(p) for p in data.get("pages") or ()),
        source=data.get("source", ""),
    )


def fact_from_dict(data: dict[str, Any]) -> Fact:
    """Inverse of ``dataclasses.asdict`` on a Fact (tuples restored)."""
    fields = dict(data)
    fields["section_path"] = tuple(fields.get("section_path") or ())
    known = set(Fact.__dataclass_fields__)
    return Fact(**{k: v for k, v in fields.items() if k in known})


def document_from_dict(data: dict[str, Any]) -> DocumentMeta:
    """Inverse of ``dataclasses.asdict`` on a DocumentMeta (tuples restored)."""
    fields = dict(data)
    for key in ("implements", "recipients"):
        fields[key] = tuple(fields.get(key) or ())
    known = {f for f in DocumentMeta.__dataclass_fields__}
    return DocumentMeta(**{k: v for k, v in fields.items() if k in known})
