"""The staff pages (/can-bo) through TestClient: sign-in and the session cookie, CSRF, uploads and their
reports, a rebuild job watched to its end, snapshots switched back and forth (fake embedder, real builds)."""

from __future__ import annotations

import re
import shutil
import threading
import time
from html import escape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.admin.documents import DocumentStore
from bot.admin.jobs import JobRunner
from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.app import create_app
from bot.http.headers import SECURITY_HEADERS
from bot.indexing.build import BuildResult, build_index
from bot.indexing.lock import build_lock
from bot.ingest import parse_file
from bot.snapshot.format import BUILDS_DIR, CHUNKS
from bot.snapshot.store import current_snapshot_id, list_snapshots
from bot.web.site import web_router
from bot.web.staff import SIGN_IN_ATTEMPTS, include_staff, staff_router
from bot.web.staff_session import COOKIE_NAME, SESSION_SECONDS, StaffSessions
from tests.conftest import DOCUMENTS
from tests.fakes import FakeEmbedder
from tests.ingest.generate import logical_lines, synthetic_plan, write_docx

TOKEN = "correct horse battery staple"
KINH_MON = "kinh-mon_78-KH-UBND_2025.txt"
SON_LA = "son-la_KH-VPUB_2026.md"
CSRF_INPUT = re.compile(r'name="csrf" value="([^"]+)"')
# A plan uploaded as Word: its unit, task and place appear in no bundled plan.
NEW_PLAN = {
    "commune": "Tân Lập",
    "number": 51,
    "unit": "Hội Liên hiệp Phụ nữ xã",
    "task": "tổ chức Hội thi gói bánh chưng ngày Tết",
    "target": "",
    "signer": "Lê Văn An",
}
NEW_QUESTION = f"Ở xã {NEW_PLAN['commune']}, ai chủ trì {NEW_PLAN['task']}?"


class Env:
    """A served index of two bundled plans, with the admin token set and the staff pages included."""

    def __init__(self, root: Path, *, builder: Any = None, base_url: str = "http://testserver") -> None:
        """``builder``: the reindex jobs' build function (default: the real one, through the admin API's runner)."""
        self.root = root
        self.docs = root / "docs"
        self.docs.mkdir()
        for name in (SON_LA, KINH_MON):
            shutil.copy(DOCUMENTS / name, self.docs / name)
        self.index = root / "index"
        self.embedder = FakeEmbedder()
        build_index(self.docs, self.index, self.embedder)
        self.holder = ServiceHolder(self.index, self.embedder, watch_interval=None)
        self.settings = Settings(
            admin_token=TOKEN, documents_dir=self.docs, index_dir=self.index, max_upload_bytes=2_000_000
        )
        self.app = create_app(self.holder, self.settings, routers=[web_router(self.holder, self.settings)])
        if builder is None:
            include_staff(self.app, self.holder, self.settings)
            self.jobs: JobRunner = self.app.state.admin_jobs
        else:
            self.jobs = JobRunner(self.holder, self.docs, builder=builder)
            store = DocumentStore(self.docs, max_upload_bytes=self.settings.max_upload_bytes)
            self.app.include_router(staff_router(self.holder, self.settings, store, self.jobs))
        self.client = TestClient(self.app, base_url=base_url)

    def sign_in(self) -> str:
        """Sign in; the CSRF token of the new session (read from the staff page's forms)."""
        response = self.client.post("/can-bo/dang-nhap", data={"token": TOKEN}, follow_redirects=False)
        assert response.status_code == 303, response.text
        return self.csrf()

    def csrf(self) -> str:
        page = self.client.get("/can-bo")
        found = CSRF_INPUT.search(page.text)
        assert found, page.text
        return found.group(1)

    def files(self) -> list[str]:
        return sorted(p.name for p in self.docs.iterdir())

    def upload(self, csrf: str | None, *files: tuple[str, bytes]) -> Any:
        data = {"csrf": csrf} if csrf is not None else {}
        return self.client.post("/can-bo/tai-len", data=data, files=[("files", f) for f in files])

    def ask(self, question: str) -> dict[str, Any]:
        response = self.client.post("/ask", json={"question": question})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)


def new_plan_docx(folder: Path) -> bytes:
    path = folder / "tan-lap.docx"
    write_docx(logical_lines(synthetic_plan(**NEW_PLAN)), path)  # type: ignore[arg-type]
    return path.read_bytes()


