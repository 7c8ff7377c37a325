"""Places named in a text: "huyện Ba Chẽ", "tỉnh Quảng Ninh", "TP.HCM", "Hải Phòng", "TX Bến Cát".

A place is a unit word ("huyện", "phường", "TP"...) followed by a name, or a province named alone.
The name ends where the gazetteer's name (or a locality of the indexed plans) ends, never at the
next capital letter: "huyện Ba Chẽ mang số hiệu gì" names huyện Ba Chẽ, "UBND tỉnh Thái Bình Cộng
Hòa Xã Hội ..." names tỉnh Thái Bình. A name the gazetteer does not know (a commune renamed after
its data, a plan's own locality) is still taken after a full unit word when it is capitalised as
names are, up to the next word that is not: "xã Hồng Phong Ban Chỉ đạo" → "xã Hồng Phong".

Words are compared folded (no diacritics, any case), except that a word typed with diacritics must
match the name with them ("quản trị" is not Quảng Trị); in a text without any diacritic a folded
unit word ("xa", "huyen") counts only before a name that is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.text.normalize import match_form
from bot.text.places.gazetteer import Gazetteer, Unit, fold_word, gazetteer, name_key
from bot.text.places.units import (
    CENTRAL_CITY,
    CITY,
    CITY_ALIASES,
    COMMUNE_LEVELS,
    DISTRICT_LEVELS,
    NAME_STOPS,
    NOT_A_NAME,
    PROVINCE_LEVELS,
    UNIT_ABBREVIATIONS,
    UNIT_WORDS,
    UNIT_WORDS_LONGEST_FIRST,
    level_word,
)

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_JOIN = re.compile(r"[ \t]*(?:[-–][ \t]*)?")  # between two words of one name: spaces, a dash; no line break
_AFTER_UNIT = re.compile(r"\.?\s*")  # between a unit word and its name: "TP.HCM", "P. Lê Chân"
# Words before a unit word that make it the level in general: "cấp xã", "các huyện", "toàn tỉnh".
GENERIC_BEFORE = frozenset({"cấp", "các", "mỗi", "từng", "những", "toàn", "tuyến"})
MAX_UNKNOWN_WORDS = 3
# First words of the unit words and abbreviations, folded: most words are none, and are passed at once.
_FIRST_WORDS = frozenset(
    {fold_word(w.split()[0]) for w in UNIT_WORDS} | {fold_word(a.rstrip(".")) for a in UNIT_ABBREVIATIONS}
)  # an unknown name is at most this long ("Phan Rang Tháp" would be cut, rare)


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text.

    ``written``: the text's own words, unit word included ("TX Bến Cát"); ``name``: the proper name
    as written ("Bến Cát"); ``canonical``: unit word + name as the gazetteer spells it ("thị xã
    Bến Cát"); ``province``: the province it lies in ("tỉnh Bình Dương"), itself for a province,
    ``None`` when unknown or ambiguous; ``known``: the gazetteer or the index knows the name;
    ``span``: (start, end) of ``written`` in the text.
    """

    level: str
    written: str
    name: str
    canonical: str
    province: str | None
    span: tuple[int, int]
    known: bool = True
    era: str | None = None  # the gazetteer's era of the unit when only one fits

    @property
    def with_unit_word(self) -> bool:
        """Written with its unit word ("huyện Ba Chẽ"), not as a bare name ("Ba Chẽ", "Hải Phòng")."""
        return self.written != self.name

    @property
    def key(self) -> str:
        """The folded proper name as the gazetteer spells it: "ba che", "ho chi minh" for "TP.HCM";
        what plans and questions are matched on."""
        return " ".join(name_key(self.canonical)[len(name_key(level_word(self.level))) :])


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    folded: str
    marked: bool  # carries a diacritic (or đ)
    form: str  # match form (lower case, one tone placement)
    joined: bool  # stands in one name with the word before it (only spaces or a dash between)


@lru_cache(maxsize=65536)
def _form(word: str) -> str:
    return match_form(word)


def _tokens(text: str) -> list[_Token]:
    out = []
    last = None
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        folded = fold_word(word)
        joined = last is not None and bool(_JOIN.fullmatch(text, last, m.start()))
        out.append(_Token(word, m.start(), m.end(), folded, folded != word.lower(), _form(word), joined))
        last = m.end()
    return out


