"""Kinds, legal numbering, web-page additions and article lead sentences, on made-up texts."""

from __future__ import annotations

from bot.ingest import parse_text
from bot.ingest.cleanup import Line
from bot.ingest.issuer import issuer_block, readable_issuer
from bot.ingest.kinds import citation_label, kind_from_code
from bot.ingest.news import dateline_place, reported_issuance
from bot.ingest.patterns import RANK_ARTICLE, RANK_CHAPTER, RANK_PART, numbering_of
from bot.ingest.site import posted_date, read_site, site_pairs
from bot.models import DocumentMeta

BODY = (
    "Phong trào được triển khai sâu rộng trong toàn thể cán bộ, công chức, viên chức và Nhân dân trên địa bàn.",
    "Các cơ quan, đơn vị chủ động xây dựng kế hoạch cụ thể, bố trí kinh phí và báo cáo kết quả định kỳ.",
)


def test_legal_numbering() -> None:
    article = numbering_of("Điều 1. Phạm vi điều chỉnh")
    assert article is not None and (article.rank, article.value, article.short) == (RANK_ARTICLE, 1, "Điều 1")
    chapter = numbering_of("CHƯƠNG II")
    assert chapter is not None and (chapter.rank, chapter.value) == (RANK_CHAPTER, 2)
    part = numbering_of("Phần thứ hai")
    assert part is not None and (part.rank, part.value) == (RANK_PART, 2)
    assert numbering_of("Điều 7 Nghị định này quy định") is None  # prose, not an article
    assert numbering_of("Mục đích của kế hoạch") is None
    assert numbering_of("CHƯƠNG TRÌNH HÀNH ĐỘNG") is None
    assert numbering_of("1.Công tác chỉ đạo") is not None  # no space after the dot


def test_kind_from_number_code() -> None:
    assert kind_from_code("14/KH-BCĐ") == "Kế hoạch"
    assert kind_from_code("86/2023/NĐ-CP") == "Nghị định"
    assert kind_from_code("10-CTr/ĐU") == "Chương trình"
    assert kind_from_code("20/UBND-VX") == "Công văn"  # a code of bodies only
    assert kind_from_code(None) is None


def test_site_block_and_chrome() -> None:
    assert site_pairs("Số hiệu: 22/2024/QĐ-UBND Loại văn bản: Quyết định") == [
        ("number", "22/2024/QĐ-UBND"),
        ("kind", "Quyết định"),
    ]
    assert site_pairs("Người ký Nguyễn Văn Hùng") == [("signer", "Nguyễn Văn Hùng")]
    assert site_pairs("Phong trào được triển khai") == []
    assert posted_date("Thứ hai - 18/12/2023 14:25") == "18/12/2023"
    assert posted_date("Đăng lúc: 19/08/2020 (GMT+7)") == "19/08/2020"
    assert posted_date("Đăng ngày 13-05-2022 10:39") == "13/05/2022"
    assert posted_date("Ngày 25/5/2022, UBND huyện ban hành kế hoạch.") is None
    page = read_site(
        [
            Line("Ban hành kế hoạch thực hiện phong trào năm 2024"),
            Line("Thứ ba - 05/03/2024 08:00"),
            Line("Ngày 01/3/2024, UBND xã Tân Hòa ban hành Kế hoạch số 12/KH-UBND về phong trào."),
            Line("Tác giả bài viết: Văn Nam"),
        ]
    )
    assert (page.title, page.published) == ("Ban hành kế hoạch thực hiện phong trào năm 2024", "05/03/2024")
    assert [line.text for line in page.lines] == [
        "Ngày 01/3/2024, UBND xã Tân Hòa ban hành Kế hoạch số 12/KH-UBND về phong trào."
    ]


def test_reported_issuance() -> None:
    found = reported_issuance(
        "Ngày 09/4/2022, UBND thành phố Tân Hòa ban hành Kế hoạch số 74/KH-UBND thực hiện phong trào."
    )
    assert found is not None
    assert (found.issuer, found.kind, found.number, found.date) == (
        "UBND thành phố Tân Hòa",
        "Kế hoạch",
        "74/KH-UBND",
        "09/4/2022",
    )
    attached = reported_issuance(
        "Ngày 2/5/2022, UBND huyện ban hành Quyết định số 16/QĐ-UBND kèm theo kế hoạch thực hiện."
    )
    assert attached is not None and (attached.kind, attached.attached_kind) == ("Quyết định", "Kế hoạch")
    assert reported_issuance("Ban chỉ đạo đã triển khai thông qua việc ban hành Kế hoạch số 2/KH-BCĐ.") is None
    assert dateline_place("Tân Hòa: Triển khai phong trào năm 2020") == "Tân Hòa"


