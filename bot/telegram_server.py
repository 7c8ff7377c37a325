"""The Telegram bot inside ``campaign-bot serve``: webhook route or long polling, in the API's event loop.

:func:`telegram_integration` returns what :func:`bot.api.create_app` composes: a lifespan that starts
and stops the bot with the server and, in webhook mode, the router of ``POST /telegram/webhook``.
The webhook checks Telegram's ``X-Telegram-Bot-Api-Secret-Token`` header against the secret given
to ``setWebhook`` (a random one when none is configured) before an update is queued.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from telegram import Update

from bot.errors import CampaignBotError
from bot.service import ServiceHolder
from bot.telegram_bot import TelegramOptions, build_application, running

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
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
        mode = f"webhook {options.webhook_url}" if webhook else "long polling"
        async with running(application, webhook_url=options.webhook_url, webhook_secret=secret):
            log.info("Telegram bot @%s running (%s)", application.bot.username, mode)
            yield
        log.info("Telegram bot stopped")

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
        await application.update_queue.put(update)
        return Response(status_code=200)

    return lifespan, [router]