def _is_name_word(token: _Token, all_caps: bool) -> bool:
    """Written as a word of a proper name: capitalised, not an acronym ("BCĐ") unless all is capitals."""
    if not token.text[:1].isupper() or token.form in NOT_A_NAME:
        return False
    return all_caps or len(token.text) == 1 or not token.text.isupper()


@dataclass(frozen=True)
class _Names:
    """The gazetteer plus the index's own localities: folded name → candidates."""

    gazetteer: Gazetteer
    extra: dict[tuple[str, ...], tuple[Unit, ...]]
    longest: int

    def lookup(self, key: tuple[str, ...]) -> tuple[Unit, ...]:
        return self.gazetteer.lookup(key) + self.extra.get(key, ())


@lru_cache(maxsize=8)
def _names(known: frozenset[str]) -> _Names:
    extra: dict[tuple[str, ...], list[Unit]] = {}
    for locality in sorted(known):
        found = find_places(locality)
        if found:
            place = found[-1]
            unit = Unit(place.name, place.level, place.province or "", place.era or "")
            extra.setdefault(name_key(place.name), []).append(unit)
    base = gazetteer()
    longest = max([base.longest, *(len(k) for k in extra)])
    return _Names(base, {k: tuple(v) for k, v in extra.items()}, longest)


def _marks_agree(tokens: Sequence[_Token], unit: Unit) -> bool:
    """Every word typed with diacritics has the name's diacritics ("Quảng Trị" ≠ "quản trị")."""
    if not any(t.marked for t in tokens):
        return True
    words = _TOKEN.findall(match_form(unit.name))
    return len(words) != len(tokens) or all(w == t.form for w, t in zip(words, tokens, strict=True) if t.marked)


def _joined(text: str, tokens: Sequence[_Token], i: int, size: int) -> bool:
    """Words ``i .. i+size-1`` stand together as one name (only spaces or a dash between them)."""
    return all(tokens[k].joined for k in range(i + 1, i + size))


def _known_name(
    text: str, tokens: Sequence[_Token], j: int, names: _Names, *, aliases: bool = True
) -> tuple[int, tuple[Unit, ...]]:
    """The longest known name starting at word ``j``: (its word count, every unit of that name, of any
    level: each marks where the name ends); (0, ()) for none. ``aliases``: "hcm", "hn" count too."""
    for size in range(min(names.longest, len(tokens) - j), 0, -1):
        if not _joined(text, tokens, j, size):
            continue
        words = tokens[j : j + size]
        key = tuple(t.folded for t in words)
        units = tuple(u for u in names.lookup(key) if _marks_agree(words, u))
        if aliases and size == 1 and not units and key[0] in names.gazetteer.aliases:
            units = names.gazetteer.provinces(names.gazetteer.aliases[key[0]])
        if aliases and size == 1 and not units and key[0] in CITY_ALIASES:
            units = names.gazetteer.provinces(name_key(CITY_ALIASES[key[0]]))
        if units:
            return size, units
    return 0, ()


def _tier(level: str) -> frozenset[str]:
    """The levels of the same tier: a plan's "thị xã" may be a "thành phố" in the data, or a "huyện" a "quận"."""
    return next((tier for tier in (PROVINCE_LEVELS, DISTRICT_LEVELS, COMMUNE_LEVELS) if level in tier), frozenset())


def _unit_word(text: str, tokens: Sequence[_Token], i: int, plain_text: bool) -> tuple[str, int, bool] | None:
    """The unit word at word ``i``: (unit word, its word count, strict); strict when written in full
    with its diacritics, so that an unknown name may follow."""
    token = tokens[i]
    if token.folded not in _FIRST_WORDS and token.text not in UNIT_ABBREVIATIONS:
        return None
    abbreviation = UNIT_ABBREVIATIONS.get(token.text) or UNIT_ABBREVIATIONS.get(f"{token.text}.")
    if abbreviation:
        dotted = text[token.end : token.end + 1] == "."
        if token.text in UNIT_ABBREVIATIONS or dotted:
            return abbreviation, 1, False
    for word in UNIT_WORDS_LONGEST_FIRST:
        parts = word.split()
        words = tokens[i : i + len(parts)]
        if len(words) < len(parts) or not _joined(text, tokens, i, len(parts)):
            continue
        if all(t.form == p for t, p in zip(words, parts, strict=True)):
            return word, len(parts), True
        if plain_text and all(not t.marked and t.folded == fold_word(p) for t, p in zip(words, parts, strict=True)):
            return word, len(parts), False
    return None


