"""What the answer engine returns: an :class:`Answer` with its :class:`Citation` s.

:func:`cite` is the one place a citation is made, so every quote shown is the plan's verbatim text
and every score is rounded alike, whichever part of the engine answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.models import Chunk, DocumentMeta
from bot.text.spans import verbatim_quote


class AnswerStatus(StrEnum):
    """Whether the plans answer the question (the values are what JSON and logs show)."""

    ANSWERED = "answered"
    NOT_FOUND = "not_found"


STATUS_ANSWERED = AnswerStatus.ANSWERED
STATUS_NOT_FOUND = AnswerStatus.NOT_FOUND
NOT_FOUND_SENTENCE = "Các kế hoạch không nêu thông tin này."


@dataclass(frozen=True)
class Citation:
    """Where a line of the answer comes from; ``quote`` is a verbatim span of the plan."""

    doc_id: str
    title: str
    locality: str
    section: str
    quote: str
    score: float
    pages: tuple[int, ...] = ()  # source pages of the quoted section (PDF plans); () when the format has none


@dataclass(frozen=True)
class Answer:
    """An answer: ``status`` is ``answered`` or ``not_found``; citations are numbered from 1.

    ``choices``: when the answer asks which place is meant (many plans answer a question naming
    none), the localities to offer (a front end may show them as buttons); () otherwise."""

    status: AnswerStatus
    answer: str
    citations: tuple[Citation, ...] = ()
    choices: tuple[str, ...] = ()


def cite(document: DocumentMeta, chunk: Chunk, quote: str, score: float) -> Citation:
    """The citation of ``quote`` (a display line or stretch of ``chunk``) in ``document``: the quote
    mapped back to the chunk's verbatim source text, the score rounded to 4 places."""
    return Citation(
        doc_id=document.doc_id,
        title=document.title,
        locality=document.locality or "",
        section=chunk.section,
        quote=verbatim_quote(quote, chunk.source),
        score=round(score, 4),
        pages=chunk.pages,
    )


def pages_label(pages: tuple[int, ...]) -> str:
    """ "trang 3", "trang 3-4" (first to last page); "" when there are none."""
    if not pages:
        return ""
    return f"trang {pages[0]}" if pages[0] == pages[-1] else f"trang {pages[0]}-{pages[-1]}"


def doc_label(meta: DocumentMeta) -> str:
    """How an answer names a plan: "Kế hoạch số 78/KH-UBND (phường Kinh Môn)"."""
    kind = meta.doc_type or "Kế hoạch"
    number = f" số {meta.number}" if meta.number and re.search(r"\d", meta.number) else ""
    place = f" ({meta.locality})" if meta.locality else ""
    return f"{kind}{number}{place}"
