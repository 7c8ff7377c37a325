"""Header-block metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import DocumentError
from bot.ingest import doc_id_for, parse_file, parse_text
from bot.ingest.header import find_implements, find_locality, parse_date, parse_number, readable_issuer


def test_number_and_date() -> None:
    assert parse_number(["Số:78/KH-UBND Kinh Môn, ngày 29 tháng 09 năm 2025"]) == "78/KH-UBND"
    assert parse_number(["Số: /KH-BCĐ"]) == "/KH-BCĐ"
    assert parse_number(["Số 10-CTr/ĐU"]) == "10-CTr/ĐU"
    assert parse_date(["Số:78/KH-UBND Kinh Môn, ngày 29 tháng 09 năm 2025"]) == ("29/09/2025", "Kinh Môn")
    assert parse_date(["TT Cao Lộc, ngày tháng 3 năm 2024"]) == ("tháng 3 năm 2024", "TT Cao Lộc")
    assert parse_date(["không có ngày"]) == (None, None)


def test_issuer_and_locality() -> None:
    assert readable_issuer(["UỶ BAN NHÂN DÂN", "PHƯỜNG KINH MÔN"]) == "Uỷ ban nhân dân phường Kinh Môn"
    assert readable_issuer(["UBND HUYỆN CẨM XUYÊN"]) == "Ubnd huyện Cẩm Xuyên"
    assert find_locality("Uỷ ban nhân dân phường Kinh Môn", "") == "phường Kinh Môn"
    assert find_locality("Văn phòng UBND tỉnh Sơn La", "") == "Văn phòng UBND tỉnh Sơn La"
    title = "Thực hiện Phong trào trên địa bàn thị trấn Cao Lộc năm 2024"
    assert find_locality(None, title) == "thị trấn Cao Lộc"
    assert find_locality(None, "Kế hoạch năm 2024") is None


def test_implements_lists_top_level_citations_only() -> None:
    preamble = (
        "Căn cứ Quyết định số 2214/QĐ-TTg ngày 28/12/2021 của Thủ tướng Chính phủ; Kế hoạch số 3/KH-UBND "
        "ngày 05/01/2021 của UBND tỉnh về thực hiện Nghị quyết số 80-NQ/TW của Bộ Chính trị, Ủy ban nhân dân "
        "xã ban hành Kế hoạch như sau:"
    )
    assert find_implements(preamble) == (
        "Quyết định số 2214/QĐ-TTg ngày 28/12/2021 của Thủ tướng Chính phủ",
        "Kế hoạch số 3/KH-UBND ngày 05/01/2021 của UBND tỉnh về thực hiện Nghị quyết số 80-NQ/TW của Bộ Chính trị",
    )


def test_issuer_from_preamble_is_completed_with_the_place() -> None:
    text = "\n".join(
        [
            "Số: /KH-VP",
            "Tân Hòa, ngày tháng 02 năm 2026",
            "KẾ HOẠCH",
            "Thực hiện Phong trào năm 2026",
            "Thực hiện Quyết định số 5/QĐ-UBND ngày 1/2/2026 của UBND tỉnh, Văn phòng UBND tỉnh ban hành"
            " kế hoạch như sau:",
            "I. NỘI DUNG",
            "Nội dung.",
        ]
    )
    meta = parse_text(text, source="Tân Hòa KH 2026.md").meta
    assert meta.issuer == "Văn phòng UBND tỉnh Tân Hòa"
    assert meta.locality == "Văn phòng UBND tỉnh Tân Hòa"
    assert meta.doc_id == "tan-hoa-kh-2026"
    assert meta.date == "tháng 02 năm 2026"


def test_doc_id_is_a_slug_of_the_stem() -> None:
    assert doc_id_for("cao-loc_KH-BCD_2024.md") == "cao-loc_kh-bcd_2024"
    assert doc_id_for("Đồng Hới kế hoạch.txt") == "dong-hoi-ke-hoach"


def test_unreadable_files_raise_document_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00k\xe9")
    with pytest.raises(DocumentError, match=r"bad\.txt.*UTF-8"):
        parse_file(bad)
    empty = tmp_path / "empty.md"
    empty.write_text(" \n\u00a0\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"empty\.md.*empty"):
        parse_file(empty)
    other = tmp_path / "plan.rtf"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(DocumentError, match="unsupported"):
        parse_file(other)


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffKẾ HOẠCH\nThực hiện năm 2026\nI. NỘI DUNG\nNội dung.".encode())
    doc = parse_file(path)
    assert doc.meta.doc_type == "Kế hoạch"
    assert len(doc.meta.content_hash) == 64
