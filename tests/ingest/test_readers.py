"""Readers for .docx and .pdf: generated versions of the seed plans give the text version's outline.

The generated files are made in the test (tests/ingest/generate.py): the .docx with automatic
numbering from numbering.xml (numbers not in the text), bullet lists, bold runs and a Word table;
the .pdf with wrapped paragraphs, running headers, "Trang N" footers and a ruled table.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pdfplumber
import pytest

from bot.errors import DocumentError
from bot.ingest import parse_file, parse_text
from bot.ingest.chunking import chunk_document
from bot.ingest.readers import PAGE_BREAK, ocr, read_document, supported_suffixes
from bot.ingest.readers.legacy_fonts import legacy_encoding
from bot.ingest.readers.pdf import has_usable_text
from bot.ingest.report import describe, warnings
from bot.models import KIND_BODY, KIND_TABLE, ParsedDocument
from tests.ingest.generate import logical_lines, synthetic_plan, write_docx, write_pdf, write_scanned_pdf

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "documents").iterdir())
MD_SEEDS = {p.stem for p in SEEDS if p.suffix == ".md"}
_META_IGNORED = {"doc_id", "source", "content_hash", "page_count"}


def _meta(doc: ParsedDocument) -> dict[str, object]:
    return {k: v for k, v in doc.meta.__dict__.items() if k not in _META_IGNORED}


def _paths(doc: ParsedDocument) -> list[tuple[str, ...]]:
    return [section.path for section in doc.sections]


@pytest.fixture(scope="module", params=[p.name for p in SEEDS])
def seed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A seed plan parsed from its text, and its generated .docx and .pdf versions."""
    source = ROOT / "documents" / request.param
    out = tmp_path_factory.mktemp("generated")
    lines = logical_lines(source.read_text(encoding="utf-8"))
    docx_path = out / f"{source.stem}.docx"
    pdf_path = out / f"{source.stem}.pdf"
    automatic = write_docx(lines, docx_path, running_header=f"Văn bản {source.stem}")
    pages = write_pdf(lines, pdf_path, running_header=f"Văn bản {source.stem}")
    return {"text": parse_file(source), "docx": docx_path, "pdf": pdf_path, "automatic": automatic, "pages": pages}


def test_docx_and_pdf_are_registered() -> None:
    assert {".docx", ".pdf", ".txt", ".md"} <= set(supported_suffixes())


def test_docx_version_has_the_text_outline(seed: dict[str, object]) -> None:
    text_doc = seed["text"]
    assert isinstance(text_doc, ParsedDocument)
    assert isinstance(seed["automatic"], int) and seed["automatic"] >= 5  # headings numbered by Word, not text
    doc = parse_file(seed["docx"])  # type: ignore[arg-type]
    assert _paths(doc) == _paths(text_doc)
    assert _meta(doc) == _meta(text_doc)
    assert doc.header == text_doc.header
    assert [s.text for s in doc.sections] == [s.text for s in text_doc.sections]
    assert [s.kind for s in doc.sections] == [s.kind for s in text_doc.sections]
    assert [len(s.rows) for s in doc.sections] == [len(s.rows) for s in text_doc.sections]
    assert all(s.pages == () for s in doc.sections)


def test_pdf_version_has_the_text_outline_and_pages(seed: dict[str, object]) -> None:
    text_doc = seed["text"]
    assert isinstance(text_doc, ParsedDocument)
    doc = parse_file(seed["pdf"])  # type: ignore[arg-type]
    assert _paths(doc) == _paths(text_doc)
    assert _meta(doc) == _meta(text_doc)
    assert doc.header == text_doc.header
    assert [s.text for s in doc.sections] == [s.text for s in text_doc.sections]  # sentences whole again
    assert [len(s.rows) for s in doc.sections] == [len(s.rows) for s in text_doc.sections]
    assert doc.meta.page_count == seed["pages"]
    pages = [s.pages for s in doc.sections]
    assert all(p and 1 <= p[0] <= p[-1] <= doc.meta.page_count for p in pages)
    firsts = [p[0] for p in pages]
    assert firsts == sorted(firsts) and firsts[-1] > 1  # in reading order, and the plan spans pages
    chunks = chunk_document(doc)
    assert all(c.pages for c in chunks if c.section_path and c.kind != "header")
    # each heading stands on the first page of its section, as the PDF itself shows it
    with pdfplumber.open(seed["pdf"]) as pdf:
        page_texts = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
    first_page = 1
    for section in doc.sections:
        if section.heading and section.kind == KIND_BODY:  # "Nơi nhận", "Phần ký" are names given by the parser
            # an item is named by its bare number ("2"): look for its text instead
            start = (section.heading if len(section.heading) > 8 else section.text)[:25]
            first_page = next(n for n in range(first_page, len(page_texts) + 1) if start in page_texts[n - 1])
            assert section.pages[0] == first_page, section.path


