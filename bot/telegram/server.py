"""The Telegram bot inside ``campaign-bot serve``: webhook route or long polling, in the API's event loop.

:func:`telegram_integration` returns what :func:`bot.api.create_app` composes: a lifespan that starts
and stops the bot with the server and, in webhook mode, the router of ``POST /telegram/webhook``.
The webhook checks Telegram's ``X-Telegram-Bot-Api-Secret-Token`` header against the secret given
to ``setWebhook`` (a random one when none is configured) before an update is queued. The API does not
wait for Telegram: the bot starts in the background and, while Telegram cannot be reached, tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.answering.service import ServiceHolder
from bot.errors import CampaignBotError
from bot.telegram.application import build_application, running
from bot.telegram.options import TelegramOptions

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_START_DELAY = 60.0  # seconds between tries to reach Telegram at start
_SECRET_FORM = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as secret_token

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def webhook_secret(options: TelegramOptions) -> str:
    """The configured secret, checked against Telegram's rules, or a fresh random one."""
    if options.webhook_secret is None:
        return secrets.token_urlsafe(32)
    if not _SECRET_FORM.match(options.webhook_secret):
        raise CampaignBotError(
            "CAMPAIGN_BOT_TELEGRAM_WEBHOOK_SECRET chỉ được gồm chữ cái, chữ số, '_' và '-' (1–256 ký tự)."
        )
    return options.webhook_secret


def telegram_integration(holder: ServiceHolder, options: TelegramOptions) -> tuple[Lifespan, list[APIRouter]]:
    """(lifespan, routers) running the bot beside the API: webhook mode when ``options.webhook_url``
    is set, else long polling."""
    webhook = bool(options.webhook_url)
    application = build_application(holder, options, updater=not webhook)
    secret = webhook_secret(options) if webhook else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(_keep_running(application, options, secret, stop))
        try:
            yield
        finally:
            stop.set()
            await task

    if not webhook:
        return lifespan, []
    router = APIRouter()

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return JSONResponse(status_code=401, content={"error": f"missing {SECRET_HEADER} header"})
        if secret is None or not hmac.compare_digest(given.encode(), secret.encode()):
            return JSONResponse(status_code=403, content={"error": f"wrong {SECRET_HEADER}"})
        try:
            payload = await request.json()
            update = Update.de_json(payload, application.bot) if isinstance(payload, dict) else None
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("unreadable Telegram update: %s", exc)
            update = None
        if update is None:
            return JSONResponse(status_code=400, content={"error": "body is not a Telegram update"})
        if not application.running:  # still connecting to Telegram: it sends the update again later
            return JSONResponse(status_code=503, content={"error": "the bot is starting"})
        await application.update_queue.put(update)
        return Response(status_code=200)

    return lifespan, [router]


async def _keep_running(
    application: Application,
    options: TelegramOptions,
    secret: str | None,
    stop: asyncio.Event,
) -> None:
    """Run the bot until ``stop`` is set. While Telegram cannot be reached the API keeps serving and
    the start is tried again (1 s, 2 s, ... up to a minute apart); a refused token stops trying."""
    mode = f"webhook {options.webhook_url}" if options.webhook_url else "long polling"
    delay = 1.0
    while not stop.is_set():
        try:
            async with running(application, webhook_url=options.webhook_url, webhook_secret=secret):
                log.info("Telegram bot @%s running (%s)", application.bot.username, mode)
                await stop.wait()
            log.info("Telegram bot stopped")
            return
        except InvalidToken as exc:
            log.error("Telegram refused TELEGRAM_BOT_TOKEN (%s): the bot is not running, the API is.", exc)
            return
        except TelegramError as exc:
            log.error("Telegram bot could not start (%s); trying again in %.0f s", exc, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(delay * 2, MAX_START_DELAY)
