"""The running answer service: the current snapshot's AnswerService, swapped whole on reload.

Adapters (API, CLI, Telegram) hold a :class:`ServiceHolder` and ask it for the service per request.
The service it gives is a :class:`SnapshotService`: the answer engine of one snapshot plus the small
read API adapters use (:meth:`~SnapshotService.documents`, :attr:`~SnapshotService.snapshot_id`,
:meth:`~SnapshotService.localities`...) instead of reaching through its retriever into the snapshot.
A reload builds the new service completely before swapping one reference, so requests in flight
finish on the snapshot they started with and no request ever sees a half-loaded one.

Hot reload: :meth:`ServiceHolder.get` looks at ``index/current`` at most every ``watch_interval``
seconds (one small file read); when it names another snapshot, that snapshot is loaded in a
background thread while the old one keeps answering, then swapped in. A snapshot that fails to load
(corrupted, incompatible) is logged and not retried until ``current`` changes again; the old one keeps
serving. At start-up, a current snapshot that fails to load gives way to the newest older one that
loads, with an error in the log; with none, the original error is raised.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from bot.answering.engine import AnswerService
from bot.embedding.protocol import Embedder
from bot.errors import SnapshotError
from bot.models import DocumentMeta
from bot.retrieval.hybrid import Retriever
from bot.snapshot.store import Manifest, current_snapshot_id, list_snapshots, load_snapshot
from bot.text.normalize import NORMALIZER_VERSION

log = logging.getLogger(__name__)

DEFAULT_WATCH_INTERVAL = 1.0  # seconds between two looks at index/current


class SnapshotService(AnswerService):
    """The answer service of one loaded snapshot, with what adapters may read of that snapshot.

    Everything read here is of the same snapshot the service answers from, so an adapter that takes
    one service per request shows documents, localities and ids consistent with its answer.
    """

    @property
    def snapshot_id(self) -> str:
        """The id of the snapshot this service answers from."""
        return self.retriever.snapshot.snapshot_id

    @property
    def manifest(self) -> Manifest:
        """The snapshot's manifest (creation time, model, per-plan chunk counts...)."""
        return self.retriever.snapshot.manifest

    def documents(self) -> tuple[DocumentMeta, ...]:
        """The plans of the snapshot, in snapshot order."""
        return self.retriever.snapshot.documents

    def documents_by_id(self) -> dict[str, DocumentMeta]:
        """The plans of the snapshot by doc_id (what citation formatters look plans up in)."""
        return {d.doc_id: d for d in self.retriever.snapshot.documents}

    def localities(self) -> list[str]:
        """The distinct localities of the plans, sorted."""
        return sorted({d.locality for d in self.retriever.snapshot.documents if d.locality})

    def named_plans(self, text: str) -> set[str]:
        """doc_ids of the plans whose locality or số hiệu ``text`` names (empty when none)."""
        return self.retriever.documents_for_locality(text)

    def locality_named(self, text: str) -> str | None:
        """The locality of the plans named in ``text`` (the first in plan order), or ``None``."""
        named = self.named_plans(text)
        return next((d.locality for d in self.documents() if d.doc_id in named and d.locality), None)

    def place_keys(self, doc_ids: Iterable[str]) -> set[str]:
        """Bare folded place names ("kinh mon") of the localities of ``doc_ids`` (plans without one skipped)."""
        keys = self.retriever.locality_keys
        return {keys[d] for d in doc_ids if d in keys}


def open_service(
    index_dir: Path, embedder: Embedder, *, max_question_chars: int = 2000, snapshot_id: str | None = None
) -> SnapshotService:
    """Load a snapshot of ``index_dir`` (the current one by default; verified, compatible) into a service."""
    snapshot = load_snapshot(index_dir, snapshot_id, model=embedder.name, normalizer_version=NORMALIZER_VERSION)
    log.info("serving snapshot %s (%d chunks)", snapshot.snapshot_id, len(snapshot.chunks))
    service = SnapshotService(Retriever(snapshot, embedder), max_question_chars=max_question_chars)
    service.warm_up()
    return service


