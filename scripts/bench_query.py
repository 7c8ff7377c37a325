"""Warm query-latency benchmark of the HTTP API (``/ask`` and ``/search``) on the dev questions.

Usage::

    python scripts/bench_query.py [QUESTIONS.jsonl] [--url http://127.0.0.1:8000 | --index DIR]
                                  [--max-queries 200] [--max-seconds 20]

By default it starts ``campaign-bot serve --index DIR --port <free port>`` on 127.0.0.1 in a
subprocess, waits for ``/health``, runs, and stops it; ``--url`` uses a running server instead
(loopback only: this is a load generator). Steps: one untimed warm-up pass over every question,
one sequential timed pass (p50/p95/mean of wall and server ``took_ms`` per endpoint), then
throughput with 1 and 4 concurrent clients, each level bounded by ``--max-queries`` and
``--max-seconds``. Prints numbers only; makes no assertions.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from statistics import fmean
from typing import IO
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package: make `bot` importable from the repo root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.evaluation.gold import load_questions  # noqa: E402
from bot.evaluation.report import percentile  # noqa: E402

DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev.jsonl"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
CONCURRENCY_LEVELS = (1, 4)

# One request against a client: returns (wall ms, server took_ms or None).
Request = Callable[[httpx.Client, str], tuple[float, float | None]]


def ask(client: httpx.Client, question: str) -> tuple[float, float | None]:
    """POST /ask; raises on a non-2xx status."""
    return _timed(lambda: client.post("/ask", json={"question": question, "locality": None}))


def search(client: httpx.Client, question: str) -> tuple[float, float | None]:
    """GET /search?q=...&k=5; raises on a non-2xx status."""
    return _timed(lambda: client.get("/search", params={"q": question, "k": 5}))


def _timed(send: Callable[[], httpx.Response]) -> tuple[float, float | None]:
    start = time.perf_counter()
    response = send()
    wall = (time.perf_counter() - start) * 1000.0
    response.raise_for_status()
    took = response.json().get("took_ms")
    return wall, float(took) if isinstance(took, int | float) else None


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the server binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve_command(index_dir: Path, port: int) -> list[str]:
    """``campaign-bot serve ...``; through ``bot.cli.main.main`` when the console script is not installed."""
    args = ["serve", "--index", str(index_dir), "--port", str(port)]
    executable = shutil.which("campaign-bot")
    if executable:
        return [executable, *args]
    return [sys.executable, "-c", "import sys; from bot.cli.main import main; sys.exit(main())", *args]


def wait_for_health(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Poll ``GET /health`` until 200; ``RuntimeError`` if the server exits or the timeout passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before becoming healthy")
        try:
            if httpx.get(f"{url}/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.25)
    raise RuntimeError(f"server not healthy after {timeout_s:.0f} s")


@contextmanager
def started_server(index_dir: Path, startup_timeout_s: float) -> Iterator[str]:
    """Run the server in a subprocess on a free loopback port; yield its URL; always stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        # the clients all come from 127.0.0.1: the per-client rate limit would measure itself
        env = {**os.environ, "CAMPAIGN_BOT_RATE_LIMIT": "0", "CAMPAIGN_BOT_MAX_IN_FLIGHT": "0"}
        process = subprocess.Popen(
            serve_command(index_dir, port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env
        )
        try:
            wait_for_health(url, process, startup_timeout_s)
            yield url
        except RuntimeError:
            _print_log_tail(log)
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _print_log_tail(log: IO[bytes], lines: int = 30) -> None:
    log.seek(0)
    tail = log.read().decode("utf-8", "replace").splitlines()[-lines:]
    print("server log (tail):", *tail, sep="\n  ", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------


def summary(name: str, values: Sequence[float]) -> str:
    """``name  p50 p95 mean`` in ms, or ``-`` for an empty series."""
    if not values:
        return f"{name:<22}{'-':>10}{'-':>10}{'-':>10}"
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    return f"{name:<22}{p50 or 0.0:>10.1f}{p95 or 0.0:>10.1f}{fmean(values):>10.1f}"


def sequential_pass(url: str, questions: Sequence[str]) -> dict[str, list[float]]:
    """One timed pass, one request at a time: wall and server times per endpoint."""
    series: dict[str, list[float]] = {}
    with httpx.Client(base_url=url, timeout=60.0) as client:
        for name, request in (("/ask", ask), ("/search", search)):
            walls, tooks = series.setdefault(f"{name} wall", []), series.setdefault(f"{name} took_ms", [])
            for question in questions:
                wall, took = request(client, question)
                walls.append(wall)
                if took is not None:
                    tooks.append(took)
    return series


def throughput(
    url: str, request: Request, questions: Sequence[str], clients: int, max_queries: int, max_seconds: float
) -> tuple[int, int, float]:
    """Run ``clients`` threads issuing requests (questions cycled) until ``max_queries`` are
    claimed or ``max_seconds`` pass. Returns (completed, errors, elapsed seconds)."""
    tickets = itertools.count()
    lock = threading.Lock()  # guards the ticket counter and the tallies
    done = [0, 0]  # completed, errors
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=60.0) as client:
            while time.monotonic() < deadline:
                with lock:
                    ticket = next(tickets)
                if ticket >= max_queries:
                    return
                ok = True
                try:
                    request(client, questions[ticket % len(questions)])
                except (httpx.HTTPError, ValueError):
                    ok = False  # counted, not raised: the benchmark reports, it does not judge
                with lock:
                    done[0 if ok else 1] += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0], done[1], time.perf_counter() - start


