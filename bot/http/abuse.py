"""Abuse limits as pure ASGI middleware: a rate limit per client on the asking routes, and a bound on
the requests served at once.

Both answer at once, before any route runs: a client over its rate gets 429 and an overloaded server
503, each with ``Retry-After`` and a message (JSON for the API, a short page for the web ask), so load
beyond capacity is refused instead of piling up into timeouts. They key on the path (and the ``q``
parameter of ``GET /``), not on the routes, so pages added later by other modules are covered too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from html import escape
from urllib.parse import parse_qs

from anyio import to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.records.rate_limit import RateLimits

RATE_LIMITED_MESSAGE = "Bạn hỏi quá nhanh: vui lòng thử lại sau {seconds} giây."
OVERLOADED_MESSAGE = "Máy chủ đang bận: vui lòng thử lại sau {seconds} giây."
# Probes keep answering while the server is full: they are cheap and tell the operator what is happening.
UNBOUNDED_PATHS = frozenset({"/health", "/metrics"})


def is_question(scope: Scope) -> bool:
    """Whether the request asks a question: ``POST /ask``, ``GET /search`` or the web ask ``GET /?q=``."""
    path = scope.get("path", "")
    if path in ("/ask", "/search"):
        return True
    if path == "/" and scope.get("method") == "GET":
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        return bool(query.get("q"))
    return False


def client_key(scope: Scope, *, trust_forwarded_for: bool) -> str:
    """Who is asking: the peer address; behind a trusted proxy, the address that proxy saw (the last
    entry of ``X-Forwarded-For``; earlier entries are the client's own word and could be forged)."""
    if trust_forwarded_for:
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for":
                last = value.decode("latin-1").split(",")[-1].strip()
                if last:
                    return last
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def refuse(scope: Scope, send: Send, status: int, message: str, retry_after: int) -> None:
    """Send ``status`` with ``Retry-After`` and ``message`` (a page for a browser's ``GET /``, else JSON)."""
    if scope.get("path") == "/":
        body = (
            '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Vui lòng thử lại</title>'
            f"<p>{escape(message)}</p></html>"
        ).encode()
        media = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"error": message}, ensure_ascii=False).encode()
        media = b"application/json"
    headers = [
        (b"content-type", media),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(retry_after).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RateLimitMiddleware:
    """429 with ``Retry-After`` for a client over ``limits`` on the asking routes (:func:`is_question`).

    ``limits.acquire`` runs in a worker thread (the SQLite and PostgreSQL limits wait on I/O);
    ``on_limited`` is told the path of each refused request (the metrics count them).
    """

    def __init__(
        self,
        app: ASGIApp,
        limits: RateLimits,
        *,
        trust_forwarded_for: bool = False,
        on_limited: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        self.limits = limits
        self.trust_forwarded_for = trust_forwarded_for
        self.on_limited = on_limited

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_question(scope):
            key = client_key(scope, trust_forwarded_for=self.trust_forwarded_for)
            wait = await to_thread.run_sync(self.limits.acquire, key)
            if wait > 0:
                if self.on_limited is not None:
                    self.on_limited(scope["path"])
                seconds = max(1, math.ceil(wait))
                await refuse(scope, send, 429, RATE_LIMITED_MESSAGE.format(seconds=seconds), seconds)
                return
        await self.app(scope, receive, send)


class InFlightLimitMiddleware:
    """At most ``limit`` HTTP requests served at once; the next one gets 503 with ``Retry-After`` at once.

    The count lives in the event loop's thread (no lock needed); ``/health`` and ``/metrics`` are not
    counted nor refused. ``on_overloaded`` is told the path of each refused request.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        *,
        retry_after: int = 1,
        on_overloaded: Callable[[str], None] | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.app = app
        self.limit = limit
        self.retry_after = retry_after
        self.on_overloaded = on_overloaded
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNBOUNDED_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            if self.on_overloaded is not None:
                self.on_overloaded(scope["path"])
            message = OVERLOADED_MESSAGE.format(seconds=self.retry_after)
            await refuse(scope, send, 503, message, self.retry_after)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
