"""Deadlines as plans write them, read into date ranges: "Quý II/2026", "trước ngày 15/6/2026", "Hàng năm".

Pure functions; the clock is a parameter (``today``), so the same text reads the same in a test and on
any day. The text is compared folded (:func:`bot.text.normalize.fold`), so "Quý", "quý" and "quy",
"hàng năm" and "hằng năm" read alike.

What a text reads as (every date found, from the earliest start to the latest end):

* a day: "30/6/2026", "30-06-2026", "ngày 30 tháng 6 năm 2026"; "trước ngày 15/6/2026" is that day
  (the work is due by then);
* a month: "tháng 6/2026", "tháng 6 năm 2026"; "từ tháng 2 đến tháng 4/2021" (a month without its
  year takes the year of the next date written, else of the one before);
* a quarter: "Quý II/2026", "quý 3 năm 2026"; a half: "6 tháng đầu năm 2026", "6 tháng cuối năm 2026";
* a year or years: "năm 2026", "2026", "2026-2027", "giai đoạn 2021 - 2025";
* a recurring or ongoing duty, when no year is written: "Hàng năm" (this year, or the next occurrence of
  the month or day it names: "tháng 6 hằng năm"), "hằng quý" (this quarter), "hằng tháng" (this month),
  "Thường xuyên" / "liên tục" (today). These are :attr:`Period.recurring`.

Anything else ("khi có yêu cầu", "theo kế hoạch") reads as ``None``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from bot.text.normalize import fold


@dataclass(frozen=True)
class Period:
    """The days a deadline covers, ``start`` to ``end`` inclusive.

    ``recurring``: the text names a duty that comes back (yearly, quarterly, monthly) or lasts
    ("thường xuyên"); its dates are then the occurrence current on the day it was read.
    ``ongoing``: it lasts ("thường xuyên", "liên tục"), due every day: it has no days of its own
    (its dates are the day it was read).
    """

    start: date
    end: date
    recurring: bool = False
    ongoing: bool = False


_Y = r"(?:19|20)\d\d"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Alternatives in priority order: at one position the first that matches wins ("15/6/2026" is a day,
# not a year). Every number is bounded by non-digits, so "2214/QĐ" or "10 khối phố" are no dates.
_MENTION = re.compile(
    "|".join(
        (
            rf"(?<!\d)(?P<d>\d{{1,2}})\s*[/.\-]\s*(?P<dm>\d{{1,2}})\s*[/.\-]\s*(?P<dy>{_Y})(?!\d)",
            rf"ngay\s+(?P<wd>\d{{1,2}})\s+thang\s+(?P<wdm>\d{{1,2}})(?:\s*(?:nam|/)\s*(?P<wdy>{_Y}))?(?!\d)",
            rf"quy\s+(?P<q>iv|iii|ii|i|[1-4])(?![a-z\d])(?:\s*(?:/|-|nam)\s*(?P<qy>{_Y})(?!\d))?",
            rf"6\s+thang\s+(?P<h>dau|cuoi)\s+nam(?:\s+(?P<hy>{_Y})(?!\d))?",
            rf"thang\s+(?P<m>\d{{1,2}})(?!\d)(?:\s*(?:/|-|nam)\s*(?P<my>{_Y})(?!\d))?",
            rf"(?<!\d)(?P<ys>{_Y})\s*-\s*(?P<ye>{_Y})(?!\d)",
            rf"(?<![\d/])(?P<y>{_Y})(?![\d/])",
            r"(?<!\d)(?P<pd>\d{1,2})\s*/\s*(?P<pm>\d{1,2})(?![\d/])",
        )
    )
)
_YEARLY = re.compile(r"\b(?:hang|moi)\s+nam\b")
_QUARTERLY = re.compile(r"\b(?:hang|moi)\s+quy\b")
_MONTHLY = re.compile(r"\b(?:hang|moi)\s+thang\b")
_ONGOING = re.compile(r"\b(?:thuong xuyen|lien tuc)\b")


@dataclass(frozen=True)
class _Mention:
    """One date written in the text: in ``year`` when it is written, else (``year`` 0) to be dated.

    Months ``first_month`` to ``last_month``; ``first_day`` and ``last_day`` (0: the month's end)
    narrow a day ("15/6"); ``last_year`` ends a span of years ("2026-2028"; 0: the same year).
    """

    year: int
    first_month: int
    last_month: int
    first_day: int = 1
    last_day: int = 0
    last_year: int = 0

    def days(self, year: int) -> tuple[date, date] | None:
        """Its first and last day in ``year`` (its own year when written); ``None`` when no such day."""
        year = self.year or year
        end_year = self.last_year or year
        try:
            last = self.last_day or calendar.monthrange(end_year, self.last_month)[1]
            return date(year, self.first_month, self.first_day), date(end_year, self.last_month, last)
        except ValueError:
            return None


def _read_mention(m: re.Match[str]) -> _Mention | None:
    """The mention matched by ``m``, ``None`` when its numbers are no date (month 13, 31/2)."""
    g = m.groupdict()
    mention: _Mention
    if g["d"] or g["wd"]:
        day, month, year = (g["d"], g["dm"], g["dy"]) if g["d"] else (g["wd"], g["wdm"], g["wdy"])
        mention = _Mention(int(year or 0), int(month), int(month), int(day), int(day))
    elif g["pd"]:
        mention = _Mention(0, int(g["pm"]), int(g["pm"]), int(g["pd"]), int(g["pd"]))
    elif g["q"]:
        quarter = _ROMAN.get(g["q"]) or int(g["q"])
        mention = _Mention(int(g["qy"] or 0), 3 * quarter - 2, 3 * quarter)
    elif g["h"]:
        first = 1 if g["h"] == "dau" else 7
        mention = _Mention(int(g["hy"] or 0), first, first + 5)
    elif g["m"]:
        mention = _Mention(int(g["my"] or 0), int(g["m"]), int(g["m"]))
    elif g["ys"]:
        first, last = sorted((int(g["ys"]), int(g["ye"])))
        mention = _Mention(first, 1, 12, last_year=last)
    else:
        mention = _Mention(int(g["y"]), 1, 12)
    return mention if mention.days(2000) else None  # 2000 is a leap year: 29/2 is a day


def _resolve(mentions: list[_Mention]) -> list[tuple[date, date]]:
    """Dated ranges of ``mentions``; one without its year takes the next dated mention's year, else
    the previous one's; with no dated mention at all, none is resolved."""
    ranges: list[tuple[date, date]] = []
    for i, mention in enumerate(mentions):
        later = [m.year for m in mentions[i + 1 :] if m.year]
        earlier = [m.year for m in mentions[:i] if m.year]
        year = mention.year or (later[0] if later else earlier[-1] if earlier else 0)
        if year and (days := mention.days(year)):
            ranges.append(days)
    return ranges


def _recurring(folded: str, partial: list[_Mention], today: date) -> Period | None:
    """The current occurrence of a recurring or ongoing duty, ``None`` when the text names none.

    A yearly duty naming a month or day ("tháng 6 hằng năm") is at its next occurrence: this year's
    when it has not ended before ``today``, else next year's."""
    if _YEARLY.search(folded):
        if not partial:
            return Period(date(today.year, 1, 1), date(today.year, 12, 31), recurring=True)
        for year in (today.year, today.year + 1):
            days = [found for m in partial if (found := m.days(year))]
            if days and max(end for _, end in days) >= today:
                return Period(min(s for s, _ in days), max(e for _, e in days), recurring=True)
        return None
    if _QUARTERLY.search(folded):
        quarter = _Mention(today.year, 3 * ((today.month - 1) // 3) + 1, 3 * ((today.month - 1) // 3) + 3)
        return _occurrence(quarter, today)
    if _MONTHLY.search(folded):
        return _occurrence(_Mention(today.year, today.month, today.month), today)
    if _ONGOING.search(folded):
        return Period(today, today, recurring=True, ongoing=True)
    return None


def _occurrence(mention: _Mention, today: date) -> Period | None:
    days = mention.days(today.year)
    return Period(days[0], days[1], recurring=True) if days else None


def read_deadline(text: str, today: date) -> Period | None:
    """The days the deadline ``text`` covers, read on the day ``today``; ``None`` when it names none.

    Dates written with their year win over recurring words ("hằng năm, đến năm 2026" is 2026);
    ``today`` only dates recurring and ongoing duties.
    """
    folded = fold(text)
    mentions = [found for m in _MENTION.finditer(folded) if (found := _read_mention(m)) is not None]
    dated = _resolve(mentions)
    if dated:
        return Period(min(s for s, _ in dated), max(e for _, e in dated))
    return _recurring(folded, mentions, today)


def coming_quarter(today: date) -> Period:
    """The coming quarter ("quý tới"), with what is left of this one: from ``today`` to the end of the
    next calendar quarter (on 10/5/2026: 10/5/2026 to 30/9/2026; on 4/12/2026: to 31/3/2027)."""
    month = 3 * ((today.month - 1) // 3) + 6  # the last month of the next quarter, maybe past December
    year, month = today.year + (month - 1) // 12, (month - 1) % 12 + 1
    return Period(today, date(year, month, calendar.monthrange(year, month)[1]))


# Ranks of :func:`deadline_rank`, in display order.
RANK_COMING = 0  # due (it ends) in the coming quarter
RANK_RECURRING = 1  # yearly, quarterly, ongoing: due in every quarter
RANK_LATER = 2  # due after the coming quarter
RANK_PAST = 3  # over before today
RANK_UNREAD = 4  # no date read


def deadline_rank(period: Period | None, today: date) -> tuple[int, int]:
    """A sort key by the day a deadline is due (its period's end): those due in the coming quarter
    first (soonest first), then recurring duties, then those due later (soonest first), then past ones
    (latest first), then the unread; ties keep their order under a stable sort (document order)."""
    if period is None:
        return RANK_UNREAD, 0
    if period.recurring:
        return RANK_RECURRING, 0
    due = period.end.toordinal()
    if period.end < today:
        return RANK_PAST, -due
    if period.end > coming_quarter(today).end:
        return RANK_LATER, due
    return RANK_COMING, due
