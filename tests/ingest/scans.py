"""Test-only scans: a plan printed to PDF, then "scanned" into an image-only PDF, and how well OCR reads it.

- :func:`print_pdf`: the logical lines of a text plan as a text PDF (fpdf2, Noto Sans 11 pt, bold
  lines bold, TAB rows a ruled table), no running header or footer, so the page shows exactly
  :func:`shown_text`;
- :func:`scan`: every page rasterised (pypdfium2) to a grey image at a given dpi and the images
  put into a new PDF, one per page, with no text layer: what a scanner gives back;
- :func:`char_accuracy`: 1 - edit distance / length (rapidfuzz's Levenshtein) on NFC text with
  whitespace collapsed, so line breaks and wrapping do not count, only the characters.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

from bot.ingest.cleanup import PAGE_BREAK, Line
from tests.ingest.generate import FONT, logical_lines, static_font

SCAN_DPI = 200  # a common office scanner setting: coarser than the 300 dpi Tesseract prefers
_WHITESPACE = re.compile(r"\s+")


def plan_lines(path: Path) -> list[Line]:
    """The logical lines of a bundled text plan (what its printed version shows)."""
    return logical_lines(path.read_text(encoding="utf-8"))


def print_pdf(lines: Sequence[Line]) -> bytes:
    """The lines as a text PDF (A4): paragraphs wrapped at the page width, TAB rows a ruled table."""
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(static_font(400)))
    pdf.add_font(FONT, "B", str(static_font(700)))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    rows: list[list[str]] = []

    def flush_table() -> None:
        if not rows:
            return
        width = max(len(row) for row in rows)
        pdf.set_font(FONT, "", 9)
        with pdf.table(first_row_as_headings=False) as table:
            for cells in rows:
                row = table.row()
                for text in [*cells, *[""] * (width - len(cells))]:
                    row.cell(text)
        rows.clear()
        pdf.ln(2)

    for line in lines:
        if line.is_table_row:
            rows.append(line.text.split("\t"))
            continue
        flush_table()
        pdf.set_font(FONT, "B" if line.marked else "", 11)
        pdf.multi_cell(0, 6, line.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    flush_table()
    return bytes(pdf.output())


def page_count(pdf_data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_data)
    try:
        return len(document)
    finally:
        document.close()


def lines_on_pages(lines: Sequence[Line], pages: int) -> list[Line]:
    """The longest prefix of ``lines`` whose print fills at most ``pages`` pages (at least one line)."""
    low, high = 1, len(lines)
    while low < high:  # binary search on the prefix length
        middle = (low + high + 1) // 2
        if page_count(print_pdf(lines[:middle])) <= pages:
            low = middle
        else:
            high = middle - 1
    return list(lines[:low])


def shown_text(lines: Sequence[Line]) -> str:
    """What the printed pages show, in reading order (table rows cell by cell)."""
    return "\n".join(line.text.replace("\t", " ") for line in lines)


def scan(pdf_data: bytes, dpi: int = SCAN_DPI) -> bytes:
    """An image-only PDF of ``pdf_data``: each page a grey picture at ``dpi``, no text layer."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_data)
    try:
        images = [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def read_text(lines: Sequence[str]) -> str:
    """The text of a reader's lines: page breaks dropped, table cells set apart by spaces."""
    return "\n".join(line.replace("\t", " ") for line in lines if line != PAGE_BREAK)


def comparable(text: str) -> str:
    """NFC with every run of whitespace one space: the form accuracy is measured on."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def char_accuracy(expected: str, got: str) -> float:
    """1 - (Levenshtein distance / length of ``expected``) on :func:`comparable` texts (can be < 0)."""
    from rapidfuzz.distance import Levenshtein

    reference, read = comparable(expected), comparable(got)
    return 1.0 - Levenshtein.distance(reference, read) / max(len(reference), 1)
