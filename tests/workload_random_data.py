"""A seeded random portfolio for comparing the team workload's SQL (revision 0004) with the rule
engine on several as_of dates at once.

Each case is built around one of the given anchor dates (the as_of dates the test evaluates on):
its dates are chosen so that rule due dates fall on the anchor or a day or a week either side
(registered 56 or 30 days or 6 months before, dagpenger ending 182 days after, AAP ending the
local setting's days after, planned meetings the interpreter days after …), and so that the
satisfying records (assessments, held contacts, activities) fall just before or after the dates
that decide whether they count. It includes closed cases, records dated after as_of, assessments
on the same date, 29 February births and ages 15/16/29/30 at the anchor, every benefit date,
planned contacts with and without an interpreter need, and activities of every category and
status, with and without start and end.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from navoppfolging.domain import (
    Aap,
    Activity,
    ActivityCategory,
    ActivityStatus,
    Advisor,
    AdvisorIdent,
    Assessment,
    Benefits,
    Case,
    CaseRef,
    Channel,
    Contact,
    ContactStatus,
    Dagpenger,
    Innsatsgruppe,
    ItemId,
    Omstillingsstonad,
    Portfolio,
    Role,
)
from navoppfolging.rules.facts import add_months, birthday

ADVISORS = ("Z991001", "Z991002", "Z991003")
LEAD = "Z991009"
# Offsets that put a due date on as_of, the last due-soon day, the first day after, and so on.
EDGES = (-8, -7, -1, 0, 0, 1, 7, 8)
LEAP_YEARS = (1992, 1996, 2000, 2004, 2008)


def random_portfolio(anchors: Sequence[dt.date], *, n: int = 3000, seed: int = 2025,
                     local_days: Sequence[int] = (7, 90)) -> Portfolio:
    """``n`` cases around ``anchors``; ``local_days`` are the local settings' values (interpreter,
    AAP end) to put edges at, besides the defaults' edges."""
    rng = random.Random(seed)
    groups = list(Innsatsgruppe)
    categories = list(ActivityCategory)
    activity_statuses = list(ActivityStatus)
    channels = list(Channel)
    contact_statuses = (ContactStatus.GJENNOMFORT, ContactStatus.GJENNOMFORT, ContactStatus.PLANLAGT,
                        ContactStatus.PLANLAGT, ContactStatus.IKKE_MOTT, ContactStatus.AVLYST)
    days = dt.timedelta

    def chance(p: float) -> bool:
        return rng.random() < p

    cases: list[Case] = []
    for i in range(n):
        anchor = rng.choice(anchors)

        def due() -> dt.date:
            """A due date at an edge of ``anchor`` (mostly), or anywhere in the year around it."""
            if chance(0.7):
                return anchor + days(rng.choice(EDGES))
            return anchor + days(rng.randrange(-300, 120))

        # Birth: turning 16 or 30 (or 15/29) around as_of, a 29 February, or any age.
        pick = rng.random()
        if pick < 0.12:
            birth = dt.date(rng.choice(LEAP_YEARS), 2, 29)
        elif pick < 0.6:
            birth = birthday(due(), -rng.choice((15, 16, 29, 30)))
        else:
            birth = anchor - days(rng.randrange(14 * 365, 36 * 365))

        registered: dt.date | None = None
        if chance(0.9):
            back = rng.choice(("56", "30", "6m", "any"))
            d = due()
            registered = (d - days(56) if back == "56" else d - days(30) if back == "30"
                          else add_months(d, -6) if back == "6m" else anchor - days(rng.randrange(-30, 700)))

        sick = due() - days(84) if chance(0.2) else None
        death = add_months(due(), -6) if chance(0.15) else None
        dp_end = due() + days(182) if chance(0.25) else None
        aap_start = due() - days(182) if chance(0.25) else None
        aap_end = None
        if chance(0.3):
            aap_end = due() + days(rng.choice((*local_days, 90, 0))) if chance(0.7) else (
                (aap_start or anchor) + days(rng.randrange(-30, 400)))
        applied = due() - days(35) if chance(0.25) else None
        decided = anchor + days(rng.choice((-1, 0, 0, 1, -30))) if applied and chance(0.5) else None

        # The dates that decide satisfaction: an assessment on or around them counts or not.
        deciding = [d for d in (
            registered and registered + days(56), registered and add_months(registered, 6), sick, death,
            aap_end and aap_end - days(rng.choice((*local_days, 90))), anchor) if d is not None]
        assessments = []
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            when = rng.choice(deciding) + days(rng.choice((-1, 0, 1))) if chance(0.6) else due()
            assessments.append(Assessment(date=when, innsatsgruppe=rng.choice(groups)))
        if registered is not None and chance(0.4):
            assessments.insert(0, Assessment(date=registered + days(rng.choice((0, 7))), innsatsgruppe=rng.choice(groups)))
        if assessments and chance(0.3):  # the same date again, another group: the one listed last counts
            assessments.insert(rng.randrange(len(assessments) + 1),
                               Assessment(date=rng.choice(assessments).date, innsatsgruppe=rng.choice(groups)))

        contacts = []
        for j in range(rng.choice((0, 0, 1, 2, 3, 5))):
            status = rng.choice(contact_statuses)
            if status is ContactStatus.PLANLAGT:
                when = due() + days(rng.choice((*local_days, 7, 0)))  # the interpreter's edge
            elif dp_end is not None and chance(0.4):
                when = dp_end - days(182) + days(rng.choice((-1, 0, 1)))  # DP-26W-LEFT's edge
            else:
                when = due() - days(30)  # CONTACT-30D's edge (or a contact after as_of)
            contacts.append(Contact(id=ItemId(f"k{j}"), date=when, channel=rng.choice(channels), status=status,
                                    interpreter_booked=chance(0.3)))

        activities = []
        for j in range(rng.choice((0, 1, 1, 2, 3, 4))):
            start = due() if chance(0.7) else None
            end = due() if chance(0.7) else None
            if start is not None and end is not None and end < start:
                start, end = end, start
            activities.append(Activity(id=ItemId(f"a{j}"), title="Aktivitet", category=rng.choice(categories),
                                       status=rng.choice(activity_statuses), start=start, end=end))

        closed = None
        if chance(0.15):
            closed = anchor + days(rng.choice((-1, 0, 1, -200, 200)))
        cases.append(Case(
            ref=CaseRef(f"R-{i:05d}"),
            advisor=AdvisorIdent(rng.choice(ADVISORS)),
            name=f"Tilfeldig {i}",
            birth_date=birth,
            needs_interpreter=chance(0.4),
            registered_on=registered,
            follow_up_offered_on=anchor + days(rng.choice((-1, 0, 1, -40))) if registered is not None and chance(0.5) else None,
            benefits=Benefits(dagpenger=Dagpenger(end=dp_end),
                              aap=Aap(applied_on=applied, decided_on=decided, start=aap_start, end=aap_end),
                              omstillingsstonad=Omstillingsstonad(death_date=death)),
            sick_leave_start=sick,
            assessments=tuple(assessments),
            contacts=tuple(contacts),
            activities=tuple(activities),
            closed_on=closed,
        ))
    advisors = tuple(Advisor(ident=AdvisorIdent(a), name=f"Veileder {k}", role=Role.VEILEDER)
                     for k, a in enumerate(ADVISORS)) + (
        Advisor(ident=AdvisorIdent(LEAD), name="Teamleder", role=Role.TEAMLEDER),)
    return Portfolio(advisors=advisors, cases=tuple(cases))
