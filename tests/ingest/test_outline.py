"""Heading detection, numbered items, false headings, special blocks."""

from __future__ import annotations

from bot.ingest import parse_text
from bot.ingest.outline import is_multi_sentence
from bot.ingest.patterns import numbering_of
from bot.models import KIND_BODY, KIND_PREAMBLE, KIND_RECIPIENTS, KIND_SIGNATURE, KIND_TABLE

PLAN = """ỦY BAN NHÂN DÂN
XÃ TÂN HÒA
Số: 12/KH-UBND
Tân Hòa, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Thực hiện Phong trào năm 2026
Thực hiện Kế hoạch số 7/KH-UBND ngày 01/02/2026 của UBND huyện, UBND xã ban hành kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao nhận thức của Nhân dân.
+ Chi tiết của ý trên.
2. Yêu cầu: Thiết thực, hiệu quả.
II. NHIỆM VỤ
1. Tổ chức tuyên truyền sâu rộng trong Nhân dân. Gắn với các phong trào thi đua khác ở cơ sở.
2. Rà soát danh hiệu văn hóa hằng năm theo đúng quy định của pháp luật hiện hành.
III. TỔ CHỨC THỰC HIỆN
1. Các cơ quan, đơn vị
1.1. Công chức Văn hóa - Xã hội
a) Phòng Văn hóa - Xã hội: chủ trì tham mưu.
b) Công an xã
Bảo đảm an ninh trật tự.
Trên đây là Kế hoạch thực hiện Phong trào năm 2026./.
Nơi nhận:
- UBND huyện;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
PHỤ LỤC
Danh mục nhiệm vụ
TT\tNội dung nhiệm vụ\tĐơn vị chủ trì
1\tTuyên truyền\tUBND xã
"""


def test_numbering_patterns() -> None:
    assert numbering_of("II. MỤC TIÊU").rank == 1  # type: ignore[union-attr]
    assert numbering_of("1.2. Nâng cao").label == "1.2"  # type: ignore[union-attr]
    assert numbering_of("a) Phòng").rank == 5  # type: ignore[union-attr]
    assert numbering_of("2026 có chiều sâu") is None
    assert numbering_of("1\tTuyên truyền\tUBND") is None
    assert numbering_of("IIV. sai") is None


def test_multi_sentence() -> None:
    assert is_multi_sentence("Công tác ban hành (2000-2020). Các hoạt động phối hợp.")
    assert not is_multi_sentence("Tăng cường tuyên truyền tại TP. Hải Phòng.")


def test_section_tree_of_a_plan() -> None:
    doc = parse_text(PLAN, source="tan-hoa.txt")
    assert [" > ".join(s.path) for s in doc.sections] == [
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích",
        "I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu",
        "II. NHIỆM VỤ",
        "II. NHIỆM VỤ > 1",
        "II. NHIỆM VỤ > 2",
        "III. TỔ CHỨC THỰC HIỆN",
        "III. TỔ CHỨC THỰC HIỆN > 1. Các cơ quan, đơn vị",
        "III. TỔ CHỨC THỰC HIỆN > 1. Các cơ quan, đơn vị > 1.1. Công chức Văn hóa - Xã hội",
        "III. TỔ CHỨC THỰC HIỆN > 1. Các cơ quan, đơn vị > 1.1. Công chức Văn hóa - Xã hội > a) Phòng Văn hóa - Xã hội",
        "III. TỔ CHỨC THỰC HIỆN > 1. Các cơ quan, đơn vị > 1.1. Công chức Văn hóa - Xã hội > b) Công an xã",
        "Nơi nhận",
        "Phần ký",
        "PHỤ LỤC",
    ]
    kinds = [s.kind for s in doc.sections]
    assert kinds[0] == KIND_PREAMBLE and kinds[1] == KIND_BODY
    assert kinds[-3:] == [KIND_RECIPIENTS, KIND_SIGNATURE, KIND_TABLE]
    by_path = {" > ".join(s.path): s for s in doc.sections}
    assert by_path["I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích"].text == (
        "- Nâng cao nhận thức của Nhân dân.\n+ Chi tiết của ý trên."
    )
    assert by_path["I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu"].text == "2. Yêu cầu: Thiết thực, hiệu quả."
    assert by_path["II. NHIỆM VỤ > 1"].text.startswith("1. Tổ chức tuyên truyền")
    item_b = by_path[
        "III. TỔ CHỨC THỰC HIỆN > 1. Các cơ quan, đơn vị > 1.1. Công chức Văn hóa - Xã hội > b) Công an xã"
    ]
    assert item_b.text == "Bảo đảm an ninh trật tự.\nTrên đây là Kế hoạch thực hiện Phong trào năm 2026./."
    assert by_path["Phần ký"].text == "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An"
    assert by_path["PHỤ LỤC"].text == "Danh mục nhiệm vụ"
    assert len(by_path["PHỤ LỤC"].rows) == 1


def test_false_headings_stay_body_text() -> None:
    text = "\n".join(
        [
            "I. NỘI DUNG",
            "1. Tuyên truyền",
            "- Tổ chức tuyên truyền phong trào đến năm",
            "2026. Kết quả được tổng hợp hằng năm.",
            "2. Khen thưởng",
            "- Khen thưởng kịp thời.",
        ]
    )
    doc = parse_text(text, source="x.md")
    assert [s.path[-1] for s in doc.sections] == ["I. NỘI DUNG", "1. Tuyên truyền", "2. Khen thưởng"]
    assert "2026. Kết quả" in doc.sections[1].text


def test_recipients_and_signature_in_two_column_order() -> None:
    text = "\n".join(
        [
            "I. NỘI DUNG",
            "Nội dung.",
            "T/M BAN THƯỜNG VỤ",
            "BÍ THƯ",
            "Nơi nhận:",
            "- Thành ủy,",
            "- Lưu VP.",
            "Trần Văn Bình",
        ]
    )
    doc = parse_text(text, source="x.md")
    signature = next(s for s in doc.sections if s.kind == KIND_SIGNATURE)
    assert signature.text == "T/M BAN THƯỜNG VỤ\nBÍ THƯ\nTrần Văn Bình"
    assert doc.meta.signer == "Trần Văn Bình"
    assert doc.meta.signer_title == "T/M BAN THƯỜNG VỤ / BÍ THƯ"
    assert doc.meta.recipients == ("Thành ủy,", "Lưu VP.")


def test_markdown_levels_follow_the_numbering() -> None:
    text = "\n\n".join(
        [
            "## KẾ HOẠCH",
            "### Thực hiện Phong trào năm 2024",
            "Thực hiện Kế hoạch số 5/KH-UBND ngày 1/3/2024 của UBND huyện.",
            "#### I. MỤC ĐÍCH",
            "##### **1. Mục đích**",
            "Nội dung.",
            "## 2. Yêu cầu",
            "Nội dung.",
        ]
    )
    doc = parse_text(text, source="x.md")
    assert [s.path for s in doc.sections] == [
        (),
        ("I. MỤC ĐÍCH",),
        ("I. MỤC ĐÍCH", "1. Mục đích"),
        ("I. MỤC ĐÍCH", "2. Yêu cầu"),
    ]
    assert doc.meta.title == "Kế hoạch Thực hiện Phong trào năm 2024"
