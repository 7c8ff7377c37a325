"""Quotes map back to the verbatim text of the source file."""

from __future__ import annotations

import unicodedata

from bot.ingest import parse_text
from bot.ingest.chunking import chunk_document
from bot.text.spans import SourceText, skeleton_of, verbatim_quote

MARKDOWN_PLAN = """UBND THỊ TRẤN CAO LỘC
Số: 12/KH-BCĐ
KẾ HOẠCH
Thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” năm 2024

## I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng phong trào ở các khu dân cư.

## II. TỔ CHỨC THỰC HIỆN
**1. Trưởng Ban chỉ đạo:** Phụ trách chung.
**2. Phó Trưởng Ban chỉ đạo:** Giúp Trưởng ban
điều hành công việc khi được ủy quyền.
"""


def test_skeleton_ignores_whitespace_markers_and_normal_form() -> None:
    decomposed = unicodedata.normalize("NFD", "**Phụ trách**  chung")
    assert skeleton_of(decomposed) == skeleton_of("Phụ trách chung") == "Phụtráchchung"


def test_quote_keeps_inner_markers_and_drops_outer_ones() -> None:
    source = "**1.1. Trưởng Ban chỉ đạo:** Phụ trách chung.\n"
    quote = verbatim_quote("1.1. Trưởng Ban chỉ đạo: Phụ trách chung.", source)
    assert quote == "1.1. Trưởng Ban chỉ đạo:** Phụ trách chung."
    assert quote in source


def test_quote_spans_a_broken_line_as_written() -> None:
    source = "Giúp Trưởng ban\nđiều hành công việc."
    assert verbatim_quote("Giúp Trưởng ban điều hành công việc.", source) == source


def test_text_absent_from_the_source_is_returned_unchanged() -> None:
    assert verbatim_quote("Không có trong văn bản", "Một văn bản khác") == "Không có trong văn bản"
    assert SourceText.of("abc").find("   ") is None


def test_search_starts_at_the_offset_and_falls_back_to_the_beginning() -> None:
    source = SourceText.of("- Phụ trách chung.\n- Phụ trách chung.")
    second = source.find("Phụ trách chung.", start=5)
    assert second is not None and second[0] == source.text.rindex("Phụ")
    assert source.find("- Phụ trách chung.", start=len(source.text)) == (0, len("- Phụ trách chung."))


def test_chunks_of_a_markdown_plan_carry_their_verbatim_source() -> None:
    doc = parse_text(MARKDOWN_PLAN, source="cao-loc.md")
    chunks = chunk_document(doc)
    lead = next(c for c in chunks if c.section_path[-1].startswith("1. Trưởng Ban"))
    assert "**" not in lead.text
    assert lead.source == "1. Trưởng Ban chỉ đạo:** Phụ trách chung."
    deputy = next(c for c in chunks if c.section_path[-1].startswith("2. Phó Trưởng"))
    assert deputy.source in MARKDOWN_PLAN and "\n" in deputy.source
    plain = next(c for c in chunks if c.text.startswith("I. MỤC ĐÍCH"))
    assert plain.source == ""  # display text already verbatim: nothing stored twice
    for chunk in chunks:
        assert (chunk.source or chunk.text) in MARKDOWN_PLAN or chunk.section_path == ("Phần đầu văn bản",)