def new_plan_text() -> bytes:
    fields = {**NEW_PLAN, "commune": "Hòa Sơn", "number": 52, "unit": "Đoàn Thanh niên xã", "task": "tổ chức kéo co"}
    return synthetic_plan(**fields).encode("utf-8")  # type: ignore[arg-type]


def cookie_header(value: str) -> dict[str, str]:
    return {"Cookie": f"{COOKIE_NAME}={value}"}


# --- off without a token ---------------------------------------------------------------------------


def test_without_an_admin_token_every_staff_address_is_a_404_page(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DOCUMENTS / SON_LA, docs / SON_LA)
    build_index(docs, tmp_path / "index", embedder)
    holder = ServiceHolder(tmp_path / "index", embedder, watch_interval=None)
    settings = Settings(documents_dir=docs, index_dir=tmp_path / "index")
    app = create_app(holder, settings, routers=[web_router(holder, settings)])
    include_staff(app, holder, settings)
    client = TestClient(app)
    for method, path in [("get", "/can-bo"), ("post", "/can-bo/dang-nhap"), ("get", "/can-bo/viec/abc")]:
        response = client.request(method, path, data={"token": TOKEN} if method == "post" else None)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "chưa được bật" in response.text
    assert "set-cookie" not in client.post("/can-bo/dang-nhap", data={"token": TOKEN}).headers


# --- signing in ------------------------------------------------------------------------------------


