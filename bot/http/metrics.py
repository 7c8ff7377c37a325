"""Prometheus metrics of the app (prometheus-client, the official Python client) and ``GET /metrics``.

Each app has its own registry (tests build many apps in one process). With ``PROMETHEUS_MULTIPROC_DIR``
set in the environment *before* the workers start (``serve --workers N``), prometheus-client keeps
every value in files of that folder and ``/metrics`` sums them over the workers (its
``MultiProcessCollector``); the folder must be empty at start, and a worker that exits should be
marked with ``prometheus_client.multiprocess.mark_process_dead(pid)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BUILD_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)


class Metrics:
    """The counters, histograms and gauges of one app."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "campaign_bot_requests", "HTTP requests by route and status", ["route", "status"], registry=registry
        )
        self.latency = Histogram(
            "campaign_bot_request_seconds",
            "HTTP request latency",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.answers = Counter("campaign_bot_answers", "Answers by status", ["status"], registry=registry)
        self.snapshot = Gauge(
            "campaign_bot_snapshot",
            "1 for the snapshot served",
            ["snapshot"],
            registry=registry,
            multiprocess_mode="max",
        )
        self.builds = Histogram(
            "campaign_bot_build_seconds", "Reindex job durations", ["status"], buckets=BUILD_BUCKETS, registry=registry
        )
        self.in_flight = Gauge(
            "campaign_bot_in_flight", "Requests being served", registry=registry, multiprocess_mode="livesum"
        )
        self.rate_limited = Counter(
            "campaign_bot_rate_limited", "Requests refused by the rate limit (429)", ["route"], registry=registry
        )
        self.overloaded = Counter(
            "campaign_bot_overloaded", "Requests refused over the in-flight bound (503)", ["route"], registry=registry
        )
        self._snapshot_id: str | None = None

    def serving(self, snapshot_id: str) -> None:
        """The snapshot answering now (the previous one's gauge drops to 0)."""
        if snapshot_id == self._snapshot_id:
            return
        if self._snapshot_id is not None:
            self.snapshot.labels(self._snapshot_id).set(0)
        self.snapshot.labels(snapshot_id).set(1)
        self._snapshot_id = snapshot_id

    def build_finished(self, status: str, seconds: float) -> None:
        """A reindex job ended with ``status`` after ``seconds``."""
        self.builds.labels(status).observe(seconds)

    def exposition(self) -> bytes:
        """The text format of every metric (summed over the workers in multi-process mode)."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


def include_metrics(app: FastAPI, metrics: Metrics, current: Callable[[], str | None]) -> None:
    """``GET /metrics`` on ``app`` (kept out of the OpenAPI schema); ``current()`` is the snapshot served."""

    @app.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        snapshot_id = current()
        if snapshot_id is not None:
            metrics.serving(snapshot_id)
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
