"""The section tree of a plan, from its logical lines.

Headings are recognised by Vietnamese numbering, whatever the source format: ``I.`` (rank 1),
``1.`` (2), ``1.1.`` (3), ``1.1.1.`` (4), ``a)`` (5); Markdown ``#`` levels are ignored because
converters assign them inconsistently, the numbering is what the document means. A numbered line
is a *heading* when it names what follows; it is a numbered *item* when it is itself the content
(a long or multi-sentence line, or one with nothing under it): an item becomes a section named by
its bare number ("6") whose text is the whole line, so that quotes stay verbatim. A short label
before a colon ("1.1. Trưởng Ban chỉ đạo: Phụ trách chung.") names an inline heading.

"-"/"+" items are body lines. "Nơi nhận:" opens the recipients block and signature lines
(TM./KT./T/M, chức vụ, the name) the signature block, wherever the two-column layout put them;
"PHỤ LỤC" after them opens an appendix, whose TAB-separated rows become a table section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.ingest.cleanup import Line
from bot.ingest.front import Front, doc_type_of, is_authority_line, is_preamble_start, split_front
from bot.ingest.paragraphs import is_procedure_record, paragraph_sections, procedure_sections
from bot.ingest.patterns import (
    RANK_ARTICLE,
    RANK_TOP,
    Numbering,
    is_appendix_heading,
    is_list_item,
    is_person_name,
    is_recipients_start,
    is_signature_role,
    numbering_of,
)
from bot.ingest.tables import header_line, parse_table
from bot.models import KIND_BODY, KIND_PREAMBLE, KIND_RECIPIENTS, KIND_SIGNATURE, KIND_TABLE, Section

RECIPIENTS_HEADING = "Nơi nhận"
SIGNATURE_HEADING = "Phần ký"

MAX_HEADING_CHARS = 160  # longer numbered lines are content, not titles
MAX_BARE_HEADING_CHARS = 60  # a numbered line with nothing under it stays a heading only if short
MAX_LABEL_CHARS = 80  # "1. Hội nghị cấp xã: ..." labels before a colon
MAX_SEQUENCE_GAP = 2  # "5." after "2." is accepted (a skipped number), "2026." after "3." is not

_TERMINAL = (".", "!", "?", ";", "…")


@dataclass(frozen=True)
class Outline:
    """Front matter and sections of a document in document order."""

    front: Front
    sections: tuple[Section, ...]


@dataclass
class _Block:
    """A section being collected."""

    path: tuple[str, ...]
    kind: str = KIND_BODY
    lines: list[str] = field(default_factory=list)
    table: list[str] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)

    def build(self) -> Section:
        rows = parse_table(self.table) if self.table else ()
        lines = self.lines if rows or not self.table else [*self.lines, *self.table]
        kind = KIND_TABLE if rows else self.kind
        return Section(
            path=self.path,
            text="\n".join(lines),
            kind=kind,
            rows=rows,
            pages=tuple(sorted(self.pages)),
            columns=header_line(self.table) if rows else "",
        )


def is_multi_sentence(text: str) -> bool:
    """True when a sentence ends inside ``text`` and another one starts ("... 2020). Các ...")."""
    for i, char in enumerate(text[:-2]):
        if char not in ".!?" or text[i + 1] != " ":
            continue
        following = text[i + 2 :].lstrip("“\"'(")
        word_before = text[:i].split()[-1] if text[:i].split() else ""
        if following[:1].isupper() and not (len(word_before) <= 3 and word_before.isupper()):
            return True
    return False


def _first_heading(lines: Sequence[Line]) -> int:
    """Index of the first heading of the body: "I." (or "1." in plans without Roman parts), or the
    first named division of a legal text ("Phần thứ nhất", "Chương I", "Điều 1.") when earlier."""
    numbered = [(i, numbering_of(line.text)) for i, line in enumerate(lines)]
    legal = next((i for i, found in numbered if found is not None and found.keyword and found.value == 1), None)
    for rank in (RANK_TOP, RANK_TOP + 1):
        for i, found in numbered:
            if found is not None and found.rank == rank and found.value == 1:
                return min(i, legal) if legal is not None else i
    if legal is not None:
        return legal
    for i, line in enumerate(lines):
        if is_recipients_start(line.text) or is_appendix_heading(line.text):
            return i
    return len(lines)


class _Parser:
    """Walks the body lines once, keeping the open headings on a stack."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.blocks: list[_Block] = []
        self.stack: list[tuple[int, str]] = []  # (rank, heading) of the open headings
        self.last_value: dict[int, int] = {}  # last sibling value per rank under the open parents
        self.mode = KIND_BODY
        self.current: _Block | None = None
        self.line_pages: tuple[int, ...] = ()  # pages of the line being placed
        self.recipients: _Block | None = None
        self.signature: _Block | None = None

    # -- numbering ------------------------------------------------------------------------------

    def _valid(self, numbering: Numbering) -> bool:
        """The number follows its siblings (a PDF line starting "2026." is not a heading); a named
        division ("Điều 5.") is one by its keyword, and articles run on across chapters."""
        if numbering.keyword:
            return True
        return numbering.value <= self.last_value.get(numbering.rank, 0) + MAX_SEQUENCE_GAP

    def _has_body(self, index: int, numbering: Numbering) -> bool:
        """Something other than a sibling or a higher heading follows the line at ``index``."""
        if index + 1 >= len(self.lines):
            return False
        text = self.lines[index + 1].text
        if "\t" in text:
            return True
        if is_recipients_start(text) or is_signature_role(text) or is_appendix_heading(text):
            return False
        following = numbering_of(text)
        return following is None or following.rank > numbering.rank

    def _heading(self, line: Line, numbering: Numbering, has_body: bool) -> tuple[str, list[str]]:
        """(path element, first body lines) of a numbered line judged a heading or an item."""
        text = line.text
        if numbering.rank < RANK_ARTICLE or numbering.rank == RANK_TOP:
            return text.rstrip(" :"), []
        if line.lead and numbering_of(line.lead) is not None:
            return line.lead.rstrip(" :"), [text]  # "**1.1. Trưởng Ban chỉ đạo:** Phụ trách chung."
        if line.marked:
            return text.rstrip(" :"), []
        rest = numbering.rest
        number_part = text[: len(text) - len(rest)].strip()
        colon = rest.find(":")
        label = rest[:colon].strip() if colon > 0 else ""
        if label and len(label) <= MAX_LABEL_CHARS and rest[colon + 1 :].strip() and "(" not in label:
            return f"{number_part} {label}", [text]
        is_item = (
            (numbering.rank == RANK_ARTICLE and not has_body)  # "Điều 2. Sở ... có trách nhiệm ..."
            or is_multi_sentence(rest)
            or len(rest) > MAX_HEADING_CHARS
            or (not has_body and (rest.endswith(_TERMINAL) or len(rest) > MAX_BARE_HEADING_CHARS))
        )
        if is_item:
            return numbering.short, [text]
        return text.rstrip(" :"), []

    def _open(self, rank: int, heading: str, value: int, body: list[str]) -> None:
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        for deeper in [r for r in self.last_value if r > rank]:
            del self.last_value[deeper]
        self.last_value[rank] = value
        self.stack.append((rank, heading))
        self.current = _Block(tuple(h for _, h in self.stack), lines=list(body), pages=set(self.line_pages))
        self.blocks.append(self.current)

    # -- blocks ---------------------------------------------------------------------------------

    def _to_recipients(self, text: str) -> None:
        self.mode = KIND_RECIPIENTS
        if self.recipients is None:
            self.recipients = _Block((RECIPIENTS_HEADING,), KIND_RECIPIENTS)
            self.blocks.append(self.recipients)
        self.recipients.lines.append(text)
        self.recipients.pages.update(self.line_pages)

    def _to_signature(self, text: str) -> None:
        self.mode = KIND_SIGNATURE
        if self.signature is None:
            self.signature = _Block((SIGNATURE_HEADING,), KIND_SIGNATURE)
            self.blocks.append(self.signature)
        self.signature.lines.append(text)
        self.signature.pages.update(self.line_pages)

    def _to_body(self, text: str) -> None:
        if self.current is None:
            self.current = _Block((), KIND_PREAMBLE)
            self.blocks.append(self.current)
        self.current.pages.update(self.line_pages)
        if "\t" in text:
            self.current.table.append(text)
        else:
            self.current.lines.append(text)

    # -- walk -----------------------------------------------------------------------------------

    def run(self) -> list[Section]:
        for index, line in enumerate(self.lines):
            self._step(index, line)
        return [block.build() for block in self.blocks]

    def _step(self, index: int, line: Line) -> None:
        text = line.text
        self.line_pages = line.pages
        if is_appendix_heading(text):
            self.mode = KIND_BODY
            self.stack.clear()
            self.last_value.clear()
            self._open(RANK_TOP, text, 1, [])
            return
        if is_recipients_start(text):
            self._to_recipients(text)
            return
        if self.mode == KIND_RECIPIENTS:
            if is_list_item(text) or not (is_signature_role(text) or is_person_name(text)):
                self._to_recipients(text)
            else:
                self._to_signature(text)
            return
        if self.mode == KIND_SIGNATURE or (self.stack and is_signature_role(text)):
            self._to_signature(text)
            return
        numbering = numbering_of(text)
        if numbering is not None and self._valid(numbering) and "\t" not in text:
            heading, body = self._heading(line, numbering, self._has_body(index, numbering))
            self._open(numbering.rank, heading, numbering.value, body)
            return
        self._to_body(text)


