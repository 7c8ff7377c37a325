"""The download writers: neutralised formulas, the BOM, the UTF-8 file name, a valid sheet name."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from bot.web.exports import Sheet, content_disposition, csv_bytes, neutralised, xlsx_bytes

SHEET = Sheet(
    "Phân công: nhiệm vụ [2026]/quý?",
    ("Đơn vị", "Nhiệm vụ"),
    (("=1+1", "+84 912"), ("-5%", "@SUM(A1)"), ("Ủy ban nhân dân phường", 'a, "b"\nc')),
)


def test_every_formula_start_is_prefixed_and_nothing_else() -> None:
    for cell in ("=1+1", "+84", "-5%", "@x", "\tx", "\rx"):
        assert neutralised(cell) == "'" + cell
    for cell in ("Ủy ban", "", "5-6", "'=x"):
        assert neutralised(cell) == cell


def test_csv_quotes_commas_quotes_and_line_breaks_after_the_bom() -> None:
    body = csv_bytes(SHEET)
    assert body[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [
        ["Đơn vị", "Nhiệm vụ"],
        ["'=1+1", "'+84 912"],
        ["'-5%", "'@SUM(A1)"],
        ["Ủy ban nhân dân phường", 'a, "b"\nc'],
    ]


def test_xlsx_keeps_every_cell_as_text_under_an_allowed_sheet_name() -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes(SHEET)))
    page = book.active
    assert page.title == "Phân công  nhiệm vụ  2026  quý"
    assert [list(r) for r in page.iter_rows(values_only=True)] == [list(SHEET.headers), *map(list, SHEET.rows)]
    assert all(c.data_type == "s" for row in page.iter_rows() for c in row)


def test_the_file_name_travels_in_utf8_with_an_ascii_fallback() -> None:
    header = content_disposition("thời-hạn.csv")
    assert header == "attachment; filename=\"thoi-han.csv\"; filename*=UTF-8''th%E1%BB%9Di-h%E1%BA%A1n.csv"
    assert content_disposition('"; x=1.csv').startswith('attachment; filename="x-1.csv"; ')
