"""OCR of scanned PDF pages with Tesseract's Vietnamese model (optional system tool).

Pages are rendered with pypdfium2 (a wheel that ships PDFium) and read by the ``tesseract`` binary
in a subprocess, so nothing but the Debian packages ``tesseract-ocr`` and ``tesseract-ocr-vie`` is
needed. Without them a scanned PDF is refused with a message saying what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from bot.errors import DocumentError
from bot.ingest.readers.scan_tables import DARK, Box, Table, find_tables
from bot.text.normalize import clean

LANGUAGE = "vie"
RENDER_DPI = 300  # Tesseract reads best at about 300 dpi
TIMEOUT_S = 120  # per page
PAGE_PSM = 3  # Tesseract's automatic page segmentation: columns and blocks found in the picture
CELL_PSM = 6  # a table cell read again alone is one block of text
CELL_INSET = 4  # pixels: the edge of a cell next to its (whitened) rules is not looked at for ink
MIN_INK = 30  # dark pixels: fewer in a cell is dust, not text (a "1" at 300 dpi has a few hundred)
INSTALL_HINT = (
    "install tesseract-ocr and tesseract-ocr-vie (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie)"
)


def find_tesseract() -> str | None:
    """Path of a ``tesseract`` binary that has the Vietnamese model, ``None`` when there is none."""
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    return binary if LANGUAGE in languages else None


def read_pages(data: bytes, pages: Sequence[int], name: str) -> dict[int, list[str]]:
    """Text lines of the given 1-based ``pages`` of the PDF ``data``, read by OCR.

    Ruled tables come out as TAB-separated rows (one per table row, cells left to right), the
    rest as Tesseract's lines in its reading order. :class:`DocumentError` naming what to install
    when Tesseract with Vietnamese is missing.
    """
    binary = find_tesseract()
    listed = ", ".join(str(p) for p in pages)
    if binary is None:
        raise DocumentError(
            f"{name}: PDF has no text layer (scanned, or fonts that do not map to Unicode; page(s) {listed}); "
            f"{INSTALL_HINT} to read it by OCR"
        )
    import pypdfium2  # only needed for scans

    out: dict[int, list[str]] = {}
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise DocumentError(f"{name}: the scanned pages cannot be rendered ({exc})") from exc
    with tempfile.TemporaryDirectory(prefix="campaign-bot-ocr-") as tmp:
        try:
            for number in pages:
                gray = np.asarray(pdf[number - 1].render(scale=RENDER_DPI / 72, grayscale=True).to_pil().convert("L"))
                tables = find_tables(gray, RENDER_DPI)
                image = Path(tmp) / f"page-{number}.png"
                rules = [box for table in tables for box in table.rules]
                page = _whitened(gray, rules)
                Image.fromarray(page).save(image, dpi=(RENDER_DPI, RENDER_DPI))
                words = _tesseract(binary, image, name, number)
                for box in missed_cells(page, tables, words):
                    words += _read_cell(binary, page, box, image, name, number)
                out[number] = page_text(words, tables)
        finally:
            pdf.close()
    return out


def _whitened(gray: npt.NDArray[np.uint8], boxes: Sequence[Box]) -> npt.NDArray[np.uint8]:
    """The page with the table rules painted white: Tesseract would read them as "|" and "_"."""
    if not boxes:
        return gray
    out = gray.copy()
    for x0, top, x1, bottom in boxes:
        out[max(top - 1, 0) : bottom + 1, max(x0 - 1, 0) : x1 + 1] = 255
    return out


def missed_cells(page: npt.NDArray[np.uint8], tables: Sequence[Table], words: Sequence[Word]) -> list[Box]:
    """Cells with ink but no word: the page's layout analysis drops a lone short text ("1", "x") in a wide
    blank cell as noise, so such a cell is read again on its own."""
    missed = []
    for table in tables:
        for row in table.rows:
            for box in row:
                x0, top, x1, bottom = box
                if (
                    page[top + CELL_INSET : bottom - CELL_INSET, x0 + CELL_INSET : x1 - CELL_INSET] < DARK
                ).sum() < MIN_INK:
                    continue
                if not any(_inside(w.centre, box) for w in words):
                    missed.append(box)
    return missed


def _read_cell(binary: str, page: npt.NDArray[np.uint8], box: Box, image: Path, name: str, number: int) -> list[Word]:
    """The words of one cell (a block of text), in page coordinates."""
    x0, top, x1, bottom = box
    crop = image.with_name(f"{image.stem}-cell.png")
    Image.fromarray(page[top:bottom, x0:x1]).save(crop, dpi=(RENDER_DPI, RENDER_DPI))
    cell_words = _tesseract(binary, crop, name, number, psm=CELL_PSM)
    return [
        Word(w.text, (-1, *w.line[1:]), (w.box[0] + x0, w.box[1] + top, w.box[2] + x0, w.box[3] + top))
        for w in cell_words
    ]


@dataclass(frozen=True)
class Word:
    """A word Tesseract recognised: its text, its line (block, paragraph, line numbers) and its box."""

    text: str
    line: tuple[int, int, int]
    box: Box

    @property
    def centre(self) -> tuple[float, float]:
        x0, top, x1, bottom = self.box
        return (x0 + x1) / 2, (top + bottom) / 2


def _tesseract(binary: str, image: Path, name: str, page: int, *, psm: int = PAGE_PSM) -> list[Word]:
    """The words of a page image in Tesseract's reading order (its TSV output)."""
    try:
        done = subprocess.run(
            [binary, str(image), "stdout", "-l", LANGUAGE, "--psm", str(psm), "tsv"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DocumentError(f"{name}: OCR of page {page} failed ({exc})") from exc
    if done.returncode != 0:
        raise DocumentError(f"{name}: OCR of page {page} failed: {done.stderr.strip()[:200]}")
    return parse_tsv(done.stdout)


def parse_tsv(tsv: str) -> list[Word]:
    """The words (level 5 rows with text) of Tesseract's TSV output, in its order."""
    words = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5" or not fields[11].strip():
            continue
        block, paragraph, line, left, top, width, height = (int(f) for f in (*fields[2:5], *fields[6:10]))
        words.append(Word(fields[11].strip(), (block, paragraph, line), (left, top, left + width, top + height)))
    return words


def _inside(point: tuple[float, float], box: Box) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def page_text(words: Sequence[Word], tables: Sequence[Table]) -> list[str]:
    """The lines of a page: words outside tables by Tesseract's lines, each table as TAB rows where it stands.

    A table is placed before the first line below its top edge (Tesseract reads top to bottom).
    """
    lines: list[tuple[int, str]] = []  # (top, text)
    in_table: dict[int, list[Word]] = {i: [] for i in range(len(tables))}
    current: list[Word] = []

    def flush() -> None:
        if current:
            lines.append((min(w.box[1] for w in current), " ".join(w.text for w in current)))
            current.clear()

    for word in words:
        table = next((i for i, t in enumerate(tables) if _inside(word.centre, t.box)), None)
        if table is not None:
            in_table[table].append(word)
            continue
        if current and current[-1].line != word.line:
            flush()
        current.append(word)
    flush()
    out: list[str] = []
    pending = sorted(range(len(tables)), key=lambda i: tables[i].box[1])
    for top, text in lines:
        while pending and tables[pending[0]].box[1] <= top:
            table = pending.pop(0)
            out.extend(_rows(tables[table], in_table[table]))
        out.append(text)
    for table in pending:
        out.extend(_rows(tables[table], in_table[table]))
    return [clean(line) for line in out]


def _rows(table: Table, words: Sequence[Word]) -> list[str]:
    """The table's rows as TAB-separated cells, each cell's words in its visual lines."""
    out = []
    for row in table.rows:
        cells = [" ".join(w.text for w in _in_lines([w for w in words if _inside(w.centre, box)])) for box in row]
        if any(cells):
            out.append("\t".join(cells))
    return out


def _in_lines(words: Sequence[Word]) -> list[Word]:
    """Words top to bottom by visual line, left to right in a line.

    Tesseract's own line numbers are not enough in a narrow cell: a justified line with wide gaps
    may come out as two lines of different blocks. A word whose centre lies within the height of
    the line being gathered belongs to it.
    """
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.centre[1]):
        if lines and word.centre[1] <= max(w.box[3] for w in lines[-1]):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [word for line in lines for word in sorted(line, key=lambda w: w.box[0])]
