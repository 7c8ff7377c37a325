"""The gazetteer: every Vietnamese administrative unit before and after the 2025 reorganisation.

The data comes from the ``vietnamadminunits`` package (MIT), the one module that reads it: its
SQLite dataset holds the 63 provinces with their districts and communes as they were until
30 June 2025 (table ``admin_units_legacy``), the 34 provinces with their communes since 1 July 2025
(``admin_units``), and a mapping of the old provinces to the new ones. It is loaded once, on first
use (about half a second), and kept.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.errors import CampaignBotError
from bot.text.places.units import (
    CENTRAL_CITY,
    CITY,
    COMMUNE,
    DISTRICT,
    PROVINCE,
    SPECIAL_ZONE,
    TOWN,
    TOWNSHIP,
    URBAN_DISTRICT,
    WARD,
)

BEFORE_2025 = "trước 1/7/2025"  # 63 provinces, with districts
FROM_2025 = "từ 1/7/2025"  # 34 provinces, no districts

_TYPES = {
    "tỉnh": PROVINCE,
    "huyện": DISTRICT,
    "quận": URBAN_DISTRICT,
    "thị xã": TOWN,
    "thành phố": CITY,
    "xã": COMMUNE,
    "phường": WARD,
    "thị trấn": TOWNSHIP,
    "đặc khu": SPECIAL_ZONE,
}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Unit:
    """One administrative unit of one era: "Ba Chẽ", huyện, "tỉnh Quảng Ninh", before 2025."""

    name: str  # the proper name without the unit word: "Ba Chẽ", "Hồ Chí Minh", "1" (quận 1)
    level: str  # one of the levels of bot.text.places.units
    province: str  # the province it is in (itself for a province): "tỉnh Quảng Ninh"
    era: str  # BEFORE_2025 or FROM_2025


def fold_word(word: str) -> str:
    """``bot.text.normalize.fold`` of one word, cheaper (no tone-mark placement: the marks go anyway)."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    return bare.replace("đ", "d")


@lru_cache(maxsize=65536)
def name_key(name: str) -> tuple[str, ...]:
    """The folded words of a name, as names are looked up: "Bà Rịa - Vũng Tàu" → ("ba", "ria", "vung", "tau")."""
    return tuple(_WORD.findall(fold_word(name)))


@dataclass(frozen=True)
class Gazetteer:
    """Units by folded name, with the province-level ones and the old → new province mapping."""

    units: MappingProxyType[tuple[str, ...], tuple[Unit, ...]]
    aliases: MappingProxyType[str, tuple[str, ...]]  # "hcm" → name_key("Hồ Chí Minh")
    successors: MappingProxyType[str, str]  # "tỉnh Thái Bình" → "tỉnh Hưng Yên"
    longest: int  # words in the longest name

    def lookup(self, key: tuple[str, ...]) -> tuple[Unit, ...]:
        """Every unit (of either era) whose name has the folded words ``key``."""
        return self.units.get(key, ())

    def provinces(self, key: tuple[str, ...]) -> tuple[Unit, ...]:
        """The province-level units named ``key``."""
        return tuple(u for u in self.lookup(key) if u.level in (PROVINCE, CENTRAL_CITY))


def _canonical_province(full: str) -> tuple[str, str]:
    """ "Thành phố Hồ Chí Minh" → ("thành phố Hồ Chí Minh", CENTRAL_CITY); "Tỉnh Quảng Ninh" → (..., PROVINCE)."""
    word, level = ("thành phố", CENTRAL_CITY) if full.lower().startswith("thành phố") else ("tỉnh", PROVINCE)
    return f"{word} {full[len(word) :].strip()}", level


def _level(type_name: str | None) -> str | None:
    return _TYPES.get(type_name.lower()) if type_name else None


def _data_dir() -> Path:
    """The package's data folder, found without importing the package: its ``__init__`` parses 3 MB of
    JSON and imports shapely and geopy (over a second) for address parsing this project does not use."""
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise CampaignBotError("the vietnamadminunits package (the gazetteer of administrative units) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(table: str, fields: str) -> list[dict[str, Any]]:
    """Distinct rows of one table of the dataset (what ``vietnamadminunits.database.get_data`` reads)."""
    uri = f"{(_data_dir() / 'dataset.db').as_uri()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(f"SELECT DISTINCT {fields} FROM [{table}]")]


def _successors() -> dict[str, str]:
    """Old province → new province, from the package's conversion table (the package's province keys)."""
    data = json.loads((_data_dir() / "converter_2025.json").read_text("utf-8"))
    return {old: new for new, olds in data["DICT_PROVINCE"].items() for old in olds}


def _build(units: Iterable[Unit], aliases: dict[str, tuple[str, ...]], successors: dict[str, str]) -> Gazetteer:
    by_key: dict[tuple[str, ...], list[Unit]] = {}
    for unit in dict.fromkeys(units):  # each unit once, in dataset order
        by_key.setdefault(name_key(unit.name), []).append(unit)
    return Gazetteer(
        units=MappingProxyType({k: tuple(v) for k, v in by_key.items()}),
        aliases=MappingProxyType(aliases),
        successors=MappingProxyType(successors),
        longest=max((len(k) for k in by_key), default=1),
    )


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded on first call and kept."""
    units: list[Unit] = []
    aliases: dict[str, tuple[str, ...]] = {}
    keyed: dict[str, dict[str, str]] = {}  # era → the package's province key ("tinhthaibinh") → name
    tables = (
        ("admin_units_legacy", BEFORE_2025, "province,provinceShort,provinceAlias,provinceKey,district,districtType"),
        ("admin_units", FROM_2025, "province,provinceShort,provinceAlias,provinceKey"),
    )
    for table, era, fields in tables:
        names = keyed.setdefault(era, {})
        for row in _rows(table, f"{fields},ward,wardShort,wardType"):
            province, level = _canonical_province(row["province"])
            if row["provinceKey"] not in names:
                names[row["provinceKey"]] = province
                units.append(Unit(row["provinceShort"], level, province, era))
                for alias in json.loads(row["provinceAlias"] or "[]"):
                    aliases[alias] = name_key(row["provinceShort"])
            district_level = _level(row.get("districtType"))
            if district_level and row["district"]:
                # the proper name after the unit word: "Quận 1" → "1", "Huyện Ba Chẽ" → "Ba Chẽ"
                name = row["district"][len(row["districtType"]) :].strip()
                units.append(Unit(name, district_level, province, era))
            ward_level = _level(row["wardType"])
            if ward_level and row["ward"]:
                units.append(Unit(row["ward"][len(row["wardType"]) :].strip(), ward_level, province, era))
    old, new = keyed[BEFORE_2025], keyed[FROM_2025]
    successors = {old[a]: new[b] for a, b in _successors().items() if a in old and b in new}
    return _build(units, aliases, successors)


def successor(province: str) -> str | None:
    """The province that took over ``province`` on 1 July 2025 ("tỉnh Thái Bình" → "tỉnh Hưng Yên");
    itself for a province that stayed; ``None`` for a name that is no province before 2025."""
    bare = re.sub(r"^\s*(?:tỉnh|thành phố)\s+", "", province, flags=re.IGNORECASE)
    for unit in gazetteer().provinces(name_key(bare)):
        if unit.era == BEFORE_2025:
            return gazetteer().successors.get(unit.province)
    return None
