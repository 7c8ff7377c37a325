"""The users' journeys through the pages, in a real headless Chromium against the real server.

The app is the one ``campaign-bot serve`` runs (:func:`bot.web.app.create_site`), on a copy of the bundled
plans indexed with the real model, with the admin token set. Every page visited is screenshotted at a
desktop and a 390-px phone width into ``build/screenshots/`` and checked with axe-core (no serious or
critical violation).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.indexing.build import build_index
from bot.records.feedback import FeedbackStore
from bot.web.app import create_site
from tests.conftest import DOCUMENTS
from tests.ingest.generate import logical_lines, synthetic_plan, write_docx
from tests.web.browser import axe_violations, chromium, live_server, screenshot
from tests.web.test_staff_pages import NEW_PLAN  # the Word plan staff upload: in no bundled plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOKEN = "browser journeys token"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Iterator[str]:
    root = tmp_path_factory.mktemp("journeys")
    documents, index = root / "documents", root / "index"
    shutil.copytree(DOCUMENTS, documents)
    build_index(documents, index, real_embedder)
    settings = Settings(index_dir=index, documents_dir=documents, admin_token=TOKEN, rate_limit=0)
    holder = ServiceHolder(index, real_embedder, max_question_chars=settings.max_question_chars)
    app = create_site(holder, settings, feedback=FeedbackStore(root / "feedback.sqlite3"))
    with live_server(app) as url:
        yield url


def look(page: Any, name: str) -> None:
    """Screenshots of the page at both widths, and no serious accessibility violation."""
    screenshot(page, name)
    assert axe_violations(page) == [], name


def test_a_citizen_asks_without_diacritics_and_opens_the_cited_quote(browser: Any, site: str) -> None:
    page = browser.new_page()
    page.goto(site + "/")
    page.get_by_label("Câu hỏi").fill("don vi nao xay dung chuyen muc tuyen truyen o phuong kinh mon")
    page.get_by_role("button", name="Hỏi").click()
    page.wait_for_url("**/?q=*")
    answer = page.locator(".answer").inner_text()
    assert "Trung tâm Văn hoá, Thể thao và Truyền thông" in answer
    first = page.locator(".citations li").first
    quote = first.locator("blockquote").inner_text()
    assert "chuyên mục" in quote
    look(page, "ask-answer")
    first.locator("a").first.click()
    page.wait_for_url("**/van-ban/**")
    marked = page.locator("mark")
    assert marked.count() >= 1
    assert "chuyên mục" in " ".join(marked.all_inner_texts())
    assert marked.first.is_visible()
    look(page, "document")


def test_an_officer_filters_the_responsibilities_by_unit_and_downloads_them(
    browser: Any, site: str, tmp_path: Path
) -> None:
    import openpyxl

    page = browser.new_page()
    page.goto(site + "/ai-lam-gi")
    look(page, "who-does-what")
    unit = page.get_by_label("Đơn vị")
    options = [o for o in unit.locator("option").all_inner_texts() if "Phòng Văn hóa" in o]
    assert options, "no grouped unit 'Phòng Văn hóa' to filter by"
    unit.select_option(label=options[0])
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/ai-lam-gi?*")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    shown = rows.count()
    look(page, "who-does-what-filtered")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    data = Path(csv_download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(records) - 1 == shown and all("Phòng Văn h" in r[0] for r in records[1:])
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel").click()
    workbook = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(workbook)
    assert workbook.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert len(values) - 1 == shown and [str(v) for v in values[0]] == records[0]


def test_staff_upload_a_word_plan_rebuild_and_the_new_plan_is_answered(browser: Any, site: str, tmp_path: Path) -> None:
    plan = tmp_path / "tan-lap_51-KH-UBND_2026.docx"
    write_docx(logical_lines(synthetic_plan(**NEW_PLAN)), plan)  # type: ignore[arg-type]
    page = browser.new_page()
    page.goto(site + "/can-bo")
    look(page, "staff-sign-in")
    page.get_by_label("Mã quản trị").fill(TOKEN)
    page.get_by_role("button", name="Đăng nhập").click()
    look(page, "staff-home")
    page.locator("input[type=file]").set_input_files(str(plan))
    page.get_by_role("button", name="Tải lên").click()
    report = page.locator("main").inner_text()
    assert "51/KH-UBND" in report and "xã Tân Lập" in report
    look(page, "staff-upload-report")
    page.get_by_role("button", name="Xây dựng lại chỉ mục").first.click()
    page.get_by_text("Đã xong").wait_for(timeout=240_000)
    look(page, "staff-rebuild-done")
    page.goto(site + "/")
    page.get_by_label("Câu hỏi").fill(f"Ở xã Tân Lập, ai chủ trì {NEW_PLAN['task']}?")
    page.get_by_role("button", name="Hỏi").click()
    page.wait_for_url("**/?q=*")
    assert NEW_PLAN["unit"] in page.locator(".answer").inner_text()
