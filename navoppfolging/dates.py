"""Date arithmetic the letters use: calendar days, calendar months clamped to the month's end,
whole years of age with 29 February falling on 28 February in non-leap years.

python-dateutil's ``relativedelta`` already clamps to the month's end, which is exactly the
rule in rules.md («2024-08-31 + 6 months = 2025-02-28»).
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta


# relativedelta is untyped (no stubs installed): the typed locals say what it returns.
def add_months(day: dt.date, months: int) -> dt.date:
    result: dt.date = day + relativedelta(months=months)
    return result


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def birthday(birth_date: dt.date, age: int) -> dt.date:
    """The date someone turns ``age``; 29 February becomes 28 February in non-leap years."""
    result: dt.date = birth_date + relativedelta(years=age)
    return result


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years at ``day``."""
    years: int = relativedelta(day, birth_date).years
    return years


def fmt(day: dt.date | None) -> str:
    """Norwegian short date, 12.03.2024."""
    return day.strftime("%d.%m.%Y") if day else ""


_MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)


def fmt_long(day: dt.date) -> str:
    """«17. mai 2024»."""
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


# ASCII digits only: ``\d`` would also take «２０２４» (full-width digits).
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso(text: str) -> dt.date:
    """Strict ISO ``YYYY-MM-DD`` (the exchange format and the command line); ValueError otherwise.

    The one parser for dates read from files and the command line. ``date.fromisoformat`` alone
    is not enough: since Python 3.11 it also takes week dates («2004-W01-1») and the basic
    format («20240301»), which the contract does not allow."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"not YYYY-MM-DD: {text[:40]!r}")
    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))


_HH_MM = re.compile(r"[0-9]{2}:[0-9]{2}")


def parse_hh_mm(text: str) -> dt.time:
    """Strict ``TT:MM`` (a meeting's time in the exchange format); ValueError otherwise.
    ``time.fromisoformat`` also takes «T1230», «1230Z» (with a time zone) and seconds."""
    if not _HH_MM.fullmatch(text):
        raise ValueError(f"not HH:MM: {text[:40]!r}")
    return dt.time(int(text[:2]), int(text[3:]))
