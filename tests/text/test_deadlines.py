"""Deadlines as written, read into date ranges on a fixed day; the coming quarter first."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text.deadlines import (
    RANK_COMING,
    RANK_LATER,
    RANK_PAST,
    RANK_RECURRING,
    RANK_UNREAD,
    Period,
    coming_quarter,
    deadline_rank,
    read_deadline,
)

TODAY = date(2026, 5, 10)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Quý II/2026", date(2026, 4, 1), date(2026, 6, 30)),
        ("quý 3 năm 2026", date(2026, 7, 1), date(2026, 9, 30)),
        ("Quy IV - 2026", date(2026, 10, 1), date(2026, 12, 31)),
        ("trước ngày 15/6/2026", date(2026, 6, 15), date(2026, 6, 15)),
        ("Trước ngày 25/11/2026", date(2026, 11, 25), date(2026, 11, 25)),
        ("tháng 6/2026", date(2026, 6, 1), date(2026, 6, 30)),
        ("tháng 6 năm 2026", date(2026, 6, 1), date(2026, 6, 30)),
        ("30/6/2026", date(2026, 6, 30), date(2026, 6, 30)),
        ("30/06/2026", date(2026, 6, 30), date(2026, 6, 30)),
        ("ngày 30 tháng 6 năm 2026", date(2026, 6, 30), date(2026, 6, 30)),
        ("năm 2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-2028", date(2026, 1, 1), date(2028, 12, 31)),
        ("giai đoạn 2021 - 2025", date(2021, 1, 1), date(2025, 12, 31)),
        ("tháng 02/2021 đến tháng 4/2021", date(2021, 2, 1), date(2021, 4, 30)),
        ("từ tháng 2 đến tháng 4/2021", date(2021, 2, 1), date(2021, 4, 30)),
        ("6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30)),
        ("6 tháng cuối năm 2026", date(2026, 7, 1), date(2026, 12, 31)),
    ],
)
def test_written_dates_read_as_their_days(text: str, start: date, end: date) -> None:
    assert read_deadline(text, TODAY) == Period(start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Hàng năm", date(2026, 1, 1), date(2026, 12, 31)),
        ("hằng năm", date(2026, 1, 1), date(2026, 12, 31)),
        ("hằng quý", date(2026, 4, 1), date(2026, 6, 30)),
        ("tháng 6 hằng năm", date(2026, 6, 1), date(2026, 6, 30)),
        ("trước ngày 15/3 hằng năm", date(2027, 3, 15), date(2027, 3, 15)),  # this year's is over
    ],
)
def test_recurring_duties_read_as_their_current_occurrence(text: str, start: date, end: date) -> None:
    assert read_deadline(text, TODAY) == Period(start, end, recurring=True)


@pytest.mark.parametrize("text", ["Thường xuyên", "thuong xuyen", "liên tục"])
def test_ongoing_duties_read_as_today(text: str) -> None:
    assert read_deadline(text, TODAY) == Period(TODAY, TODAY, recurring=True, ongoing=True)


def test_a_written_year_wins_over_recurring_words() -> None:
    assert read_deadline("hằng năm, đến năm 2027", TODAY) == Period(date(2027, 1, 1), date(2027, 12, 31))


@pytest.mark.parametrize(
    "text", ["khi có yêu cầu", "", "Quý I", "31/2/2026", "tháng 13/2026", "Quyết định 2214/QĐ-TTg", "10 khối phố"]
)
def test_what_names_no_date_reads_as_none(text: str) -> None:
    assert read_deadline(text, TODAY) is None


def test_the_coming_quarter_runs_from_today_to_the_end_of_the_next_quarter() -> None:
    assert coming_quarter(TODAY) == Period(TODAY, date(2026, 9, 30))
    assert coming_quarter(date(2026, 12, 4)) == Period(date(2026, 12, 4), date(2027, 3, 31))
    assert coming_quarter(date(2026, 9, 30)) == Period(date(2026, 9, 30), date(2026, 12, 31))
    assert coming_quarter(date(2026, 1, 1)) == Period(date(2026, 1, 1), date(2026, 6, 30))


def test_the_coming_quarter_comes_first_then_recurring_later_past_unread() -> None:
    written = [
        "khi có yêu cầu",  # unread
        "Quý I/2021",  # past
        "Hàng năm",  # recurring
        "Quý IV/2026",  # later: due after September
        "giai đoạn 2021 - 2026",  # under way, due the day Quý IV/2026 is: later, in document order
        "trước ngày 15/6/2026",  # coming, due second
        "Thường xuyên",  # recurring
        "tháng 5/2026",  # coming, due first
        "2020",  # past, longer ago
        "theo kế hoạch",  # unread
    ]
    ranks = [deadline_rank(read_deadline(text, TODAY), TODAY) for text in written]
    ordered = [text for _, text in sorted(zip(ranks, written, strict=True), key=lambda pair: pair[0])]
    assert ordered == [
        "tháng 5/2026",
        "trước ngày 15/6/2026",
        "Hàng năm",
        "Thường xuyên",
        "Quý IV/2026",
        "giai đoạn 2021 - 2026",
        "Quý I/2021",
        "2020",
        "khi có yêu cầu",
        "theo kế hoạch",
    ]
    assert [rank for rank, _ in sorted(ranks)] == [
        RANK_COMING,
        RANK_COMING,
        RANK_RECURRING,
        RANK_RECURRING,
        RANK_LATER,
        RANK_LATER,
        RANK_PAST,
        RANK_PAST,
        RANK_UNREAD,
        RANK_UNREAD,
    ]


def test_the_same_text_reads_by_the_day_it_is_read() -> None:
    """The clock is a parameter: in December, Quý I of the next year is the coming quarter."""
    period = read_deadline("Quý I/2027", date(2026, 12, 4))
    assert deadline_rank(period, date(2026, 12, 4))[0] == RANK_COMING
    assert deadline_rank(period, TODAY)[0] == RANK_LATER


@given(st.text(max_size=80))
def test_any_text_reads_without_error_into_an_ordered_range(text: str) -> None:
    period = read_deadline(text, TODAY)
    assert period is None or period.start <= period.end
