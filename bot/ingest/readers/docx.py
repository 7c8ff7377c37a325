""".docx reader (python-docx, the only home of that library): body paragraphs and tables in order.

Word keeps automatic numbering out of the text: a numbered paragraph only refers to a list
(``w:numPr``: ``numId`` and level), and ``numbering.xml`` says how each level is drawn ("%1.",
"%1.%2.", "%3)" with decimal, Roman or letter formats). :class:`Numberer` counts the paragraphs of
every list the way Word does and the rendered number is put before the text, so the outline parser
sees "I.", "1.", "1.1.", "a)" exactly as in a text file.

Emphasis is written the Markdown way cleanup already reads: a paragraph in a heading style or
wholly bold becomes ``**text**``, a bold span opening a paragraph ``**span** rest``. Tables with
three or more filled columns become TAB-separated rows (:mod:`bot.ingest.tables`); narrower ones are
layout (issuer | motto, recipients | signature) and their cells are read as lines, left to right.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from bot.errors import DocumentError

MIN_DATA_COLUMNS = 3  # a table with fewer filled columns is page layout, not data


# --- numbering -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One level of a list definition (``w:lvl``)."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""  # lvlText: "%1.", "%1.%2.", "%3)", a bullet character
    legal: bool = False  # isLgl: every number drawn in decimal


@dataclass
class Numberer:
    """Renders the automatic numbers of paragraphs in document order.

    Lists that share an abstract definition share their counters (as Word does); a ``w:num`` with a
    ``startOverride`` restarts its level the first time it is used.
    """

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId → ilvl → Level
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → ilvl → start
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNumId → ilvl → value
    used: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, document: Document) -> Numberer:
        """The numbering definitions of ``document`` (none when it has no numbering part)."""
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return cls()
        numberer = cls()
        links: dict[str, str] = {}  # styleLink name → abstractNumId defining it
        pending: dict[str, str] = {}  # abstractNumId → numStyleLink name it points to
        for abstract in root.iterchildren(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"), "")
            numberer.levels[abstract_id] = {
                int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in abstract.iterchildren(qn("w:lvl"))
            }
            if (link := _val(abstract, "w:styleLink")) is not None:
                links[link] = abstract_id
            if (link := _val(abstract, "w:numStyleLink")) is not None:
                pending[abstract_id] = link
        for abstract_id, link in pending.items():
            if link in links:  # a list drawn by a numbering style: use the style's definition
                numberer.levels[abstract_id] = numberer.levels[links[link]]
        for num in root.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId"), "")
            numberer.nums[num_id] = _val(num, "w:abstractNumId") or ""
            starts = {}
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None and start.isdigit():
                    starts[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            numberer.overrides[num_id] = starts
        return numberer

    def render(self, num_id: str, ilvl: int) -> str:
        """Count one paragraph of list ``num_id`` at level ``ilvl`` and return its number ("1.2.")."""
        abstract_id = self.nums.get(num_id)
        if num_id == "0" or abstract_id is None or abstract_id not in self.levels:
            return ""  # numId 0 switches numbering off
        levels = self.levels[abstract_id]
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for overridden, start in self.overrides.get(num_id, {}).items():
                counters[overridden] = start - 1
                for deeper in [d for d in counters if d > overridden]:
                    del counters[deeper]
        level = levels.get(ilvl, Level())
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [d for d in counters if d > ilvl]:
            del counters[deeper]  # a new item restarts the levels below it
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return ""
        text = level.text
        for k in range(9, 0, -1):  # %10 does not exist; replace %9 before %1
            if f"%{k}" in text:
                other = levels.get(k - 1, Level())
                value = counters.get(k - 1, other.start)
                fmt = "decimal" if level.legal and k - 1 < ilvl else other.fmt
                text = text.replace(f"%{k}", format_number(value, fmt))
        return text.strip()


def _val(element: etree._Element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))


def _level(lvl: etree._Element) -> Level:
    start = _val(lvl, "w:start")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=_val(lvl, "w:numFmt") or "decimal",
        text=_val(lvl, "w:lvlText") or "",
        legal=lvl.find(qn("w:isLgl")) is not None,
    )


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN_SMALL = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(value: int) -> str:
    """1 → "I", 14 → "XIV" (values below 1 are drawn in decimal)."""
    if value < 1:
        return str(value)
    out = []
    for number, letters in (*_ROMAN, *_ROMAN_SMALL):
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def to_letters(value: int) -> str:
    """1 → "a", 26 → "z", 27 → "aa" (Word repeats the letter)."""
    if value < 1:
        return str(value)
    letter = chr(ord("a") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def format_number(value: int, fmt: str) -> str:
    """One counter drawn in a Word number format (unknown formats are drawn in decimal)."""
    if fmt == "upperRoman":
        return to_roman(value)
    if fmt == "lowerRoman":
        return to_roman(value).lower()
    if fmt == "upperLetter":
        return to_letters(value).upper()
    if fmt == "lowerLetter":
        return to_letters(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


# --- paragraphs ----------------------------------------------------------------------------------


def _num_pr_of(p_pr: etree._Element | None) -> tuple[str | None, int | None]:
    """(numId, ilvl) written in a ``w:pPr`` (either may be missing)."""
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    if num_pr is None:
        return None, None
    ilvl = _val(num_pr, "w:ilvl")
    return _val(num_pr, "w:numId"), int(ilvl) if ilvl and ilvl.isdigit() else None


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) of the paragraph's automatic numbering, set directly or by its style chain."""
    num_id, ilvl = _num_pr_of(paragraph._p.find(qn("w:pPr")))
    style = paragraph.style
    while num_id is None and style is not None:
        style_id, style_ilvl = _num_pr_of(style.element.find(qn("w:pPr")))
        if style_id is not None:
            num_id, ilvl = style_id, ilvl if ilvl is not None else style_ilvl
        style = style.base_style
    return (num_id, ilvl or 0) if num_id is not None else None


