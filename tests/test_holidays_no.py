"""Holiday-aware deadlines: weekends and Norwegian public holidays are flagged with the last
working day before them; working days are not; the calendar is built once per year."""

from __future__ import annotations

import datetime as dt

import pytest

from navoppfolging import holidays_no
from navoppfolging.holidays_no import NoteKind, deadline_note, last_working_day_before, note_text

D = dt.date


@pytest.mark.parametrize(
    ("due", "reason", "plan_by"),
    [
        # Easter 2024: skjærtorsdag 28 March, langfredag 29, 1. påskedag 31, 2. påskedag 1 April.
        (D(2024, 3, 28), "skjærtorsdag", D(2024, 3, 27)),
        (D(2024, 3, 29), "langfredag", D(2024, 3, 27)),
        (D(2024, 3, 31), "1. påskedag", D(2024, 3, 27)),
        (D(2024, 4, 1), "2. påskedag", D(2024, 3, 27)),
        # Easter 2025 is three weeks later: the calendar is really computed per year.
        (D(2025, 4, 17), "skjærtorsdag", D(2025, 4, 16)),
        (D(2025, 4, 21), "2. påskedag", D(2025, 4, 16)),
        (D(2024, 5, 17), "17. mai", D(2024, 5, 16)),
        (D(2024, 5, 1), "1. mai", D(2024, 4, 30)),
        (D(2024, 5, 20), "2. pinsedag", D(2024, 5, 16)),  # 17 May (Fri) and the weekend before
        (D(2024, 12, 25), "1. juledag", D(2024, 12, 24)),
        (D(2024, 12, 26), "2. juledag", D(2024, 12, 24)),
        (D(2025, 1, 1), "1. nyttårsdag", D(2024, 12, 31)),
        (D(2024, 6, 8), "lørdag", D(2024, 6, 7)),
        (D(2024, 6, 9), "søndag", D(2024, 6, 7)),
    ],
)
def test_non_working_days_are_flagged(due: dt.date, reason: str, plan_by: dt.date) -> None:
    note = deadline_note(due)
    assert note is not None
    assert (note.reason, note.plan_by, note.due) == (reason, plan_by, due)


def test_the_text_names_the_day_and_the_last_working_day() -> None:
    assert deadline_note(D(2024, 5, 17)).text == "Fristen er 17. mai — planlegg senest 16. mai"  # type: ignore[union-attr]
    assert deadline_note(D(2024, 3, 29)).text == "Fristen er langfredag 29. mars — planlegg senest 27. mars"  # type: ignore[union-attr]
    assert deadline_note(D(2024, 6, 8)).text == "Fristen er lørdag 8. juni — planlegg senest 7. juni"  # type: ignore[union-attr]
    # Across the new year the year is named, or the date would be read as the wrong one.
    assert deadline_note(D(2025, 1, 1)).text.endswith("planlegg senest 31. desember 2024")  # type: ignore[union-attr]


def test_holiday_wins_over_weekday_and_kinds() -> None:
    easter_sunday = deadline_note(D(2024, 3, 31))
    assert easter_sunday is not None and easter_sunday.kind is NoteKind.HOLIDAY
    assert deadline_note(D(2024, 6, 8)).kind is NoteKind.WEEKEND  # type: ignore[union-attr]


@pytest.mark.parametrize("day", [D(2024, 6, 10), D(2024, 3, 27), D(2024, 5, 16), D(2024, 12, 24), D(2024, 12, 31)])
def test_working_days_get_no_note(day: dt.date) -> None:
    # 24 and 31 December are not public holidays in Norway (only customary half days).
    assert deadline_note(day) is None
    assert note_text(day) == ""


def test_a_plain_sunday_is_a_weekend_not_a_named_holiday() -> None:
    """Some versions of the holidays package list every Sunday as a holiday: never named so."""
    assert all(name.lower() not in ("søndag", "sunday") for name in holidays_no.holidays_in(2024).values())
    assert deadline_note(D(2024, 9, 15)).reason == "søndag"  # type: ignore[union-attr]


def test_the_year_calendar_is_built_once() -> None:
    holidays_no.holidays_in.cache_clear()
    for day in range(1, 32):
        deadline_note(D(2024, 12, day))
        deadline_note(D(2024, 5, day))
    info = holidays_no.holidays_in.cache_info()
    assert info.misses == 1  # one build for 2024, every other call from the cache
    assert info.hits > 60


def test_last_working_day_skips_runs_of_holidays() -> None:
    # 2 April 2024 (Tuesday) is a working day; the day before it is 2. påskedag, then Easter.
    assert last_working_day_before(D(2024, 4, 2)) == D(2024, 3, 27)
