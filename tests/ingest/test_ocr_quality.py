"""A bundled plan scanned at 200 dpi is read back by the .pdf reader's OCR with ≥ 97% of its characters right.

The plan is printed (fpdf2, Noto Sans), each page rasterised to a 200-dpi grey picture and the pictures
put into a PDF without text layer (see :mod:`tests.ingest.scans`); :func:`read_document` sends those
pages to Tesseract. ``scripts/bench_ocr.py`` measures the whole plans.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.readers import ocr, read_document
from tests.ingest.scans import char_accuracy, lines_on_pages, plan_lines, print_pdf, read_text, scan, shown_text

DOCUMENTS = Path(__file__).resolve().parents[2] / "documents"
MIN_ACCURACY = 0.97
MIN_ROW_ACCURACY = 0.9  # a row is short: one misread letter costs a few percent

pytestmark = [
    pytest.mark.slow,  # Tesseract takes seconds per page
    pytest.mark.skipif(ocr.find_tesseract() is None, reason=f"no Tesseract with Vietnamese: {ocr.INSTALL_HINT}"),
]


def test_first_page_of_a_plan_is_read_from_its_scan() -> None:
    lines = lines_on_pages(plan_lines(DOCUMENTS / "kinh-mon_78-KH-UBND_2025.txt"), 1)
    result = read_document(Path("kinh-mon.pdf"), scan(print_pdf(lines)))
    assert result.page_count == 1
    assert result.notes and "OCR" in result.notes[0]
    assert char_accuracy(shown_text(lines), read_text(result.lines)) >= MIN_ACCURACY


def test_a_scanned_table_is_read_row_by_row() -> None:
    lines = plan_lines(DOCUMENTS / "le-chan_CTr-DU_2026.txt")
    first = next(i for i, line in enumerate(lines) if line.is_table_row)
    shown = lines_on_pages(lines[first - 1 :], 1)  # the line above the table, then the rows that fit on a page
    rows = [line.text.split("\t") for line in shown if line.is_table_row]
    result = read_document(Path("le-chan.pdf"), scan(print_pdf(shown)))
    read_rows = [line.split("\t") for line in result.lines if "\t" in line]
    assert [len(cells) for cells in read_rows] == [len(cells) for cells in rows]
    assert char_accuracy(shown_text(shown), read_text(result.lines)) >= MIN_ACCURACY
    for cells, read in zip(rows, read_rows, strict=True):  # each row's words in that row, not in a neighbour
        assert char_accuracy(" ".join(cells), " ".join(read)) >= MIN_ROW_ACCURACY, (cells, read)
