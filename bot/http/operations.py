"""The operational layer of the app: request logs and metrics, the in-flight bound, the rate limit per
client and CORS, composed in one place in a fixed order (outermost first):

    ObserveMiddleware → CORS (only when origins are set) → in-flight bound → rate limit → the app

so a refused request (429, 503) is still logged, counted and given its request id and CORS headers.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.abuse import InFlightLimitMiddleware, RateLimitMiddleware
from bot.http.metrics import Metrics, include_metrics
from bot.http.observe import ObserveMiddleware
from bot.records.backend import shared_rate_limits

RATE_LIMIT_FILE = "rate_limit.sqlite3"


def rate_limit_path(settings: Settings, holder: ServiceHolder) -> Path:
    """The SQLite file the worker processes of one machine share the rate limit in: beside the feedback
    database when its file is configured, else in the index folder."""
    folder = settings.feedback_db.parent if settings.feedback_db is not None else holder.index_dir
    return folder / RATE_LIMIT_FILE


def add_operations(app: FastAPI, holder: ServiceHolder, settings: Settings) -> Metrics:
    """Add ``/metrics`` and the middleware above to ``app``; returns its metrics (also ``app.state.metrics``)."""
    metrics = Metrics()
    app.state.metrics = metrics
    include_metrics(app, metrics, lambda: holder.snapshot_id)
    if settings.rate_limit > 0:
        limits = shared_rate_limits(
            settings.rate_limit,
            scope="http",
            database_url=settings.database_url or None,
            sqlite_path=rate_limit_path(settings, holder),
        )
        app.add_middleware(
            RateLimitMiddleware,
            limits=limits,
            trust_forwarded_for=settings.trust_forwarded_for,
            on_limited=lambda route: metrics.rate_limited.labels(route).inc(),
        )
    if settings.max_in_flight > 0:
        app.add_middleware(
            InFlightLimitMiddleware,
            limit=settings.max_in_flight,
            on_overloaded=lambda route: metrics.overloaded.labels(route).inc(),
        )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    app.add_middleware(ObserveMiddleware, metrics=metrics, log_questions=settings.log_questions)
    return metrics
