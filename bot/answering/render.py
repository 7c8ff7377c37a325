"""Rendering: the answer's text and numbered citations from the excerpts chosen, and the honest
``not_found`` answers.

Input: :class:`~bot.answering.lines.Excerpt` s (and notes computed by the checks). Output: an
:class:`~bot.answering.answer.Answer`. Every quoted claim carries the number of its citation; a
``not_found`` answer states no number that is not in its citation.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.answer import (
    NOT_FOUND_SENTENCE,
    STATUS_ANSWERED,
    STATUS_NOT_FOUND,
    Answer,
    Citation,
    cite,
    doc_label,
    pages_label,
)
from bot.answering.lines import Excerpt, Span
from bot.models import Chunk, DocumentMeta
from bot.query.intent import COUNT, DATE, MONEY, PERSON, PLACE, ValueKind

MAX_HEADING_CHARS = 70
MULTI_PLAN_INTRO = "Tùy kế hoạch của từng địa bàn:"
# Why a question asking for a value the plans do not state gets no answer.
_MISSING_VALUE: dict[ValueKind, str] = {
    MONEY: "Các kế hoạch không nêu thông tin này: không có số tiền cụ thể.",
    COUNT: "Các kế hoạch không nêu thông tin này: không có con số tổng.",
    DATE: "Các kế hoạch không nêu thông tin này: không có ngày, tháng cụ thể.",
    PLACE: "Các kế hoạch không nêu thông tin này: không có địa điểm.",
    PERSON: "Các kế hoạch không nêu thông tin này: không ghi họ tên người này.",
}


def where(chunk: Chunk, *, pages: bool = True) -> str:
    """The section's own heading, shortened (the full path is in the citation), with its pages if
    known and asked for."""
    heading = chunk.section_path[-1] if chunk.section_path else "phần mở đầu"
    if chunk.row is not None and len(chunk.section_path) >= 2:
        heading = chunk.section_path[-2]  # a table row's group ("I. Nhóm nhiệm vụ: ..."), not its number
    if len(heading) > MAX_HEADING_CHARS:
        heading = heading[: MAX_HEADING_CHARS - 1].rstrip() + "…"
    return f"{heading} ({pages_label(chunk.pages)})" if chunk.pages and pages else heading


def render_span(chunk: Chunk, span: Span, first: int) -> str:
    """A table row reads as its labelled cells; any other span is quoted as written. Citation
    numbers start at ``first``: one after the span, or one per line when each line is its own quote."""
    if chunk.row is not None:
        row = chunk.row
        labelled = [
            ("nhiệm vụ", row.get("task")),
            ("chủ trì", row.get("lead")),
            ("phối hợp", row.get("coordinating")),
            ("thời gian", row.get("time")),
            ("kết quả", row.get("output")),
        ]
        return "; ".join(f"{label}: {value}" for label, value in labelled if value) + f" [{first}]"
    if len(span.quotes) == 1:
        return " ".join(f"“{line}”" for line in span.lines) + f" [{first}]"
    # several quotes: each line carries its own citation
    return " ".join(f"“{line}” [{first + i}]" for i, line in enumerate(span.lines))


def compose(
    excerpts: Sequence[Excerpt],
    *,
    silent: Sequence[DocumentMeta] = (),
    notes: Sequence[str] = (),
    intro: str = MULTI_PLAN_INTRO,
    remarks: Sequence[str] = (),
) -> Answer:
    """Format the excerpts, one block per plan; every quoted claim carries its citation number.
    ``silent``: plans said not to mention the matter; ``notes`` close the answer; ``remarks``: a
    text closing each excerpt's block, by position ("" or missing: none)."""
    citations: list[Citation] = []
    parts: list[str] = []
    for i, excerpt in enumerate(excerpts):
        hit, span = excerpt.hit, excerpt.span
        first = len(citations) + 1
        citations.extend(cite(hit.document, hit.chunk, quote, hit.score) for quote in span.quotes)
        remark = remarks[i] if i < len(remarks) else ""
        parts.append(
            f"{doc_label(hit.document)}, mục {where(hit.chunk)}: {render_span(hit.chunk, span, first)}{remark}"
        )
    if len(parts) == 1:
        return Answer(STATUS_ANSWERED, "\n".join(["Theo " + parts[0], *notes]), tuple(citations))
    lines = [intro, *(f"• {part}" for part in parts)]
    if silent:
        lines.append("Không tìm thấy nội dung này trong: " + "; ".join(doc_label(meta) for meta in silent) + ".")
    return Answer(STATUS_ANSWERED, "\n".join([*lines, *notes]), tuple(citations))


def not_found(localities: Sequence[str], reason: str | None = None) -> Answer:
    """The honest answer when the plans do not say it, with what they do cover (``localities``)."""
    covered = f" Dữ liệu hiện có kế hoạch của: {', '.join(localities)}." if localities else ""
    lead = f"{reason} " if reason else ""
    return Answer(
        STATUS_NOT_FOUND,
        f"{lead}{NOT_FOUND_SENTENCE}{covered} Hãy hỏi về nhiệm vụ, đơn vị phụ trách, chỉ tiêu hoặc thời hạn "
        "trong các kế hoạch này.",
    )


def value_missing(kind: ValueKind, closest: Excerpt) -> Answer:
    """``not_found`` for a question asking a value no plan states (an amount, a date, a venue),
    with the closest line the plans do have on it, cited, so the user sees what is known."""
    hit, span = closest.hit, closest.span
    line = span.lines[0] if span.lines else ""
    quote = next((q for q in span.quotes if line in q), line)
    # the plan by its locality, not its số hiệu: every number shown must stand in the citation
    place = f"{hit.document.locality or hit.document.title}, mục {where(hit.chunk, pages=False)}"
    # no "[1]" marker: in an answer that states nothing, every number must come from the quote
    text = f"{_MISSING_VALUE[kind]} Nội dung gần nhất, {place}: “{line}”"
    return Answer(STATUS_NOT_FOUND, text, (cite(hit.document, hit.chunk, quote, hit.score),))
