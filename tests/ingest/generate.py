"""Test-only generators: .docx and .pdf versions of a plan written as text.

The logical lines of the text version (after cleanup) are laid out the way an office would:

- .docx (python-docx): numbered headings get *automatic* numbering (a multi-level list in
  numbering.xml: "I.", "1.", "1.1.", "1.1.1.", "a)"), the number removed from the text, whenever the
  list would draw the number the text has; "-" items are a bullet list; bold lines and bold leads
  are bold runs; TAB rows a Word table.
- .pdf (fpdf2, Noto Sans from the ``fontpkg-noto-sans`` wheel): paragraphs wrapped at the page
  width, a running header and a "Trang N" footer on every page, TAB rows a ruled table.

So a reader that works gives back the same outline as the text version.
"""

# ruff: noqa: E501  (the synthetic plan's lines are paragraphs, as long as a plan writes them)

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import docx
import fontpkg_noto_sans
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from fpdf import FPDF

from bot.ingest.cleanup import Line, clean_lines
from bot.ingest.patterns import RANK_LETTER, RANK_TOP, numbering_of

HEADINGS_ABSTRACT_ID = "900"
HEADINGS_NUM_ID = "900"
BULLETS_ABSTRACT_ID = "901"
BULLETS_NUM_ID = "901"
_LEVELS = (  # ilvl → (numFmt, lvlText): rank = ilvl + 1
    ("upperRoman", "%1."),
    ("decimal", "%2."),
    ("decimal", "%2.%3."),
    ("decimal", "%2.%3.%4."),
    ("lowerLetter", "%5)"),
)


def logical_lines(text: str) -> list[Line]:
    """The cleaned lines of a text plan: what the generated versions are made of."""
    return clean_lines(text.splitlines())


