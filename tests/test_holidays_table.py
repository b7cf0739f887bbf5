"""The bundled holiday table (read at start-up instead of importing ``holidays``) is exactly
what the ``holidays`` package says, for every year it covers; other years use the package."""

from __future__ import annotations

import datetime as dt

from navoppfolging import holidays_no


def test_table_equals_the_package_for_every_year() -> None:
    for year in range(holidays_no.FIRST_TABLE_YEAR, holidays_no.LAST_TABLE_YEAR + 1):
        holidays_no.holidays_in.cache_clear()
        assert holidays_no.holidays_in(year) == holidays_no.holidays_from_package(year), year


def test_years_outside_the_table_come_from_the_package() -> None:
    year = holidays_no.LAST_TABLE_YEAR + 3
    got = holidays_no.holidays_in(year)
    assert dt.date(year, 5, 17) in got and got == holidays_no.holidays_from_package(year)


def test_table_knows_17_may_and_easter_2024() -> None:
    days = holidays_no.holidays_in(2024)
    assert days[dt.date(2024, 5, 17)] == "17. mai"
    assert days[dt.date(2024, 3, 29)] == "langfredag"
    assert dt.date(2024, 3, 31) in days and dt.date(2024, 4, 1) in days