def test_pdf_text_has_no_running_headers_page_numbers_or_broken_sentences(seed: dict[str, object]) -> None:
    path = seed["pdf"]
    assert isinstance(path, Path)
    read = read_document(path, path.read_bytes())
    text_lines = [line for line in read.lines if line != PAGE_BREAK]
    assert read.lines.count(PAGE_BREAK) == read.page_count == seed["pages"]
    assert not any(f"Văn bản {path.stem}" in line or line.startswith("Trang ") for line in text_lines)
    source = ROOT / "documents" / f"{path.stem}{'.md' if path.stem in MD_SEEDS else '.txt'}"
    lines = [line.text for line in logical_lines(source.read_text(encoding="utf-8")) if not line.marked]
    longest = max(lines, key=len)
    assert len(longest) > 250  # a paragraph the PDF wrapped over several lines ...
    assert any(longest in line for line in text_lines)  # ... comes back as one line


def test_pdf_table_rows_and_their_pages(seed: dict[str, object]) -> None:
    text_doc = seed["text"]
    assert isinstance(text_doc, ParsedDocument)
    doc = parse_file(seed["pdf"])  # type: ignore[arg-type]
    tables = [s for s in doc.sections if s.kind == KIND_TABLE]
    expected = [s for s in text_doc.sections if s.kind == KIND_TABLE]
    assert [r.cells for t in tables for r in t.rows] == [r.cells for t in expected for r in t.rows]
    if tables:
        assert tables[-1].pages[-1] <= doc.meta.page_count


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (Debian: apt-get install libreoffice-writer)"
)
def test_pdf_printed_by_an_office_suite_has_the_text_outline(seed: dict[str, object], tmp_path: Path) -> None:
    """The generated .docx printed to PDF by LibreOffice: Word-like layout, list tabs, page header and footer."""
    docx_path = seed["docx"]
    assert isinstance(docx_path, Path)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},  # a profile of its own, not the user's
    )
    doc = parse_file(tmp_path / f"{docx_path.stem}.pdf")
    text_doc = seed["text"]
    assert isinstance(text_doc, ParsedDocument)
    assert doc.meta.page_count is not None and doc.meta.page_count > 1
    assert _paths(doc) == _paths(text_doc)
    assert _meta(doc) == _meta(text_doc)
    assert [len(s.rows) for s in doc.sections] == [len(s.rows) for s in text_doc.sections]
    same = sum(a.text == b.text for a, b in zip(doc.sections, text_doc.sections, strict=True))
    assert same >= len(text_doc.sections) - 1  # a line broken after a dash may come back with a space


def test_pdf_two_column_header_is_read_column_by_column(tmp_path: Path) -> None:
    text = synthetic_plan(
        commune="Hòa Sơn", number=22, unit="Đoàn Thanh niên xã", task="tổ chức Giải kéo co", target="Đạt 100%.",
        signer="Trần Thị Bình",
    )  # fmt: skip
    lines = logical_lines(text)
    issuer, motto = [lines[0], lines[1], lines[4]], [lines[2], lines[3], lines[5]]  # "Số:" left, date right
    path = tmp_path / "hoa-son.pdf"
    write_pdf([*issuer, *motto, *lines[6:]], path, header_columns=3)
    read = read_document(path, path.read_bytes())
    assert read.lines[1:8] == tuple(line.text for line in [*issuer, *motto, lines[6]])
    assert _meta(parse_file(path)) == _meta(parse_text(text, source="hoa-son.txt"))


