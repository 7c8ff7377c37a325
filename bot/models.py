"""Plain data shared by every layer: parsed documents, sections, table rows, chunks.

All classes are frozen dataclasses: values, never services. Text fields hold the document's own
spelling (Unicode NFC, PDF artefacts removed); matching forms are derived by :mod:`bot.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Section kinds.
KIND_BODY = "body"  # ordinary numbered/headed content
KIND_HEADER = "header"  # the header block: issuer, number, place and date, document type and title
KIND_PREAMBLE = "preamble"  # text between the title and the first numbered heading ("Thực hiện ...")
KIND_TABLE = "table"  # an appendix table (rows in Section.rows)
KIND_RECIPIENTS = "recipients"  # "Nơi nhận:" block
KIND_SIGNATURE = "signature"  # signature block (TM./KT./chức vụ/name)

# Canonical column names of appendix table rows.
COL_NUMBER = "stt"
COL_TASK = "task"
COL_LEAD = "lead"
COL_COORDINATING = "coordinating"
COL_TIME = "time"
COL_OUTPUT = "output"


@dataclass(frozen=True)
class TableRow:
    """One row of an appendix table.

    ``cells`` maps canonical column names (``COL_*``; unknown columns keep their header text) to the
    cell text; ``group`` is the nearest group heading row above it ("I. Nhóm nhiệm vụ: ...").
    ``line`` is the raw row as it stands in the document (TAB separated) for verbatim quoting.
    """

    cells: tuple[tuple[str, str], ...]
    group: str = ""
    line: str = ""

    def get(self, column: str) -> str:
        """Return the cell of ``column`` or ``""`` when the row has none."""
        for name, value in self.cells:
            if name == column:
                return value
        return ""


@dataclass(frozen=True)
class Section:
    """One node of a document's section tree, stored flat in document order.

    ``path`` holds the headings from the top level down to this section, inclusive
    (e.g. ``("V. TỔ CHỨC THỰC HIỆN", "1. Phân công ...", "1.7. Bí thư Đoàn thanh niên")``);
    the tree is implied by the paths. ``text`` is the section's own body (not its children's),
    lines joined by ``\\n``; list items (``-``/``+``) stay as lines in the body.
    ``pages`` are the source pages (1-based, ascending) its lines stand on, heading included;
    empty for formats without pages (.txt, .md, .docx).
    """

    path: tuple[str, ...]
    text: str
    kind: str = KIND_BODY
    rows: tuple[TableRow, ...] = ()
    pages: tuple[int, ...] = ()
    columns: str = ""  # a table's header row as written (TAB separated: "TT\tNội dung nhiệm vụ\t...")

    @property
    def heading(self) -> str:
        """The section's own heading (last element of ``path``), ``""`` for the root preamble."""
        return self.path[-1] if self.path else ""

    @property
    def level(self) -> int:
        """Depth in the tree: 1 for top-level headings, 0 for the preamble."""
        return len(self.path)


@dataclass(frozen=True)
class DocumentMeta:
    """Header-block metadata of a plan. Unknown fields are ``None``/empty, never guessed."""

    doc_id: str  # stable id derived from the file name (stem, slugified)
    source: str  # file name inside the documents folder
    title: str  # "Kế hoạch Thực hiện Phong trào ... năm 2024"
    doc_type: str = ""  # "Kế hoạch", "Chương trình hành động", ...
    number: str | None = None  # số hiệu, e.g. "78/KH-UBND" or "/KH-BCĐ" when the number is blank
    date: str | None = None  # as written: "29/09/2025", "tháng 3 năm 2024"
    place: str | None = None  # place in the date line: "Kinh Môn", "TT Cao Lộc"
    issuer: str | None = None  # "Ủy ban nhân dân phường Kinh Môn"
    locality: str | None = None  # "phường Kinh Môn", "thị trấn Cao Lộc", "Văn phòng UBND tỉnh Sơn La"
    signer: str | None = None  # "Phạm Văn Thắng"
    signer_title: str | None = None  # "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    implements: tuple[str, ...] = ()  # higher documents it implements, as written
    recipients: tuple[str, ...] = ()  # "Nơi nhận" lines, without the leading dash
    content_hash: str = ""  # sha256 of the raw file bytes
    page_count: int | None = None  # pages of the source file (PDF); None for formats without pages
    effective_date: str | None = None  # "Ngày có hiệu lực" of a legal site's metadata block, as written
    published: str | None = None  # when a web page posted the text ("18/12/2023"); not the document's date
    issued_with: str | None = None  # the decision issuing it: "Quyết định số 1671/QĐ-UBND" ("ban hành kèm theo")
    province: str | None = None  # the province of the locality: "tỉnh Quảng Ninh" (bot.text.places)
    level: str | None = None  # the locality's level when it is a place: "huyện", "phường"...

    @property
    def kind(self) -> str:
        """The kind of document ("Nghị định", "Kế hoạch", "Tin bài"): ``doc_type`` by its meaning.

        Its label for citations is :func:`bot.ingest.kinds.citation_label`."""
        return self.doc_type