def _roman(value: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for number, letters in numerals:
        while value >= number:
            out += letters
            value -= number
    return out


class _ListCounter:
    """What the multi-level heading list draws next, counted as Word counts it."""

    def __init__(self) -> None:
        self.counters: dict[int, int] = {}

    def drawn(self, rank: int) -> tuple[str, dict[int, int]] | None:
        """The number the next item of ``rank`` draws and the counters after it (None: not drawable)."""
        counters = {r: v for r, v in self.counters.items() if r < rank}
        counters[rank] = self.counters.get(rank, 0) + 1
        if rank == RANK_TOP:
            return f"{_roman(counters[rank])}.", counters
        if rank == RANK_LETTER:
            return f"{chr(ord('a') + counters[rank] - 1)})", counters
        parts = list(range(2, rank + 1))
        if any(r not in counters for r in parts):
            return None  # a parent level never drawn: keep the number as text
        return ".".join(str(counters[r]) for r in parts) + ".", counters


def _abstract_xml(abstract_id: str, levels: Sequence[tuple[str, str]]) -> str:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'


def _add_numbering(document: docx.document.Document) -> None:
    """Define the heading list and the bullet list in numbering.xml."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for abstract in (
        _abstract_xml(HEADINGS_ABSTRACT_ID, _LEVELS),
        _abstract_xml(BULLETS_ABSTRACT_ID, [("bullet", "-")]),
    ):
        element = parse_xml(abstract)
        if first_num is not None:
            first_num.addprevious(element)  # the schema wants every abstractNum before the nums
        else:
            numbering.append(element)
    for num_id, abstract_id in ((HEADINGS_NUM_ID, HEADINGS_ABSTRACT_ID), (BULLETS_NUM_ID, BULLETS_ABSTRACT_ID)):
        numbering.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
        )


def _set_numbering(paragraph: docx.text.paragraph.Paragraph, num_id: str, ilvl: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _runs(line: Line, text: str) -> Iterator[tuple[str, bool]]:
    """(text, bold) runs of a line whose display text is ``text`` (its number maybe removed)."""
    if line.marked:
        yield text, True
        return
    if line.lead and line.text.startswith(line.lead):
        cut = len(text) - (len(line.text) - len(line.lead))
        yield text[:cut], True
        yield text[cut:], False
        return
    yield text, False


def write_docx(lines: Sequence[Line], path: Path, *, running_header: str = "") -> int:
    """Write ``lines`` as a .docx at ``path``; returns how many headings got automatic numbers.

    ``running_header`` goes into the page header, with a PAGE field in the footer (neither is body text).
    """
    document = docx.Document()
    _add_numbering(document)
    if running_header:
        section = document.sections[0]
        section.header.paragraphs[0].text = running_header
        footer = section.footer.paragraphs[0]
        footer.add_run("Trang ")
        footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    counter = _ListCounter()
    automatic = 0
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        width = max(len(row) for row in table_rows)
        table = document.add_table(rows=len(table_rows), cols=width)
        table.style = "Table Grid"
        for row, cells in zip(table.rows, table_rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=False):
                cell.text = text
        table_rows.clear()

    for line in lines:
        if "\t" in line.text:
            table_rows.append(line.text.split("\t"))
            continue
        flush_table()
        paragraph = document.add_paragraph()
        text = line.text
        numbering = numbering_of(text)
        drawn = counter.drawn(numbering.rank) if numbering is not None else None
        if numbering is not None and drawn is not None and text.startswith(drawn[0] + " "):
            _set_numbering(paragraph, HEADINGS_NUM_ID, numbering.rank - 1)
            counter.counters = drawn[1]
            text = text[len(drawn[0]) + 1 :]
            automatic += 1
        elif text.startswith("- ") and not line.marked and not line.lead:
            _set_numbering(paragraph, BULLETS_NUM_ID, 0)
            text = text[2:]
        for run_text, bold in _runs(line, text):
            if run_text:
                paragraph.add_run(run_text).bold = bold
    flush_table()
    document.save(str(path))
    return automatic


# --- PDF -----------------------------------------------------------------------------------------

FONT = "NotoSans"
_FONT_FILE = Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"


_FONT_DIR = tempfile.TemporaryDirectory(prefix="campaign-bot-test-fonts-")  # removed when the process ends


@functools.cache
def static_font(weight: int) -> Path:
    """Noto Sans at ``weight`` as a static TTF (made once: instancing the variable font is slow)."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    out = Path(_FONT_DIR.name) / f"NotoSans-{weight}.ttf"
    font = TTFont(str(_FONT_FILE))
    for table in ("GSUB", "GPOS", "GDEF"):  # no shaping needed; instancing these takes most of the time
        if table in font:
            del font[table]
    static = instantiateVariableFont(font, {"wght": weight, "wdth": 100})
    style = "Bold" if weight >= 700 else "Regular"
    names = static["name"]
    for name_id in (16, 17, 21, 22):  # typographic names would win over the full name below
        names.removeNames(nameID=name_id)
    names.setName(style, 2, 3, 1, 0x409)
    for name_id in (4, 6):  # full and PostScript names: what PDF readers see as the font name ("...-Bold")
        names.setName(f"NotoSans-{style}", name_id, 3, 1, 0x409)
    static.save(str(out))
    return out


class _Plan(FPDF):
    """A4 pages with a running header and a page-number footer."""

    running_header = ""

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.cell(0, 5, self.running_header, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 9)
        self.cell(0, 8, f"Trang {self.page_no()}", align="C")


def write_pdf(lines: Sequence[Line], path: Path, *, running_header: str = "", header_columns: int = 0) -> int:
    """Write ``lines`` as a text PDF at ``path``; returns its page count.

    ``header_columns``: the first 2×n lines are laid out as the two-column header block of a plan
    (issuer lines on the left, motto and date on the right, side by side).
    """
    pdf = _Plan(format="A4")
    pdf.running_header = running_header
    pdf.add_font(FONT, "", str(static_font(400)))
    pdf.add_font(FONT, "B", str(static_font(700)))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    if header_columns:
        left, right = lines[:header_columns], lines[header_columns : 2 * header_columns]
        lines = lines[2 * header_columns :]
        half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
        for left_line, right_line in zip(left, right, strict=True):
            pdf.set_font(FONT, "B" if left_line.marked else "", 11)
            pdf.cell(half - 10, 6, left_line.text, align="C")
            pdf.set_x(pdf.l_margin + half)
            pdf.set_font(FONT, "B" if right_line.marked else "", 11)
            pdf.cell(half, 6, right_line.text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        width = max(len(row) for row in table_rows)
        pdf.set_font(FONT, "", 8)
        with pdf.table(first_row_as_headings=False) as table:
            for cells in table_rows:
                row = table.row()
                for text in [*cells, *[""] * (width - len(cells))]:
                    row.cell(text)
        table_rows.clear()
        pdf.ln(2)

    for line in lines:
        if "\t" in line.text:
            table_rows.append(line.text.split("\t"))
            continue
        flush_table()
        if line.lead and line.text.startswith(line.lead):
            pdf.set_font(FONT, "", 11)
            rest = line.text[len(line.lead) :]
            pdf.multi_cell(0, 6, f"**{line.lead}**{rest}", markdown=True, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font(FONT, "B" if line.marked else "", 11)
            pdf.multi_cell(0, 6, line.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    flush_table()
    pdf.output(str(path))
    return pdf.page_no()


def write_scanned_pdf(text_lines: Sequence[str], path: Path) -> None:
    """An image-only PDF (no text layer): the lines drawn into a picture, as a scanner would."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(_FONT_FILE), 40)
    image = Image.new("L", (2480, 3508), 255)  # A4 at 300 dpi
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(text_lines):
        draw.text((200, 250 + i * 70), text, font=font, fill=0)
    image.save(str(path), "PDF", resolution=300)


# --- synthetic plans -----------------------------------------------------------------------------


def synthetic_plan(*, commune: str, number: int, unit: str, task: str, target: str, signer: str) -> str:
    """The text of a short plan of ``xã {commune}``: ``unit`` leads ``task``; ``target`` is a goal."""
    upper = commune.upper()
    return f"""ỦY BAN NHÂN DÂN
XÃ {upper}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {number}/KH-UBND
{commune}, ngày 10 tháng 3 năm 2026
KẾ HOẠCH
Thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” trên địa bàn xã {commune} năm 2026
Thực hiện Kế hoạch số 41/KH-UBND ngày 13/02/2023 của Ủy ban nhân dân tỉnh về thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”, Ủy ban nhân dân xã {commune} ban hành Kế hoạch thực hiện năm 2026 như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao nhận thức của cán bộ, đảng viên và Nhân dân về xây dựng đời sống văn hóa ở khu dân cư, gắn với xây dựng nông thôn mới.
2. Yêu cầu
- Các thôn, các ban, ngành, đoàn thể triển khai thực hiện nghiêm túc, thiết thực, hiệu quả, tránh hình thức.
II. CHỈ TIÊU
- {target}
III. NHIỆM VỤ VÀ GIẢI PHÁP
1. Đẩy mạnh công tác tuyên truyền
- Tuyên truyền trên hệ thống loa truyền thanh của xã và các thôn về nội dung của Phong trào.
2. Tổ chức các hoạt động văn hóa, thể thao
- Tổ chức các hoạt động văn hóa, văn nghệ, thể dục thể thao vào các dịp lễ, Tết của địa phương.
IV. TỔ CHỨC THỰC HIỆN
1. {unit}
- Chủ trì {task}.
2. Công chức Văn hóa - Xã hội
- Tham mưu Ủy ban nhân dân xã theo dõi, tổng hợp kết quả thực hiện, báo cáo định kỳ.
Nơi nhận:
- UBND huyện;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
{signer}
"""