def test_docx_numbering_restarts_formats_and_overrides(tmp_path: Path) -> None:
    """Counting the way Word does: deeper levels restart under a new parent; startOverride restarts a list."""
    from tests.ingest.generate import _add_numbering, _set_numbering

    document = docx.Document()
    _add_numbering(document)
    numbering = document.part.numbering_part.element
    numbering.append(
        docx.oxml.parse_xml(
            f'<w:num {docx.oxml.ns.nsdecls("w")} w:numId="902"><w:abstractNumId w:val="900"/>'
            '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        )
    )
    for text, num_id, ilvl in [
        ("MỤC ĐÍCH", "900", 0),
        ("Mục đích", "900", 1),
        ("Chi tiết", "900", 2),
        ("Chi tiết khác", "900", 2),
        ("Yêu cầu", "900", 1),
        ("Ý một", "900", 4),
        ("NỘI DUNG", "900", 0),
        ("Nội dung một", "900", 1),
        ("Tiếp từ năm", "902", 1),
        ("Một ý", "901", 0),
    ]:
        paragraph = document.add_paragraph(text)
        _set_numbering(paragraph, num_id, ilvl)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "numbers.docx"
    path.write_bytes(buffer.getvalue())
    assert read_document(path, path.read_bytes()).lines == (
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "1.1. Chi tiết",
        "1.2. Chi tiết khác",
        "2. Yêu cầu",
        "a) Ý một",
        "II. NỘI DUNG",
        "1. Nội dung một",
        "5. Tiếp từ năm",
        "- Một ý",
    )


def test_docx_layout_table_is_read_as_lines_and_bold_as_markdown(tmp_path: Path) -> None:
    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ TÂN LẬP"
    layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    heading = document.add_paragraph()
    heading.add_run("KẾ HOẠCH").bold = True
    mixed = document.add_paragraph()
    mixed.add_run("1.1. Trưởng Ban:").bold = True
    mixed.add_run(" Phụ trách chung.")
    document.add_paragraph("Có\tTAB trong đoạn", style="Heading 2")
    path = tmp_path / "layout.docx"
    document.save(str(path))
    assert read_document(path, path.read_bytes()).lines == (
        "ỦY BAN NHÂN DÂN",
        "XÃ TÂN LẬP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "**KẾ HOẠCH**",
        "**1.1. Trưởng Ban:** Phụ trách chung.",
        "**Có TAB trong đoạn**",
    )


@pytest.mark.parametrize(("suffix", "data"), [(".docx", b"PK\x03\x04 not a zip"), (".pdf", b"%PDF-1.4 broken")])
def test_broken_files_give_a_document_error(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=f"broken{suffix}"):
        parse_file(path)


def test_password_protected_pdf_is_reported(tmp_path: Path) -> None:
    from fpdf import FPDF

    from tests.ingest.generate import FONT, static_font

    pdf = FPDF()
    pdf.add_font(FONT, "", str(static_font(400)))
    pdf.set_font(FONT, "", 11)
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.multi_cell(0, 6, "KẾ HOẠCH\nI. MỤC ĐÍCH\nNội dung kế hoạch.")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(DocumentError, match=r"locked\.pdf: the PDF is password-protected"):
        parse_file(path)


def test_pdf_rows_of_far_apart_cells_are_table_rows(tmp_path: Path) -> None:
    from fpdf import FPDF

    from tests.ingest.generate import FONT, static_font

    pdf = FPDF()
    pdf.add_font(FONT, "", str(static_font(400)))
    pdf.set_font(FONT, "", 10)
    pdf.add_page()
    rows = [
        ("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian"),
        ("1", "Tuyên truyền", "Đài truyền thanh", "Quý I"),
    ]
    for row in rows:  # an unruled table: cells placed at column positions, no lines drawn
        for x, text in zip((10, 30, 100, 160), row, strict=True):
            pdf.set_x(x)
            pdf.cell(40, 6, text)
        pdf.ln(6)
    path = tmp_path / "unruled.pdf"
    pdf.output(str(path))
    assert read_document(path, path.read_bytes()).lines == (PAGE_BREAK, *("\t".join(row) for row in rows))


# --- scans ---------------------------------------------------------------------------------------

SCAN_LINES = [
    "ỦY BAN NHÂN DÂN XÃ TÂN LẬP",
    "KẾ HOẠCH",
    "Thực hiện Phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nâng cao đời sống văn hóa tinh thần của Nhân dân trong xã.",
    "II. NỘI DUNG",
    "Xây dựng gia đình văn hóa, thôn văn hóa.",
]


def test_scanned_pdf_without_tesseract_names_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "scan.pdf"
    write_scanned_pdf(SCAN_LINES, path)
    monkeypatch.setattr(ocr, "find_tesseract", lambda: None)
    with pytest.raises(DocumentError) as error:
        parse_file(path)
    message = str(error.value)
    assert "scan.pdf" in message and "no text layer" in message
    assert "tesseract-ocr" in message and "tesseract-ocr-vie" in message


def test_glyphs_without_unicode_are_not_a_text_layer() -> None:
    text = [{"text": c} for c in "Kế hoạch thực hiện phong trào"]
    unmapped = [{"text": f"(cid:{i})"} for i in range(40)]
    assert has_usable_text(text)
    assert not has_usable_text(unmapped + text[:5])
    assert not has_usable_text(text[:5])


@pytest.mark.skipif(ocr.find_tesseract() is None, reason=f"no Tesseract with Vietnamese: {ocr.INSTALL_HINT}")
def test_scanned_pdf_is_read_by_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    write_scanned_pdf(SCAN_LINES, path)
    doc = parse_file(path)
    assert doc.notes and "OCR" in doc.notes[0]
    assert [s.path[0] for s in doc.sections if s.path] == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG"]
    assert all(s.pages == (1,) for s in doc.sections)
    # the reviewer sees it in the inspect report and the build's warnings
    assert doc.notes[0] in warnings(doc)
    assert doc.notes[0] in describe(doc) and "Số trang: 1" in describe(doc)


# --- legacy font encodings -------------------------------------------------------------------------

# Unicode → TCVN3 (ABC) for the letters of the sample: what a .VnTime document shows when read as text.
_TCVN3 = {
    "ế": "Õ", "ạ": "¹", "ă": "¨", "ó": "ã", "đ": "®", "à": "µ", "ê": "ª", "ư": "­", "ờ": "ê", "ố": "è",
    "ự": "ù", "ộ": "é", "ơ": "¬", "á": "¸", "ả": "¶", "ệ": "Ö", "ô": "«", "â": "©", "ậ": "Ë", "ể": "Ó",
    "ị": "Þ", "ụ": "ô", "ở": "ë", "ọ": "ä", "ấ": "Ê", "ủ": "ñ", "ầ": "Ç",
}  # fmt: skip
# Unicode → VNI Windows: a base letter and a mark character.
_VNI = {
    "ế": "eá", "ạ": "aï", "ă": "aê", "ó": "où", "đ": "ñ", "à": "aø", "ê": "eâ", "ư": "ö", "ờ": "ôø", "ố": "oá",
    "ự": "öï", "ộ": "oä", "ơ": "ô", "á": "aù", "ả": "aû", "ệ": "eä", "ô": "oâ", "â": "aâ", "ậ": "aä", "ể": "eå",
    "ị": "ò", "ụ": "uï", "ở": "ôû", "ọ": "oï", "ấ": "aá", "ủ": "uû", "ầ": "aà",
}  # fmt: skip
_SAMPLE = (
    "Kế hoạch thực hiện Phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa năm 2026.\n"
    "Ủy ban nhân dân xã chủ trì, phối hợp với các đoàn thể tổ chức thực hiện có hiệu quả.\n"
    "Phấn đấu 95% hộ gia đình đạt danh hiệu Gia đình văn hóa; các thôn được công nhận."
)


def _encode(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in text)


def test_seed_plans_are_unicode() -> None:
    assert all(legacy_encoding(p.read_text(encoding="utf-8")) is None for p in SEEDS)


@pytest.mark.parametrize(("table", "encoding"), [(_TCVN3, "TCVN3"), (_VNI, "VNI")])
def test_legacy_font_text_is_reported_not_indexed(
    tmp_path: Path, table: dict[str, str], encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy = _encode(_SAMPLE, table)
    assert legacy_encoding(legacy) == encoding
    path = tmp_path / "old.txt"
    path.write_text("I. MỤC ĐÍCH\n" + legacy, encoding="utf-8")
    with pytest.raises(DocumentError, match=rf"old\.txt: .*{encoding}.*Unicode"):
        parse_file(path)
    docx_path = tmp_path / "old.docx"
    document = docx.Document()
    for line in legacy.splitlines():
        document.add_paragraph(line)
    document.save(str(docx_path))
    with pytest.raises(DocumentError, match=encoding):
        parse_file(docx_path)


def test_a_few_foreign_letters_are_not_an_encoding() -> None:
    assert legacy_encoding(_SAMPLE + " Hội thảo với đối tác Đức (Müller, Jürgen) tại Köln, 20°C.") is None


def test_docx_tracked_changes_hyperlinks_and_numbered_table_cells(tmp_path: Path) -> None:
    from tests.ingest.generate import _add_numbering, _set_numbering

    w = docx.oxml.ns.nsdecls("w")
    document = docx.Document()
    _add_numbering(document)
    paragraph = document.add_paragraph("Phối hợp với ")
    paragraph._p.append(
        docx.oxml.parse_xml(f'<w:ins {w} w:id="1" w:author="A"><w:r><w:t>Đoàn Thanh niên</w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        docx.oxml.parse_xml(f'<w:del {w} w:id="2" w:author="A"><w:r><w:delText> Hội Phụ nữ</w:delText></w:r></w:del>')
    )
    paragraph._p.append(
        docx.oxml.parse_xml(
            f'<w:hyperlink {w}><w:r><w:t xml:space="preserve"> và Công an xã.</w:t></w:r></w:hyperlink>'
        )
    )
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate(
        [("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì"), ("", "Tuyên truyền", "Đài truyền thanh")]
    ):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    for c, text in enumerate(("", "Hội thi", "Đoàn Thanh niên")):
        table.cell(2, c).text = text
    for r in (1, 2):
        _set_numbering(table.cell(r, 0).paragraphs[0], "900", 1)  # "%2." drawn in the TT column
    path = tmp_path / "changes.docx"
    document.save(str(path))
    assert read_document(path, path.read_bytes()).lines == (
        "Phối hợp với Đoàn Thanh niên và Công an xã.",
        "TT\tNội dung nhiệm vụ\tĐơn vị chủ trì",
        "1\tTuyên truyền\tĐài truyền thanh",
        "2\tHội thi\tĐoàn Thanh niên",
    )


def test_docx_empty_numbered_paragraph_counts_and_bold_inside_a_word_is_no_lead(tmp_path: Path) -> None:
    from tests.ingest.generate import _add_numbering, _set_numbering

    document = docx.Document()
    _add_numbering(document)
    for text in ("Mục đích", "", "Yêu cầu"):
        _set_numbering(document.add_paragraph(text), "900", 1)
    word = document.add_paragraph()
    word.add_run("Tr").bold = True
    word.add_run("ưởng ban phụ trách chung.")
    path = tmp_path / "empty.docx"
    document.save(str(path))
    assert read_document(path, path.read_bytes()).lines == ("1. Mục đích", "3. Yêu cầu", "Trưởng ban phụ trách chung.")


def test_pdf_sentence_ending_at_the_margin_before_an_indented_line_ends_the_paragraph(tmp_path: Path) -> None:
    from fpdf import FPDF

    from tests.ingest.generate import FONT, static_font

    pdf = FPDF()
    pdf.add_font(FONT, "", str(static_font(400)))
    pdf.set_font(FONT, "", 11)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    sentence = ""
    for word in "Ủy ban nhân dân xã tổ chức thực hiện có hiệu quả các nội dung của phong trào trên địa bàn xã".split():
        if pdf.get_string_width(f"{sentence} {word}.".strip()) > width - 1:
            break
        sentence = f"{sentence} {word}".strip()
    lines = [f"{sentence}.", "Các thôn triển khai kế hoạch.", "Các hộ gia đình đăng ký danh hiệu."]
    pdf.cell(width, 6, lines[0], new_x="LMARGIN", new_y="NEXT")  # a full line ending a sentence
    for line in lines[1:]:
        pdf.set_x(pdf.l_margin + 10)  # first-line indent: new paragraphs
        pdf.cell(width - 10, 6, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "indent.pdf"
    pdf.output(str(path))
    assert read_document(path, path.read_bytes()).lines == (PAGE_BREAK, *lines)