def test_a_wrong_token_is_a_401_page_and_the_right_one_a_strict_http_only_cookie(env: Env) -> None:
    signed_out = env.client.get("/can-bo")
    assert signed_out.status_code == 200 and 'type="password"' in signed_out.text
    wrong = env.client.post("/can-bo/dang-nhap", data={"token": "guess"}, follow_redirects=False)
    assert wrong.status_code == 401
    assert "Mã quản trị không đúng" in wrong.text and "set-cookie" not in wrong.headers
    assert env.client.post("/can-bo/dang-nhap", data={}).status_code == 401  # no token at all
    right = env.client.post("/can-bo/dang-nhap", data={"token": TOKEN}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/can-bo"
    cookie = right.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    for part in ("HttpOnly", "Path=/can-bo", "SameSite=strict", f"Max-Age={SESSION_SECONDS}"):
        assert part in cookie, part
    assert "Secure" not in cookie  # plain http (the test client): a Secure cookie would never come back
    page = env.client.get("/can-bo")
    assert "Thêm văn bản" in page.text and "Đăng xuất" in page.text
    assert page.headers["cache-control"] == "no-store"
    for name, value in SECURITY_HEADERS.items():
        assert page.headers[name] == value


def test_over_https_the_cookie_is_secure(tmp_path: Path) -> None:
    env = Env(tmp_path, base_url="https://testserver")
    response = env.client.post("/can-bo/dang-nhap", data={"token": TOKEN}, follow_redirects=False)
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_sign_in_attempts_are_limited_per_client(env: Env) -> None:
    for _ in range(SIGN_IN_ATTEMPTS):
        assert env.client.post("/can-bo/dang-nhap", data={"token": "guess"}).status_code == 401
    limited = env.client.post("/can-bo/dang-nhap", data={"token": TOKEN}, follow_redirects=False)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert "set-cookie" not in limited.headers and "quá nhiều lần" in limited.text


def test_a_tampered_foreign_or_expired_cookie_is_refused(env: Env) -> None:
    env.sign_in()
    good = env.client.cookies[COOKIE_NAME]
    session_id, expires, mac = good.split(".")
    later = str(int(expires) + 10 * SESSION_SECONDS)
    expired = StaffSessions(TOKEN, clock=lambda: time.time() - SESSION_SECONDS - 60).issue()
    refused = {
        "tampered mac": f"{session_id}.{expires}.{mac[:-2]}{'AA' if mac[-2:] != 'AA' else 'BB'}",
        "extended expiry": f"{session_id}.{later}.{mac}",
        "other token": StaffSessions("another token").issue(),
        "expired": expired,
        "garbage": "not-a-session",
    }
    stranger = TestClient(env.app)
    assert stranger.get("/can-bo", headers=cookie_header(good)).text.count("Thêm văn bản") == 1  # the real one works
    for label, value in refused.items():
        page = stranger.get("/can-bo", headers=cookie_header(value))
        assert 'type="password"' in page.text and "Thêm văn bản" not in page.text, label
        assert stranger.get("/can-bo/viec/abc", headers=cookie_header(value)).status_code == 401, label
        assert stranger.get("/can-bo/viec/abc/trang-thai", headers=cookie_header(value)).status_code == 401, label
        post = stranger.post("/can-bo/xay-dung", data={"csrf": "x"}, headers=cookie_header(value))
        assert post.status_code == 401, label
    assert len(list_snapshots(env.index)) == 1  # no job was started


def test_sign_out_clears_the_cookie(env: Env) -> None:
    csrf = env.sign_in()
    out = env.client.post("/can-bo/dang-xuat", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["set-cookie"].startswith(f'{COOKIE_NAME}=""') and "Max-Age=0" in out.headers["set-cookie"]
    assert COOKIE_NAME not in env.client.cookies
    assert 'type="password"' in env.client.get("/can-bo").text


# --- CSRF ------------------------------------------------------------------------------------------


def test_a_post_without_or_with_a_wrong_csrf_token_is_a_403_page(env: Env, tmp_path: Path) -> None:
    csrf = env.sign_in()
    other_session = StaffSessions(TOKEN)
    foreign = other_session.csrf_token(other_session.check(other_session.issue()))  # type: ignore[arg-type]
    snapshot = list_snapshots(env.index)[0]
    for data in ({}, {"csrf": ""}, {"csrf": "wrong"}, {"csrf": foreign}):
        for path in ("/can-bo/xay-dung", "/can-bo/ban-chi-muc", "/can-bo/dang-xuat"):
            response = env.client.post(path, data={**data, "snapshot": snapshot})
            assert response.status_code == 403, (path, data)
            assert "mã chống giả mạo" in response.text
        assert env.upload(data.get("csrf"), ("hoa-son.txt", new_plan_text())).status_code == 403
    cross_site = env.client.post("/can-bo/xay-dung", data={"csrf": csrf}, headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    assert env.files() == sorted([SON_LA, KINH_MON])  # nothing stored
    assert list_snapshots(env.index) == [snapshot]  # nothing built
    assert COOKIE_NAME in env.client.cookies  # and still signed in
    same_site = env.client.post(
        "/can-bo/xay-dung", data={"csrf": csrf}, headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert same_site.status_code == 303
    env.jobs.join(60)


# --- uploads ---------------------------------------------------------------------------------------


def test_an_uploaded_text_and_word_plan_show_their_inspect_report_before_any_rebuild(env: Env, tmp_path: Path) -> None:
    csrf = env.sign_in()
    response = env.upload(csrf, ("Hòa Sơn.txt", new_plan_text()), ("tan-lap.docx", new_plan_docx(tmp_path)))
    assert response.status_code == 200, response.text
    assert env.files() == sorted([SON_LA, KINH_MON, "Hoa-Son.txt", "tan-lap.docx"])
    for name in ("Hoa-Son.txt", "tan-lap.docx"):
        meta = parse_file(env.docs / name).meta  # what `campaign-bot inspect` reads
        assert meta.number and meta.date and meta.issuer and meta.locality
        for value in (name, meta.doc_type, meta.number, meta.date, meta.issuer, meta.locality):
            assert escape(value) in response.text, (name, value)
    assert response.text.count("Không có cảnh báo.") == 2
    assert response.text.count("Số mục</dt><dd>13</dd>") == 2  # the same section tree from either format
    assert 'action="/can-bo/xay-dung"' in response.text  # the rebuild comes next, from this page
    assert len(list_snapshots(env.index)) == 1  # not indexed yet
    assert NEW_PLAN["unit"] not in env.ask(NEW_QUESTION)["answer"]


@pytest.mark.parametrize(
    ("name", "data", "status", "label", "message"),
    [
        ("ke-hoach.odt", b"PK\x03\x04 an OpenDocument file", 415, "Loại tệp không được hỗ trợ", "file type .odt"),
        ("ke-hoach.txt", b"\x00\x01 binary", 415, "Loại tệp không được hỗ trợ", "not a supported type"),
        ("ke-hoach.txt", b"", 400, "Tệp không dùng được", "file is empty"),
        (KINH_MON, (DOCUMENTS / KINH_MON).read_bytes(), 409, "Trùng với văn bản đã lưu", "duplicate of"),
    ],
)
def test_a_refused_file_shows_its_error_and_nothing_is_stored(
    env: Env, name: str, data: bytes, status: int, label: str, message: str
) -> None:
    csrf = env.sign_in()
    response = env.upload(csrf, (name, data))
    assert response.status_code == status
    assert label in response.text and escape(message) in response.text
    assert env.files() == sorted([SON_LA, KINH_MON])


def test_in_a_mixed_upload_the_good_file_is_stored_and_the_bad_one_reported(env: Env) -> None:
    csrf = env.sign_in()
    response = env.upload(csrf, ("hoa-son.txt", new_plan_text()), ("anh.png", b"\x89PNG\r\n\x1a\n..."))
    assert response.status_code == 200
    assert "Loại tệp không được hỗ trợ" in response.text and "file type .png" in response.text
    assert env.files() == sorted([SON_LA, KINH_MON, "hoa-son.txt"])


def test_a_form_sent_without_a_file_asks_for_one(env: Env) -> None:
    csrf = env.sign_in()
    response = env.client.post("/can-bo/tai-len", data={"csrf": csrf}, files=[("files", ("", b""))])
    assert response.status_code == 400 and "Chưa chọn tệp" in response.text


# --- rebuild jobs ----------------------------------------------------------------------------------


def test_a_rebuild_runs_to_done_and_the_new_plan_is_answered(env: Env, tmp_path: Path) -> None:
    csrf = env.sign_in()
    assert env.upload(csrf, ("tan-lap.docx", new_plan_docx(tmp_path))).status_code == 200
    started = env.client.post("/can-bo/xay-dung", data={"csrf": csrf}, follow_redirects=False)
    assert started.status_code == 303
    job_page = started.headers["location"]
    job_id = job_page.rsplit("/", 1)[1]
    env.jobs.join(60)
    page = env.client.get(job_page)
    assert page.status_code == 200 and "Đã xong" in page.text
    assert 'http-equiv="refresh"' not in page.text  # a finished job's page stays put
    assert "tan-lap.docx" in page.text and "mới" in page.text  # the new file's line of the report
    state = env.client.get(f"{job_page}/trang-thai").json()
    assert state["job_id"] == job_id and state["status"] == "succeeded" and state["running"] is False
    assert state["status_label"] == "Đã xong" and state["snapshot"] == env.holder.snapshot_id
    assert escape(state["snapshot"]) in page.text
    answer = env.ask(NEW_QUESTION)
    assert answer["status"] == "answered" and NEW_PLAN["unit"] in answer["answer"]
    assert answer["citations"][0]["locality"] == f"xã {NEW_PLAN['commune']}"


def test_a_running_job_refreshes_its_page_and_a_second_rebuild_is_refused(tmp_path: Path) -> None:
    release = threading.Event()
    entered = threading.Event()

    def blocking_build(*args: Any, **kwargs: Any) -> BuildResult:
        entered.set()
        assert release.wait(30)
        return build_index(*args, **kwargs)

    blocked = Env(tmp_path, builder=blocking_build)
    csrf = blocked.sign_in()
    job_page = blocked.client.post("/can-bo/xay-dung", data={"csrf": csrf}, follow_redirects=False).headers["location"]
    try:
        assert entered.wait(30)
        page = blocked.client.get(job_page)
        assert "Đang chạy" in page.text
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.text
        assert '<script src="/static/staff.js" defer></script>' in page.text
        assert blocked.client.get(f"{job_page}/trang-thai").json()["running"] is True
        busy = blocked.client.post("/can-bo/xay-dung", data={"csrf": csrf})
        assert busy.status_code == 409 and f'href="{job_page}"' in busy.text
    finally:
        release.set()
        blocked.jobs.join(60)
    assert blocked.client.get(f"{job_page}/trang-thai").json()["status"] == "succeeded"


def test_the_job_page_script_is_served_and_unknown_jobs_are_404(env: Env) -> None:
    script = env.client.get("/static/staff.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    env.sign_in()
    assert env.client.get("/can-bo/viec/nope").status_code == 404
    assert env.client.get("/can-bo/viec/nope/trang-thai").status_code == 404
    assert env.client.get(f"/can-bo/viec/{'x' * 500}").status_code == 404


# --- snapshots -------------------------------------------------------------------------------------


def test_snapshots_are_listed_and_switching_back_changes_the_answers(env: Env, tmp_path: Path) -> None:
    csrf = env.sign_in()
    env.holder.get()
    old = env.holder.snapshot_id
    assert old is not None
    env.upload(csrf, ("tan-lap.docx", new_plan_docx(tmp_path)))
    env.client.post("/can-bo/xay-dung", data={"csrf": csrf})
    env.jobs.join(60)
    new = env.holder.snapshot_id
    assert new != old and env.ask(NEW_QUESTION)["status"] == "answered"

    page = env.client.get("/can-bo").text
    assert page.index(new) < page.index(old)  # newest first
    current_row = page[page.index('class="staff-current"') :].split("</tr>")[0]
    assert new in current_row and "Đang dùng" in current_row
    assert f'name="snapshot" value="{old}"' in page and f'name="snapshot" value="{new}"' not in page

    back = env.client.post("/can-bo/ban-chi-muc", data={"csrf": csrf, "snapshot": old}, follow_redirects=False)
    assert back.status_code == 303
    assert env.holder.snapshot_id == old == current_snapshot_id(env.index)
    assert f"bản chỉ mục {old}" in env.client.get(back.headers["location"]).text
    answer = env.ask(NEW_QUESTION)
    assert answer["snapshot"] == old
    assert NEW_PLAN["unit"] not in answer["answer"]
    assert all(c["locality"] != f"xã {NEW_PLAN['commune']}" for c in answer["citations"])

    forward = env.client.post("/can-bo/ban-chi-muc", data={"csrf": csrf, "snapshot": new}, follow_redirects=False)
    assert forward.status_code == 303 and env.ask(NEW_QUESTION)["status"] == "answered"


def test_switching_to_an_unknown_snapshot_is_a_404_page(env: Env) -> None:
    csrf = env.sign_in()
    before = current_snapshot_id(env.index)
    for target in ("20990101T000000.000000-abcdef", "../current", ""):
        response = env.client.post("/can-bo/ban-chi-muc", data={"csrf": csrf, "snapshot": target})
        assert response.status_code == 404, target
    assert current_snapshot_id(env.index) == before


def test_no_switch_while_a_build_holds_the_lock_nor_to_a_corrupted_snapshot(env: Env) -> None:
    csrf = env.sign_in()
    env.client.post("/can-bo/xay-dung", data={"csrf": csrf, "full": "1"})
    env.jobs.join(60)
    old, new = list_snapshots(env.index)
    with build_lock(env.index):
        busy = env.client.post("/can-bo/ban-chi-muc", data={"csrf": csrf, "snapshot": old})
    assert busy.status_code == 409 and "Đang xây dựng chỉ mục" in busy.text
    with (env.index / BUILDS_DIR / old / CHUNKS).open("a", encoding="utf-8") as handle:
        handle.write("\n")  # the file no longer matches its checksum
    corrupted = env.client.post("/can-bo/ban-chi-muc", data={"csrf": csrf, "snapshot": old})
    assert corrupted.status_code == 409 and "checksum" in corrupted.text
    assert current_snapshot_id(env.index) == new == env.holder.snapshot_id


def test_a_job_started_through_the_admin_api_is_watched_on_the_staff_page(env: Env) -> None:
    env.sign_in()
    started = env.client.post("/admin/reindex", headers={"Authorization": f"Bearer {TOKEN}"})
    job_id = started.json()["job_id"]
    env.jobs.join(60)
    assert env.client.get(f"/can-bo/viec/{job_id}/trang-thai").json()["status"] == "succeeded"


def test_a_file_over_the_upload_limit_is_reported_and_a_body_over_the_bound_refused(env: Env) -> None:
    csrf = env.sign_in()
    limit = env.settings.max_upload_bytes
    one_too_large = env.upload(csrf, ("lon.txt", b"a" * (limit + 1)))
    assert one_too_large.status_code == 413 and "Tệp quá lớn" in one_too_large.text
    body_too_large = env.upload(csrf, ("a.txt", b"a" * limit), ("b.txt", b"b" * limit))
    assert body_too_large.status_code == 413  # cut off by the body limit of /can-bo while it streams
    assert env.files() == sorted([SON_LA, KINH_MON])
