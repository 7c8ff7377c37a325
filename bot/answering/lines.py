"""Line choice: which lines of a chosen chunk the answer shows, and the verbatim quotes covering them.

Input: a chunk, the question's weighted terms, its intent. Output: a :class:`Span`. Table rows,
recipient lists, signatures and headers are used whole; otherwise the lines that share the most
weighted terms with the question, with a bonus for lines stating a fact of the kind asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.corpus import Corpus
from bot.ingest.issuer import is_motto
from bot.models import KIND_RECIPIENTS, KIND_SIGNATURE, KIND_TABLE, Chunk
from bot.query.intent import Intent
from bot.query.terms import QueryTerms
from bot.retrieval.hybrid import Hit

WHOLE_KINDS = frozenset({KIND_TABLE, KIND_RECIPIENTS, KIND_SIGNATURE})
# Line-score bonus (relative to the best line) of a line holding a fact of the intent's kind.
LINE_FACT_BONUS = 0.5
MAX_LIST_LINES = 8
MAX_FACT_LINES = 3
MAX_QUOTE_CHARS = 320
LINE_RATIO = 0.6
MAX_LINES = 4
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ“\"(-])")
# "- Công chức Văn hóa - Xã hội (Phụ trách ...): phối hợp ..." — the unit a paragraph is about.
_LINE_LABEL = re.compile(r"^[-+•]?\s*([^:.;]{3,120}?)\s*:\s")


@dataclass(frozen=True)
class Span:
    """The part of a chunk an answer uses: the lines shown and the verbatim quotes that cover them:
    one quote for a short contiguous stretch, else one quote per line."""

    lines: tuple[str, ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Excerpt:
    """A chosen hit with the span of it the answer shows."""

    hit: Hit
    span: Span


def with_labels(lines: tuple[str, ...], text: str) -> tuple[str, ...]:
    """``lines`` with, before a sentence taken from the middle of a paragraph that opens with a label
    ("Công chức Văn hóa - Xã hội (...): ..."), that label: the sentence alone would not say who."""
    out: list[str] = []
    for piece in lines:
        source = next((line.strip() for line in text.split("\n") if piece in line), "")
        match = _LINE_LABEL.match(source)
        if match and not source.startswith(piece) and match.group(1) not in out:
            out.append(match.group(1))
        out.append(piece)
    return tuple(out)


def is_boilerplate(line: str) -> bool:
    """The national title or motto (whole or a fragment of a broken line) or a separator ("-------")."""
    return is_motto(line) or not re.search(r"\w", line)


def without_heading(line: str, heading: str) -> str:
    """``line`` without the section's heading standing glued before its value, as a record's field
    copied from a web table does ("Thẩm quyền giải quyếtUBND cấp xã" under "Thẩm quyền giải quyết")."""
    # only glued ("...quyếtUBND"): a heading followed by a space starts a sentence whose subject it is
    # ("Phòng Văn hóa - Thông tin chủ trì ..."), which the quote keeps whole
    if heading and line.startswith(heading) and line[len(heading) : len(heading) + 1].isalnum():
        return line[len(heading) :]
    return line


def pieces(text: str) -> list[str]:
    """Lines of ``text``; a line longer than ``MAX_QUOTE_CHARS`` split into its sentences."""
    found: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if len(line) <= MAX_QUOTE_CHARS:
            found.extend([line] if line else [])
        else:
            found.extend(sentence.strip() for sentence in _SENTENCE_END.split(line) if sentence.strip())
    return found


def best_span(chunk: Chunk, terms: QueryTerms, intent: Intent, corpus: Corpus, *, shorter: bool = False) -> Span:
    """The lines of ``chunk`` that best match the question, with a verbatim quote covering them.

    Table rows, recipient lists and signatures are used whole. Otherwise the best line (long
    lines are split into sentences) and the lines scoring at least ``LINE_RATIO`` of it, at most
    ``MAX_LINES`` (half as many when ``shorter``, for answers covering several plans), in document
    order; the quote is the stretch of the chunk from the first to the
    last of them when that is short enough, else the best line alone.
    """
    text = chunk.text
    if chunk.kind in WHOLE_KINDS:
        lines = tuple(line.strip() for line in text.split("\n") if line.strip())
        if chunk.kind == KIND_SIGNATURE:
            # The signature stands beside "Nơi nhận" on the page: copied as text, the signer's role and
            # name often come apart around the recipients, so the block is no one span of the file.
            # Each line is quoted on its own, and each is verbatim.
            return Span(lines, lines)
        return Span(lines, (text.strip(),))
    heading = chunk.section_path[-1] if chunk.section_path else ""
    # The heading is named in the answer already: quote the content lines when there are any; the
    # national title and motto and separator lines of a header are never what a question asks.
    kept = [p for p in pieces(text) if p != heading and not is_boilerplate(p)] or pieces(text)
    # a field glued to its heading is shown without it, and quoted whole (the line as the file has it)
    whole_of = {without_heading(p, heading): p for p in kept}
    lines_of = list(whole_of)
    if not lines_of:
        return Span((heading,), (heading,))
    scores = [terms.overlap(corpus.terms_of(p)) for p in lines_of]
    fact_quotes = corpus.quotes_of(chunk.chunk_id, intent.fact_kinds)
    has_fact = [any(p in q or q in p for q in fact_quotes) for p in lines_of]
    if fact_quotes:
        top = max(scores) or 1.0
        scores = [s + LINE_FACT_BONUS * top * fact for s, fact in zip(scores, has_fact, strict=True)]
    best = max(range(len(lines_of)), key=lambda i: (scores[i], -len(lines_of[i])))
    if intent.wants_list:
        keep = list(range(min(len(lines_of), MAX_LIST_LINES // (2 if shorter else 1))))
    else:
        threshold = LINE_RATIO * scores[best]
        # every line stating a fact of the kind asked counts when there are few ("từ nguồn nào":
        # both funding lines); in a long list of targets only the matching ones do
        few = sum(has_fact) <= MAX_FACT_LINES
        keep = [i for i, score in enumerate(scores) if (score >= threshold and score > 0) or (few and has_fact[i])]
        most = MAX_LINES // (2 if shorter else 1)
        keep = sorted(sorted(keep or [best], key=lambda i: scores[i], reverse=True)[:most])
    lines = with_labels(tuple(lines_of[i] for i in keep), text)
    quoted = tuple(whole_of.get(line, line) for line in lines)
    start = text.find(quoted[0])
    end = text.find(quoted[-1], start) + len(quoted[-1])
    if 0 <= start < end and end - start <= MAX_QUOTE_CHARS * 2:
        return Span(lines, (text[start:end],))
    return Span(lines, quoted)
