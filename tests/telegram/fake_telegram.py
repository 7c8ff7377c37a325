"""A fake Telegram Bot API server on loopback, for running the real Application against it.

It records every request (method name and parameters), serves scripted updates to getUpdates
(long polling: a request waits until an update is pushed, for at most a short while), answers the
methods the bot uses with Telegram-shaped results, and can be told to fail the next call of a
method with a 429 (flood limit) or by dropping the connection (network error). Tests wait for
recorded requests with :meth:`FakeBotApi.wait_for` (bounded), never with sleeps.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 4242
BOT_USERNAME = "campaign_test_bot"
TOKEN = "4242:TEST-TOKEN"
LONG_POLL_CAP = 0.3  # seconds a getUpdates waits here at most, so the bot stops promptly


@dataclass
class Call:
    """One request the bot made: Bot API method and parameters (JSON values decoded)."""

    method: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def markup(self) -> dict[str, Any]:
        value = self.params.get("reply_markup")
        return value if isinstance(value, dict) else {}

    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback_data) of the inline keyboard, row by row."""
        rows = self.markup.get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@dataclass
class FakeBotApi:
    """The server; use as a context manager (binds 127.0.0.1 on a free port)."""

    calls: list[Call] = field(default_factory=list)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[str]] = field(default_factory=dict)
    _chats: dict[int, str] = field(default_factory=dict)
    _condition: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    def __enter__(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                api._handle(self)

            def do_GET(self) -> None:
                api._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        """python-telegram-bot's ``base_url`` pointing here."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    # --- scripting -----------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` (an ``update_id`` is added) for the bot's next getUpdates."""
        with self._condition:
            update = {"update_id": next(self._ids), **update}
            self._updates.append(update)
            self._condition.notify_all()
        return update

    def message(
        self,
        text: str | None = None,
        *,
        chat_id: int = 100,
        user_id: int = 7,
        chat_type: str = "private",
        **fields: Any,
    ) -> dict[str, Any]:
        """Queue a message from user ``user_id`` in chat ``chat_id`` (text, or other ``fields``)."""
        self._chats[chat_id] = chat_type
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"title": "Nhóm"} if chat_type != "private" else {})},
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
            **fields,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push({"message": message})

    def press(self, data: str, *, on: Call, chat_id: int = 100, user_id: int = 7) -> dict[str, Any]:
        """Queue a press of the inline button ``data`` on the bot's message sent by ``on``."""
        result = on.params.get("_result", {})
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._ids)),
                    "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
                    "chat_instance": "ci",
                    "data": data,
                    "message": result,
                }
            }
        )

    def fail_next(self, method: str, how: str) -> None:
        """Make the next ``method`` call fail: ``"429"`` (retry after 1 s), ``"401"``
        (token refused) or ``"drop"`` (connection closed)."""
        with self._condition:
            self._failures.setdefault(method, []).append(how)

    # --- observing -----------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        with self._condition:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """Block until ``count`` calls of ``method`` were answered; all of them. AssertionError on timeout."""

        def enough(calls: list[Call]) -> bool:
            return len([c for c in calls if c.method == method]) >= count

        calls = self.wait_until(enough, timeout, what=f"{count} × {method}")
        return [c for c in calls if c.method == method]

    def wait_until(
        self, predicate: Callable[[list[Call]], bool], timeout: float = 20.0, *, what: str = "condition"
    ) -> list[Call]:
        """Block until ``predicate`` holds for the answered calls (getUpdates left out); those calls."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                answered = [c for c in self.calls if "_result" in c.params and c.method != "getUpdates"]
                if predicate(answered):
                    return answered
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls if c.method != "getUpdates"]
                    raise AssertionError(f"{what} not seen within {timeout}s; calls: {seen}")
                self._condition.wait(left)

    # --- serving -------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        method = request.path.rsplit("/", 1)[-1]
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length).decode() if length else ""
        params = _decode(body, request.headers.get("Content-Type", ""))
        with self._condition:
            how = self._failures.get(method, [None]).pop(0) if self._failures.get(method) else None
            call = Call(method, params)
            self.calls.append(call)
            self._condition.notify_all()
        if how == "drop":
            request.close_connection = True
            return
        if how == "429":
            self._reply(request, 429, _flood())
            return
        if how == "401":
            self._reply(request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        result = self._result(method, params)
        self._reply(request, 200, {"ok": True, "result": result})
        with self._condition:
            call.params["_result"] = result
            self._condition.notify_all()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý", "username": BOT_USERNAME}
        if method == "getUpdates":
            return self._take_updates(int(params.get("offset") or 0), float(params.get("timeout") or 0))
        if method in ("sendMessage", "editMessageText"):
            chat_id = int(params.get("chat_id", 0))
            message = {
                "message_id": int(params["message_id"]) if "message_id" in params else next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": self._chats.get(chat_id, "private")},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý", "username": BOT_USERNAME},
                "text": params.get("text", ""),
            }
            if isinstance(params.get("reply_markup"), dict):
                message["reply_markup"] = params["reply_markup"]
            return message
        return True  # setMyCommands, sendChatAction, answerCallbackQuery, deleteWebhook, setWebhook...

    def _take_updates(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        """Updates from ``offset`` on; as in Telegram, an offset confirms (forgets) the ones before it."""
        deadline = time.monotonic() + min(timeout, LONG_POLL_CAP)
        with self._condition:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                ready = list(self._updates)
                left = deadline - time.monotonic()
                if ready or left <= 0:
                    return ready
                self._condition.wait(left)

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the bot gave up waiting (it is stopping): nothing to answer


def _flood() -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


def _decode(body: str, content_type: str) -> dict[str, Any]:
    """Parameters of a Bot API request: form-encoded (values that are JSON decoded) or JSON."""
    if not body:
        return {}
    if "json" in content_type:
        return dict(json.loads(body))
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        try:
            params[key] = json.loads(value) if value[:1] in "[{" or re.fullmatch(r"-?\d+", value) else value
        except ValueError:
            params[key] = value
    return params
