"""Every store test runs against both backends: the embedded one (SQLite / memory) and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.records.backend import Records, open_records
from tests.records.postgres_server import postgres_server

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server started for this test session (skips when not installed)."""
    with postgres_server() as url:
        yield url


@pytest.fixture
def fresh_postgres(postgres_url: str) -> str:
    """The URL of a new, empty database on the session's server."""
    import psycopg

    name = f"test_{next(_databases)}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path, str | None]:
    """``(name, sqlite path, database url)`` of one backend; the url is None for the embedded one."""
    if request.param == "postgresql":
        return "postgresql", tmp_path / "unused.sqlite3", request.getfixturevalue("fresh_postgres")
    return "sqlite", tmp_path / "feedback.sqlite3", None


@pytest.fixture
def records(backend: tuple[str, Path, str | None]) -> Records:
    """The stores of ``backend``."""
    _, path, url = backend
    return open_records(path, url)
