"""Places from the gazetteer: names end where the known name ends, never at the next capital."""

from __future__ import annotations

import pytest

from bot.text.places import (
    BEFORE_2025,
    CENTRAL_CITY,
    FROM_2025,
    PROVINCE,
    bare_name,
    find_places,
    gazetteer,
    successor,
)
from bot.text.places.gazetteer import name_key


def _written(text: str, known: tuple[str, ...] = ()) -> list[str]:
    return [place.written for place in find_places(text, known)]


@pytest.mark.parametrize("after", ["mang số hiệu gì", "năm 2020 là bao nhiêu", "yêu cầu các cơ quan"])
def test_a_known_name_ends_where_the_gazetteer_name_ends(after: str) -> None:
    (place,) = find_places(f"Kế hoạch của huyện Ba Chẽ {after}?")
    assert (place.written, place.canonical, place.level) == ("huyện Ba Chẽ", "huyện Ba Chẽ", "huyện")
    assert place.province == "tỉnh Quảng Ninh"
    assert place.known and place.key == "ba che"


def test_capitalised_words_after_a_name_are_not_part_of_it() -> None:
    assert _written("Ủy ban nhân dân tỉnh Thái Bình Cộng Hòa Xã Hội Chủ Nghĩa Việt Nam") == ["tỉnh Thái Bình"]
    assert _written("Ủy ban nhân dân xã Thiệu Duy Bcđ Phong Trào “ Toàn Dân Đkxd-đsvh”") == ["xã Thiệu Duy"]
    assert _written("UBND TỈNH THÁI BÌNH") == ["TỈNH THÁI BÌNH"]


def test_city_abbreviations_and_bare_province_names() -> None:
    text = "TP.HCM, TP HCM, Thành phố Hồ Chí Minh, TPHCM và Hải Phòng"
    places = find_places(text)
    assert [p.written for p in places] == ["TP.HCM", "TP HCM", "Thành phố Hồ Chí Minh", "TPHCM", "Hải Phòng"]
    assert {p.canonical for p in places[:4]} == {"thành phố Hồ Chí Minh"}
    assert {p.key for p in places[:4]} == {"ho chi minh"}
    assert places[4].canonical == "thành phố Hải Phòng"
    assert {p.level for p in places} == {CENTRAL_CITY}
    (town,) = find_places("TX Bến Cát")
    assert (town.canonical, town.level, town.province) == ("thị xã Bến Cát", "thị xã", "tỉnh Bình Dương")
    (province,) = find_places("các kế hoạch của tỉnh Quảng Ninh")
    assert (province.level, province.province) == (PROVINCE, "tỉnh Quảng Ninh")


def test_without_diacritics_and_in_any_case() -> None:
    for text in ("ke hoach cua huyen ba che mang so hieu gi", "KẾ HOẠCH CỦA HUYỆN BA CHẼ", "của Huyện ba chẽ mang"):
        (place,) = find_places(text)
        assert place.canonical == "huyện Ba Chẽ"
    (place,) = find_places("kinh phi o phuong kinh mon lay tu dau")
    assert place.canonical == "phường Kinh Môn"


def test_words_that_are_no_places() -> None:
    assert find_places("phòng chống tệ nạn xã hội do ai chủ trì") == ()
    assert find_places("các xã, thị trấn triển khai; UBND cấp xã Cơ quan thực hiện") == ()
    assert find_places("Bộ quản trị nhân sự") == ()  # diacritics typed must agree: not Quảng Trị
    assert find_places("HN tổng kết") == ()  # "HN" is hội nghị, not Hà Nội
    assert find_places("huyen vua ban hanh ke hoach") == ()  # a folded unit word needs a known name


def test_units_before_and_after_2025() -> None:
    (old,) = find_places("thị xã Kinh Môn")
    (new,) = find_places("phường Kinh Môn")
    assert (old.province, old.era) == ("tỉnh Hải Dương", BEFORE_2025)
    assert (new.province, new.era) == ("thành phố Hải Phòng", FROM_2025)
    (zone,) = find_places("đặc khu Phú Quốc")  # a level that exists only since 2025
    assert (zone.level, zone.province, zone.era) == ("đặc khu", "tỉnh An Giang", FROM_2025)
    assert successor("tỉnh Thái Bình") == "tỉnh Hưng Yên"
    assert successor("Bình Dương") == "thành phố Hồ Chí Minh"
    assert successor("tỉnh Quảng Ninh") == "tỉnh Quảng Ninh"
    assert successor("tỉnh Không Có") is None
    assert len({u.province for units in gazetteer().units.values() for u in units if u.era == FROM_2025}) == 34
    assert len({u.province for units in gazetteer().units.values() for u in units if u.era == BEFORE_2025}) == 63


def test_the_rest_of_the_text_chooses_between_places_of_one_name() -> None:
    (alone,) = find_places("xã An Điền")
    assert alone.province == "tỉnh Bến Tre"  # the only xã of that name
    first, _ = find_places("Kết quả của xã An Điền; đoàn phúc tra của thị xã Bến Cát")
    assert first.province == "tỉnh Bình Dương"  # the phường An Điền of Bến Cát


def test_a_name_the_gazetteer_lacks_is_taken_up_to_a_name_boundary() -> None:
    assert not gazetteer().lookup(name_key("Sao Khuê"))
    (place,) = find_places("Ủy ban nhân dân phường Sao Khuê Ban Chỉ đạo phong trào")
    assert (place.written, place.known, place.province) == ("phường Sao Khuê", False, None)
    # the index's own localities end a name too
    assert _written("phường Sao Khuê Tây Tiến") == ["phường Sao Khuê Tây"]
    assert _written("phường Sao Khuê Tây Tiến", ("phường Sao Khuê",)) == ["phường Sao Khuê"]
    # and are recognised without their unit word
    assert _written("kế hoạch ở sao khuê", ("phường Sao Khuê",)) == ["sao khuê"]
    # a folded unit word, an abbreviation or a single word never starts an unknown name
    assert find_places("xa Sao Khue") == find_places("TT Sao Khuê") == find_places("xã Khuê nào") == ()


def test_numbered_units_and_spans() -> None:
    text = "quận 1 và Phường 5"
    places = find_places(text)
    assert [p.canonical for p in places] == ["quận 1", "phường 5"]
    assert [text[slice(*p.span)] for p in places] == ["quận 1", "Phường 5"]


def test_bare_name_of_a_locality() -> None:
    assert bare_name("phường Kinh Môn") == "kinh mon"
    assert bare_name("Văn phòng UBND tỉnh Sơn La") == "son la"
    assert bare_name("TP.HCM") == "ho chi minh"
