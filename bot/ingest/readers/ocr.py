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
from pathlib import Path

from bot.errors import DocumentError

LANGUAGE = "vie"
RENDER_DPI = 300  # Tesseract reads best at about 300 dpi
TIMEOUT_S = 120  # per page
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

    :class:`DocumentError` naming what to install when Tesseract with Vietnamese is missing.
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
                image = Path(tmp) / f"page-{number}.png"
                pdf[number - 1].render(scale=RENDER_DPI / 72).to_pil().save(image)
                out[number] = _tesseract(binary, image, name, number)
        finally:
            pdf.close()
    return out


def _tesseract(binary: str, image: Path, name: str, page: int) -> list[str]:
    try:
        done = subprocess.run(
            [binary, str(image), "stdout", "-l", LANGUAGE],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DocumentError(f"{name}: OCR of page {page} failed ({exc})") from exc
    if done.returncode != 0:
        raise DocumentError(f"{name}: OCR of page {page} failed: {done.stderr.strip()[:200]}")
    return done.stdout.splitlines()
