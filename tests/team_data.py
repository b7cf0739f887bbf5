"""A small team for the workload, hand-over and team-mode tests: two advisors (A, B) with demo
cases and a team lead, in the exchange format's domain types."""

from __future__ import annotations

import dataclasses
import datetime as dt

from navoppfolging.demo import generate
from navoppfolging.domain import Advisor, AdvisorIdent, CaseRef, Portfolio, Role

A, B, LEAD = "Z990001", "Z990003", "Z990002"


def team_portfolio(today: dt.date, *, n_a: int = 30, n_b: int = 25) -> Portfolio:
    first = generate(today, n=n_a, seed=2024, advisor=A)
    second = generate(today, n=n_b, seed=7, advisor=B)
    b_cases = tuple(dataclasses.replace(c, ref=CaseRef("B" + c.ref[1:])) for c in second.cases)
    advisors = (
        Advisor(ident=AdvisorIdent(A), name="Kari Veileder", role=Role.VEILEDER),
        Advisor(ident=AdvisorIdent(B), name="Ola Veileder", role=Role.VEILEDER),
        Advisor(ident=AdvisorIdent(LEAD), name="Per Teamleder", role=Role.TEAMLEDER),
    )
    return Portfolio(advisors=advisors, cases=first.cases + b_cases)
