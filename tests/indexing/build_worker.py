"""A real build process for the kill tests: ``python -m tests.indexing.build_worker DOCS INDEX POINT``.

It runs :func:`bot.indexing.build.build_index` with the fake embedder and, when it reaches ``POINT``, prints
``at POINT`` on stdout and blocks forever, so that the test can SIGKILL it exactly there:

* ``embedding``: inside the embedder (nothing written yet);
* ``writing``: the snapshot's temporary folder is fully written, not yet renamed;
* ``switching``: the snapshot folder is in ``builds/``, ``current`` not yet switched.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import bot.snapshot.store as storage
from bot.embedding.fake import FakeEmbedder
from bot.indexing.build import build_index


def stop_here(point: str) -> None:
    print(f"at {point}", flush=True)
    threading.Event().wait()  # until killed


class StoppingEmbedder(FakeEmbedder):
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        stop_here("embedding")
        return super().embed_passages(texts)


def main() -> None:
    documents, index, point = sys.argv[1:4]
    embedder = StoppingEmbedder() if point == "embedding" else FakeEmbedder()
    if point == "writing":
        storage._fsync_tree = lambda folder: stop_here("writing")  # type: ignore[assignment]
    if point == "switching":
        storage.set_current = lambda index_dir, snapshot_id: stop_here("switching")
    build_index(Path(documents), Path(index), embedder)
    print("done", flush=True)


if __name__ == "__main__":
    main()
