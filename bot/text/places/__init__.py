"""Vietnamese administrative places: the one home of the unit words and of the gazetteer.

``find_places(text, known=...)`` reads the places a question or a plan names ("huyện Ba Chẽ",
"TP.HCM", "Hải Phòng"), with their level and province, from the gazetteer of the units before and
after the 2025 reorganisation (package ``vietnamadminunits``) and the indexed plans' own localities.
"""

from bot.text.places.gazetteer import BEFORE_2025, FROM_2025, Unit, gazetteer, successor
from bot.text.places.mentions import PlaceMention, bare_name, find_places
from bot.text.places.units import (
    CENTRAL_CITY,
    CITY,
    COMMUNE,
    DISTRICT,
    FOLDED_UNIT_WORDS,
    PROVINCE,
    PROVINCE_LEVELS,
    SPECIAL_ZONE,
    TOWN,
    TOWNSHIP,
    UNIT_ABBREVIATIONS,
    UNIT_WORDS,
    UNIT_WORDS_LONGEST_FIRST,
    URBAN_DISTRICT,
    WARD,
)

__all__ = [
    "BEFORE_2025",
    "CENTRAL_CITY",
    "CITY",
    "COMMUNE",
    "DISTRICT",
    "FOLDED_UNIT_WORDS",
    "FROM_2025",
    "PROVINCE",
    "PROVINCE_LEVELS",
    "SPECIAL_ZONE",
    "TOWN",
    "TOWNSHIP",
    "UNIT_ABBREVIATIONS",
    "UNIT_WORDS",
    "UNIT_WORDS_LONGEST_FIRST",
    "URBAN_DISTRICT",
    "WARD",
    "PlaceMention",
    "Unit",
    "bare_name",
    "find_places",
    "gazetteer",
    "successor",
]
