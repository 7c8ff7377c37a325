"""The router of every web page and of the static files they use.

Each page module contributes its routes to the router built here; the static files are served by one
route that knows the few files of ``static/`` by name (nothing else on disk is reachable).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.records.feedback import FeedbackRecords
from bot.web.ask import ask_router
from bot.web.documents import add_document_routes
from bot.web.templating import STATIC_DIR
from bot.web.who import who_router

MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


def web_router(holder: ServiceHolder, settings: Settings, *, feedback: FeedbackRecords | None = None) -> APIRouter:
    """The web pages of ``holder``'s current snapshot, with the limits of ``settings``; the ask page's
    👍/👎 votes go to ``feedback`` (the Telegram bot's store; no vote buttons without one)."""
    router = APIRouter(include_in_schema=False)
    static_files = {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in MEDIA_TYPES}

    @router.get("/static/{name}")
    def static(name: str) -> FileResponse:
        path = static_files.get(name)
        if path is None:
            raise HTTPException(status_code=404, detail=f"no static file {name!r}")
        cache = {"Cache-Control": "public, max-age=3600"}
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=cache)

    router.include_router(ask_router(holder, settings, feedback))
    add_document_routes(router, holder, settings)
    router.include_router(who_router(holder))
    return router
