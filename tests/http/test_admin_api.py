"""The admin API through TestClient: token checks, uploads, deletes, reindex jobs (fake embedder)."""

from __future__ import annotations

import io
import shutil
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.admin.jobs import JobRunner
from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.errors import JobBusy
from bot.http.app import create_app
from bot.indexing.build import BuildResult, build_index
from tests.conftest import DOCUMENTS
from tests.fakes import FakeEmbedder
from tests.ingest.generate import logical_lines, synthetic_plan, write_docx, write_pdf
from tests.records.conftest import fresh_postgres, postgres_url  # noqa: F401 (fixtures)

TOKEN = "correct horse battery staple"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SON_LA = "son-la_KH-VPUB_2026.md"
KINH_MON = "kinh-mon_78-KH-UBND_2025.txt"
ENDPOINTS = [
    ("post", "/admin/documents"),
    ("delete", "/admin/documents/son-la_kh-vpub_2026"),
    ("post", "/admin/reindex"),
    ("get", "/admin/jobs/abc"),
    ("post", "/admin/reload"),
]


class Env:
    def __init__(self, root: Path, *, max_upload_bytes: int = 200_000) -> None:
        self.docs = root / "docs"
        self.docs.mkdir()
        for name in (SON_LA, KINH_MON):
            shutil.copy(DOCUMENTS / name, self.docs / name)
        self.index = root / "index"
        self.embedder = FakeEmbedder()
        build_index(self.docs, self.index, self.embedder)
        self.holder = ServiceHolder(self.index, self.embedder, watch_interval=None)
        settings = Settings(
            admin_token=TOKEN, documents_dir=self.docs, max_upload_bytes=max_upload_bytes, keep_snapshots=3
        )
        self.app = create_app(self.holder, settings)
        self.client = TestClient(self.app)

    def upload(self, name: str, data: bytes, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            "/admin/documents", files={"file": (name, data)}, headers=AUTH if headers is None else headers
        )

    def files(self) -> list[str]:
        return sorted(p.name for p in self.docs.iterdir())


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory: pytest.TempPathFactory) -> Env:
    """One environment for the tests that must not change anything."""
    return Env(tmp_path_factory.mktemp("admin"))


def new_plan() -> bytes:
    text = (DOCUMENTS / "cao-loc_KH-BCD_2024.md").read_text(encoding="utf-8").replace("Cao Lộc", "Đồng Đăng")
    return text.encode("utf-8")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_admin_api_is_absent_without_a_token(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DOCUMENTS / SON_LA, docs / SON_LA)
    build_index(docs, tmp_path / "index", embedder)
    client = TestClient(create_app(ServiceHolder(tmp_path / "index", embedder)))
    for method, path in ENDPOINTS:
        assert client.request(method, path, headers=AUTH).status_code == 404, path


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_every_endpoint_needs_the_bearer_token(
    shared_env: Env, method: str, path: str, headers: dict[str, str]
) -> None:
    env = shared_env
    response = env.client.request(method, path, headers=headers)
    assert response.status_code == 401
    assert "admin token" in response.json()["error"]
    assert response.headers["www-authenticate"] == "Bearer"
    assert env.files() == sorted([SON_LA, KINH_MON])  # nothing happened


def test_upload_stores_a_parsed_plan_under_a_safe_name(env: Env) -> None:
    response = env.upload("../../Kế hoạch Đồng Đăng.md", new_plan())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["source"] == "Ke-hoach-Dong-Dang.md"
    assert body["doc_id"] == "ke-hoach-dong-dang"
    assert body["sections"] > 0 and "Đồng Đăng" in (body["locality"] or "")
    assert "Ke-hoach-Dong-Dang.md" in env.files()
    assert not list(env.docs.parent.glob("*.md"))  # nothing escaped the documents folder
    assert not [name for name in env.files() if name.startswith(".")]