def parse_outline(lines: Sequence[Line]) -> Outline:
    """Front matter and the flat, ordered list of sections of a cleaned document."""
    start = _first_heading(lines)
    front = split_front([line.text.replace("\t", " ") for line in lines[:start]])
    parser = _Parser(lines[start:])
    sections = parser.run()
    preamble = list(front.preamble)
    if preamble and not any(s.kind in (KIND_BODY, KIND_TABLE) and s.path for s in sections):
        # no numbered heading anywhere: the basis clauses stay the preamble, the rest is cut by
        # procedure fields or paragraphs
        tail = lines[start - len(preamble) : start]
        basis = 0
        while basis < len(preamble) and _is_basis_line(preamble[basis]):
            basis += 1
        body, body_pages = preamble[basis:], [line.pages for line in tail[basis:]]
        if is_procedure_record(body):
            before, cut = procedure_sections(body, body_pages)
        else:
            before, cut = [], paragraph_sections(body, body_pages)
        preamble = preamble[:basis] + before
        sections[:0] = cut
    if preamble:
        pages = tuple(sorted({page for line in lines[:start] for page in line.pages}))
        sections.insert(0, Section(path=(), text="\n".join(preamble), kind=KIND_PREAMBLE, pages=pages))
    return Outline(front=front, sections=tuple(sections))


def _is_basis_line(text: str) -> bool:
    """A line of a decision's preamble: enacting authority, "Căn cứ ...", "Theo đề nghị ...", "QUYẾT ĐỊNH:"."""
    return is_preamble_start(text) or is_authority_line(text) or doc_type_of(text) is not None
