"""Structured facts through the HTTP API and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.answering.service import ServiceHolder
from bot.cli.main import app as cli
from bot.http.app import create_app
from tests.fakes import FakeEmbedder, corpus_facts, write_fake_index


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    write_fake_index(tmp_path, FakeEmbedder(), facts=corpus_facts())
    return tmp_path


@pytest.fixture
def client(index_dir: Path) -> TestClient:
    return TestClient(create_app(ServiceHolder(index_dir, FakeEmbedder())))


def test_responsibilities_by_unit_typed_without_accents(client: TestClient) -> None:
    body = client.get("/responsibilities", params={"unit": "phong van hoa xa hoi"}).json()
    assert [(f["subject"], f["role"], f["locality"]) for f in body["facts"]] == [
        ("Phòng Văn hóa - Xã hội", "chủ trì", "phường An Bình")
    ]
    assert body["facts"][0]["section"] == "IV. TỔ CHỨC THỰC HIỆN > 1. Phòng Văn hóa - Xã hội"
    assert client.get("/responsibilities", params={"unit": "Công an"}).json()["facts"] == []


def test_targets_by_locality(client: TestClient) -> None:
    everything = client.get("/targets").json()["facts"]
    assert {f["value"] for f in everything} == {"80%", "90%"}
    beta = client.get("/targets", params={"locality": "xã Tân Hòa"}).json()["facts"]
    assert [(f["value"], f["locality"]) for f in beta] == [("90%", "xã Tân Hòa")]
    assert client.get("/targets", params={"locality": "x" * 201}).status_code == 422


def test_cli_facts(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.cli.wiring.load_embedder", lambda settings, progress=False: FakeEmbedder())
    runner = CliRunner()
    result = runner.invoke(cli, ["facts", "--kind", "target", "--locality", "an binh", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "80%" in result.output and "90%" not in result.output
    as_json = runner.invoke(cli, ["facts", "--unit", "VH-XH", "--json", "--index", str(index_dir)])
    assert as_json.exit_code == 0, as_json.output
    assert [row["subject"] for row in json.loads(as_json.output)] == ["Phòng Văn hóa - Xã hội"]
