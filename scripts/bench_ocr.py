"""OCR benchmark: each bundled text plan printed, scanned at 200 dpi and read back by the .pdf reader.

Usage::

    python scripts/bench_ocr.py [--dpi 200] [--pages N] [--keep DIR] [documents/x.txt ...]

For every plan (default: every ``documents/*.txt``): its logical lines are printed to a text PDF,
the pages rasterised into an image-only PDF (no text layer, see ``tests/ingest/scans.py``), and
that file read through the project's own reader (:func:`bot.ingest.readers.read_document`, whose
.pdf reader sends pages without text to Tesseract). Prints the character accuracy (1 - edit
distance / length, NFC, whitespace collapsed) and the seconds of reading per page (wall clock,
and CPU of this process plus Tesseract, which is steadier on a busy machine). Needs
``tesseract-ocr`` and ``tesseract-ocr-vie``. Prints numbers only; makes no assertions.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package: make `bot` and `tests` importable from the repo root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.ingest.readers import ocr, read_document  # noqa: E402
from tests.ingest.scans import (  # noqa: E402
    SCAN_DPI,
    char_accuracy,
    lines_on_pages,
    plan_lines,
    print_pdf,
    read_text,
    scan,
    shown_text,
)


@dataclass(frozen=True)
class Measure:
    """How one plan's scan was read."""

    accuracy: float
    pages: int
    seconds_per_page: float  # wall clock
    cpu_per_page: float  # this process and Tesseract


def bench(path: Path, dpi: int, pages: int, keep: Path | None) -> Measure:
    """Print, scan and read one plan."""
    lines = plan_lines(path)
    if pages > 0:  # only the first pages: print the prefix of the plan that fills them, the reference too
        lines = lines_on_pages(lines, pages)
    printed = print_pdf(lines)
    scanned = scan(printed, dpi)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{path.stem}.scan.pdf").write_bytes(scanned)
    name = Path(f"{path.stem}.pdf")
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    result = read_document(name, scanned)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    got = read_text(result.lines)
    if keep is not None:
        (keep / f"{path.stem}.ocr.txt").write_text(got, encoding="utf-8")
        (keep / f"{path.stem}.ref.txt").write_text(shown_text(lines), encoding="utf-8")
    page_count = result.page_count or 1
    return Measure(char_accuracy(shown_text(lines), got), page_count, seconds / page_count, cpu / page_count)


def _cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (Tesseract): the machine may be busy."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


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
    print(f"{'plan':40} {'pages':>5} {'accuracy':>9} {'s/page':>7} {'cpu s/page':>10}")
    measures = []
    for path in plans:
        m = bench(path, args.dpi, args.pages, args.keep)
        measures.append(m)
        row = f"{path.name:40} {m.pages:5d} {m.accuracy:9.2%} {m.seconds_per_page:7.2f} {m.cpu_per_page:10.2f}"
        print(row, flush=True)
    pages = sum(m.pages for m in measures)
    if pages:  # every figure weighted by pages
        accuracy = sum(m.accuracy * m.pages for m in measures) / pages
        wall = sum(m.seconds_per_page * m.pages for m in measures) / pages
        cpu = sum(m.cpu_per_page * m.pages for m in measures) / pages
        print(f"{'all':40} {pages:5d} {accuracy:9.2%} {wall:7.2f} {cpu:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