@dataclass(frozen=True)
class _Raw:
    level: str
    start: int  # first word (the unit word, if any)
    name_start: int
    end: int  # one past the last word
    units: tuple[Unit, ...]  # () for an unknown name


def _scan(text: str, names: _Names) -> tuple[list[_Token], list[_Raw]]:
    tokens = _tokens(text)
    letters = [c for c in text if c.isalpha()]
    all_caps = bool(letters) and all(c.isupper() for c in letters)
    plain_text = not any(t.marked for t in tokens)
    found: list[_Raw] = []
    i = 0
    while i < len(tokens):
        raw = _after_unit(text, tokens, i, names, all_caps, plain_text) or _bare(text, tokens, i, names, all_caps)
        if raw:
            found.append(raw)
            i = raw.end
        else:
            i += 1
    return tokens, found


def _after_unit(
    text: str, tokens: Sequence[_Token], i: int, names: _Names, all_caps: bool, plain_text: bool
) -> _Raw | None:
    unit = _unit_word(text, tokens, i, plain_text)
    if unit is None:
        return None
    word, size, strict = unit
    if i > 0 and tokens[i - 1].form in GENERIC_BEFORE:
        return None  # "cấp xã", "các huyện": the level, not a place
    j = i + size
    if j >= len(tokens) or not _AFTER_UNIT.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
        return None
    if tokens[j].form in NOT_A_NAME:
        return None
    length, units = _known_name(text, tokens, j, names)
    # a one-word known name followed by more of a capitalised name is the start of an unknown one
    longer = (
        length == 1
        and strict
        and not all_caps
        and tokens[j].text.isalpha()
        and j + 1 < len(tokens)
        and _joined(text, tokens, j, 2)
        and _is_name_word(tokens[j + 1], all_caps)
        and _unit_word(text, tokens, j + 1, plain_text) is None
    )
    known = _Raw(_level(word, units), i, j, j + length, units) if length else None
    if known and not longer:
        return known
    if not strict or all_caps:
        return known
    return _unknown_name(text, tokens, i, j, names, word, plain_text) or known


def _unknown_name(
    text: str, tokens: Sequence[_Token], i: int, j: int, names: _Names, word: str, plain_text: bool
) -> _Raw | None:
    """A name the gazetteer lacks after the unit word at ``i``: capitalised words from ``j`` up to the
    first that is not, an acronym, a document word ("Ban", "Kế"...), a unit word or a province."""
    end = j
    while end < len(tokens) and end - j < MAX_UNKNOWN_WORDS and (end == j or _joined(text, tokens, end - 1, 2)):
        token = tokens[end]
        number = end == j and token.text.isdigit()
        if not (number or _is_name_word(token, False)) or _unit_word(text, tokens, end, plain_text):
            break
        if end > j and token.form in NAME_STOPS:
            break
        size, units = _known_name(text, tokens, end, names)
        if end > j and size > 1 and any(u.level in PROVINCE_LEVELS for u in units):
            break  # "xã Hồng Phong Hải Dương": the province starts a place of its own
        end += 1
        if number:
            break
    # one capitalised word is no name the gazetteer lacks ("cấp xã Cơ quan"): those have two or more
    if end == j or (end == j + 1 and not tokens[j].text.isdigit()):
        return None
    return _Raw(_level(word, ()), i, j, end, ())


def _level(word: str, units: Sequence[Unit]) -> str:
    """The level a unit word means before a name of ``units`` ("thành phố Đà Nẵng" is province-level)."""
    levels = UNIT_WORDS[word]
    fitting = [u.level for u in units if u.level in levels]
    if CENTRAL_CITY in levels:
        return CENTRAL_CITY if CENTRAL_CITY in fitting else CITY
    return next(iter(levels))


