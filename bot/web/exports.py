"""Tables as downloads: CSV that Excel opens in Vietnamese, and .xlsx (openpyxl, only here).

Both carry the same header row and cells as the page's table. A cell beginning with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return) is what a spreadsheet would run as a formula ("CSV
injection"): in CSV it is prefixed with ``'``; in .xlsx it is stored as text with Excel's quote
prefix, which is what typing ``'`` before it in Excel does, so the text reads back unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import quote

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from bot.text.normalize import fold

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with the byte order mark

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_SHEET_TITLE = 31  # Excel's limit
_COLUMN_WIDTH = (8, 60)  # characters, the narrowest and widest column


@dataclass(frozen=True)
class Sheet:
    """A table to download: its title (sheet name and file name), header row and rows of text."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def is_formula_like(cell: str) -> bool:
    """Would a spreadsheet read ``cell`` as a formula?"""
    return cell.startswith(_FORMULA_STARTS)


def neutralised(cell: str) -> str:
    """``cell`` as a CSV cell no spreadsheet runs: prefixed with ``'`` when it looks like a formula."""
    return "'" + cell if is_formula_like(cell) else cell


def csv_bytes(sheet: Sheet) -> bytes:
    """The table as CSV: UTF-8 with a byte order mark, the header row first, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralised(h) for h in sheet.headers])
    writer.writerows([neutralised(c) for c in row] for row in sheet.rows)
    return (BOM + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheet: Sheet) -> bytes:
    """The table as an .xlsx workbook of one sheet: a bold, frozen header row with filters; every
    cell a text (never a formula)."""
    book = Workbook()
    page = book.active
    page.title = _sheet_title(sheet.title)
    page.append(list(sheet.headers))
    for row in sheet.rows:
        page.append(list(row))
    for cells in page.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = "s"  # openpyxl reads "=..." as a formula: keep it the text it is
                cell.quotePrefix = True
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in page[1]:
        cell.font = Font(bold=True)
    page.freeze_panes = "A2"
    page.auto_filter.ref = page.dimensions
    for index, header in enumerate(sheet.headers):
        longest = max([len(header), *(len(row[index]) for row in sheet.rows if index < len(row))])
        letter = page.cell(row=1, column=index + 1).column_letter
        page.column_dimensions[letter].width = min(max(longest, _COLUMN_WIDTH[0]), _COLUMN_WIDTH[1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    """``title`` as Excel allows a sheet name: no ``[]:*?/\\``, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:_MAX_SHEET_TITLE].strip() or "Bang"


def content_disposition(filename: str) -> str:
    """An attachment header naming ``filename`` in UTF-8 (RFC 6266 / RFC 5987 ``filename*``), with
    an ASCII fallback (folded, other characters as ``-``) for clients that do not read it."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", fold(filename)).strip("-") or "bang"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(sheet: Sheet, fmt: str, stem: str) -> Response:
    """The response downloading ``sheet`` as ``<stem>.<fmt>`` (``fmt`` one of :data:`FORMATS`)."""
    if fmt == "csv":
        body, media_type = csv_bytes(sheet), CSV_MEDIA_TYPE
    elif fmt == "xlsx":
        body, media_type = xlsx_bytes(sheet), XLSX_MEDIA_TYPE
    else:
        raise ValueError(f"unknown format {fmt!r}")
    headers = {"Content-Disposition": content_disposition(f"{stem}.{fmt}"), "Cache-Control": "no-store"}
    return Response(body, media_type=media_type, headers=headers)
