"""Unit names grouped across plans: one key per unit however it is written, labelled by its most
frequent spelling."""

from __future__ import annotations

import pytest

from bot.answering.registers import UnitGroups, check_role
from bot.errors import QueryError


def test_spellings_differing_in_abbreviation_diacritics_case_spacing_and_tone_marks_group() -> None:
    names = [
        "UBND phường",
        "Ủy ban nhân dân phường",
        "Uỷ ban nhân dân Phường",  # old tone-mark placement, capital
        "UBND  phường",  # two spaces
        "Phòng Văn hoá - Xã hội",
        "Phòng Văn hóa -Xã hội",
        "phong van hoa xa hoi",
        "UBND phường",
    ]
    groups = UnitGroups(names)
    assert [(g.label, g.count) for g in groups.groups] == [("Phòng Văn hoá - Xã hội", 3), ("UBND phường", 5)]
    assert groups.groups[1].spellings == (names[0], names[1], names[2], names[3])
    assert groups.key_of("Ủy ban nhân dân phường") == groups.key_of("UBND phường")
    assert groups.resolve("uy ban nhan dan phuong") == groups.groups[1].key
    assert groups.resolve("  ") is None


def test_an_unknown_acronym_joins_the_one_unit_it_spells_out() -> None:
    groups = UnitGroups(["Phòng Văn hóa - Thông tin", "Phòng VH-TT", "Phòng VHTT", "Trung tâm Văn hóa"])
    by_label = {g.label: g for g in groups.groups}
    assert by_label["Phòng Văn hóa - Thông tin"].spellings == ("Phòng Văn hóa - Thông tin", "Phòng VH-TT", "Phòng VHTT")
    assert groups.resolve("Phòng VH-TT") == by_label["Phòng Văn hóa - Thông tin"].key


def test_an_acronym_spelling_out_two_units_joins_neither() -> None:
    groups = UnitGroups(["Phòng Tài chính", "Phòng Tư pháp", "Phòng TC", "Phòng TP"])
    assert groups.key_of("Phòng TC") == groups.key_of("Phòng Tài chính")  # the only one it spells
    lone = UnitGroups(["Phòng Tài chính", "Phòng Tổ chức", "Phòng TC"])
    assert len(lone.groups) == 3  # "TC" could be either: left alone


def test_an_acronym_never_joins_a_unit_of_other_words() -> None:
    groups = UnitGroups(["Phòng VH-TT", "Trung tâm Văn hóa - Thông tin"])
    assert len(groups.groups) == 2


def test_roles_read_folded_and_unknown_roles_are_refused() -> None:
    assert check_role("Chu tri") == "chủ trì"
    assert check_role("") == ""
    with pytest.raises(QueryError, match="chủ trì"):
        check_role("trưởng ban")
