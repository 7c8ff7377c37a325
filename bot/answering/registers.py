"""The registers across plans: who does what (responsibilities), the targets, the deadlines.

Tables of the snapshot's structured facts, one row per fact, each with the plan and section it comes
from and its verbatim quote (what a row links to). Filters are exact choices (a unit group, a
locality, a role), as a page's lists offer them: a value none of the rows has gives no row.

Units are written differently from plan to plan ("UBND phường", "Ủy ban nhân dân phường"; "Phòng Văn
hoá -Thông tin", "Phòng VH-TT"). :class:`UnitGroups` gathers the spellings of one unit under one key:
the form unit names are compared in everywhere (:func:`~bot.answering.comparable.unit_words`: the
project's abbreviations spelled out, folded, one tone placement, spacing and case ignored); an
acronym the abbreviations do not know ("VH-TT") joins the one spelling of the snapshot whose words it
is the initials of ("Văn hóa - Thông tin"), the way the query rewriter learns acronyms from the plans.
Rows keep each plan's own spelling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.answering.comparable import unit_words
from bot.answering.corpus import Corpus
from bot.answering.facts import LocatedFact, find_facts
from bot.errors import QueryError
from bot.ingest.kinds import citation_label
from bot.models import (
    FACT_DEADLINE,
    FACT_RESPONSIBILITY,
    FACT_TARGET,
    ROLE_ADVISE,
    ROLE_COORDINATE,
    ROLE_LEAD,
    ROLE_PERFORM,
)
from bot.text.deadlines import Period, deadline_rank, read_deadline
from bot.text.normalize import fold, match_form, replace_abbreviations

ROLES = (ROLE_LEAD, ROLE_COORDINATE, ROLE_ADVISE, ROLE_PERFORM)
MAX_FILTER_CHARS = 300  # longer than any unit or locality a plan writes

# A list item's marker ("- ", "+ ", "• ") is layout, not part of the task a row shows.
_LIST_MARKER = re.compile(r"^\s*[-+•–]\s+")
# An acronym: two or more capitals standing alone ("VH", "TT" in "Phòng VH-TT").
_ACRONYM = re.compile(r"(?<![^\W\d_])[A-ZĐ]{2,}(?![^\W\d_])")


@dataclass(frozen=True)
class Source:
    """Where a row comes from: the plan (its label and locality), the section, the verbatim quote."""

    doc_id: str
    document: str  # "Kế hoạch số 78/KH-UBND"
    locality: str
    section: str
    quote: str


@dataclass(frozen=True)
class ResponsibilityRow:
    """A unit, as its plan writes it, and a task it leads, coordinates, advises on or carries out."""

    unit: str
    unit_key: str  # its group's key (:class:`UnitGroups`)
    task: str
    role: str  # one of ROLES
    time: str  # as written (its table row's, else the deadline its line states), "" when none
    source: Source


@dataclass(frozen=True)
class TargetRow:
    """An indicator and the value a plan sets for it."""

    indicator: str
    value: str
    source: Source


@dataclass(frozen=True)
class DeadlineRow:
    """A task and its deadline as written, with the days that deadline reads as (``None``: unread)."""

    task: str
    deadline: str
    period: Period | None
    rank: int  # RANK_COMING, RANK_RECURRING... of bot.text.deadlines: when it is due, seen from today
    source: Source


@dataclass(frozen=True)
class UnitGroup:
    """The spellings of one unit: ``label`` the most frequent (the first written on a tie), ``count``
    the rows of all of them."""

    key: str
    label: str
    count: int
    spellings: tuple[str, ...]


class UnitGroups:
    """The unit names of a set of rows, grouped by their comparable form (see the module docstring)."""

    def __init__(self, names: Iterable[str]) -> None:
        counts = Counter(names)  # insertion order: first written first
        plain = {name: unit_words(name) for name in counts}
        by_plain: dict[str, list[str]] = {}
        for name, key in plain.items():
            by_plain.setdefault(key, []).append(name)
        self._plain_keys = tuple(by_plain)
        self._key_of = {name: _spelled_out(name, key, self._plain_keys) or key for name, key in plain.items()}
        members: dict[str, list[str]] = {}
        for name, key in self._key_of.items():
            members.setdefault(key, []).append(name)
        groups = [
            UnitGroup(
                key=key,
                label=max(names_of, key=lambda n: counts[n]),  # max keeps the first of equals
                count=sum(counts[n] for n in names_of),
                spellings=tuple(names_of),
            )
            for key, names_of in members.items()
        ]
        self.groups: tuple[UnitGroup, ...] = tuple(sorted(groups, key=lambda g: (fold(g.label), g.label)))

    def key_of(self, name: str) -> str:
        """The key of the group of ``name``: a name of the rows, or any other spelling of one of them."""
        if name in self._key_of:
            return self._key_of[name]
        key = unit_words(name)
        return _spelled_out(name, key, self._plain_keys) or key

    def resolve(self, wanted: str) -> str | None:
        """The group key ``wanted`` stands for: a group's key as given, else the key of the unit it
        spells ("UBND phường" → the key of "Ủy ban nhân dân phường"); ``None`` for a blank ``wanted``
        (no unit asked). A key no group has (or "", for a text of no words) matches no row."""
        if not wanted.strip():
            return None
        if any(g.key == wanted for g in self.groups):
            return wanted
        return self.key_of(wanted.strip())


def _spelled_out(name: str, key: str, keys: Sequence[str]) -> str | None:
    """The one other key whose words ``name``'s unknown acronyms are the initials of, else ``None``."""
    acronyms = {fold(a) for a in _ACRONYM.findall(replace_abbreviations(name))}
    words = key.split()
    if not acronyms or not any(w in acronyms for w in words):
        return None
    found = [other for other in keys if other != key and _initials_match(words, other.split(), acronyms)]
    return found[0] if len(found) == 1 else None


