"""The running answer service: the current snapshot's AnswerService, swapped whole on reload.

Adapters (API, CLI, Telegram) hold a :class:`ServiceHolder` and ask it for the service per request.
A reload builds the new service completely before swapping one reference, so requests in flight
finish on the snapshot they started with and no request ever sees a half-loaded one.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.answer import AnswerService
from bot.embedding import Embedder
from bot.retrieval import Retriever
from bot.storage import load_snapshot
from bot.text import NORMALIZER_VERSION

log = logging.getLogger(__name__)


def open_service(index_dir: Path, embedder: Embedder, *, max_question_chars: int = 2000) -> AnswerService:
    """Load the current snapshot of ``index_dir`` (verified and compatible) into an AnswerService."""
    snapshot = load_snapshot(index_dir, model=embedder.name, normalizer_version=NORMALIZER_VERSION)
    log.info("serving snapshot %s (%d chunks)", snapshot.snapshot_id, len(snapshot.chunks))
    service = AnswerService(Retriever(snapshot, embedder), max_question_chars=max_question_chars)
    service.warm_up()
    return service


class ServiceHolder:
    """Holds the service of the current snapshot and swaps it atomically on :meth:`reload`."""

    def __init__(self, index_dir: Path, embedder: Embedder, *, max_question_chars: int = 2000) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.max_question_chars = max_question_chars
        self._lock = threading.Lock()
        self._service: AnswerService | None = None

    def get(self) -> AnswerService:
        """The current service, loading it on first use; ``SnapshotError`` when there is no index."""
        service = self._service
        if service is None:
            with self._lock:
                if self._service is None:
                    self._service = open_service(
                        self.index_dir, self.embedder, max_question_chars=self.max_question_chars
                    )
                service = self._service
        return service

    def reload(self) -> str:
        """Load the current snapshot anew and swap it in; the old one keeps serving if loading fails."""
        with self._lock:
            service = open_service(self.index_dir, self.embedder, max_question_chars=self.max_question_chars)
            self._service = service
        return service.retriever.snapshot.snapshot_id
