"""Cases at the edges of every fact the SQL reduction of revision 0003 computes, for comparing
the team-mode workload with the rule engine: records after as_of, assessments on the same date
(the one listed last wins), planned contacts (booked or not, before/after as_of, with and
without an interpreter need), closed cases, ages at the 16/30 boundaries (29 February too),
activities of every status with and without dates, and every benefit date."""

from __future__ import annotations

import datetime as dt
import random

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
from tests.team_data import A, B, LEAD


def edge_portfolio(as_of: dt.date, *, n: int = 400, seed: int = 6, prefix: str = "E") -> Portfolio:
    rng = random.Random(seed)

    def near(span: int = 40) -> dt.date:
        """A date close to as_of, often exactly on it or one day either side."""
        return as_of + dt.timedelta(days=rng.choice((0, -1, 1, -7, 7, -8, 8, -30, -31, 30))
                                    if rng.random() < 0.5 else rng.randrange(-span * 6, span))

    def maybe(span: int = 40) -> dt.date | None:
        return near(span) if rng.random() < 0.5 else None

    cases = []
    for i in range(n):
        # Ages at the boundaries: turning 16 or 30 on as_of ± 1 day, or born on 29 February.
        years = rng.choice((15, 16, 16, 29, 29, 30, 22))
        birth = dt.date(as_of.year - years, as_of.month, min(as_of.day, 28)) + dt.timedelta(days=rng.choice((-1, 0, 1, 40)))
        if rng.random() < 0.1:
            birth = dt.date(rng.choice((1996, 2000, 2004, 2008)), 2, 29)
        groups = list(Innsatsgruppe)
        assessments = []
        for _ in range(rng.choice((0, 1, 2, 3))):
            assessments.append(Assessment(date=near(), innsatsgruppe=rng.choice(groups)))
        if assessments and rng.random() < 0.4:  # same date, another group: listed last wins
            assessments.append(Assessment(date=assessments[-1].date, innsatsgruppe=rng.choice(groups)))
        contacts = tuple(
            Contact(id=ItemId(f"k{j}"), date=near(), channel=rng.choice(list(Channel)),
                    status=rng.choice((ContactStatus.GJENNOMFORT, ContactStatus.PLANLAGT, ContactStatus.PLANLAGT,
                                       ContactStatus.IKKE_MOTT, ContactStatus.AVLYST)),
                    interpreter_booked=rng.random() < 0.3)
            for j in range(rng.choice((0, 1, 2, 4))))
        activities = []
        for j in range(rng.choice((0, 1, 2, 3))):
            start = maybe()
            end = maybe()
            if start is not None and end is not None and end < start:
                start, end = end, start
            activities.append(Activity(id=ItemId(f"a{j}"), title="Aktivitet", category=rng.choice(list(ActivityCategory)),
                                       status=rng.choice(list(ActivityStatus)), start=start, end=end))
        registered = near(300) if rng.random() < 0.9 else None
        if registered is not None and rng.random() < 0.3:  # assessed a week after registration
            assessments.insert(0, Assessment(date=registered + dt.timedelta(days=7), innsatsgruppe=rng.choice(groups)))
        offered = maybe() if registered is not None else None
        applied = maybe(200) if rng.random() < 0.3 else None
        aap_start = maybe(200) if rng.random() < 0.3 else None
        aap_end = (aap_start or as_of) + dt.timedelta(days=rng.choice((-1, 0, 1, 20, 200))) if rng.random() < 0.3 else None
        closed = rng.choice((None, None, None, as_of, as_of - dt.timedelta(days=1), as_of + dt.timedelta(days=1)))
        cases.append(Case(
            ref=CaseRef(f"{prefix}-{i:04d}"),
            advisor=AdvisorIdent(rng.choice((A, B))),
            name=f"Kant {i}",
            birth_date=birth,
            needs_interpreter=rng.random() < 0.4,
            registered_on=registered,
            follow_up_offered_on=offered,
            benefits=Benefits(
                dagpenger=Dagpenger(end=maybe(200) if rng.random() < 0.3 else None),
                aap=Aap(applied_on=applied, decided_on=maybe() if applied and rng.random() < 0.5 else None,
                        start=aap_start, end=aap_end),
                omstillingsstonad=Omstillingsstonad(death_date=maybe(200) if rng.random() < 0.15 else None),
            ),
            sick_leave_start=maybe(100) if rng.random() < 0.2 else None,
            assessments=tuple(assessments),
            contacts=contacts,
            activities=tuple(activities),
            closed_on=closed,
        ))
    advisors = (
        Advisor(ident=AdvisorIdent(A), name="Kari Veileder", role=Role.VEILEDER),
        Advisor(ident=AdvisorIdent(B), name="Ola Veileder", role=Role.VEILEDER),
        Advisor(ident=AdvisorIdent(LEAD), name="Per Teamleder", role=Role.TEAMLEDER),
    )
    return Portfolio(advisors=advisors, cases=tuple(cases))
