"""Request bodies bounded while they stream (pure ASGI middleware).

FastAPI reads a whole multipart upload into a spooled file before a route sees it, so a size check in
the route comes after the server has taken the bytes in. This middleware refuses earlier: a declared
``Content-Length`` over the bound gets 413 before a byte is read, and a body sent without one (chunked)
is counted as it arrives and cut off with 413 the moment it passes the bound: the app is then told the
client disconnected (so it stops reading) and whatever it answers is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "Nội dung gửi lên quá lớn ({size}); tối đa {limit} cho địa chỉ này."


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


class BodyLimitMiddleware:
    """413 for a request whose body is longer than ``limit_of(path)`` bytes, checked while it streams."""

    def __init__(self, app: ASGIApp, limit_of: Callable[[str], int]) -> None:
        self.app = app
        self.limit_of = limit_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(str(scope.get("path", "")))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, declared, limit)
            return
        received = 0
        refused = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # answer now, and tell the app the client went away: it stops reading
                    refused = True
                    await _refuse(send, received, limit)
                    return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:  # after the 413, whatever the app answers is dropped
                await send(message)

        await self.app(scope, counted, unless_refused)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, size: int, limit: int) -> None:
    body = json.dumps(
        {"error": TOO_LARGE.format(size=_megabytes(size), limit=_megabytes(limit))}, ensure_ascii=False
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": [*headers, (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