@dataclass(frozen=True)
class ParsedDocument:
    """A plan after ingestion: metadata plus its sections in document order.

    ``notes`` say what the reader had to do that a reviewer should know ("pages 2, 3 read by OCR").
    """

    meta: DocumentMeta
    sections: tuple[Section, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()
    header: tuple[str, ...] = ()  # header-block lines as written (issuer, "Số: ...", date line, type, title)
    source_text: str = ""  # the text the reader got out of the file, before cleanup: what quotes quote


@dataclass(frozen=True)
class Chunk:
    """The unit of retrieval.

    ``text`` is the section text in display form (for answers; see :mod:`bot.source_spans`);
    ``source`` the same span as the file has it (Markdown markers, line breaks), which quotes quote;
    ``context`` is what retrieval indexes besides it: plan title, locality and section path.
    """

    chunk_id: str  # derived from content: stable across rebuilds of the same text
    doc_id: str
    section_path: tuple[str, ...]
    text: str
    context: str
    kind: str = KIND_BODY
    ordinal: int = 0  # position of the chunk within its document
    row: TableRow | None = None  # set for appendix-table rows: one chunk per row
    pages: tuple[int, ...] = ()  # source pages of its section (PDF), for citations; () when unknown
    source: str = ""  # the verbatim span of the source file that ``text`` was cleaned from; "" = ``text``

    @property
    def section(self) -> str:
        """The section path as shown to users: ``"V. TỔ CHỨC THỰC HIỆN > 1.7. Bí thư ..."``."""
        return " > ".join(self.section_path)

    @property
    def index_text(self) -> str:
        """What lexical and dense retrieval see: context, then the text."""
        return f"{self.context}\n{self.text}"


# Fact kinds (structured facts extracted at index time).
FACT_RESPONSIBILITY = "responsibility"  # a unit and what it must do, with its role
FACT_TARGET = "target"  # an indicator with a value ("97%", "100%", "1 điểm sinh hoạt")
FACT_DEADLINE = "deadline"  # a task with a date or period ("Quý II/2026", "trước ngày 15/6/2026", "Hàng năm")
FACT_FUNDING = "funding"  # a funding source ("ngân sách Nhà nước", "xã hội hóa")
FACT_BASIS = "basis"  # a higher document the plan implements or cites ("Quyết định số 2214/QĐ-TTg ...")

# Roles of a unit in a responsibility fact.
ROLE_LEAD = "chủ trì"
ROLE_COORDINATE = "phối hợp"
ROLE_ADVISE = "tham mưu"
ROLE_PERFORM = "thực hiện"


@dataclass(frozen=True)
class Fact:
    """A structured fact of a plan, tied to the section and the verbatim line it comes from.

    ``subject`` is the unit (responsibility), the indicator (target), the task (deadline), the
    source (funding) or the document number (basis); ``value`` the figure, date or period;
    ``role`` one of the ``ROLE_*`` values for responsibilities; ``detail`` the task or target text.
    ``quote`` is a verbatim span of the chunk ``chunk_id``.
    """

    kind: str
    doc_id: str
    section_path: tuple[str, ...]
    quote: str
    subject: str = ""
    role: str = ""
    value: str = ""
    detail: str = ""
    chunk_id: str = ""

    @property
    def section(self) -> str:
        """The section path as shown to users."""
        return " > ".join(self.section_path)
