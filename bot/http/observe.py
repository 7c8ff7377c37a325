"""One structured log line and the metrics of every request (pure ASGI middleware).

The middleware gives each request an id (the client's ``X-Request-ID`` when it is sane, else a new
one), echoes it in the response header, and when the response is sent logs one record on the logger
``campaign_bot.request`` with ``request_id``, ``method``, ``route`` (the route's template, so labels
stay few), ``status``, ``duration_ms`` and, where a route noted them (:func:`note`), ``snapshot`` and
``answer_status``. Question text is logged only when ``log_questions`` is set.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.http.abuse import is_question
from bot.http.metrics import Metrics

log = logging.getLogger("campaign_bot.request")

_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_notes: ContextVar[dict[str, Any] | None] = ContextVar("campaign_bot_request_notes", default=None)


def note(**fields: Any) -> None:
    """Add ``fields`` (``snapshot``, ``answer_status``, ``question``) to the current request's log line."""
    notes = _notes.get()
    if notes is not None:
        notes.update(fields)


def request_id(scope: Scope) -> str:
    """The client's ``X-Request-ID`` when it is 1-128 letters, digits or ``._:-``; else a new one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = value.decode("latin-1")
            if _SANE_ID.fullmatch(given):
                return given
    return uuid.uuid4().hex


def route_of(scope: Scope) -> str:
    """The matched route's template; the path of a question refused before routing; else ``unmatched``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return str(scope.get("path")) if is_question(scope) else "unmatched"


class ObserveMiddleware:
    """Logs and counts every HTTP request of ``app`` into ``metrics``."""

    def __init__(self, app: ASGIApp, metrics: Metrics, *, log_questions: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        self.log_questions = log_questions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = request_id(scope)
        notes: dict[str, Any] = {}
        token = _notes.set(notes)
        status = 500  # what the client sees when the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.metrics.in_flight.dec()
            _notes.reset(token)
            self._record(scope, rid, status, time.perf_counter() - start, notes)

    def _record(self, scope: Scope, rid: str, status: int, seconds: float, notes: dict[str, Any]) -> None:
        route = route_of(scope)
        self.metrics.requests.labels(route, str(status)).inc()
        self.metrics.latency.labels(route).observe(seconds)
        if "answer_status" in notes:
            self.metrics.answers.labels(str(notes["answer_status"])).inc()
        if "snapshot" in notes:
            self.metrics.serving(str(notes["snapshot"]))
        fields: dict[str, Any] = {
            "request_id": rid,
            "method": scope.get("method"),
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        fields.update({k: v for k, v in notes.items() if k != "question"})
        if self.log_questions and "question" in notes:
            fields["question"] = notes["question"]
        log.info("%s %s %s", scope.get("method"), route, status, extra={"fields": fields})
