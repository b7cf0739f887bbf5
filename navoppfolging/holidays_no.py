"""Holiday-aware deadlines: a due date on a Saturday, Sunday or Norwegian public holiday.

The letters count calendar days, so due dates are never moved. But a deadline that falls on
17 May or a Sunday is, in practice, a deadline on the working day before it; this module says so:

    >>> deadline_note(dt.date(2024, 5, 17)).text
    'Fristen er 17. mai — planlegg senest 16. mai'

The public holidays come from the ``holidays`` package (country ``NO``), built once per year and
cached, since the note is asked for every due item in every list. Some versions of that package
can also list every Sunday as a «holiday» (``include_sundays``); Sundays are weekend days here
anyway, so such entries are dropped and only real holidays keep their names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from navoppfolging.dates import parse_iso

_MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)
_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# The short names advisors use, keyed by the package's bokmål names (language "no").
_SHORT_NAMES = {
    "første nyttårsdag": "1. nyttårsdag",
    "skjærtorsdag": "skjærtorsdag",
    "langfredag": "langfredag",
    "første påskedag": "1. påskedag",
    "andre påskedag": "2. påskedag",
    "arbeidernes dag": "1. mai",
    "kristi himmelfartsdag": "Kristi himmelfartsdag",
    "grunnlovsdag": "17. mai",
    "første pinsedag": "1. pinsedag",
    "andre pinsedag": "2. pinsedag",
    "første juledag": "1. juledag",
    "andre juledag": "2. juledag",
}


class NoteKind(StrEnum):
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


@dataclass(frozen=True, slots=True)
class HolidayNote:
    """Why ``due`` is not a working day, and the last working day before it."""

    due: dt.date
    kind: NoteKind
    reason: str  # «17. mai», «langfredag», «lørdag»
    plan_by: dt.date  # the last working day before ``due``

    @property
    def text(self) -> str:
        """«Fristen er 17. mai — planlegg senest 16. mai»."""
        return f"Fristen er {self.deadline_phrase} — planlegg senest {day_month(self.plan_by, self.due)}"

    @property
    def short(self) -> str:
        """For narrow columns: «17. mai → 16. mai»."""
        return f"{self.reason} → {day_month(self.plan_by, self.due)}"

    @property
    def deadline_phrase(self) -> str:
        # «17. mai» and «1. mai» already are the date; other reasons get the date after them.
        date_text = day_month(self.due)
        if self.reason == date_text:
            return date_text
        return f"{self.reason} {date_text}"


def day_month(day: dt.date, relative_to: dt.date | None = None) -> str:
    """«16. mai»; with the year when it differs from ``relative_to``'s («29. desember 2023»)."""
    text = f"{day.day}. {_MONTHS[day.month - 1]}"
    if relative_to is not None and relative_to.year != day.year:
        text += f" {day.year}"
    return text


# Years covered by the bundled table resources/holidays/no.json (scripts/gen_holidays.py).
FIRST_TABLE_YEAR = 2015
LAST_TABLE_YEAR = 2045


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    import json

    from navoppfolging import resources_path

    path = resources_path() / "holidays" / "no.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@lru_cache(maxsize=64)
def holidays_in(year: int) -> dict[dt.date, str]:
    """Norwegian public holidays of ``year`` with their short bokmål names (cached per year).

    Read from the bundled table generated from the ``holidays`` package (importing the package
    itself loads every country, ≈ 0.25 s — too slow for the window's start); other years ask
    the package directly."""
    year_table = _table().get(str(year))
    if year_table is not None:
        return {parse_iso(day): name for day, name in year_table.items()}
    return holidays_from_package(year)


def holidays_from_package(year: int) -> dict[dt.date, str]:
    import holidays

    try:
        calendar = holidays.country_holidays("NO", years=year, language="no")
    except (NotImplementedError, KeyError):  # a package version without the bokmål names
        calendar = holidays.country_holidays("NO", years=year)
    out: dict[dt.date, str] = {}
    for day, name in calendar.items():
        for part in str(name).split(";"):
            key = part.strip().lower()
            if key in ("søndag", "sunday"):
                continue  # include_sundays: a Sunday is a weekend day, not a named holiday
            out[day] = _SHORT_NAMES.get(key, part.strip())
            break
    return out


def holiday_name(day: dt.date) -> str | None:
    return holidays_in(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def last_working_day_before(day: dt.date) -> dt.date:
    previous = day - dt.timedelta(days=1)
    while not is_working_day(previous):
        previous -= dt.timedelta(days=1)
    return previous


def deadline_note(due: dt.date) -> HolidayNote | None:
    """None on a working day; otherwise the reason and the last working day before ``due``.

    A holiday wins over the weekday (1. påskedag is a Sunday, but «1. påskedag» says more)."""
    name = holiday_name(due)
    if name is not None:
        return HolidayNote(due=due, kind=NoteKind.HOLIDAY, reason=name, plan_by=last_working_day_before(due))
    if due.weekday() >= 5:
        return HolidayNote(due=due, kind=NoteKind.WEEKEND, reason=_WEEKDAYS[due.weekday()],
                           plan_by=last_working_day_before(due))
    return None


def note_text(due: dt.date | None) -> str:
    """The note's text, or "" (for table cells and exports)."""
    if due is None:
        return ""
    note = deadline_note(due)
    return note.text if note else ""
