"""Network robustness of the Telegram bot's requests to the Bot API.

:class:`RetryingRequest` retries transport failures (connection refused or reset, timeouts) a
bounded number of times; :class:`FloodRetry` waits out Telegram's flood limit (HTTP 429 with
Retry-After) and sends the request again. Both are plugged into python-telegram-bot's Application.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

MAX_FLOOD_WAIT = 60.0  # seconds: a longer Retry-After is not waited out inside a handler


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries connection failures and timeouts (``NetworkError``) a bounded number
    of times with exponential backoff. Telegram's answers (400, 403, 429...) are not retried here:
    they are raised after the transport, from the status code."""

    def __init__(self, *, retries: int = 2, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.retries = retries
        self.backoff = backoff

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        for attempt in range(self.retries + 1):
            try:
                return await super().do_request(*args, **kwargs)
            except NetworkError as exc:
                if attempt >= self.retries:
                    raise
                delay = self.backoff * 2**attempt
                log.warning("Telegram request failed (%s); retry %d in %.1fs", exc, attempt + 1, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises


class FloodRetry(BaseRateLimiter[None]):
    """On Telegram's flood limit (429 with Retry-After) every request pauses until the time given,
    then the request is sent again, at most ``max_retries`` times; a wait longer than ``max_wait`` is
    not waited out (the error reaches the error handler)."""

    def __init__(self, max_retries: int = 3, max_wait: float = MAX_FLOOD_WAIT) -> None:
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._resume_at = 0.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        for attempt in range(self.max_retries + 1):
            pause = self._resume_at - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                if attempt >= self.max_retries or wait > self.max_wait:
                    raise
                log.warning("Telegram flood limit on %s: waiting %.0fs", endpoint, wait)
                self._resume_at = max(self._resume_at, loop.time() + wait)
        raise AssertionError("unreachable")  # the loop returns or raises


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
