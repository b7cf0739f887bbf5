"""Small builders for rule-engine tests: a case with only what a test names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from navoppfolging.domain import (
    Aap,
    Activity,
    ActivityCategory,
    ActivityStatus,
    AdvisorIdent,
    Assessment,
    Benefits,
    Case,
    CaseRef,
    Channel,
    Contact,
    ContactStatus,
    Dagpenger,
    ExceptionKind,
    Innsatsgruppe,
    ItemId,
    Omstillingsstonad,
    RecordedException,
)
from navoppfolging.rules import DueItem, Evaluation, LocalSettings, evaluate

D = dt.date
SIT = Innsatsgruppe.SITUASJONSBESTEMT_INNSATS
SPES = Innsatsgruppe.SPESIELT_TILPASSET_INNSATS
STD = Innsatsgruppe.STANDARD_INNSATS
VARIG = Innsatsgruppe.VARIG_TILPASSET_INNSATS


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def case(ref: str = "U-1", *, birth: dt.date = D(2000, 5, 17), advisor: str = "Z990001", **kw: Any) -> Case:
    return Case(ref=CaseRef(ref), advisor=AdvisorIdent(advisor), name="Test Testesen", birth_date=birth, **kw)


def assess(day: dt.date, group: Innsatsgruppe = SIT) -> Assessment:
    return Assessment(date=day, innsatsgruppe=group)


def held(day: dt.date, cid: str = "k1", channel: Channel = Channel.OPPMOTE) -> Contact:
    return Contact(id=ItemId(cid), date=day, channel=channel, status=ContactStatus.GJENNOMFORT)


def contact(day: dt.date, cid: str, status: ContactStatus, channel: Channel = Channel.VIDEO,
            booked: bool = False) -> Contact:
    return Contact(id=ItemId(cid), date=day, channel=channel, status=status, interpreter_booked=booked)


def activity(aid: str, category: ActivityCategory, status: ActivityStatus, start: dt.date | None = None,
             end: dt.date | None = None) -> Activity:
    return Activity(id=ItemId(aid), title=f"Aktivitet {aid}", category=category, status=status, start=start, end=end)


def exception(eid: str, day: dt.date, kind: ExceptionKind) -> RecordedException:
    return RecordedException(id=ItemId(eid), date=day, kind=kind, note="")


def ug(reg: dt.date, *, group: Innsatsgruppe = SIT, birth: dt.date = D(2000, 5, 17), **kw: Any) -> Case:
    """A youth in the UG target group from ``reg`` (assessed the same day)."""
    kw.setdefault("assessments", (assess(reg, group),))
    return case(birth=birth, registered_on=reg, **kw)


def benefits(*, dp_end: dt.date | None = None, aap: Aap | None = None, death: dt.date | None = None) -> Benefits:
    return Benefits(dagpenger=Dagpenger(end=dp_end), aap=aap or Aap(), omstillingsstonad=Omstillingsstonad(death_date=death))


def items(c: Case | list[Case], as_of: dt.date, rule: str, *, settings: LocalSettings | None = None) -> list[DueItem]:
    return [i for i in evaluate(c, as_of, settings=settings).items if i.rule == rule]


def one(c: Case, as_of: dt.date, rule: str, *, settings: LocalSettings | None = None) -> DueItem:
    found = items(c, as_of, rule, settings=settings)
    assert len(found) == 1, found
    return found[0]


def statuses(c: Case, rule: str, due: dt.date, *, before: int = 8) -> list[tuple[str, str | None]]:
    """Status of ``rule`` at due-before, due-7, due-1, due, due+1 (None when no item)."""
    out: list[tuple[str, str | None]] = []
    for offset in (-before, -7, -1, 0, 1):
        as_of = due + days(offset)
        found = items(c, as_of, rule)
        assert all(i.due == due for i in found), (as_of, found)
        out.append((str(offset), found[0].status.value if found else None))
    return out


EXPECTED_TRANSITIONS = [("-8", "upcoming"), ("-7", "due_soon"), ("-1", "due_soon"), ("0", "due_soon"), ("1", "overdue")]


def evaluation(c: Case | list[Case], as_of: dt.date, **kw: Any) -> Evaluation:
    return evaluate(c, as_of, **kw)
