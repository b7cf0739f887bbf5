"""Counts in bokmål: «1 ny sak», «3 nye saker», «1 avvist», «3 avviste».

Shared by the command line and the window, so a summary reads the same in both. Kept free of
imports: the start-up path may load it.
"""

from __future__ import annotations


def count(n: int, one: str, many: str) -> str:
    """``n`` with the singular after 1 and the plural otherwise (also after 0: «0 saker»)."""
    return f"{n} {one if n == 1 else many}"


# Up to two months a span is told in days («om 45 dager»); beyond that in months and years,
# rounded to the nearest month («om 11 år og 5 måneder», not «om 4184 dager»): nobody counts
# thousands of days, and the exact date is always shown beside it.
DAYS_UP_TO = 60
_DAYS_PER_MONTH = 365.2425 / 12


def span(days: int) -> str:
    """A length of time (``days`` ≥ 0) as a reader says it: «1 dag», «60 dager», «2 måneder»,
    «1 år», «11 år og 5 måneder»."""
    if days <= DAYS_UP_TO:
        return count(days, "dag", "dager")
    months = round(days / _DAYS_PER_MONTH)
    years, months = divmod(months, 12)
    if not years:
        return count(months, "måned", "måneder")
    if not months:
        return f"{years} år"
    return f"{years} år og {count(months, 'måned', 'måneder')}"
