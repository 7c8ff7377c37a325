"""The whole site as ``campaign-bot serve`` runs it: the HTTP API with every web page and the staff pages.

One function, so the server and the browser tests run the same app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

from fastapi import APIRouter, FastAPI

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.app import create_app
from bot.records.feedback import FeedbackRecords
from bot.web.site import web_router
from bot.web.staff import include_staff


def create_site(
    holder: ServiceHolder,
    settings: Settings,
    *,
    feedback: FeedbackRecords | None = None,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """The API of :func:`~bot.http.app.create_app` with the pages of :func:`~bot.web.site.web_router`
    (votes into ``feedback``) and the staff pages (on with an admin token); ``lifespan`` and
    ``routers`` as for ``create_app`` (the Telegram bot)."""
    pages = web_router(holder, settings, feedback=feedback)
    app = create_app(holder, settings, lifespan=lifespan, routers=[*routers, pages])
    include_staff(app, holder, settings)  # after create_app: it shares the admin API's store and job runner
    return app
