"""Page markers: a PAGE_BREAK line opens a page; lines, sections and chunks carry their pages."""

from __future__ import annotations

from bot.answering.engine import pages_label
from bot.ingest import parse_lines
from bot.ingest.chunking import chunk_document
from bot.ingest.cleanup import clean_lines
from bot.ingest.readers import PAGE_BREAK

WRAPPED = [
    "Thực hiện kế hoạch của cấp trên, Ủy ban nhân dân xã ban hành kế hoạch thực hiện phong trào",
    "năm 2026 như sau:",
]


def test_lines_know_their_page() -> None:
    lines = clean_lines([PAGE_BREAK, "KẾ HOẠCH", *WRAPPED[:1], PAGE_BREAK, *WRAPPED[1:], "I. MỤC ĐÍCH"])
    assert [(line.text, line.pages) for line in lines] == [
        ("KẾ HOẠCH", (1,)),
        (WRAPPED[0], (1,)),
        (WRAPPED[1], (2,)),
        ("I. MỤC ĐÍCH", (2,)),
    ]


def test_a_hard_wrapped_line_joined_across_pages_has_both_pages() -> None:
    prose = "các thôn, tổ dân phố tiếp tục tổ chức thực hiện có hiệu quả các nội dung của phong trào và"
    first = "Các" + prose[3:]
    raw = [PAGE_BREAK, "I. NỘI DUNG", first, *[prose] * 3, "Trang 1", PAGE_BREAK, *[prose] * 4, "xây dựng nông thôn."]
    lines = clean_lines(raw)
    assert [line.text for line in lines] == ["I. NỘI DUNG", " ".join([first] + [prose] * 7 + ["xây dựng nông thôn."])]
    assert [line.pages for line in lines] == [(1,), (1, 2)]


def test_text_without_markers_has_no_pages() -> None:
    assert all(line.pages == () for line in clean_lines(["KẾ HOẠCH", "I. MỤC ĐÍCH", "Nội dung."]))


def test_sections_and_chunks_carry_pages() -> None:
    raw = [
        PAGE_BREAK,
        "ỦY BAN NHÂN DÂN XÃ TÂN LẬP",
        "KẾ HOẠCH",
        "Thực hiện Phong trào năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Nâng cao đời sống văn hóa.",
        PAGE_BREAK,
        "- Xây dựng gia đình văn hóa.",
        "II. NỘI DUNG",
        "- Tuyên truyền.",
        PAGE_BREAK,
    ]
    doc = parse_lines(raw, source="tan-lap.pdf", page_count=3)
    assert doc.meta.page_count == 3
    assert {s.path[0]: s.pages for s in doc.sections if s.path} == {
        "I. MỤC ĐÍCH, YÊU CẦU": (1, 2),
        "II. NỘI DUNG": (2,),
    }
    assert PAGE_BREAK not in doc.source_text
    pages = {c.section_path[0]: c.pages for c in chunk_document(doc) if c.section_path and c.kind != "header"}
    assert pages["II. NỘI DUNG"] == (2,)


def test_pages_label() -> None:
    assert (pages_label(()), pages_label((3,)), pages_label((3, 4, 5))) == ("", "trang 3", "trang 3-5")
