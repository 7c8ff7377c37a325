"""Ruled tables on scanned pages (no Tesseract needed): cells from the drawn rules, words into cells."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pypdfium2

from bot.ingest.readers.ocr import Word, missed_cells, page_text, parse_tsv
from bot.ingest.readers.scan_tables import Table, find_tables
from tests.ingest.scans import page_count, plan_lines, print_pdf, scan

DPI = 300
DOCUMENTS = Path(__file__).resolve().parents[2] / "documents"


def _grid(rows: list[int], columns: list[int], *, skip: tuple[int, int] | None = None) -> npt.NDArray[np.uint8]:
    """A white A4 page at 300 dpi with a grid of 3-px rules; ``skip``: (band, rule) of a vertical rule left out."""
    page = np.full((3508, 2480), 255, np.uint8)
    for y in rows:
        page[y : y + 3, columns[0] : columns[-1] + 3] = 0
    for band, (top, bottom) in enumerate(itertools.pairwise(rows)):
        for index, x in enumerate(columns):
            if skip != (band, index):
                page[top : bottom + 3, x : x + 3] = 0
    return page


def test_a_grid_is_a_table_of_its_cells() -> None:
    rows, columns = [400, 480, 620, 700], [200, 300, 900, 1500, 2200]
    page = _grid(rows, columns)
    page[3000:3003, 300:1500] = 0  # an underline below the table: not one of its rules, left for OCR
    page[2000:2080, 1000:1012] = 0  # the stem of a big title letter (7 mm): taller than a rule, but alone
    tables = find_tables(page, DPI)
    assert len(tables) == 1
    table = tables[0]
    assert len(table.rows) == 3
    assert all(len(row) == 4 for row in table.rows)
    first = table.rows[0]
    assert [cell[0] for cell in first] == [201, 301, 901, 1501]  # rule centres, left to right
    assert all(abs(cell[1] - 401) <= 1 and abs(cell[3] - 481) <= 1 for cell in first)
    assert len(table.rules) == len(rows) + len(columns)  # what OCR whitens


def test_a_merged_cell_has_fewer_borders() -> None:
    tables = find_tables(_grid([400, 480, 620], [200, 300, 900, 1500, 2200], skip=(1, 2)), DPI)
    assert [len(row) for row in tables[0].rows] == [4, 3]


def test_a_frame_of_two_columns_is_not_a_table() -> None:
    assert find_tables(_grid([400, 480, 620], [200, 1200, 2200]), DPI) == []


def test_text_without_rules_has_no_table() -> None:
    page = np.full((3508, 2480), 255, np.uint8)
    for y in range(300, 3000, 70):  # lines of "letters": short dark strokes, no long run
        for x in range(200, 2200, 40):
            page[y : y + 40, x : x + 6] = 0
    assert find_tables(page, DPI) == []


def _word(text: str, line: int, x: int, y: int) -> Word:
    return Word(text, (1, 1, line), (x, y, x + 60, y + 30))


def test_words_go_into_the_cell_holding_them_and_the_table_stands_where_it_is_drawn() -> None:
    table = Table(
        rows=(((0, 100, 500, 200), (500, 100, 1000, 200)), ((0, 200, 500, 300), (500, 200, 1000, 300))),
        box=(0, 100, 1000, 300),
    )
    words = [
        _word("Trước", 1, 10, 40),
        _word("bảng", 1, 80, 40),
        _word("Nội", 2, 10, 120),
        _word("dung", 2, 80, 120),  # a cell of two lines
        _word("tiếp", 3, 10, 160),
        _word("Quý", 9, 600, 120),  # read in another block: still the second cell of the first row
        _word("UBND", 4, 10, 220),
        _word("Sau", 5, 10, 340),
    ]
    assert page_text(words, [table]) == ["Trước bảng", "Nội dung tiếp\tQuý", "UBND\t", "Sau"]


def test_tesseract_tsv_words() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t131\t130\t1202\t49\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t131\t133\t146\t46\t96.8\ttrường\n"
        "5\t1\t1\t1\t1\t2\t295\t133\t79\t46\t96.9\t \n"
        "5\t1\t2\t1\t1\t1\t295\t233\t79\t46\t96.9\thợp\n"
    )
    assert parse_tsv(tsv) == [
        Word("trường", (1, 1, 1), (131, 133, 277, 179)),
        Word("hợp", (2, 1, 1), (295, 233, 374, 279)),
    ]


def test_the_table_of_a_bundled_plan_is_found_in_its_scan() -> None:
    lines = plan_lines(DOCUMENTS / "le-chan_CTr-DU_2026.txt")
    shown = [line for line in lines if line.is_table_row][:8]  # rows of up to 4 lines: they fit on one page
    printed = print_pdf(shown)
    assert page_count(printed) == 1
    document = pypdfium2.PdfDocument(scan(printed))
    try:
        gray = np.asarray(document[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
    finally:
        document.close()
    tables = find_tables(gray, DPI)
    assert len(tables) == 1
    width = max(len(line.text.split("\t")) for line in shown)
    assert [len(row) for row in tables[0].rows] == [width] * len(shown)


def test_a_cell_with_ink_but_no_word_is_read_again() -> None:
    page = np.full((400, 1000), 255, np.uint8)
    page[120:170, 40:60] = 0  # a "1" in the first cell, which the page's OCR dropped
    page[120:170, 540:560] = 0  # ink in the second cell too, but a word was read there
    cells = ((0, 100, 500, 200), (500, 100, 1000, 200), (0, 200, 500, 300))  # the third is blank
    table = Table(rows=(cells,), box=(0, 100, 1000, 300))
    assert missed_cells(page, [table], [_word("Quý", 1, 530, 130)]) == [cells[0]]