def _style_bold(paragraph: Paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _is_heading_style(paragraph: Paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        name = (style.name or "").lower()
        if name.startswith(("heading", "title")):
            return True
        style = style.base_style
    return False


_SKIPPED = {qn("w:del"), qn("w:moveFrom")}  # tracked deletions: not in the text as it reads


def _own_runs(paragraph: Paragraph) -> Iterator[Run]:
    """The runs of the paragraph wherever they are nested (hyperlinks, tracked insertions, fields,
    smart tags), without deleted runs and without those of paragraphs inside text boxes."""
    p = paragraph._p
    for r in p.iter(qn("w:r")):
        ancestor = r.getparent()
        skip = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in _SKIPPED or ancestor.tag == qn("w:p"):
                skip = True
                break
            ancestor = ancestor.getparent()
        if not skip:
            yield Run(r, paragraph)


def _runs(paragraph: Paragraph) -> list[tuple[str, bool]]:
    """(text, bold) of the paragraph's runs in order."""
    default_bold = _style_bold(paragraph)
    out: list[tuple[str, bool]] = []
    for run in _own_runs(paragraph):
        text = run.text
        if not text:
            continue
        bold = run.bold
        if bold is None and run.style is not None and run.style.font.bold is not None:
            bold = run.style.font.bold
        out.append((text, default_bold if bold is None else bool(bold)))
    return out


def paragraph_lines(paragraph: Paragraph, number: str) -> list[str]:
    """The paragraph as lines: its number first, emphasis as Markdown, line breaks kept."""
    runs = [(text.replace("\t", " "), bold) for text, bold in _runs(paragraph)]
    text = "".join(t for t, _ in runs)
    if not text.strip():
        return []  # an empty numbered paragraph still counted (Word draws its number), but says nothing
    prefix = f"{number} " if number else ""
    whole = _is_heading_style(paragraph) or all(bold for t, bold in runs if t.strip())
    if whole:
        parts = [part.strip() for part in (prefix + text).split("\n")]
        return [f"**{part}**" for part in parts if part]
    lead = ""
    for t, bold in runs:
        if not bold:
            break
        lead += t
    rest = text[len(lead) :]
    at_boundary = not (lead[-1:].isalnum() and rest[:1].isalnum())  # bold "Tr" + "ưởng" is no lead
    if lead.strip() and "\n" not in lead and at_boundary:
        text = f"**{(prefix + lead).strip()}** {rest.lstrip()}"
    else:
        text = prefix + text
    return [part.strip() for part in text.split("\n") if part.strip()]


# --- tables --------------------------------------------------------------------------------------


def _cells(row: etree._Element, document: Document, numberer: Numberer | None) -> list[str]:
    """Cell texts of one ``w:tr`` (a cell spanning columns counts once); auto-numbered cells ("TT")
    get their numbers when a ``numberer`` is given."""
    out = []
    for tc in row.iterchildren(qn("w:tc")):
        texts = []
        for p in tc.iter(qn("w:p")):
            paragraph = Paragraph(p, document)
            num = _num_pr(paragraph) if numberer is not None else None
            number = numberer.render(*num) if numberer is not None and num else ""
            text = " ".join("".join(t for t, _ in _runs(paragraph)).split())
            if number and not text:
                number = number.rstrip(".")  # a "TT" cell: "1." is written "1" in tables
            texts.append(f"{number} {text}".strip() if number != "-" else text)
        out.append(" ".join(t for t in texts if t))
    return out


def table_lines(table: Table, document: Document, numberer: Numberer) -> list[str]:
    """A data table as TAB-separated rows; a layout table as the lines of its cells."""
    trs = list(table._tbl.iterchildren(qn("w:tr")))
    if any(sum(1 for cell in _cells(tr, document, None) if cell) >= MIN_DATA_COLUMNS for tr in trs):
        rows = [_cells(tr, document, numberer) for tr in trs]  # numbered only now: lists are counted once
        return ["\t".join(row) for row in rows if any(row)]
    lines: list[str] = []
    for tr in trs:
        for tc in tr.iterchildren(qn("w:tc")):
            lines.extend(_block_lines(tc, document, numberer))
    return lines


def _block_lines(parent: etree._Element, document: Document, numberer: Numberer) -> Iterator[str]:
    """Lines of the paragraphs and tables directly inside ``parent`` (body, cell, content control)."""
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            num = _num_pr(paragraph)
            number = numberer.render(*num) if num else ""
            yield from paragraph_lines(paragraph, number)
        elif child.tag == qn("w:tbl"):
            yield from table_lines(Table(child, document), document, numberer)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, document, numberer)


# A .docx is a zip: its central directory says how many parts it has and how large each inflates, so a
# zip bomb (a small upload inflating to gigabytes, or a million parts) is refused before anything is read.
# A real plan has some 10-40 parts and inflates to a few MB; these bounds leave a wide margin.
MAX_ZIP_ENTRIES = 2_000
MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # XML compresses 5-20 times; a bomb thousands of times


def check_zip_limits(data: bytes, name: str) -> None:
    """``DocumentError`` when the zip in ``data`` has too many parts or inflates too much (read from its
    central directory only: nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(f"{name}: not a .docx file (a .doc? save it as .docx, or as PDF)") from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DocumentError(f"{name}: refused: the .docx has {len(entries)} parts (at most {MAX_ZIP_ENTRIES})")
    inflated = sum(entry.file_size for entry in entries)
    if inflated > MAX_INFLATED_BYTES:
        raise DocumentError(
            f"{name}: refused: the .docx would inflate to {inflated // (1024 * 1024)} MB "
            f"(at most {MAX_INFLATED_BYTES // (1024 * 1024)} MB)"
        )
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
            raise DocumentError(f"{name}: refused: the part {entry.filename!r} is compressed like a zip bomb")


def read_docx(data: bytes, name: str) -> list[str]:
    """Lines of a .docx file in reading order; :class:`DocumentError` when it is not one, or when it
    is a zip bomb (:func:`check_zip_limits`)."""
    check_zip_limits(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        numberer = Numberer.of(document)
        return list(_block_lines(document.element.body, document, numberer))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"{name}: not a .docx file (a .doc? save it as .docx, or as PDF)") from exc
    except Exception as exc:  # a damaged part can fail anywhere in python-docx/lxml: report it, never crash a build
        detail = str(exc) or type(exc).__name__
        raise DocumentError(f"{name}: not a readable .docx file ({detail}); open it in Word and save it again") from exc
