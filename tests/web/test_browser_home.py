"""The home page in a real headless Chromium: it renders, passes axe, and works by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.app import create_app
from bot.web.site import web_router
from tests.fakes import FakeEmbedder, write_fake_index
from tests.web.browser import axe_violations, chromium, live_server, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    index = tmp_path_factory.mktemp("index")
    embedder = FakeEmbedder()
    write_fake_index(index, embedder)
    settings = Settings(index_dir=index, rate_limit=0)
    holder = ServiceHolder(index, embedder)
    with live_server(create_app(holder, settings, routers=[web_router(holder, settings)])) as url:
        yield url


def test_home_renders_passes_axe_and_shows_focus(browser: Any, site: str) -> None:
    page = browser.new_page()
    page.goto(site + "/")
    assert page.locator("h1").count() == 1
    assert page.get_by_label("Câu hỏi").is_visible()
    shots = screenshot(page, "home")
    assert all(Path(p).stat().st_size > 1000 for p in shots)
    page.keyboard.press("Tab")  # the first stop is the skip link, made visible when focused
    skip = page.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["x"] >= 0
    assert axe_violations(page) == []
