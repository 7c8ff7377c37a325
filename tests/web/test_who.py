"""The "Ai làm gì" pages: responsibilities, targets and deadlines across plans, filtered and downloaded.

Two plans indexed through the real build (``tests/web/who_plans.py``) write the same units differently;
the clock is fixed, so the deadlines' order is known.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.app import create_app
from bot.web.site import web_router
from bot.web.who import DEADLINE_HEADERS, RESPONSIBILITY_HEADERS, TARGET_HEADERS, who_router
from tests.fakes import FakeEmbedder
from tests.web.who_plans import build_who_index

TODAY = date(2026, 5, 10)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Page(HTMLParser):
    """What a test reads of a page: the table's header and rows (cell texts, the row's link), the options
    of each <select>, and the text of role="alert" paragraphs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self.options: dict[str, list[tuple[str, str, bool]]] = {}  # select name → (value, text, selected)
        self.alerts: list[str] = []
        self._cell: list[str] | None = None
        self._select = ""
        self._option: tuple[str, bool] | None = None
        self._alert = False
        self._in_body = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and self._in_body and self._cell is not None:
            self.links.append(found.get("href") or "")
        elif tag == "select":
            self._select = found.get("name") or ""
            self.options[self._select] = []
        elif tag == "option":
            self._option = (found.get("value") or "", "selected" in found)
            self._text: list[str] = []
        elif tag == "p" and found.get("role") == "alert":
            self._alert = True
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell)
            (self.rows[-1] if self._in_body else self.headers).append(text)
            self._cell = None
        elif tag == "option" and self._option is not None:
            self.options[self._select].append((self._option[0], "".join(self._text).strip(), self._option[1]))
            self._option = None
        elif tag == "p" and self._alert:
            self.alerts.append("".join(self._text).strip())
            self._alert = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._option is not None or self._alert:
            self._text.append(data)

    def column(self, header: str) -> list[str]:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]

    def option(self, select: str, label_start: str) -> tuple[str, str, bool]:
        """The one option of ``select`` whose text starts with ``label_start``."""
        found = [o for o in self.options[select] if o[1].startswith(label_start)]
        assert len(found) == 1, (label_start, self.options[select])
        return found[0]


def client_of(index: Path, embedder: FakeEmbedder, today: date = TODAY) -> TestClient:
    holder = ServiceHolder(index, embedder)
    return TestClient(create_app(holder, Settings(index_dir=index), routers=[who_router(holder, today=lambda: today)]))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_who_index(tmp_path_factory.mktemp("who"), FakeEmbedder())


@pytest.fixture
def who(index: Path) -> Iterator[TestClient]:
    with client_of(index, FakeEmbedder()) as client:
        yield client


def page(client: TestClient, url: str, params: dict[str, str] | None = None, status: int = 200) -> Page:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


def test_the_site_serves_the_page_under_its_nav_link(index: Path) -> None:
    embedder = FakeEmbedder()
    holder = ServiceHolder(index, embedder)
    settings = Settings(index_dir=index)
    with TestClient(create_app(holder, settings, routers=[web_router(holder, settings)])) as client:
        response = client.get("/ai-lam-gi")
    assert response.status_code == 200
    assert 'href="/ai-lam-gi" aria-current="page"' in response.text


def test_a_unit_written_two_ways_is_one_choice_and_filters_to_both_spellings(who: TestClient) -> None:
    everything = page(who, "/ai-lam-gi")
    assert everything.headers == list(RESPONSIBILITY_HEADERS)
    value, label, _ = everything.option("unit", "UBND phường")
    assert label == "UBND phường (4)"  # the most frequent spelling, with the rows of both
    assert not [o for o in everything.options["unit"] if o[1].startswith("Ủy ban nhân dân phường")]

    filtered = page(who, "/ai-lam-gi", {"unit": value})
    assert sorted(set(filtered.column("Đơn vị"))) == ["UBND phường", "Ủy ban nhân dân phường"]
    assert len(filtered.rows) == 4
    assert filtered.option("unit", "UBND phường")[2]  # the choice stays selected

    typed = page(who, "/ai-lam-gi", {"unit": "uy ban nhan dan phuong"})
    assert typed.rows == filtered.rows


def test_an_acronym_the_abbreviations_do_not_know_joins_the_unit_it_spells(who: TestClient) -> None:
    value, label, _ = page(who, "/ai-lam-gi").option("unit", "Phòng Văn hóa - Thông tin")
    assert label == "Phòng Văn hóa - Thông tin (6)"
    filtered = page(who, "/ai-lam-gi", {"unit": value})
    assert sorted(set(filtered.column("Đơn vị"))) == ["Phòng VH-TT", "Phòng Văn hóa - Thông tin"]
    assert page(who, "/ai-lam-gi", {"unit": "Phòng VH-TT"}).rows == filtered.rows