def test_duplicate_and_name_conflicts_are_409(env: Env) -> None:
    duplicate = env.upload("copy.txt", (DOCUMENTS / KINH_MON).read_bytes())
    assert duplicate.status_code == 409
    assert duplicate.json()["error"].startswith(f"duplicate of {KINH_MON}")
    taken = env.upload(KINH_MON, new_plan())
    assert taken.status_code == 409
    assert "another plan is stored as" in taken.json()["error"]
    assert (env.docs / KINH_MON).read_bytes() == (DOCUMENTS / KINH_MON).read_bytes()
    assert "copy.txt" not in env.files()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.txt", b"%PDF-1.7\n...", "the content is PDF"),
        ("plan.md", b"\x00\x01\x02binary", "not a supported type"),
        ("plan.txt", b"\xff\xfe\xfa not utf-8", "not a supported type"),
        ("plan.txt", docx_bytes(), "the content is Word"),
        ("plan.exe", b"MZ...", "file type .exe is not supported"),
        ("plan", b"text", "file type (none) is not supported"),
    ],
)
def test_type_is_checked_by_content_415(env: Env, name: str, data: bytes, message: str) -> None:
    response = env.upload(name, data)
    assert response.status_code == 415
    assert message in response.json()["error"]
    assert env.files() == sorted([SON_LA, KINH_MON])


def test_too_large_is_413(tmp_path: Path) -> None:
    env = Env(tmp_path, max_upload_bytes=1000)
    response = env.upload("big.txt", b"a" * 1001)
    assert response.status_code == 413
    assert "at most 1000" in response.json()["error"]
    assert "big.txt" not in env.files()


def test_unparseable_upload_is_422_and_nothing_is_stored(env: Env) -> None:
    response = env.upload("trong.txt", b" \n\t\n")
    assert response.status_code == 422
    assert "empty" in response.json()["error"]
    assert "trong.txt" not in env.files()
    assert env.upload(".hidden.txt", new_plan()).json()["source"] == "hidden.txt"  # no dot-files


def test_delete_removes_the_file_and_unknown_is_404(env: Env) -> None:
    response = env.client.delete("/admin/documents/son-la_kh-vpub_2026", headers=AUTH)
    assert response.status_code == 200
    assert response.json()["deleted"] == SON_LA
    assert env.files() == [KINH_MON]
    missing = env.client.delete("/admin/documents/son-la_kh-vpub_2026", headers=AUTH)
    assert missing.status_code == 404
    assert "no plan with id" in missing.json()["error"]


def test_reindex_job_indexes_uploads_and_deletes_then_serves_them(env: Env) -> None:
    before = env.client.get("/health").json()["snapshot"]
    assert env.upload("dong-dang.md", new_plan()).status_code == 201
    assert env.client.delete("/admin/documents/son-la_kh-vpub_2026", headers=AUTH).status_code == 200
    started = env.client.post("/admin/reindex", headers=AUTH)
    assert started.status_code == 202
    job_id = started.json()["job_id"]
    env.app.state.admin_jobs.join(60)
    job = env.client.get(f"/admin/jobs/{job_id}", headers=AUTH).json()
    assert job["status"] == "succeeded", job
    assert job["errors"] == []
    assert job["progress"]["phase"] == "done"
    statuses = {d["source"]: d["status"] for d in job["documents"]}
    assert statuses == {"dong-dang.md": "new", KINH_MON: "unchanged", SON_LA: "removed"}
    health = env.client.get("/health").json()
    assert health["snapshot"] == job["snapshot"] != before
    assert {d["source"] for d in env.client.get("/documents").json()} == {"dong-dang.md", KINH_MON}
    assert env.client.get("/admin/jobs/nope", headers=AUTH).status_code == 404


def test_failed_reindex_job_reports_its_error(env: Env) -> None:
    for path in env.docs.iterdir():
        path.unlink()
    job_id = env.client.post("/admin/reindex", headers=AUTH).json()["job_id"]
    env.app.state.admin_jobs.join(60)
    job = env.client.get(f"/admin/jobs/{job_id}", headers=AUTH).json()
    assert job["status"] == "failed"
    assert any("no readable plan" in e for e in job["errors"])