def test_issuer_lines_skip_motto_and_page_title() -> None:
    header = [
        "TIN VỀ NGHỊ ĐỊNH 5/2024/NĐ-CP",
        "ỦY",
        "BAN NHÂN DÂN",
        "TỈNH TÂN HÒA",
        "CỘNG",
        "HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ]
    assert readable_issuer(issuer_block(header)) == "Ủy ban nhân dân tỉnh Tân Hòa"
    two_bodies = ["ỦY BAN NHÂN DÂN", "XÃ TÂN HÒA", "BAN CHỈ ĐẠO PHONG TRÀO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert readable_issuer(issuer_block(two_bodies)) == "Ủy ban nhân dân xã Tân Hòa – Ban chỉ đạo phong trào"


def test_letter_is_a_cong_van_titled_by_its_subject() -> None:
    text = "\n".join(
        [
            "ỦY BAN NHÂN DÂN",
            "HUYỆN TÂN HÒA",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 215/UBND-VHTT",
            "V/v triển khai bình xét danh hiệu Gia đình văn hóa năm 2024",
            "Tân Hòa, ngày 12 tháng 10 năm 2024",
            "Kính gửi: Ủy ban nhân dân các xã, thị trấn.",
            *BODY,
            "1. Tổ chức bình xét đúng quy định, công khai, dân chủ, đúng thời gian quy định của cấp trên.",
            "2. Báo cáo kết quả về Phòng Văn hóa và Thông tin trước ngày 15/12/2024 để tổng hợp chung.",
        ]
    )
    meta = parse_text(text, source="cv.txt").meta
    assert (meta.kind, meta.number, meta.date) == ("Công văn", "215/UBND-VHTT", "12/10/2024")
    assert meta.title == "V/v triển khai bình xét danh hiệu Gia đình văn hóa năm 2024"
    assert meta.issuer == "Ủy ban nhân dân huyện Tân Hòa"
    assert citation_label(meta) == "Công văn số 215/UBND-VHTT"


def test_attached_regulation_and_minutes() -> None:
    regulation = "\n".join(
        [
            "QUY CHẾ",
            "Tổ chức và hoạt động của Ban Chỉ đạo phong trào xã Tân Hòa",
            "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05/3/2024 của UBND xã Tân Hòa)",
            "Chương I",
            "QUY ĐỊNH CHUNG",
            "Điều 1. Phạm vi điều chỉnh",
            *BODY,
            "Điều 2. Nguyên tắc hoạt động",
            "1. Ban Chỉ đạo làm việc theo chế độ tập thể, bàn bạc dân chủ và quyết định theo đa số.",
        ]
    )
    doc = parse_text(regulation, source="qc.txt")
    meta = doc.meta
    assert (meta.kind, meta.number, meta.date) == ("Quy chế", None, "05/3/2024")
    assert (meta.issued_with, meta.issuer) == ("Quyết định số 12/QĐ-UBND", "UBND xã Tân Hòa")
    assert citation_label(meta) == "Quy chế ban hành kèm theo Quyết định số 12/QĐ-UBND"
    assert ("Chương I", "Điều 2. Nguyên tắc hoạt động", "1") in [s.path for s in doc.sections]
    minutes = "\n".join(
        [
            "ỦY BAN NHÂN DÂN XÃ TÂN HÒA",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "BIÊN BẢN",
            "Họp bình xét danh hiệu Gia đình văn hóa năm 2024",
            "Hôm nay, ngày 20 tháng 11 năm 2024, tại nhà văn hóa thôn Đông, thôn tổ chức họp bình xét.",
            "I. THÀNH PHẦN",
            *BODY,
        ]
    )
    meta = parse_text(minutes, source="bb.txt").meta
    assert (meta.kind, meta.date, meta.title) == (
        "Biên bản",
        "20/11/2024",
        "Biên bản Họp bình xét danh hiệu Gia đình văn hóa năm 2024",
    )


def test_blank_number_keeps_its_code_and_labels_by_date() -> None:
    meta = DocumentMeta(
        doc_id="x", source="x.md", title="Kế hoạch", doc_type="Kế hoạch", number="/KH-BCĐ", date="tháng 3 năm 2024"
    )
    assert citation_label(meta) == "Kế hoạch tháng 3 năm 2024"
    assert meta.kind == "Kế hoạch"