def test_the_role_and_locality_filters(who: TestClient) -> None:
    coordinating = page(who, "/ai-lam-gi", {"role": "phối hợp"})
    assert set(coordinating.column("Vai trò")) == {"phối hợp"}
    assert len(coordinating.rows) == 2
    assert page(who, "/ai-lam-gi", {"role": "phoi hop"}).rows == coordinating.rows

    leading_in_tan_hoa = page(who, "/ai-lam-gi", {"role": "chủ trì", "locality": "phường Tân Hòa"})
    assert leading_in_tan_hoa.column("Đơn vị") == ["Ủy ban nhân dân phường", "Phòng VH-TT"]
    assert set(leading_in_tan_hoa.column("Địa bàn")) == {"phường Tân Hòa"}
    assert [o[0] for o in leading_in_tan_hoa.options["locality"]] == ["", "phường An Bình", "phường Tân Hòa"]


def test_a_duty_shows_the_time_its_line_states(who: TestClient) -> None:
    rows = page(who, "/ai-lam-gi", {"locality": "phường An Bình"})
    times = dict(zip(rows.column("Nhiệm vụ"), rows.column("Thời gian"), strict=True))
    assert times["Tổ chức tổng kết phong trào trong Quý IV/2026."] == "Quý IV/2026"
    assert times["Chủ trì chỉ đạo triển khai kế hoạch trên địa bàn phường."] == ""


def test_each_row_links_to_its_document_at_the_section_with_the_quote(who: TestClient) -> None:
    rows = page(who, "/ai-lam-gi", {"role": "phối hợp", "locality": "phường Tân Hòa"})
    assert rows.column("Văn bản") == ["Kế hoạch số 30/KH-UBND"]
    link = rows.links[0]
    assert link.startswith("/van-ban/tan-hoa?trich=") and "#muc-" in link
    assert "Phối hợp với Đoàn Thanh niên" in unquote(link.replace("+", " "))


def test_the_csv_starts_with_the_bom_and_holds_the_table(who: TestClient) -> None:
    filters = {"unit": "UBND phường"}
    shown = page(who, "/ai-lam-gi", filters)
    response = who.get("/ai-lam-gi.csv", params=filters)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="phan-cong-nhiem-vu.csv"; ')
    assert "filename*=UTF-8''ph%C3%A2n-c%C3%B4ng-nhi%E1%BB%87m-v%E1%BB%A5.csv" in disposition
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table == [shown.headers, *shown.rows]


def test_the_xlsx_reads_back_as_the_table(who: TestClient) -> None:
    for url, headers in (
        ("/ai-lam-gi", RESPONSIBILITY_HEADERS),
        ("/ai-lam-gi/chi-tieu", TARGET_HEADERS),
        ("/ai-lam-gi/thoi-han", DEADLINE_HEADERS),
    ):
        shown = page(who, url, {"locality": "phường An Bình"})
        response = who.get(url + ".xlsx", params={"locality": "phường An Bình"})
        assert response.status_code == 200
        assert response.headers["content-type"] == XLSX
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        read = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
        assert read == [list(headers), *shown.rows], url
        assert shown.rows


def test_formula_like_cells_are_neutralised_in_both_downloads(who: TestClient) -> None:
    task = '=HYPERLINK("http://example.invalid") gửi báo cáo kết quả trước ngày 30/6/2026.'
    shown = page(who, "/ai-lam-gi", {"role": "thực hiện", "unit": "Phòng Văn hóa - Thông tin"})
    assert task in shown.column("Nhiệm vụ")  # the page shows the plan's text as it is

    text = who.get("/ai-lam-gi.csv", params={"role": "thực hiện"}).content.decode("utf-8-sig")
    tasks = [row[1] for row in csv.reader(io.StringIO(text))]
    assert "'" + task in tasks and task not in tasks

    content = who.get("/ai-lam-gi.xlsx", params={"role": "thực hiện"}).content
    cells = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row if c.value == task]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix  # text, never a formula


def test_deadlines_of_the_coming_quarter_come_first(who: TestClient) -> None:
    shown = page(who, "/ai-lam-gi/thoi-han")
    assert shown.headers == list(DEADLINE_HEADERS)
    assert shown.column("Thời hạn") == [
        "trước ngày 30/6/2026",  # due in the coming quarter (to 30/9/2026), soonest first
        "trong tháng 7/2026",
        "hằng năm",  # recurring, in document order
        "thường xuyên",
        "Quý IV/2026",  # due after the coming quarter
        "Quý II",  # no year: unread, last, in document order
        "Quý III",
    ]
    assert shown.column("Đến hạn")[:2] == ["Trong quý tới", "Trong quý tới"]
    assert shown.column("Từ ngày")[0] == "30/06/2026" and shown.column("Đến ngày")[1] == "31/07/2026"
    assert shown.column("Từ ngày")[-1] == ""
    assert shown.column("Từ ngày")[2:4] == ["01/01/2026", ""]  # "hằng năm" this year; "thường xuyên" every day


