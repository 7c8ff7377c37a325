"""TAB-separated appendix tables: header detection, canonical columns, group rows.

A table is a run of TAB-separated lines. The header row names the columns ("TT", "Nội dung nhiệm
vụ", "Đơn vị chủ trì", ...), which map to the canonical ``COL_*`` names; a header repeated after a
page break is skipped; a row whose only filled cell is the first one ("I. Nhóm nhiệm vụ: ...") is a
group heading stored as the ``group`` of the rows below it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import COL_COORDINATING, COL_LEAD, COL_NUMBER, COL_OUTPUT, COL_TASK, COL_TIME, TableRow
from bot.text.normalize import match_form

# Header texts (match form) per canonical column: exact names first, then words they contain.
_EXACT: dict[str, str] = {
    "tt": COL_NUMBER,
    "stt": COL_NUMBER,
    "số tt": COL_NUMBER,
    "số thứ tự": COL_NUMBER,
    "nội dung nhiệm vụ": COL_TASK,
    "nội dung": COL_TASK,
    "nhiệm vụ": COL_TASK,
    "nội dung công việc": COL_TASK,
    "tên nhiệm vụ": COL_TASK,
    "nhiệm vụ, giải pháp": COL_TASK,
    "đơn vị chủ trì": COL_LEAD,
    "cơ quan chủ trì": COL_LEAD,
    "chủ trì": COL_LEAD,
    "đơn vị thực hiện": COL_LEAD,
    "cơ quan thực hiện": COL_LEAD,
    "đơn vị phối hợp": COL_COORDINATING,
    "cơ quan phối hợp": COL_COORDINATING,
    "phối hợp": COL_COORDINATING,
    "thời gian thực hiện": COL_TIME,
    "thời gian": COL_TIME,
    "thời hạn": COL_TIME,
    "thời gian hoàn thành": COL_TIME,
    "tiến độ": COL_TIME,
    "kết quả/sản phẩm": COL_OUTPUT,
    "kết quả, sản phẩm": COL_OUTPUT,
    "sản phẩm": COL_OUTPUT,
    "kết quả": COL_OUTPUT,
    "kết quả dự kiến": COL_OUTPUT,
    "sản phẩm đầu ra": COL_OUTPUT,
}
_CONTAINS: tuple[tuple[str, str], ...] = (
    ("chủ trì", COL_LEAD),
    ("phối hợp", COL_COORDINATING),
    ("thời gian", COL_TIME),
    ("thời hạn", COL_TIME),
    ("sản phẩm", COL_OUTPUT),
    ("kết quả", COL_OUTPUT),
    ("nhiệm vụ", COL_TASK),
    ("nội dung", COL_TASK),
)
# Column order assumed when a table comes without a header row.
DEFAULT_COLUMNS = (COL_NUMBER, COL_TASK, COL_LEAD, COL_COORDINATING, COL_TIME, COL_OUTPUT)


def split_cells(line: str) -> list[str]:
    """Cells of a TAB-separated line, stripped (empty trailing cells kept)."""
    return [cell.strip() for cell in line.split("\t")]


def canonical_column(header: str) -> str | None:
    """The ``COL_*`` name of a header cell ("Đơn vị chủ trì" → ``COL_LEAD``), ``None`` if unknown."""
    form = " ".join(match_form(header).replace(" / ", "/").split()).strip(" .:")
    if form in _EXACT:
        return _EXACT[form]
    for word, column in _CONTAINS:
        if word in form:
            return column
    return None


def header_columns(cells: Sequence[str]) -> tuple[str, ...] | None:
    """Column names when ``cells`` is a header row (two known columns or more), else ``None``."""
    names = [canonical_column(cell) for cell in cells]
    if sum(1 for name in names if name) < 2:
        return None
    return tuple(name or cell for name, cell in zip(names, cells, strict=True))


def _is_group(cells: Sequence[str]) -> bool:
    """Only the first cell is filled and it is not a bare row number."""
    filled = [c for c in cells if c]
    return len(filled) == 1 and bool(cells[0]) and not cells[0].rstrip(".").isdigit()


def header_line(lines: Sequence[str]) -> str:
    """The first header row among a table's lines, as written; "" when the table has none."""
    return next((line for line in lines if header_columns(split_cells(line)) is not None), "")


def parse_table(lines: Sequence[str]) -> tuple[TableRow, ...]:
    """Data rows of a table given its TAB-separated lines (header and group rows not included)."""
    columns: tuple[str, ...] | None = None
    group = ""
    rows: list[TableRow] = []
    for line in lines:
        cells = split_cells(line)
        if not any(cells):
            continue
        header = header_columns(cells)
        if header is not None:
            columns = columns or header  # a header repeated after a page break changes nothing
            continue
        if _is_group(cells):
            group = cells[0]
            continue
        names = columns or DEFAULT_COLUMNS
        pairs = tuple((names[i] if i < len(names) else f"col{i + 1}", cell) for i, cell in enumerate(cells) if cell)
        rows.append(TableRow(cells=pairs, group=group, line=line))
    return tuple(rows)
