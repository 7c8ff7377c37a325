"""Ruled tables in a scanned page image: the boxes of their cells, found from the drawn rules.

Tesseract reads a page block by block, so a ruled table comes out column by column (all of "Nội
dung", then all of "Đơn vị chủ trì"...), which loses which cells belong together. The rules of
the table are easy to see in the picture: a horizontal rule is a long run of dark pixels in a row,
a vertical one a run in a column that is much taller than a letter. Each band between two
horizontal rules of a table is a row; the vertical rules crossing that band split it into cells
(merged cells simply have fewer rules). The OCR reader puts each recognised word into the cell
that holds its centre and writes the table as TAB-separated rows, as the text-PDF reader does.

Pure numpy on a greyscale page; the rules of a table are also what the reader whitens before OCR
so that they are not read as "|" or "_".
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DARK = 128  # grey levels below this are ink
MIN_RULE_WIDTH = 0.12  # share of the page width: a shorter horizontal run is text, not a table rule
MIN_RULE_MM = 4.5  # a vertical run taller than this is a rule: taller than any letter with its marks
TOLERANCE_MM = 1.0  # rules meet within this distance (anti-aliasing, thickness, scan blur)
MIN_COLUMNS = 3  # ruled boxes with fewer columns are frames, not tables (as for text PDFs)

Box = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


@dataclass(frozen=True)
class Rule:
    """A drawn line: ``position`` across it (y of a horizontal rule, x of a vertical one), its extent along it,
    and the pixel rectangle it covers."""

    position: int
    start: int
    end: int
    box: Box


@dataclass(frozen=True)
class Table:
    """A ruled table: its rows top to bottom, each a tuple of cell boxes left to right, its outline, and the
    rectangles of the rules that draw it (whitened before OCR)."""

    rows: tuple[tuple[Box, ...], ...]
    box: Box
    rules: tuple[Box, ...] = ()


def _runs(line: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, end) of every run of True in a 1-D array, end exclusive."""
    padded = np.concatenate(([False], line, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _rules(dark: npt.NDArray[np.bool_], length: int, tolerance: int) -> list[Rule]:
    """Runs of ink at least ``length`` long along axis 1 (rows), adjacent rows of one line merged."""
    if dark.shape[1] < length:
        return []
    sums = np.concatenate((np.zeros((dark.shape[0], 1), np.int32), np.cumsum(dark, axis=1, dtype=np.int32)), axis=1)
    full = (sums[:, length:] - sums[:, :-length]) == length  # a window of `length` all ink starts here
    pieces: list[tuple[int, int, int]] = []  # (row, start, end)
    for row in (int(r) for r in np.flatnonzero(full.any(axis=1))):
        pieces.extend((row, start, end + length - 1) for start, end in _runs(full[row]))
    merged: list[list[int]] = []  # [first row, last row, start, end]
    for row, start, end in pieces:  # rows in order: a piece joins every group it touches (one thick line)
        touching = [g for g in merged if row - g[1] <= tolerance and start <= g[3] and g[2] <= end]
        merged = [g for g in merged if g not in touching]
        first = min([row, *(g[0] for g in touching)])
        left, right = min([start, *(g[2] for g in touching)]), max([end, *(g[3] for g in touching)])
        merged.append([first, row, left, right])
    return [Rule((first + last) // 2, start, end, (start, first, end, last + 1)) for first, last, start, end in merged]


def find_tables(gray: npt.NDArray[np.uint8], dpi: float) -> list[Table]:
    """The ruled tables of a greyscale page image, top to bottom.

    Only the rules of tables are reported: a long line elsewhere (an underline) or a tall letter of
    a big title is left as it is.
    """
    dark = gray < DARK
    tolerance = max(2, round(TOLERANCE_MM * dpi / 25.4))
    horizontal = sorted(_rules(dark, round(MIN_RULE_WIDTH * dark.shape[1]), tolerance), key=lambda r: r.position)
    vertical = [  # found on the transposed image: swap the box back
        Rule(r.position, r.start, r.end, (r.box[1], r.box[0], r.box[3], r.box[2]))
        for r in _rules(dark.T, round(MIN_RULE_MM * dpi / 25.4), tolerance)
    ]
    tables: list[Table] = []
    group: list[Rule] = []
    for rule in horizontal:
        if group and _columns(group[-1], rule, vertical, tolerance):
            group.append(rule)
            continue
        tables.extend(_table(group, vertical, tolerance))
        group = [rule]
    tables.extend(_table(group, vertical, tolerance))
    return tables


def _columns(upper: Rule, lower: Rule, vertical: Sequence[Rule], tolerance: int) -> list[Rule]:
    """The vertical rules that join ``upper`` to ``lower`` (the band's cell borders), left to right."""
    borders = [
        v
        for v in vertical
        if v.start <= upper.position + tolerance
        and v.end >= lower.position - tolerance
        and max(upper.start, lower.start) - tolerance <= v.position <= min(upper.end, lower.end) + tolerance
    ]
    return sorted(borders, key=lambda v: v.position)


def _table(group: Sequence[Rule], vertical: Sequence[Rule], tolerance: int) -> list[Table]:
    """The table made by consecutive horizontal rules joined by vertical ones (none when not a table)."""
    rows: list[tuple[Box, ...]] = []
    borders: dict[Box, None] = {}  # in order, once each
    for upper, lower in itertools.pairwise(group):
        if lower.position - upper.position <= tolerance:
            continue  # two pieces of one line
        columns = _columns(upper, lower, vertical, tolerance)
        borders.update((v.box, None) for v in columns)
        xs = [v.position for v in columns]
        rows.append(tuple((a, upper.position, b, lower.position) for a, b in itertools.pairwise(xs)))
    if not rows or max(len(row) for row in rows) < MIN_COLUMNS:
        return []
    x0 = min(row[0][0] for row in rows if row)
    x1 = max(row[-1][2] for row in rows if row)
    rules = (*(r.box for r in group), *borders)
    return [Table(tuple(rows), (x0, group[0].position, x1, group[-1].position), rules)]
