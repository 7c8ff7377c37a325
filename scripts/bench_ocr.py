"""OCR benchmark: each bundled text plan printed, scanned at 200 dpi and read back by the .pdf reader.

Usage::

    python scripts/bench_ocr.py [--dpi 200] [--pages N] [--keep DIR] [documents/x.txt ...]

For every plan (default: every ``documents/*.txt``): its logical lines are printed to a text PDF,
the pages rasterised into an image-only PDF (no text layer, see ``tests/ingest/scans.py``), and
that file read through the project's own reader (:func:`bot.ingest.readers.read_document`, whose
.pdf reader sends pages without text to Tesseract). Prints the character accuracy (1 - edit
distance / length, NFC, whitespace collapsed) and the seconds of reading per page. Needs
``tesseract-ocr`` and ``tesseract-ocr-vie``. Prints numbers only; makes no assertions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package: make `bot` and `tests` importable from the repo root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.ingest.cleanup import Line  # noqa: E402
from bot.ingest.readers import ocr, read_document  # noqa: E402
from tests.ingest.scans import SCAN_DPI, char_accuracy, plan_lines, print_pdf, read_text, scan, shown_text  # noqa: E402


def bench(path: Path, dpi: int, pages: int, keep: Path | None) -> tuple[float, int, float]:
    """(accuracy, pages read, seconds per page) of one plan."""
    lines = plan_lines(path)
    if pages > 0:  # only the first pages: print the prefix of the plan that fills them, the reference too
        lines = _lines_on_pages(lines, pages)
    printed = print_pdf(lines)
    scanned = scan(printed, dpi)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{path.stem}.scan.pdf").write_bytes(scanned)
    name = Path(f"{path.stem}.pdf")
    start = time.perf_counter()
    result = read_document(name, scanned)
    seconds = time.perf_counter() - start
    got = read_text(result.lines)
    if keep is not None:
        (keep / f"{path.stem}.ocr.txt").write_text(got, encoding="utf-8")
        (keep / f"{path.stem}.ref.txt").write_text(shown_text(lines), encoding="utf-8")
    page_count = result.page_count or 1
    return char_accuracy(shown_text(lines), got), page_count, seconds / page_count


def _lines_on_pages(lines: list[Line], pages: int) -> list[Line]:
    """The longest prefix of ``lines`` whose print fills at most ``pages`` pages."""
    import pypdfium2

    low, high = 1, len(lines)
    while low < high:  # binary search on the prefix length
        middle = (low + high + 1) // 2
        document = pypdfium2.PdfDocument(print_pdf(lines[:middle]))
        count = len(document)
        document.close()
        if count <= pages:
            low = middle
        else:
            high = middle - 1
    return lines[:low]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plans", nargs="*", type=Path, help="text plans (default: documents/*.txt)")
    parser.add_argument("--dpi", type=int, default=SCAN_DPI, help="scan resolution (default %(default)s)")
    parser.add_argument("--pages", type=int, default=0, help="read only the first N pages (default: all)")
    parser.add_argument("--keep", type=Path, default=None, help="write the scans and OCR texts into this folder")
    args = parser.parse_args()
    if ocr.find_tesseract() is None:
        print(f"tesseract with the Vietnamese model is missing: {ocr.INSTALL_HINT}", file=sys.stderr)
        return 2
    plans = args.plans or sorted((ROOT / "documents").glob("*.txt"))
    print(f"{'plan':45} {'pages':>5} {'accuracy':>9} {'s/page':>7}")
    total_pages, total_seconds, weighted = 0, 0.0, 0.0
    for path in plans:
        accuracy, pages, per_page = bench(path, args.dpi, args.pages, args.keep)
        print(f"{path.name:45} {pages:5d} {accuracy:9.2%} {per_page:7.2f}", flush=True)
        total_pages += pages
        total_seconds += per_page * pages
        weighted += accuracy * pages
    if total_pages:
        print(f"{'all':45} {total_pages:5d} {weighted / total_pages:9.2%} {total_seconds / total_pages:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
