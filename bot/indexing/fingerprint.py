"""The fingerprint of the code that turns files into chunks, facts and tokens.

An incremental build reuses a plan's chunks only from a snapshot whose manifest carries the same
fingerprint: any edit of that code makes the next build a full one.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from bot.snapshot.format import FORMAT_VERSION
from bot.text.normalize import NORMALIZER_VERSION

# Paths relative to the ``bot`` package: everything that turns a file into chunks, facts and tokens.
# snapshot/format.py: its serialisers decide what a reused plan's chunks and facts are once read back.
_PIPELINE_MODULES = ("ingest", "text", "snapshot/lexical.py", "snapshot/format.py", "models.py", "indexing")


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A hash of the code that turns files into chunks, facts and tokens (changes with any edit of it)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"format {FORMAT_VERSION}\x00normaliser {NORMALIZER_VERSION}".encode())
    for name in _PIPELINE_MODULES:
        target = package / name
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            digest.update(str(path.relative_to(package)).encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:16]
