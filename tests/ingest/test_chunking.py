"""Chunking rules."""

from __future__ import annotations

from bot.ingest import parse_text
from bot.ingest.chunking import chunk_document, split_lines
from bot.models import COL_LEAD, KIND_RECIPIENTS, KIND_SIGNATURE, KIND_TABLE

PLAN = "\n".join(
    [
        "ỦY BAN NHÂN DÂN",
        "XÃ TÂN HÒA",
        "KẾ HOẠCH",
        "Thực hiện Phong trào năm 2026",
        "Thực hiện Kế hoạch số 7/KH-UBND ngày 01/02/2026 của UBND huyện.",
        "I. NỘI DUNG",
        "1. Tuyên truyền",
        *[f"- Nội dung tuyên truyền số {i} về xây dựng đời sống văn hóa ở khu dân cư." for i in range(40)],
        "2. Bí thư Đoàn thanh niên",
        "Triển khai phong trào đến các chi đoàn.",
        "Nơi nhận:",
        "- Lưu: VT.",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
        "PHỤ LỤC",
        "TT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\tKết quả/sản phẩm",
        "I. Nhóm nhiệm vụ: Tuyên truyền\t\t\t\t\t",
        "1\tTuyên truyền\tUBND xã\tĐoàn Thanh niên\tQuý II/2026\tTin bài",
    ]
)


def test_split_lines_never_cuts_a_line() -> None:
    parts = split_lines(["a" * 10, "b" * 10, "c" * 30, "d" * 5], 25)
    assert parts == [["a" * 10, "b" * 10], ["c" * 30], ["d" * 5]]


def test_chunks_of_a_plan() -> None:
    doc = parse_text(PLAN, source="tan-hoa.txt", content_hash="h")
    chunks = chunk_document(doc, max_chars=800)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    long_parts = [c for c in chunks if c.section_path == ("I. NỘI DUNG", "1. Tuyên truyền")]
    assert len(long_parts) > 1
    assert all(len(c.text) <= 800 for c in long_parts)
    assert long_parts[0].text.startswith("1. Tuyên truyền\n- Nội dung")
    assert all("I. NỘI DUNG > 1. Tuyên truyền" in c.context for c in long_parts)
    officer = next(c for c in chunks if c.section_path[-1:] == ("2. Bí thư Đoàn thanh niên",))
    assert officer.text == "2. Bí thư Đoàn thanh niên\nTriển khai phong trào đến các chi đoàn."
    assert officer.context.split("\n") == [
        "Kế hoạch Thực hiện Phong trào năm 2026",
        "xã Tân Hòa",
        "I. NỘI DUNG > 2. Bí thư Đoàn thanh niên",
    ]
    kinds = {c.kind for c in chunks}
    assert {KIND_RECIPIENTS, KIND_SIGNATURE, KIND_TABLE} <= kinds
    assert not any(c.section_path == ("I. NỘI DUNG",) for c in chunks)  # heading without text


def test_table_row_chunks() -> None:
    doc = parse_text(PLAN, source="tan-hoa.txt", content_hash="h")
    (row_chunk,) = [c for c in chunk_document(doc) if c.row is not None]
    assert row_chunk.kind == KIND_TABLE
    assert row_chunk.text == "1\tTuyên truyền\tUBND xã\tĐoàn Thanh niên\tQuý II/2026\tTin bài"
    assert row_chunk.row.get(COL_LEAD) == "UBND xã"  # type: ignore[union-attr]
    assert row_chunk.section_path == ("PHỤ LỤC", "I. Nhóm nhiệm vụ: Tuyên truyền", "1")
    assert row_chunk.context.endswith(
        "Nhóm: I. Nhóm nhiệm vụ: Tuyên truyền; Nhiệm vụ: Tuyên truyền; Đơn vị chủ trì: UBND xã; "
        "Đơn vị phối hợp: Đoàn Thanh niên; Thời gian: Quý II/2026; Kết quả: Tin bài"
    )


def test_chunk_ids_are_stable_and_unique() -> None:
    first = chunk_document(parse_text(PLAN, source="tan-hoa.txt", content_hash="h"))
    again = chunk_document(parse_text(PLAN, source="tan-hoa.txt", content_hash="h"))
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in first}) == len(first)
    other = chunk_document(parse_text(PLAN, source="tan-hoa.txt", content_hash="other"))
    assert first[0].chunk_id != other[0].chunk_id


def test_every_chunk_text_is_in_the_document() -> None:
    doc = parse_text(PLAN, source="tan-hoa.txt")
    for chunk in chunk_document(doc):
        for line in chunk.text.split("\n"):
            assert line in PLAN


def test_numbered_items_join_the_section_they_stand_under() -> None:
    plan = "\n".join(
        [
            "ỦY BAN NHÂN DÂN",
            "XÃ TÂN HÒA",
            "KẾ HOẠCH",
            "Thực hiện Phong trào năm 2026",
            "I. KINH PHÍ THỰC HIỆN",
            "1. Kinh phí thực hiện Kế hoạch từ nguồn ngân sách nhà nước theo phân cấp hiện hành.",
            "2. Kinh phí lồng ghép từ các chương trình, đề án; từ nguồn xã hội hóa và các nguồn hợp pháp khác.",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Công an xã",
            "- Chủ trì phòng, chống tệ nạn xã hội.",
            "2. Đoàn Thanh niên",
            "- Tổ chức hoạt động tình nguyện.",
        ]
    )
    doc = parse_text(plan, source="tan-hoa.txt", content_hash="h")
    # the outline keeps each item as its own numbered section ...
    assert ("I. KINH PHÍ THỰC HIỆN", "1") in [s.path for s in doc.sections]
    chunks = chunk_document(doc)
    funding = [c for c in chunks if c.section_path[0] == "I. KINH PHÍ THỰC HIỆN"]
    # ... but the list is one chunk under its heading, both lines in document order
    assert [c.section_path for c in funding] == [("I. KINH PHÍ THỰC HIỆN",)]
    assert funding[0].text.split("\n") == [
        "I. KINH PHÍ THỰC HIỆN",
        "1. Kinh phí thực hiện Kế hoạch từ nguồn ngân sách nhà nước theo phân cấp hiện hành.",
        "2. Kinh phí lồng ghép từ các chương trình, đề án; từ nguồn xã hội hóa và các nguồn hợp pháp khác.",
    ]
    # titled subsections (a unit and its tasks) stay chunks of their own
    assert ("II. TỔ CHỨC THỰC HIỆN", "1. Công an xã") in [c.section_path for c in chunks]
    assert ("II. TỔ CHỨC THỰC HIỆN", "2. Đoàn Thanh niên") in [c.section_path for c in chunks]


def test_a_tables_header_row_closes_the_chunk_of_its_title() -> None:
    doc = parse_text(PLAN, source="tan-hoa.txt", content_hash="h")
    table = next(s for s in doc.sections if s.kind == KIND_TABLE)
    header = "TT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\tKết quả/sản phẩm"
    assert table.columns == header
    titled = [c for c in chunk_document(doc) if c.kind == KIND_TABLE and c.row is None]
    assert titled and titled[0].text.endswith(header)
