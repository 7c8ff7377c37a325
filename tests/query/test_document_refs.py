"""The grammar of document references in questions (bot.query.document_refs)."""

from __future__ import annotations

import pytest

from bot.query.document_refs import DocumentRef, identity_ref, kind_of_type, parse_refs, without_refs


def _one(text: str) -> DocumentRef:
    refs = parse_refs(text)
    assert len(refs) == 1, refs
    return refs[0]


@pytest.mark.parametrize(
    ("text", "kind", "number", "year", "code"),
    [
        ("Nghị định 86/2023/NĐ-CP được ban hành ngày nào?", "nd", "86", "2023", "nd-cp"),
        ("nghi dinh 86/2023/nd-cp ban hanh theo de nghi cua ai", "nd", "86", "2023", "nd-cp"),
        ("theo nghi dinh 86/2023 thi goi chung la thon", "nd", "86", "2023", ""),
        ("NĐ 86 quy định gì?", "nd", "86", None, ""),
        ("theo nd 86/2023 danh sach ho", "nd", "86", "2023", ""),
        ("nghi dinh 86 thi binh xet", "nd", "86", None, ""),
        ("KH 47/KH-BCĐ yêu cầu gì?", "kh", "47", None, "kh-bcd"),
        ("47/KH-BCĐ yêu cầu gì?", "kh", "47", None, "kh-bcd"),
        ("quyết định 2295 của Thái Bình phê duyệt gì", "qd", "2295", None, ""),
        ("qd 2295/qd-ubnd tinh thai binh", "qd", "2295", None, "qd-ubnd"),
        ("Chương trình 10-CTr/ĐU đề ra mấy nhiệm vụ?", "ctr", "10", None, "ctr-du"),
        ("10-CTr/ĐU đề ra mấy nhiệm vụ?", "ctr", "10", None, "ctr-du"),
        ("Số: 20 / UBND-BCĐPT", "", "20", None, "ubnd-bcdpt"),
        ("Báo cáo số 20/UBND-BCĐPT", "bc", "20", None, "ubnd-bcdpt"),
        ("Thông tư 08/2023/TT-BVHTTDL", "tt", "8", "2023", "tt-bvhttdl"),
        ("Chỉ thị số 05-CT/TW", "ct", "5", None, "ct-tw"),
        ("Nghị quyết 33-NQ/TW", "nq", "33", None, "nq-tw"),
        ("Kế hoạch số 41/KH-UBND ngày 13 tháng 02 năm 2023 của UBND thành phố", "kh", "41", "2023", "kh-ubnd"),
        ("Quyết định số 982/QĐ-UBND ngày 22/3/2021 của UBND TP", "qd", "982", "2021", "qd-ubnd"),
        ("Kế hoạch 14/KH-BCĐ năm 2023 do ai ký?", "kh", "14", "2023", "kh-bcd"),
        ("When was Plan No. 14/KH-BCĐ issued?", "kh", "14", None, "kh-bcd"),
        ("Hướng dẫn số 12/HD-SVHTTDL", "hd", "12", None, "hd-svhttdl"),
        ("Công văn 1234/UBND-VX", "cv", "1234", None, "ubnd-vx"),
        ("Thông báo số 15/TB-UBND", "tb", "15", None, "tb-ubnd"),
        ("Đề án số 06/ĐA-UBND", "da", "6", None, "da-ubnd"),
    ],
)
def test_reference_forms(text: str, kind: str, number: str, year: str | None, code: str) -> None:
    ref = _one(text)
    assert (ref.kind, ref.number, ref.year, ref.code) == (kind, number, year, code)


@pytest.mark.parametrize(
    "text",
    [
        "Kế hoạch thực hiện phong trào gồm những nội dung nào?",  # a kind word alone
        "Năm 2025 có bao nhiêu gia đình văn hóa?",  # a year alone
        "phấn đấu 90% gia đình đạt chuẩn",  # a percentage
        "Kế hoạch ban hành ngày 04/01/2023",  # a date
        "hoàn thành trước ngày 25/5/2022",
        "Kế hoạch 5 năm có mấy giai đoạn?",  # a count
        "kế hoạch 2022-2026 của thành phố",  # a period
        "kế hoạch 2025",  # a year after a kind word
        "đã 2 lần tổ chức",  # "da" spells no kind before a bare number
        "Quý II/2026 hoàn thành",
        "TT Cao Lộc có bao nhiêu thôn?",  # "TT" is also thị trấn
        "Điều 2 quy định gì?",
    ],
)
def test_no_reference(text: str) -> None:
    assert [ref for ref in parse_refs(text) if ref.number] == []


def test_kind_and_year_without_number_is_a_weak_reference() -> None:
    ref = _one("Kế hoạch năm 2023 của Ban Chỉ đạo Trung ương thực hiện theo ý kiến của ai?")
    assert (ref.kind, ref.number, ref.year) == ("kh", "", "2023")
    assert ref.issuer == "ban chi dao trung uong"
    assert parse_refs("Năm 2023 có bao nhiêu hộ?") == ()


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("Quyết định 22/2024/QĐ-UBND của tỉnh Phú Thọ quy định về nội dung gì?", "tinh phu tho"),
        ("Nghị định 86/2023/NĐ-CP của Chính phủ ban hành ngày nào?", "chinh phu"),
        ("Quyết định 2295/QĐ-UBND tỉnh Thái Bình được ban hành ngày nào?", "tinh thai binh"),
        ("Kế hoạch 14/KH-BCĐ của Ban Chỉ đạo Trung ương do ai ký?", "ban chi dao trung uong"),
        ("Kế hoạch 74/KH-UBND của UBND thành phố Đà Nẵng ban hành ngày nào?", "ubnd thanh pho da nang"),
        ("Nghị định 86/2023/NĐ-CP được ban hành ngày nào?", ""),
    ],
)
def test_issuer_stated_after_the_reference(text: str, issuer: str) -> None:
    assert _one(text).issuer == issuer


def test_several_references_in_order_with_their_spelling() -> None:
    refs = parse_refs("Theo Kế hoạch 14/KH-BCĐ, Quyết định 2214/QĐ-TTg được ban hành ngày nào?")
    assert [(r.kind, r.number) for r in refs] == [("kh", "14"), ("qd", "2214")]
    assert [r.written for r in refs] == ["Kế hoạch 14/KH-BCĐ", "Quyết định 2214/QĐ-TTg"]
    assert refs[1].label == "Quyết định 2214/QĐ-TTg"


def test_without_refs_leaves_the_question() -> None:
    text = "Nghị định 86/2023/NĐ-CP được ban hành ngày nào?"
    assert without_refs(text, parse_refs(text)) == "duoc ban hanh ngay nao?"


def test_identity_of_a_document_number() -> None:
    ref = identity_ref("22/2024/QĐ-UBND", "Quyết định", "19/9/2024")
    assert ref is not None and (ref.kind, ref.number, ref.year, ref.code) == ("qd", "22", "2024", "qd-ubnd")
    report = identity_ref("20/UBND-BCĐPT", "Báo cáo", "11/8/2020")
    assert report is not None and (report.kind, report.year, report.code) == ("bc", "2020", "ubnd-bcdpt")
    assert identity_ref("/KH-BCĐ", "Kế hoạch") is None  # no number written: nothing to match
    assert kind_of_type("Chương trình hành động") == "ctr"
