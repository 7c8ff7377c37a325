"""The locality of a plan read with the gazetteer (bot.text.places): name, province and level."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest import parse_file, parse_text
from bot.ingest.header import find_locality, locality_place
from tests.conftest import DOCUMENTS, SHARED

CORPUS = SHARED / "corpus"


def test_an_issuer_read_in_capitals_keeps_only_its_place() -> None:
    assert find_locality("Ủy ban nhân dân tỉnh Thái Bình Cộng Hòa Xã Hội Chủ Nghĩa Việt Nam", "") == "tỉnh Thái Bình"
    assert find_locality("Ủy ban nhân dân xã Thiệu Duy Bcđ Phong Trào “ Toàn Dân Đkxd-đsvh”", "") == "xã Thiệu Duy"
    assert find_locality("Ban Chỉ đạo phong trào phường Sao Khuê Ban Thường vụ", "") == "phường Sao Khuê"


def test_an_agency_is_its_own_locality_and_carries_the_province() -> None:
    locality, place = locality_place("Văn phòng UBND tỉnh Sơn La", "") or ("", None)
    assert locality == "Văn phòng UBND tỉnh Sơn La"
    assert place is not None and place.province == "tỉnh Sơn La"


def test_a_news_item_names_its_place_in_its_opening_lines() -> None:
    opening = "Tiên Yên: Triển khai phong trào năm 2021\nBan chỉ đạo huyện vừa ban hành Kế hoạch số 12/KH-BCĐ."
    locality, place = locality_place(None, "", opening) or ("", None)
    assert locality == "huyện Tiên Yên"
    assert place is not None and (place.province, place.level) == ("tỉnh Quảng Ninh", "huyện")
    # "UBND huyện ban hành" picks the huyện among the places named, not the province first named
    opening = "Thực hiện Quyết định của UBND tỉnh Trà Vinh, UBND huyện ban hành kế hoạch trên địa bàn huyện Càng Long."
    assert find_locality(None, "", opening) == "huyện Càng Long"
    # the place of the date line is where it was signed, not whom it is for
    assert find_locality(None, "", "Hà Nội, ngày 07 tháng 12 năm 2023\nNGHỊ ĐỊNH") is None


def test_parsed_plans_carry_province_and_level() -> None:
    meta = parse_text(
        "Tiên Yên: Triển khai phong trào năm 2021\n\nBan chỉ đạo huyện vừa ban hành Kế hoạch số 12/KH-BCĐ.\n",
        source="tien-yen.txt",
    ).meta
    assert (meta.locality, meta.province, meta.level) == ("huyện Tiên Yên", "tỉnh Quảng Ninh", "huyện")
    kinh_mon = parse_file(DOCUMENTS / "kinh-mon_78-KH-UBND_2025.txt").meta
    assert (kinh_mon.locality, kinh_mon.province, kinh_mon.level) == (
        "phường Kinh Môn",
        "thành phố Hải Phòng",
        "phường",
    )
    son_la = parse_file(DOCUMENTS / "son-la_KH-VPUB_2026.md").meta
    assert (son_la.locality, son_la.province, son_la.level) == ("Văn phòng UBND tỉnh Sơn La", "tỉnh Sơn La", None)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize(
    ("name", "locality", "province"),
    [
        ("04_qd2295-2021-thaibinh-dean.txt", "tỉnh Thái Bình", "tỉnh Thái Bình"),
        ("05_bc20-2020-thieuduy-tongket20nam.txt", "xã Thiệu Duy", "tỉnh Thanh Hóa"),
        ("08_kh47-2020-bache-quangninh.txt", "huyện Ba Chẽ", "tỉnh Quảng Ninh"),
        ("13_ketqua-2023-andien-bencat.txt", "xã An Điền", "tỉnh Bình Dương"),
    ],
)
def test_corpus_documents_get_their_place(name: str, locality: str, province: str) -> None:
    meta = parse_file(Path(CORPUS / name)).meta
    assert (meta.locality, meta.province) == (locality, province)
