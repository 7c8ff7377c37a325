"""The administrative-unit vocabulary: levels, the words that name them, their abbreviations.

The one list of these words in the project. Their abbreviations ("TT", "TP", "P."...) are the
unit entries of the normaliser's abbreviation table, so that the two never disagree.
"""

from __future__ import annotations

from types import MappingProxyType

from bot.text.normalize import ABBREVIATIONS, fold

# Levels, as a plan names them. A centrally governed city (Hà Nội, Hải Phòng...) is a province-level
# unit called "thành phố" like a provincial city (Hạ Long): the level tells them apart.
PROVINCE = "tỉnh"
CENTRAL_CITY = "thành phố trực thuộc trung ương"
DISTRICT = "huyện"
URBAN_DISTRICT = "quận"
TOWN = "thị xã"
CITY = "thành phố"
COMMUNE = "xã"
WARD = "phường"
TOWNSHIP = "thị trấn"
SPECIAL_ZONE = "đặc khu"  # the island zones created in 2025 (Phú Quốc, Côn Đảo, Vân Đồn...)

PROVINCE_LEVELS = frozenset({PROVINCE, CENTRAL_CITY})
DISTRICT_LEVELS = frozenset({DISTRICT, URBAN_DISTRICT, TOWN, CITY})
COMMUNE_LEVELS = frozenset({COMMUNE, WARD, TOWNSHIP, SPECIAL_ZONE})

# The word a text writes before a name → the levels it may mean.
UNIT_WORDS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "tỉnh": frozenset({PROVINCE}),
        "thành phố": frozenset({CENTRAL_CITY, CITY}),
        "huyện": frozenset({DISTRICT}),
        "quận": frozenset({URBAN_DISTRICT}),
        "thị xã": frozenset({TOWN}),
        "xã": frozenset({COMMUNE}),
        "phường": frozenset({WARD}),
        "thị trấn": frozenset({TOWNSHIP}),
        "đặc khu": frozenset({SPECIAL_ZONE}),
    }
)
# Longest first, so "thị xã" is read before "xã".
UNIT_WORDS_LONGEST_FIRST: tuple[str, ...] = tuple(sorted(UNIT_WORDS, key=lambda w: (-len(w.split()), w)))

# Abbreviations of unit words as plans and users write them ("TP.HCM", "TX Bến Cát", "P. Lê Chân"),
# case-sensitive, also capitalised ("Tp"). Only read before a place name ("TT" is also Thường trực,
# Trung tâm, Thông tư).
UNIT_ABBREVIATIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        form: full
        for key, full in ABBREVIATIONS.items()
        if full in UNIT_WORDS
        for form in (key, key[:1] + key[1:].lower())
    }
)

# Written forms of the two cities everyone shortens; the gazetteer's aliases add "hcm" and "hn".
CITY_ALIASES: MappingProxyType[str, str] = MappingProxyType({"tphcm": "Hồ Chí Minh", "tphn": "Hà Nội"})

# Words a unit word is part of without naming a unit: "xã hội", "tỉnh ủy", "huyện ủy", "thị xã hội".
NOT_A_NAME = frozenset({"hội", "ủy", "uỷ", "viên", "đoàn", "đội", "nhà", "lộ"})
# Capitalised words that begin what follows a name in titles and headers rather than continue it
# ("xã Sao Khuê Ban Chỉ đạo", "phường X Kế hoạch", "tỉnh Y Cộng hòa..."): an unknown name stops there.
NAME_STOPS = frozenset(
    {"ban", "kế", "về", "ủy", "uỷ", "hội", "đảng", "sở", "phòng", "chương", "quyết", "nghị", "năm", "số", "cộng"}
)


# Folded forms ("thi xa", "xa") of the unit words, longest first: for text typed without diacritics.
FOLDED_UNIT_WORDS: tuple[str, ...] = tuple(fold(w) for w in UNIT_WORDS_LONGEST_FIRST)


def level_word(level: str) -> str:
    """The word written before a name of ``level``: "thành phố" for a centrally governed city."""
    return CITY if level == CENTRAL_CITY else level
