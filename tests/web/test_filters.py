"""The filters citizens read dates, times and amounts through (app/web/filters.py)."""

from datetime import UTC, date, datetime

import pytest

from app.web.filters import iso, vn_date, vn_datetime, vn_number, vn_time, vnd


def test_a_moment_is_read_in_vietnam_time_day_first() -> None:
    # 17:30 UTC is 00:30 the next day in Vietnam (UTC+7): the Vietnam date, not the UTC one.
    moment = datetime(2025, 11, 3, 17, 30, tzinfo=UTC)
    assert vn_date(moment) == "04/11/2025"
    assert vn_time(moment) == "00:30"
    assert vn_datetime(moment) == "00:30 04/11/2025"


def test_a_deadline_at_17_vietnam_time_reads_17_00() -> None:
    assert vn_datetime(datetime(2025, 3, 14, 10, 0, tzinfo=UTC)) == "17:00 14/03/2025"


def test_a_naive_moment_is_utc_as_the_database_keeps_it() -> None:
    assert vn_time(datetime(2025, 1, 1, 1, 5)) == "08:05"


def test_a_day_is_written_as_it_is() -> None:
    assert vn_date(date(2026, 1, 9)) == "09/01/2026"


def test_nothing_is_written_as_nothing() -> None:
    assert (vn_date(None), vn_time(None), vn_datetime(None), vnd(None), iso(None)) == (
        "",
        "",
        "",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0 ₫"),
        (500, "500 ₫"),
        (1000, "1.000 ₫"),
        (1_000_000, "1.000.000 ₫"),
        (12_345_678, "12.345.678 ₫"),
    ],
)
def test_amounts_group_thousands_with_dots(amount: int, text: str) -> None:
    assert vnd(amount) == text


@pytest.mark.parametrize(
    ("value", "text"), [(0.5, "0,5"), (7.5, "7,5"), (15.0, "15"), (2.25, "2,25")]
)
def test_numbers_take_the_decimal_comma(value: float, text: str) -> None:
    assert vn_number(value) == text


def test_iso_is_utc_with_z() -> None:
    assert iso(datetime(2025, 3, 14, 10, 0, tzinfo=UTC)) == "2025-03-14T10:00:00Z"
