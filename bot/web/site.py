"""The router of every web page and of the static files they use.

Each page module contributes its routes to the router built here; the static files are served by one
route that knows the few files of ``static/`` by name (nothing else on disk is reachable).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.web.documents import add_document_routes
from bot.web.templating import STATIC_DIR, render
from bot.web.who import who_router

MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


def web_router(holder: ServiceHolder, settings: Settings) -> APIRouter:
    """The web pages of ``holder``'s current snapshot, with the limits of ``settings``."""
    router = APIRouter(include_in_schema=False)
    static_files = {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in MEDIA_TYPES}

    @router.get("/static/{name}")
    def static(name: str) -> FileResponse:
        path = static_files.get(name)
        if path is None:
            raise HTTPException(status_code=404, detail=f"no static file {name!r}")
        cache = {"Cache-Control": "public, max-age=3600"}
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=cache)

    @router.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return render(request, "ask.html", {"title": "Hỏi đáp", "limit": settings.max_question_chars})

    add_document_routes(router, holder, settings)
    router.include_router(who_router(holder))
    return router