class ServiceHolder:
    """Holds the service of the current snapshot and swaps it atomically on :meth:`reload`.

    ``watch_interval=None`` switches the automatic reload off (then only :meth:`reload` swaps).
    """

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        *,
        max_question_chars: int = 2000,
        watch_interval: float | None = DEFAULT_WATCH_INTERVAL,
    ) -> None:
        self.index_dir = index_dir
        self.embedder = embedder
        self.max_question_chars = max_question_chars
        self.watch_interval = watch_interval
        self._lock = threading.Lock()  # one load at a time
        self._changed = threading.Condition()  # notified after every reload attempt
        self._service: SnapshotService | None = None
        self._refused: str | None = None  # a snapshot id that failed to load: not retried
        self._next_look = 0.0
        self._watcher: threading.Thread | None = None
        self.last_error: str | None = None

    @property
    def snapshot_id(self) -> str | None:
        """The id of the snapshot being served (``None`` before the first load)."""
        service = self._service
        return service.snapshot_id if service is not None else None

    def get(self) -> SnapshotService:
        """The current service, loading it on first use; ``SnapshotError`` when there is no usable index."""
        service = self._service
        if service is None:
            with self._lock:
                if self._service is None:
                    self._service = self._open_at_start()
                service = self._service
        else:
            self._look_for_new_snapshot()
        return service

    def reload(self) -> str:
        """Load the current snapshot anew and swap it in; the old one keeps serving if loading fails.

        Raises ``SnapshotError`` (with the reason) when the current snapshot cannot be served.
        """
        target = current_snapshot_id(self.index_dir)
        try:
            with self._lock:
                service = self._open(target)
                self._service = service
                self._refused = None
                self.last_error = None
        except SnapshotError as exc:
            self._refuse(target, exc)
            raise
        finally:
            with self._changed:
                self._changed.notify_all()
        return service.snapshot_id

    def wait_for_attempt(self, snapshot_id: str, timeout: float = 30.0) -> bool:
        """Block until loading ``snapshot_id`` succeeded or failed; True when it is served."""
        with self._changed:
            self._changed.wait_for(lambda: snapshot_id in (self.snapshot_id, self._refused), timeout)
            return self.snapshot_id == snapshot_id

    # --- internals -------------------------------------------------------------------------------

    def _open(self, snapshot_id: str | None) -> SnapshotService:
        return open_service(
            self.index_dir, self.embedder, max_question_chars=self.max_question_chars, snapshot_id=snapshot_id
        )

    def _refuse(self, snapshot_id: str | None, exc: SnapshotError) -> None:
        self._refused = snapshot_id
        self.last_error = str(exc)
        log.error("snapshot %s refused, still serving %s: %s", snapshot_id, self.snapshot_id, exc)

    def _open_at_start(self) -> SnapshotService:
        """The current snapshot's service, or the newest older snapshot that loads when it does not."""
        current = current_snapshot_id(self.index_dir)
        try:
            return self._open(current)
        except SnapshotError as exc:
            if current is None:
                raise
            older = [s for s in list_snapshots(self.index_dir) if s < current]
            for candidate in reversed(older):
                try:
                    service = self._open(candidate)
                except SnapshotError as other:
                    log.warning("snapshot %s cannot be served either: %s", candidate, other)
                    continue
                self._refuse(current, exc)
                log.error("current snapshot %s cannot be served, serving %s instead", current, candidate)
                return service
            raise

    def _look_for_new_snapshot(self) -> None:
        """Start a background reload when ``index/current`` names another snapshot (rate-limited)."""
        if self.watch_interval is None:
            return
        now = time.monotonic()
        if now < self._next_look:
            return
        self._next_look = now + self.watch_interval
        try:
            target = current_snapshot_id(self.index_dir)
        except OSError as exc:  # e.g. the index folder is being replaced: look again later
            log.warning("cannot read %s/current: %s", self.index_dir, exc)
            return
        if target is None or target in (self.snapshot_id, self._refused):
            return
        with self._changed:
            if self._watcher is not None and self._watcher.is_alive():
                return
            self._watcher = threading.Thread(target=self._reload_quietly, name="snapshot-reload", daemon=True)
            self._watcher.start()

    def _reload_quietly(self) -> None:
        try:
            snapshot_id = self.reload()
        except SnapshotError:
            return  # logged by reload(); the old service keeps serving
        log.info("switched to snapshot %s", snapshot_id)
