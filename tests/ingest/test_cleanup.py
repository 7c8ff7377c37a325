"""PDF-extraction artefacts and Markdown emphasis."""

from __future__ import annotations

from bot.ingest.cleanup import clean_lines, drop_page_artefacts, is_page_number, strip_emphasis

# As PDF extraction gives it: one visual line each, blank lines between, trailing spaces, a page number.
PDF_LINES = [
    " KẾ HOẠCH",
    "Tổ chức hội nghị tổng kết phong trào “Toàn dân đoàn kết xây dựng đời sống",
    "văn hóa” năm 2025",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "- Đánh giá kết quả đạt được sau nhiều năm thực hiện Phong trào trên địa bàn xã,",
    "chỉ ra những tồn tại, hạn chế và đề ra giải pháp trong những năm tiếp theo.",
    "- Khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong thực hiện",
    "5",
    "phong trào đến năm",
    "2026 có hiệu quả.",
    "2. Yêu cầu",
    "Việc tổng kết phải tiến hành từ cơ sở, đảm bảo đúng tiến độ, báo cáo khoa học,",
    "ngắn gọn, đầy đủ.",
    " II. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO TRONG NHỮNG NĂM TIẾP THEO GIAI",
    "ĐOẠN 2026-2030",
]
PDF_TEXT = "\n\n".join(f"{line} " for line in PDF_LINES)


def texts(raw: str) -> list[str]:
    return [line.text for line in clean_lines(raw.splitlines())]


def test_page_numbers() -> None:
    assert all(is_page_number(t) for t in ("5", " 12 ", "- 3 -", "Trang 3", "Trang 3/10"))
    assert not any(is_page_number(t) for t in ("5 nội dung", "2026-2030", "1."))


def test_repeated_page_headers_next_to_page_numbers_are_dropped() -> None:
    header = "KẾ HOẠCH SỐ 5"
    lines = [header, "a", "1", header, "b", "2", header, "c", "3", header, "d"]
    assert drop_page_artefacts(lines) == ["a", "b", "c", "d"]


def test_broken_pdf_lines_are_rejoined() -> None:
    assert texts(PDF_TEXT) == [
        "KẾ HOẠCH",
        "Tổ chức hội nghị tổng kết phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "- Đánh giá kết quả đạt được sau nhiều năm thực hiện Phong trào trên địa bàn xã, chỉ ra những"
        " tồn tại, hạn chế và đề ra giải pháp trong những năm tiếp theo.",
        "- Khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong thực hiện phong trào đến năm 2026 có"
        " hiệu quả.",
        "2. Yêu cầu",
        "Việc tổng kết phải tiến hành từ cơ sở, đảm bảo đúng tiến độ, báo cáo khoa học, ngắn gọn, đầy đủ.",
        "II. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO TRONG NHỮNG NĂM TIẾP THEO GIAI ĐOẠN 2026-2030",
    ]


def test_paragraph_per_line_text_is_not_rejoined() -> None:
    raw = "\n\n".join(
        [
            "CHƯƠNG TRÌNH HÀNH ĐỘNG",
            "của Ban Thường vụ Đảng ủy phường An Bình",
            "Thực hiện Nghị quyết số 80-NQ/TW của Bộ Chính trị về phát triển văn hóa Việt Nam, Ban Thường vụ"
            " xây dựng Chương trình hành động như sau:",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "- Cụ thể hóa kịp thời các quan điểm, mục tiêu, nhiệm vụ, giải pháp nêu trong Nghị quyết số 80",
            "- Phát huy sức mạnh tổng hợp của cả hệ thống chính trị trong xây dựng và phát triển văn hóa",
        ]
    )
    assert len(texts(raw)) == 6


def test_emphasis_markers_are_removed_but_remembered() -> None:
    raw = ["## **II. CHỈ TIÊU**", "", "#### ***1.4. Chủ tịch Hội***", ""]
    lines = clean_lines([*raw, "**1.1. Trưởng Ban:** Phụ trách chung.", "", "- Có *in nghiêng* đây"])
    assert [line.text for line in lines] == [
        "II. CHỈ TIÊU",
        "1.4. Chủ tịch Hội",
        "1.1. Trưởng Ban: Phụ trách chung.",
        "- Có in nghiêng đây",
    ]
    assert [line.marked for line in lines] == [True, True, False, False]
    assert lines[2].lead == "1.1. Trưởng Ban:"


def test_bold_spanning_two_lines() -> None:
    lines = clean_lines(["**KT. TRƯỞNG BAN  ", "PHÓ TRƯỞNG BAN**"])
    assert [line.text for line in lines] == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]
    assert strip_emphasis('phong trào "*Toàn dân*" năm') == 'phong trào "Toàn dân" năm'


def test_table_rows_keep_their_tabs() -> None:
    lines = clean_lines(["TT\tNội dung\tĐơn vị chủ trì  ", "I. Nhóm\t\t"])
    assert [line.text for line in lines] == ["TT\tNội dung\tĐơn vị chủ trì", "I. Nhóm\t\t"]
