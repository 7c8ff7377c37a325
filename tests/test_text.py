"""Normalisation shared by indexing and queries."""

from __future__ import annotations

import unicodedata

import pytest

from bot.text.normalize import (
    ABBREVIATIONS,
    clean,
    expand_abbreviations,
    fold,
    match_form,
    replace_abbreviations,
    tokens,
    unify_tone_marks,
)


def test_clean_is_nfc_and_tidies_spaces() -> None:
    nfd = unicodedata.normalize("NFD", "Kế hoạch  số\u00a078 \nTrang\u200b 2   ")
    assert clean(nfd) == "Kế hoạch số 78\nTrang 2"
    assert clean("a\tb\x07c\r\nd") == "a\tbc\nd"


def test_clean_keeps_case_and_tone_placement() -> None:
    assert clean("UỶ BAN hoá") == "UỶ BAN hoá"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoá", "hóa"),
        ("hoà", "hòa"),
        ("uỷ", "ủy"),
        ("Uỷ", "Ủy"),
        ("UỶ", "ỦY"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("oà", "òa"),
        ("xoá", "xóa"),
    ],
)
def test_old_tone_placement_becomes_modern(old: str, new: str) -> None:
    assert unify_tone_marks(old) == new
    assert unify_tone_marks(new) == new


# Placement fixed by the syllable: a final consonant, a shape-marked vowel, a "qu"/"gi" onset.
FIXED_WORDS = ["hoàn", "quyền", "thuyết", "quý", "quả", "giá", "giữa", "gìn", "người", "ngoài", "mía", "múa"]


@pytest.mark.parametrize(
    "word",
    FIXED_WORDS,
)
def test_fixed_placements_do_not_move(word: str) -> None:
    assert unify_tone_marks(word) == word


def test_match_form_equates_spellings_and_input_forms() -> None:
    a = match_form("Văn hoá  Xã hội, UỶ BAN")
    b = match_form(unicodedata.normalize("NFD", "văn hóa xã hội, ủy ban"))
    assert a == b == "văn hóa xã hội, ủy ban"


@pytest.mark.parametrize("text", ["Đời sống văn hoá\n Hạnh phúc", "Thuý  KHOẺ", "ỦY BAN"])
def test_match_form_and_fold_are_idempotent(text: str) -> None:
    assert match_form(match_form(text)) == match_form(text)
    assert fold(fold(text)) == fold(text)


def test_fold_removes_every_diacritic() -> None:
    assert fold("Đời sống VĂN HOÁ") == "doi song van hoa"
    assert fold("Ủy ban") == fold("uy ban")


def test_tokens_keep_dates_numbers_and_percents() -> None:
    text = "Trước ngày 15/6/2026, giai đoạn 2021-2025 đạt 97% và 100 % theo Nghị quyết số 18/2020/NQ-HĐND."
    assert tokens(text) == [
        "trước",
        "ngày",
        "15/6/2026",
        "giai",
        "đoạn",
        "2021-2025",
        "đạt",
        "97%",
        "và",
        "100%",
        "theo",
        "nghị",
        "quyết",
        "số",
        "18/2020/nq-hđnd",
    ]


def test_tokens_split_word_chains_into_syllables() -> None:
    expected = ["phòng", "tổ", "chức", "hành", "chính", "tin", "bài"]
    assert tokens("Phòng Tổ chức-Hành chính; tin/bài") == expected
    assert tokens("Số 78/KH-UBND, mục 1.7.") == ["số", "78/kh-ubnd", "mục", "1.7"]


def test_abbreviations_table_has_the_common_forms() -> None:
    for key in ("UBND", "HĐND", "MTTQ", "BCĐ", "TDĐKXDĐSVH", "TDDKXĐĐSVH", "CT-XH", "TT&DL", "CNTT"):
        assert key in ABBREVIATIONS


def test_expand_abbreviations_appends_full_forms() -> None:
    assert expand_abbreviations("UBND phường") == "UBND Ủy ban nhân dân phường"
    assert "Hội đồng nhân dân" in expand_abbreviations("hdnd tinh")
    assert "chính trị - xã hội" in expand_abbreviations("các tổ chức CT - XH")
    assert "Toàn dân đoàn kết" in expand_abbreviations("phong trào TDDKXĐĐSVH")


def test_expand_abbreviations_whole_tokens_only() -> None:
    assert expand_abbreviations("số 78/KH-UBND") == "số 78/KH-UBND"
    assert expand_abbreviations("kh năm nay") == "kh năm nay"  # "KH" only as written
    assert expand_abbreviations("KH năm nay") == "KH kế hoạch năm nay"


def test_expand_place_prefixes_only_before_place_names() -> None:
    assert expand_abbreviations("TT Cao Lộc") == "TT thị trấn Cao Lộc"
    assert expand_abbreviations("TT Đảng ủy") == "TT Đảng ủy"
    assert expand_abbreviations("P. Lê Chân") == "P. phường Lê Chân"
    assert expand_abbreviations("trang 5 P. a") == "trang 5 P. a"


def test_common_administrative_abbreviations_are_spelled_out() -> None:
    assert replace_abbreviations("chỉ tiêu NVH của TP Hải Phòng") == "chỉ tiêu nhà văn hóa của thành phố Hải Phòng"
    assert "Ban Thường vụ" in replace_abbreviations("BTV Đảng ủy phường")
    # case-sensitive short forms are left alone in ordinary words
    assert replace_abbreviations("pt bài") == "pt bài"
