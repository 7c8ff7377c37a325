"""Sections of a text without numbered headings: a procedure record's fields, else its paragraphs.

A web excerpt or a news summary has no "I."/"1."/"Điều" to cut along. One block would make one
long chunk whose citation points nowhere; instead an administrative-procedure record becomes one
section per field ("Trình tự thực hiện", "Thời gian giải quyết"), and any other text one section
per paragraph ("Đoạn 1", "Đoạn 2"...), a very short line (a byline, a caption's credit) going with
the paragraph before it. Lines stay verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.ingest.patterns import procedure_field
from bot.models import KIND_BODY, Section

MIN_PROCEDURE_FIELDS = 3  # fewer labelled lines are prose that happens to start with "Yêu cầu"
MIN_PARAGRAPH_CHARS = 40  # a shorter line joins the paragraph before it
PARAGRAPH_HEADING = "Đoạn"
_PARAGRAPH_LABEL = re.compile(rf"^{PARAGRAPH_HEADING} \d+$")


def is_paragraph_label(heading: str) -> bool:
    """ "Đoạn 3": the name :func:`paragraph_sections` gives a paragraph (not a line of the text)."""
    return bool(_PARAGRAPH_LABEL.match(heading))


def is_procedure_record(lines: Sequence[str]) -> bool:
    """Three or more distinct procedure fields open lines of ``lines``."""
    return len({procedure_field(line) for line in lines} - {None}) >= MIN_PROCEDURE_FIELDS


def _section(path: tuple[str, ...], lines: list[str], pages: set[int]) -> Section:
    return Section(path=path, text="\n".join(lines), kind=KIND_BODY, pages=tuple(sorted(pages)))


def procedure_sections(lines: Sequence[str], pages: Sequence[tuple[int, ...]]) -> tuple[list[str], list[Section]]:
    """(lines before the first field, one section per field named by its label)."""
    before: list[str] = []
    groups: list[tuple[str, list[str], set[int]]] = []
    for line, on in zip(lines, pages, strict=True):
        label = procedure_field(line)
        if label is not None:
            groups.append((label, [line], set(on)))
        elif groups:
            groups[-1][1].append(line)
            groups[-1][2].update(on)
        else:
            before.append(line)
    return before, [_section((label,), body, on) for label, body, on in groups]


def paragraph_sections(lines: Sequence[str], pages: Sequence[tuple[int, ...]]) -> list[Section]:
    """One section per paragraph, numbered "Đoạn 1", "Đoạn 2"..."""
    groups: list[tuple[list[str], set[int]]] = []
    for line, on in zip(lines, pages, strict=True):
        if groups and len(line) < MIN_PARAGRAPH_CHARS:
            groups[-1][0].append(line)
            groups[-1][1].update(on)
        else:
            groups.append(([line], set(on)))
    return [_section((f"{PARAGRAPH_HEADING} {n}",), body, on) for n, (body, on) in enumerate(groups, start=1)]