def _initials_match(short: Sequence[str], full: Sequence[str], acronyms: set[str]) -> bool:
    """Is ``full`` the words ``short``, each acronym of it standing for as many words as it has
    letters, their initials? ("phong vh tt" and "phong van hoa thong tin")."""
    if not short:
        return not full
    head, rest = short[0], short[1:]
    if full and full[0] == head and _initials_match(rest, full[1:], acronyms):
        return True
    size = len(head)
    return (
        head in acronyms
        and len(full) >= size
        and "".join(w[0] for w in full[:size]) == head
        and _initials_match(rest, full[size:], acronyms)
    )


@dataclass(frozen=True)
class Responsibilities:
    """The responsibility register filtered: its rows, and the choices a filter offers (over all rows)."""

    rows: tuple[ResponsibilityRow, ...]
    groups: tuple[UnitGroup, ...]
    localities: tuple[str, ...]
    unit: str  # the group key filtered by, "" for all
    locality: str
    role: str


def check_filter(value: str, what: str) -> str:
    """``value`` stripped; ``QueryError`` when it is longer than any name a plan writes."""
    if len(value) > MAX_FILTER_CHARS:
        raise QueryError(f"{what} quá dài (tối đa {MAX_FILTER_CHARS} ký tự): hãy chọn trong danh sách.")
    return value.strip()


def check_role(role: str) -> str:
    """The role ``role`` names (compared folded: "chu tri" is "chủ trì"), "" for all roles;
    ``QueryError`` for any other value."""
    role = check_filter(role, "Vai trò")
    if not role:
        return ""
    for known in ROLES:
        if fold(role) == fold(known):
            return known
    raise QueryError(f"Không có vai trò “{role}”: hãy chọn {', '.join(ROLES[:-1])} hoặc {ROLES[-1]}.")


def _source(item: LocatedFact) -> Source:
    meta = item.document
    return Source(meta.doc_id, citation_label(meta), meta.locality or "", item.fact.section, item.fact.quote)


def _text(text: str) -> str:
    return _LIST_MARKER.sub("", text).strip()


def _of_locality(items: list[LocatedFact], locality: str) -> list[LocatedFact]:
    if not locality:
        return items
    wanted = match_form(locality)
    return [item for item in items if match_form(item.document.locality or "") == wanted]


def responsibilities(corpus: Corpus, *, unit: str = "", locality: str = "", role: str = "") -> Responsibilities:
    """Who does what, in document order: of the unit group ``unit`` (a group key or a unit's name),
    of plans of ``locality`` (as the plans write it), of ``role``; "" filters nothing.

    ``QueryError`` for a role that is none of :data:`ROLES` or an over-long value."""
    unit, locality, role = check_filter(unit, "Đơn vị"), check_filter(locality, "Địa bàn"), check_role(role)
    found = find_facts(corpus, FACT_RESPONSIBILITY, subject=None, scope=None)
    grouping = UnitGroups(item.fact.subject for item in found)
    wanted = grouping.resolve(unit)
    # a duty's time: its table row's, else the deadline its line states ("... trong Quý IV/2026")
    line_deadlines: dict[tuple[str, str], str] = {}
    for fact in corpus.snapshot.facts:
        if fact.kind == FACT_DEADLINE:
            line_deadlines.setdefault((fact.chunk_id, fact.detail), fact.value)
    rows = [
        ResponsibilityRow(
            unit=item.fact.subject,
            unit_key=grouping.key_of(item.fact.subject),
            task=_text(item.fact.detail),
            role=item.fact.role,
            time=item.fact.value or line_deadlines.get((item.fact.chunk_id, item.fact.detail), ""),
            source=_source(item),
        )
        for item in _of_locality(found, locality)
        if (wanted is None or grouping.key_of(item.fact.subject) == wanted) and (not role or item.fact.role == role)
    ]
    return Responsibilities(tuple(rows), grouping.groups, corpus.localities, wanted or "", locality, role)


def targets(corpus: Corpus, *, locality: str = "") -> tuple[TargetRow, ...]:
    """The plans' targets in document order, of plans of ``locality`` ("": all)."""
    locality = check_filter(locality, "Địa bàn")
    found = _of_locality(find_facts(corpus, FACT_TARGET, subject=None, scope=None), locality)
    return tuple(TargetRow(_text(item.fact.subject), item.fact.value, _source(item)) for item in found)


def deadlines(corpus: Corpus, today: date, *, locality: str = "") -> tuple[DeadlineRow, ...]:
    """The plans' deadlines of plans of ``locality`` ("": all), read on ``today``: the coming
    quarter's first (see :func:`bot.text.deadlines.deadline_rank`), unread ones last in document order.

    A deadline of an appendix table row is the row's task; one of a body line is that line."""
    locality = check_filter(locality, "Địa bàn")
    found = _of_locality(find_facts(corpus, FACT_DEADLINE, subject=None, scope=None), locality)
    table_chunks = {c.chunk_id for c in corpus.snapshot.chunks if c.row is not None}
    rows = []
    for item in found:
        period = read_deadline(item.fact.value, today)
        task = item.fact.subject if item.fact.chunk_id in table_chunks else item.fact.detail
        rank = deadline_rank(period, today)
        rows.append((rank, DeadlineRow(_text(task), item.fact.value, period, rank[0], _source(item))))
    rows.sort(key=lambda pair: pair[0])  # stable: document order within a rank
    return tuple(row for _, row in rows)
