"""A real headless Chromium driving pages served by a real uvicorn on loopback.

The browser is Debian's ``chromium`` (no browser can be downloaded here), driven by Playwright for
Python with ``executable_path``; ``scripts/system_packages.sh`` installs it where it can (root and apt).
Without it, or without Playwright, the browser tests skip with a message saying what to install.

Screenshots of every page, at a desktop width and at a 390-px phone width, go to
``build/screenshots/`` (README "Web pages"), to be looked at by whoever changes a page.

The accessibility check is axe-core (npm package ``axe-core``, installed into ``build/node`` by the
test command when npm is there); it is evaluated in the page through the DevTools protocol, which the
pages' Content-Security-Policy does not govern, so the pages keep their strict policy under test.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"
AXE_SCRIPT = REPO / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Without the background-networking flags, Chromium keeps trying hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium to drive: ``CAMPAIGN_BOT_CHROMIUM`` or Debian's ``chromium`` on the PATH."""
    return os.environ.get("CAMPAIGN_BOT_CHROMIUM") or shutil.which("chromium")


def require_browser() -> str:
    """The Chromium executable, or skip the test saying what to install."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("browser tests need Playwright for Python: pip install -e '.[dev]'")
    path = chromium_path()
    if path is None:
        pytest.skip("browser tests need Chromium: apt-get install chromium (Debian), or set CAMPAIGN_BOT_CHROMIUM")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def screenshot(page: Any, name: str) -> list[Path]:
    """Full-page screenshots of ``page`` at the desktop and the phone width; returns their paths.

    The viewport is put back to the desktop width afterwards."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(DESKTOP)
    return paths


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """The axe-core violations of ``page`` with one of ``impacts``; skips when axe-core is absent."""
    if not AXE_SCRIPT.is_file():
        pytest.skip(f"the accessibility check needs axe-core: npm install --prefix {AXE_SCRIPT.parents[2]} axe-core")
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright ``Browser``); skips when there is none."""
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
