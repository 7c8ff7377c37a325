"""A web client on the small fake-embedded corpus: the app the CLI serves, pages and API together."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.app import create_app
from bot.web.site import web_router
from tests.fakes import FakeEmbedder, write_fake_index


@pytest.fixture
def web(tmp_path: Path) -> TestClient:
    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    settings = Settings(index_dir=tmp_path)
    holder = ServiceHolder(tmp_path, embedder)
    return TestClient(create_app(holder, settings, routers=[web_router(holder, settings)]))