def test_one_reindex_job_at_a_time(env: Env) -> None:
    release = threading.Event()
    entered = threading.Event()

    def blocking_build(*args: Any, **kwargs: Any) -> BuildResult:
        entered.set()
        assert release.wait(30)
        return build_index(*args, **kwargs)

    runner = JobRunner(env.holder, env.docs, builder=blocking_build)
    first = runner.start()
    assert entered.wait(30)
    with pytest.raises(JobBusy, match=first.job_id):
        runner.start()
    assert (running := runner.get(first.job_id)) is not None and running.status == "running"
    release.set()
    runner.join(60)
    assert (done := runner.get(first.job_id)) is not None and done.status == "succeeded"
    assert runner.start().job_id != first.job_id
    runner.join(60)


def test_reindex_endpoint_answers_409_while_a_job_runs(env: Env) -> None:
    release = threading.Event()
    runner = env.app.state.admin_jobs
    original = runner._builder

    def blocking_build(*args: Any, **kwargs: Any) -> BuildResult:
        assert release.wait(30)
        return original(*args, **kwargs)

    runner._builder = blocking_build
    first = env.client.post("/admin/reindex", headers=AUTH).json()["job_id"]
    busy = env.client.post("/admin/reindex", headers=AUTH)
    assert busy.status_code == 409
    assert busy.json()["job_id"] == first
    release.set()
    runner.join(60)


def test_uploaded_word_and_pdf_plans_are_answerable_after_reindex(env: Env, tmp_path: Path) -> None:
    plans = {
        "tan-lap.docx": ("Tân Lập", "Hội Liên hiệp Phụ nữ xã", "tổ chức Hội thi gói bánh chưng ngày Tết"),
        "hoa-son.pdf": ("Hòa Sơn", "Đoàn Thanh niên xã", "tổ chức Giải kéo co truyền thống giữa các thôn"),
    }
    for number, (name, (commune, unit, task)) in enumerate(plans.items(), start=40):
        text = synthetic_plan(commune=commune, number=number, unit=unit, task=task, target="", signer="Lê Văn An")
        path = tmp_path / name
        (write_docx if name.endswith(".docx") else write_pdf)(logical_lines(text), path)
        assert env.upload(name, path.read_bytes()).status_code == 201, name
    job_id = env.client.post("/admin/reindex", headers=AUTH).json()["job_id"]
    env.app.state.admin_jobs.join(60)
    assert env.client.get(f"/admin/jobs/{job_id}", headers=AUTH).json()["status"] == "succeeded"
    for commune, unit, task in plans.values():
        answer = env.client.post("/ask", json={"question": f"Ở xã {commune}, ai chủ trì {task}?"}).json()
        assert answer["status"] == "answered" and unit in answer["answer"]
        assert answer["citations"][0]["locality"] == f"xã {commune}"


def test_a_job_run_by_one_replica_is_seen_by_another_through_postgres(env: Env, fresh_postgres: str) -> None:  # noqa: F811
    from bot.records.backend import job_records

    release = threading.Event()
    entered = threading.Event()

    def blocking_build(*args: Any, **kwargs: Any) -> BuildResult:
        entered.set()
        assert release.wait(30)
        return build_index(*args, **kwargs)

    one = JobRunner(env.holder, env.docs, builder=blocking_build, records=job_records(fresh_postgres))
    two = JobRunner(env.holder, env.docs, records=job_records(fresh_postgres))
    first = one.start()
    assert entered.wait(30)
    assert (seen := two.get(first.job_id)) is not None and seen.status == "running"
    with pytest.raises(JobBusy, match=first.job_id):
        two.start()  # one job at a time across replicas
    release.set()
    one.join(60)
    done = two.get(first.job_id)
    assert done is not None and done.status == "succeeded" and done.snapshot and done.documents
    assert done.documents == one.get(first.job_id).documents  # type: ignore[union-attr]