def run(url: str, questions: Sequence[str], max_queries: int, max_seconds: float) -> None:
    """Warm up, then print latency and throughput figures for ``url``."""
    with httpx.Client(base_url=url, timeout=120.0) as client:
        for question in questions:  # warm-up: model, caches, lazy snapshot load
            ask(client, question)
            search(client, question)

    print(f"server {url}; {len(questions)} questions; warm")
    print(f"{'latency (ms)':<22}{'p50':>10}{'p95':>10}{'mean':>10}")
    for name, values in sequential_pass(url, questions).items():
        print(summary(name, values))

    print(f"\nthroughput (≤{max_queries} queries or ≤{max_seconds:.0f} s per row)")
    print(f"{'endpoint':<10}{'clients':>8}{'queries':>9}{'errors':>8}{'seconds':>9}{'qps':>8}")
    for name, request in (("/ask", ask), ("/search", search)):
        for clients in CONCURRENCY_LEVELS:
            completed, errors, elapsed = throughput(url, request, questions, clients, max_queries, max_seconds)
            qps = completed / elapsed if elapsed > 0 else 0.0
            print(f"{name:<10}{clients:>8}{completed:>9}{errors:>8}{elapsed:>9.1f}{qps:>8.1f}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", type=Path, default=DEFAULT_QUESTIONS, help="JSONL question file")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="base URL of a running loopback server")
    target.add_argument("--index", type=Path, default=ROOT / "index", help="index folder for the started server")
    parser.add_argument("--max-queries", type=int, default=200, help="per throughput row (default 200)")
    parser.add_argument("--max-seconds", type=float, default=20.0, help="per throughput row (default 20)")
    parser.add_argument("--startup-timeout", type=float, default=300.0, help="seconds to wait for /health")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    questions = [q.question for q in load_questions(args.questions)]
    if not questions:
        print("no questions", file=sys.stderr)
        return 2
    if args.url:
        if urlsplit(args.url).hostname not in LOOPBACK:
            print(f"refusing to load a non-loopback server: {args.url}", file=sys.stderr)
            return 2
        run(args.url.rstrip("/"), questions, args.max_queries, args.max_seconds)
        return 0
    try:
        with started_server(args.index.resolve(), args.startup_timeout) as url:
            run(url, questions, args.max_queries, args.max_seconds)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