def _bare(text: str, tokens: Sequence[_Token], i: int, names: _Names, all_caps: bool) -> _Raw | None:
    """A place named without a unit word: a province ("Hải Phòng", "HCM"), a locality of the index,
    or a district capitalised as names are ("Ba Chẽ")."""
    token = tokens[i]
    alias = token.folded in CITY_ALIASES or (token.folded in names.gazetteer.aliases and len(token.text) >= 3)
    if alias and token.text.isupper():  # "HCM", "TPHCM"; never "hn" (hội nghị)
        length, units = _known_name(text, tokens, i, names)
        return _Raw(units[0].level, i, i, i + length, units) if units else None
    length, units = _known_name(text, tokens, i, names, aliases=False)
    if not length or (length == 1 and not token.text[:1].isupper()):
        return None
    words = tokens[i : i + length]
    provinces = tuple(u for u in units if u.level in PROVINCE_LEVELS)
    indexed = tuple(u for u in names.extra.get(tuple(t.folded for t in words), ()) if _marks_agree(words, u))
    if indexed:
        return _Raw(indexed[0].level, i, i, i + length, indexed)
    if provinces and (length > 1 or token.text[:1].isupper()):
        return _Raw(provinces[0].level, i, i, i + length, provinces)
    districts = tuple(u for u in units if u.level in DISTRICT_LEVELS)
    if districts and length > 1 and not all_caps and all(_is_name_word(t, all_caps) for t in words):
        return _Raw(districts[0].level, i, i, i + length, districts)
    return None


def _units(raw: _Raw, context: set[str]) -> list[Unit]:
    """The units a mention may be: those in a province the rest of the text names, then those of its
    level, else of its tier ("xã An Điền" beside "thị xã Bến Cát" is the Bình Dương one)."""
    units = [u for u in raw.units if u.province in context] or list(raw.units)
    return [u for u in units if u.level == raw.level] or [u for u in units if u.level in _tier(raw.level)] or units


def _resolve(text: str, tokens: Sequence[_Token], found: Sequence[_Raw]) -> tuple[PlaceMention, ...]:
    """Mentions with their province: the one their units share, else the one the rest of the text
    points to."""
    alone = [{u.province for u in _units(raw, set()) if u.province} for raw in found]
    keys = [tuple(t.folded for t in tokens[raw.name_start : raw.end]) for raw in found]
    out: list[PlaceMention] = []
    for n, raw in enumerate(found):
        # what the other places say: not this name again, which would only repeat its own guess
        context = {
            p for k, provinces in enumerate(alone) if keys[k] != keys[n] and len(provinces) == 1 for p in provinces
        }
        units = _units(raw, context)
        provinces = {u.province for u in units if u.province}
        eras = {u.era for u in units if u.era}
        start, end = tokens[raw.start].start, tokens[raw.end - 1].end
        name_start = tokens[raw.name_start].start
        name = text[name_start:end]
        spelled = units[0].name if units else " ".join(w[:1].upper() + w[1:] for w in name.split())
        if raw.level in PROVINCE_LEVELS and units:
            canonical = units[0].province
        else:
            canonical = f"{level_word(raw.level)} {spelled}"
        out.append(
            PlaceMention(
                level=raw.level,
                written=text[start:end],
                name=name,
                canonical=canonical,
                province=provinces.pop() if len(provinces) == 1 else None,
                span=(start, end),
                known=bool(raw.units),
                era=eras.pop() if len(eras) == 1 else None,
            )
        )
    return tuple(out)


def find_places(text: str, known: Iterable[str] = ()) -> tuple[PlaceMention, ...]:
    """Every place named in ``text``, in order, none overlapping. ``known``: the localities of the
    indexed plans ("phường Kinh Môn", "xã Hồng Phong"): names the gazetteer may lack, which then
    also end a name and are recognised without a unit word."""
    return _find(text, frozenset(known))


@lru_cache(maxsize=1024)
def _find(text: str, known: frozenset[str]) -> tuple[PlaceMention, ...]:
    """:func:`find_places`, remembered: a question is read several times while it is answered."""
    tokens, found = _scan(text, _names(known))
    return _resolve(text, tokens, found)


def bare_name(locality: str) -> str:
    """The folded proper name of a locality, as users type it: "Văn phòng UBND tỉnh Sơn La" → "son la";
    the locality folded when it names no place."""
    found = find_places(locality)
    return found[-1].key if found else " ".join(name_key(locality))
