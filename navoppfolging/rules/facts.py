"""Facts about one case on a date, as rules.md defines them; reused by the window and the workload.

Everything is computed from records dated on or before ``as_of``; later records are ignored,
except planned contacts, which are future by nature. Pure functions: no clock, no I/O.
The date helpers here are fast equivalents of ``navoppfolging.dates`` (the engine evaluates
100,000 cases in well under two seconds, and ``relativedelta`` is too slow for that); tests check
that they agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from navoppfolging.domain import (
    ActivityCategory,
    ActivityStatus,
    Assessment,
    Case,
    Channel,
    Contact,
    ContactStatus,
    Innsatsgruppe,
)

UG_MIN_AGE = 16
UG_MAX_AGE_EXCLUSIVE = 30
UG_INNSATSGRUPPER: frozenset[Innsatsgruppe] = frozenset(
    {Innsatsgruppe.SITUASJONSBESTEMT_INNSATS, Innsatsgruppe.SPESIELT_TILPASSET_INNSATS}
)
IN_ACTIVITY_STATUSES: frozenset[ActivityStatus] = frozenset({ActivityStatus.GJENNOMFORES, ActivityStatus.FULLFORT})
MEETING_CHANNELS: frozenset[Channel] = frozenset({Channel.OPPMOTE, Channel.VIDEO, Channel.TELEFON})

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months with the day clamped to the month's end (2024-08-31 + 6 = 2025-02-28)."""
    index = day.month - 1 + months
    year = day.year + index // 12
    month = index % 12 + 1
    last = days_in_month(year, month)
    return dt.date(year, month, day.day if day.day <= last else last)


def birthday(birth_date: dt.date, years: int) -> dt.date:
    """The day someone turns ``years``; 29 February falls on 28 February in non-leap years."""
    year = birth_date.year + years
    if birth_date.month == 2 and birth_date.day == 29 and not _is_leap(year):
        return dt.date(year, 2, 28)
    return birth_date.replace(year=year)


def age_at(birth_date: dt.date, day: dt.date) -> int:
    """Whole years at ``day`` (29 February birthdays count on 28 February in non-leap years)."""
    years = day.year - birth_date.year
    month, dom = birth_date.month, birth_date.day
    if month == 2 and dom == 29 and not _is_leap(day.year):
        dom = 28
    if (day.month, day.day) < (month, dom):
        years -= 1
    return years


def fmt(day: dt.date) -> str:
    """12.03.2024 (as ``dates.fmt``, without ``strftime``'s cost)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


# --- per-case facts -------------------------------------------------------------------------


def age(case: Case, as_of: dt.date) -> int:
    return age_at(case.birth_date, as_of)


def is_open(case: Case, as_of: dt.date) -> bool:
    """Open on ``as_of``: not closed, or closed only after ``as_of``."""
    return case.closed_on is None or case.closed_on > as_of


def is_registered(case: Case, as_of: dt.date) -> bool:
    return case.registered_on is not None and case.registered_on <= as_of


def latest_assessment(case: Case, as_of: dt.date) -> Assessment | None:
    """The latest assessment dated on or before ``as_of``; on equal dates the one listed last."""
    latest: Assessment | None = None
    for assessment in case.assessments:
        if assessment.date <= as_of and (latest is None or assessment.date >= latest.date):
            latest = assessment
    return latest


def current_innsatsgruppe(case: Case, as_of: dt.date) -> Innsatsgruppe | None:
    """None when no assessment is dated on or before ``as_of`` (rules needing one do not apply)."""
    latest = latest_assessment(case, as_of)
    return latest.innsatsgruppe if latest is not None else None


def in_ug_target_group(
    case: Case,
    as_of: dt.date,
    *,
    min_age: int = UG_MIN_AGE,
    max_age_exclusive: int = UG_MAX_AGE_EXCLUSIVE,
    innsatsgrupper: frozenset[Innsatsgruppe] = UG_INNSATSGRUPPER,
) -> bool:
    """Youth guarantee target group: open, 16 <= age < 30, registered, situasjonsbestemt or
    spesielt tilpasset innsats (MDB-2024 §2.1.1; the same definition is used for 2023)."""
    if not is_open(case, as_of) or not is_registered(case, as_of):
        return False
    if not min_age <= age(case, as_of) < max_age_exclusive:
        return False
    return current_innsatsgruppe(case, as_of) in innsatsgrupper


def _latest_held(case: Case, as_of: dt.date, channels: frozenset[Channel] | None) -> Contact | None:
    latest: Contact | None = None
    for contact in case.contacts:
        if contact.status is not ContactStatus.GJENNOMFORT or contact.date > as_of:
            continue
        if channels is not None and contact.channel not in channels:
            continue
        if latest is None or contact.date >= latest.date:
            latest = contact
    return latest


def last_contact(case: Case, as_of: dt.date) -> Contact | None:
    """The latest held contact (status gjennomført, any channel) dated on or before ``as_of``."""
    return _latest_held(case, as_of, None)


def last_meeting(case: Case, as_of: dt.date) -> Contact | None:
    """The latest held meeting (oppmøte, video or telefon): «siste møte» in the window."""
    return _latest_held(case, as_of, MEETING_CHANNELS)


def next_planned_contact(case: Case, as_of: dt.date) -> Contact | None:
    """The earliest planned contact dated on or after ``as_of`` («neste møte»)."""
    best: Contact | None = None
    best_key: tuple[dt.date, dt.time, str] | None = None
    for contact in case.contacts:
        if contact.status is not ContactStatus.PLANLAGT or contact.date < as_of:
            continue
        key = (contact.date, contact.time or dt.time(0, 0), contact.id)
        if best_key is None or key < best_key:
            best, best_key = contact, key
    return best


def in_activity(case: Case, as_of: dt.date, categories: Iterable[ActivityCategory]) -> bool:
    """An activity in one of ``categories`` that is being carried out or completed and has
    started on or before ``as_of``. An activity without a start date counts: its status is the
    evidence, and the date test only exists to ignore records dated after ``as_of``."""
    wanted = frozenset(categories)
    for activity in case.activities:
        if (
            activity.category in wanted
            and activity.status in IN_ACTIVITY_STATUSES
            and (activity.start is None or activity.start <= as_of)
        ):
            return True
    return False


def has_plan(case: Case) -> bool:
    """The activity plan has at least one activity that is not just a suggestion (forslag)."""
    return any(activity.status is not ActivityStatus.FORSLAG for activity in case.activities)


def ug_age_out_date(case: Case) -> dt.date:
    """The 30th birthday, when the young person leaves the youth guarantee."""
    return birthday(case.birth_date, UG_MAX_AGE_EXCLUSIVE)