def test_the_deadlines_order_follows_the_clock(index: Path) -> None:
    with client_of(index, FakeEmbedder(), today=date(2026, 11, 1)) as client:
        shown = page(client, "/ai-lam-gi/thoi-han")
    assert shown.column("Thời hạn")[:5] == [
        "Quý IV/2026",  # now due in the coming quarter
        "hằng năm",
        "thường xuyên",
        "trong tháng 7/2026",  # past, the latest first
        "trước ngày 30/6/2026",
    ]


def test_targets_by_locality(who: TestClient) -> None:
    everything = page(who, "/ai-lam-gi/chi-tieu")
    assert everything.column("Giá trị") == ["95%", "80%", "90%"]
    an_binh = page(who, "/ai-lam-gi/chi-tieu", {"locality": "phường An Bình"})
    assert an_binh.column("Chỉ tiêu") == [
        "Phấn đấu 95% hộ gia đình đạt danh hiệu Gia đình văn hóa.",
        "Phấn đấu 80% tổ dân phố có nhà văn hóa đạt chuẩn.",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "Sở Ngoại giao"},
        {"locality": "xã Không Có"},
        {"unit": "<script>alert(1)</script>"},
        {"unit": "\x00\ufffd"},
        {"locality": "phường Tân Hòa", "role": "tham mưu"},  # each filter has rows, not both
    ],
)
def test_a_filter_no_row_has_gives_the_empty_table(who: TestClient, params: dict[str, str]) -> None:
    response = who.get("/ai-lam-gi", params=params)
    assert response.status_code == 200
    assert "Không có dòng nào" in response.text
    assert "<script>alert" not in response.text
    assert Page(response.text).rows == []
    download = who.get("/ai-lam-gi.csv", params=params)
    assert download.status_code == 200
    assert download.content.decode("utf-8-sig").splitlines() == [",".join(RESPONSIBILITY_HEADERS)]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/ai-lam-gi", {"role": "trưởng ban"}),
        ("/ai-lam-gi.csv", {"role": "x"}),
        ("/ai-lam-gi.xlsx", {"unit": "x" * 5000}),
        ("/ai-lam-gi/chi-tieu", {"locality": "y" * 5000}),
        ("/ai-lam-gi/thoi-han.csv", {"locality": "y" * 5000}),
    ],
)
def test_an_unusable_filter_gives_a_polite_422_page(who: TestClient, url: str, params: dict[str, str]) -> None:
    shown = page(who, url, params, status=422)
    assert shown.alerts and shown.rows == []


def test_without_an_index_the_pages_say_so_politely(tmp_path: Path) -> None:
    with client_of(tmp_path, FakeEmbedder()) as client:
        for url in ("/ai-lam-gi", "/ai-lam-gi.csv", "/ai-lam-gi/chi-tieu", "/ai-lam-gi/thoi-han.xlsx"):
            shown = page(client, url, status=503)
            assert shown.alerts and str(tmp_path) not in shown.alerts[0]


def test_an_unknown_download_format_is_not_found(who: TestClient) -> None:
    assert who.get("/ai-lam-gi.pdf").status_code == 404
    assert who.get("/ai-lam-gi/thoi-han.exe").status_code == 404


@pytest.mark.slow
def test_the_bundled_plans_group_their_units(seed_index: Path, real_embedder: Any) -> None:
    """On the real index of the bundled plans: "Phòng Văn hóa - Xã hội", written with two tone-mark
    placements, is one choice; "UBND phường" and "Ủy ban nhân dân phường" another; each filters to
    all of its spellings, and the downloads hold the same rows."""
    holder = ServiceHolder(seed_index, real_embedder)
    app = create_app(holder, Settings(index_dir=seed_index), routers=[who_router(holder, today=lambda: TODAY)])
    with TestClient(app) as client:
        everything = page(client, "/ai-lam-gi")
        for label, spellings in (
            ("Phòng Văn hóa - Xã hội", {"Phòng Văn hóa - Xã hội", "Phòng Văn hoá - Xã hội"}),
            ("UBND phường", {"UBND phường", "Ủy ban nhân dân phường"}),
        ):
            value, text, _ = everything.option("unit", label + " (")
            filtered = page(client, "/ai-lam-gi", {"unit": value})
            assert set(filtered.column("Đơn vị")) == spellings
            assert text == f"{label} ({len(filtered.rows)})"
            body = client.get("/ai-lam-gi.csv", params={"unit": value}).content.decode("utf-8-sig")
            assert len(list(csv.reader(io.StringIO(body)))) == len(filtered.rows) + 1
        deadlines = page(client, "/ai-lam-gi/thoi-han")
        assert deadlines.column("Thời hạn")[:2] == ["trước ngày 15/6/2026", "Quý II/2026"]
