"""Telegram message text: HTML escaping, answers and fact lists as HTML, and safe splitting.

Pure functions, no Telegram import. Messages are sent in Telegram's HTML parse mode, so every piece
of text from a plan or a user goes through :func:`escape`; only the tags written here are markup.
Telegram refuses a message longer than 4,096 characters, so :func:`split_html` cuts long texts at
line breaks (else spaces), never inside a tag or an entity, closing the open tags at each cut and
opening them again in the next part.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

from bot.answering.engine import Answer, Citation, LocatedFact, doc_label
from bot.models import DocumentMeta

MAX_MESSAGE_CHARS = 4096
SHORT_QUOTE_CHARS = 200  # in an answer (whose text already quotes it); /nguon shows the whole quote
# A tag, an entity, one whitespace character, or a run of other text (cut to bounded pieces below).
_TOKEN = re.compile(r"<[^<>]*>|&#?\w+;|\s|[^<&\s]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([\w-]+)")
_WORD_PIECE = 8  # a word longer than this may be cut between pieces (e.g. a pasted URL)


def escape(text: str) -> str:
    """``text`` safe for HTML parse mode: ``&``, ``<`` and ``>`` become entities."""
    return html.escape(text, quote=False)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji may count two)."""
    return len(text.encode("utf-16-le")) // 2


def _tokens(text: str) -> list[str]:
    pieces: list[str] = []
    for token in _TOKEN.findall(text):
        if len(token) > _WORD_PIECE and token[0] not in "<&":
            pieces.extend(token[i : i + _WORD_PIECE] for i in range(0, len(token), _WORD_PIECE))
        else:
            pieces.append(token)
    return pieces


def _apply(stack: tuple[str, ...], token: str) -> tuple[str, ...]:
    """The open tags (as written) after ``token``."""
    if not token.startswith("<") or len(token) < 3:
        return stack
    match = _TAG_NAME.match(token)
    if match is None:
        return stack
    name = match.group(1).lower()
    if token.startswith("</"):
        for i in range(len(stack) - 1, -1, -1):
            if _name(stack[i]) == name:
                return stack[:i] + stack[i + 1 :]
        return stack
    if token.endswith("/>"):
        return stack
    return (*stack, token)


def _name(open_tag: str) -> str:
    match = _TAG_NAME.match(open_tag)
    return match.group(1).lower() if match else ""


def _closers(stack: tuple[str, ...]) -> str:
    return "".join(f"</{_name(tag)}>" for tag in reversed(stack))


def split_html(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Cut ``text`` (valid Telegram HTML) into parts of at most ``limit`` characters each.

    Cuts fall after a line break when one lies in the second half of a part, else after a space,
    else between words' pieces; never inside a tag or an entity. Tags open at a cut are closed at
    the end of the part and opened again at the start of the next. Parts with no visible text are
    dropped, so the result may be empty for an empty text.
    """
    tokens = _tokens(text)
    parts: list[str] = []
    start = 0
    stack: tuple[str, ...] = ()
    while start < len(tokens):
        while start < len(tokens) and tokens[start].isspace():
            start += 1  # a part does not begin with the whitespace of the cut
        prefix = "".join(stack)
        length = telegram_length(prefix)
        current: tuple[str, ...] = stack
        end = start
        newline: tuple[int, tuple[str, ...]] | None = None
        space: tuple[int, tuple[str, ...]] | None = None
        while end < len(tokens):
            token = tokens[end]
            after = _apply(current, token)
            size = telegram_length(token)
            if length + size + telegram_length(_closers(after)) > limit:
                break
            length += size
            current = after
            end += 1
            if length * 2 >= limit:
                if token == "\n":
                    newline = (end, current)
                elif token.isspace():
                    space = (end, current)
        if end == start and end < len(tokens):
            raise ValueError(f"limit {limit} is too small for the markup at token {tokens[end]!r}")
        cut = (end, current) if end >= len(tokens) else newline or space or (end, current)
        body = prefix + "".join(tokens[start : cut[0]])
        part = (body.rstrip() if not cut[1] else body) + _closers(cut[1])
        if _visible(part):
            parts.append(part)
        start, stack = cut
    return parts


def _visible(part: str) -> bool:
    return bool(re.sub(r"<[^<>]*>", "", part).strip())


def section_path(section: str) -> str:
    """A section path as shown in Telegram: ``"V. TỔ CHỨC › 1. Phân công"``."""
    return section.replace(" > ", " › ")


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_LIST_ITEM = re.compile(r"(?<=[.;:!?”\"])\s+(?=[-+•]\s)")


def readable_quote(quote: str) -> str:
    """A verbatim quote as a reader wants it: Markdown emphasis markers dropped, the source's line
    breaks (page layout) joined, a new line kept before each list item."""
    flat = " ".join(_EMPHASIS.sub("", quote).split())
    return _LIST_ITEM.sub("\n", flat)


def _plan(citation: Citation, documents: Mapping[str, DocumentMeta]) -> str:
    meta = documents.get(citation.doc_id)
    return doc_label(meta) if meta is not None else f"{citation.title} ({citation.locality})"


def format_answer(answer: Answer, documents: Mapping[str, DocumentMeta], *, understood: str | None = None) -> str:
    """An answer as HTML: the answer text, then each citation as plan › section with its quoted line.

    ``understood`` is the question as the bot read it (a follow-up rewritten), shown first.
    """
    lines: list[str] = []
    if understood:
        lines += [f"<i>Câu hỏi: {escape(understood)}</i>", ""]
    lines.append(escape(answer.answer))
    if answer.citations:
        lines += ["", "<b>Nguồn:</b>"]
        for number, citation in enumerate(answer.citations, start=1):
            where = f"{escape(_plan(citation, documents))} › {escape(section_path(citation.section))}"
            quote = escape(shorten(readable_quote(citation.quote), SHORT_QUOTE_CHARS))
            lines.append(f"[{number}] <b>{where}</b>\n<i>“{quote}”</i>")
        lines += ["", "Gõ /nguon để xem đầy đủ trích dẫn."]
    return "\n".join(lines)


def format_sources(citations: Sequence[Citation], documents: Mapping[str, DocumentMeta]) -> str:
    """The full sources of an answer: plan title, locality, section and the whole quoted passage."""
    blocks = ["<b>Nguồn của câu trả lời gần nhất</b>"]
    for number, citation in enumerate(citations, start=1):
        meta = documents.get(citation.doc_id)
        details = [escape(_plan(citation, documents))]
        if meta is not None and meta.date:
            details.append(f"ngày {escape(meta.date)}")
        blocks.append(
            f"[{number}] <b>{' — '.join(details)}</b>\n{escape(citation.title)}\n"
            f"<i>{escape(section_path(citation.section))}</i>\n<blockquote>{escape(readable_quote(citation.quote))}</blockquote>"
        )
    return "\n\n".join(blocks)


def format_plans(documents: Iterable[DocumentMeta]) -> str:
    """The plans of the snapshot: number, date, locality and title."""
    lines = ["<b>Các kế hoạch đang có</b>"]
    for number, meta in enumerate(documents, start=1):
        facts = [_number(meta.number), _date(meta.date)]
        facts.append(escape(meta.locality) if meta.locality else "chưa rõ địa bàn")
        lines.append(f"{number}. <b>{escape(meta.doc_type or 'Kế hoạch')}</b> {', '.join(facts)}\n{escape(meta.title)}")
    if len(lines) == 1:
        lines.append("Chưa có kế hoạch nào trong dữ liệu.")
    return "\n\n".join(lines)


def _number(number: str | None) -> str:
    """ "số 78/KH-UBND"; a number left blank in the plan shows its symbol only ("ký hiệu /KH-BCĐ")."""
    if not number:
        return "chưa ghi số"
    return f"số {escape(number)}" if re.search(r"\d", number) else f"ký hiệu {escape(number)}"


def _date(date: str | None) -> str:
    """ "ngày 29/09/2025", or the date as written when it has no day ("tháng 3 năm 2024")."""
    if not date:
        return "chưa ghi ngày"
    return f"ngày {escape(date)}" if date[:1].isdigit() else escape(date)


def _grouped(found: Sequence[LocatedFact]) -> dict[str, list[LocatedFact]]:
    groups: dict[str, list[LocatedFact]] = {}
    for item in found:
        groups.setdefault(doc_label(item.document), []).append(item)
    return groups


def format_responsibilities(found: Sequence[LocatedFact], *, limit: int = 40) -> str:
    """Tasks of a unit, grouped by plan: role, the task as the plan words it, and its section."""
    blocks: list[str] = []
    for label, items in _grouped(found[:limit]).items():
        lines = [f"<b>{escape(label)}</b>"]
        for item in items:
            fact = item.fact
            role = f"<b>{escape(fact.role)}</b>: " if fact.role else ""
            lines.append(
                f"• {escape(fact.subject)} — {role}{escape(shorten(fact.detail or fact.quote, 300))}\n"
                f"  <i>{escape(section_path(fact.section))}</i>"
            )
        blocks.append("\n".join(lines))
    if len(found) > limit:
        blocks.append(f"… và {len(found) - limit} nhiệm vụ khác. Hãy ghi rõ tên đơn vị hoặc chọn /diaban để lọc.")
    return "\n\n".join(blocks)


def format_targets(found: Sequence[LocatedFact]) -> str:
    """Targets grouped by plan: the indicator as written, its value and period."""
    blocks: list[str] = []
    for label, items in _grouped(found).items():
        lines = [f"<b>{escape(label)}</b>"]
        for item in items:
            fact = item.fact
            extra = [part for part in (fact.value, fact.detail) if part]
            tail = f" <i>({escape(', '.join(extra))})</i>" if extra else ""
            lines.append(f"• {escape(shorten(fact.subject or fact.quote, 400))}{tail}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
