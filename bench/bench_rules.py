"""Benchmark of the rule engine: evaluation of 50, 5,000 and 100,000 synthetic cases from memory,
and of 50 and 5,000 cases loaded from a (temporary, migrated) database. Prints median ms and
ms per case, so linearity can be read off.

    .venv/bin/python bench/bench_rules.py [--runs 7] [--no-db]

Targets (issue 3): 50 cases <= 5 ms, 5,000 <= 100 ms, 100,000 <= 2 s, linear.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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
    ExceptionKind,
    Flag,
    Innsatsgruppe,
    ItemId,
    Omstillingsstonad,
    Portfolio,
    RecordedException,
)
from navoppfolging.rules import RulesetRegistry, evaluate

AS_OF = dt.date(2024, 6, 3)
TARGETS_MS = {50: 5.0, 5_000: 100.0, 100_000: 2_000.0}


def synthetic_cases(n: int, *, seed: int = 1, advisors: int = 0) -> list[Case]:
    """Cases shaped like a youth team's portfolio: a few assessments, a contact log, an activity
    plan, sometimes benefits, flags and recorded exceptions."""
    rng = random.Random(seed)
    advisor_count = advisors or max(1, n // 45)
    groups = list(Innsatsgruppe)
    weights = [10, 20, 12, 3, 2]
    cases: list[Case] = []
    for i in range(n):
        reg = AS_OF - dt.timedelta(days=rng.randint(0, 700))
        birth = AS_OF - dt.timedelta(days=rng.randint(16 * 365, 31 * 365))
        assessments = tuple(
            Assessment(reg + dt.timedelta(days=k * rng.randint(20, 120)), rng.choices(groups, weights)[0])
            for k in range(rng.randint(0, 3))
        )
        contacts = tuple(
            Contact(ItemId(f"k{k}"), reg + dt.timedelta(days=rng.randint(0, 760)), rng.choice(list(Channel)),
                    rng.choices(list(ContactStatus), [2, 6, 1, 1])[0], interpreter_booked=rng.random() < 0.5)
            for k in range(rng.randint(0, 10))
        )
        starts = [reg + dt.timedelta(days=rng.randint(0, 400)) for _ in range(rng.randint(0, 6))]
        activities = tuple(
            Activity(ItemId(f"a{k}"), "Aktivitet", rng.choice(list(ActivityCategory)), rng.choice(list(ActivityStatus)),
                     start=start,
                     end=start + dt.timedelta(days=rng.randint(14, 400)) if rng.random() < 0.8 else None)
            for k, start in enumerate(starts)
        )
        aap = Aap()
        if rng.random() < 0.15:
            start = reg + dt.timedelta(days=rng.randint(0, 300))
            aap = Aap(applied_on=start - dt.timedelta(days=40), decided_on=start if rng.random() < 0.7 else None,
                      start=start, end=start + dt.timedelta(days=rng.randint(300, 1100)))
        cases.append(Case(
            ref=CaseRef(f"U-{i:06d}"),
            advisor=AdvisorIdent(f"Z{990000 + i % advisor_count}"),
            name="Syntetisk Person",
            birth_date=birth,
            needs_interpreter=rng.random() < 0.1,
            flags=(rng.choice(list(Flag)),) if rng.random() < 0.2 else (),
            registered_on=reg if rng.random() < 0.95 else None,
            follow_up_offered_on=reg + dt.timedelta(days=rng.randint(0, 80)) if rng.random() < 0.7 else None,
            benefits=Benefits(
                dagpenger=Dagpenger(end=AS_OF + dt.timedelta(days=rng.randint(-100, 500))) if rng.random() < 0.2 else Dagpenger(),
                aap=aap,
                omstillingsstonad=Omstillingsstonad(death_date=reg if rng.random() < 0.02 else None),
            ),
            sick_leave_start=reg + dt.timedelta(days=rng.randint(0, 200)) if rng.random() < 0.05 else None,
            assessments=assessments,
            contacts=contacts,
            activities=activities,
            exceptions=(RecordedException(ItemId("e1"), reg + dt.timedelta(days=30), rng.choice(list(ExceptionKind))),)
            if rng.random() < 0.1 else (),
            closed_on=AS_OF - dt.timedelta(days=rng.randint(0, 300)) if rng.random() < 0.1 else None,
        ))
    return cases


def measure(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    result: object = None
    times: list[float] = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def report(label: str, n: int, ms: float, items: int, target: float | None) -> None:
    verdict = "" if target is None else ("  OK" if ms <= target else f"  OVER TARGET ({target:.0f} ms)")
    print(f"{label:<34} {n:>7} cases  {ms:>9.2f} ms  {ms / n * 1000:>7.2f} µs/case  {items:>7} items{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-db", action="store_true", help="skip the database part")
    args = parser.parse_args(argv)
    registry = RulesetRegistry.default()
    evaluate([], AS_OF, registry=registry)  # load and compile the rulesets once, outside the timing
    print(f"Rule engine benchmark, as_of {AS_OF}, median of {args.runs} runs (Python {sys.version.split()[0]})")
    print("-- from memory (evaluate only)")
    for n in (50, 5_000, 100_000):
        cases = synthetic_cases(n)
        runs = args.runs if n < 100_000 else max(3, args.runs // 2)
        ms, result = measure(lambda: evaluate(cases, AS_OF, registry=registry), runs)
        report("evaluate (memory)", n, ms, len(result.items), TARGETS_MS[n])  # type: ignore[attr-defined]
    if args.no_db:
        return 0
    from navoppfolging.db import Database
    from navoppfolging.services import PortfolioService

    print("-- from the database (PortfolioService.load + evaluate)")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (50, 5_000):
            url = f"sqlite:///{Path(tmp) / f'bench{n}.db'}"
            db = Database.open(url, actor="Z990000")
            try:
                cases = synthetic_cases(n)
                idents = sorted({c.advisor for c in cases})
                PortfolioService(db).import_portfolio(
                    Portfolio(advisors=tuple(Advisor(AdvisorIdent(i), f"Veileder {i}") for i in idents),
                              cases=tuple(cases)))
                service = PortfolioService(db)
                load_ms, portfolio = measure(lambda: service.load(), max(3, args.runs // 2))
                cases_db = portfolio.cases  # type: ignore[attr-defined]
                eval_ms, result = measure(lambda: evaluate(cases_db, AS_OF, registry=registry), args.runs)
                both_ms, _ = measure(lambda: evaluate(service.load().cases, AS_OF, registry=registry),
                                     max(3, args.runs // 2))
                report("load from database", n, load_ms, 0, None)
                report("evaluate (loaded cases)", n, eval_ms, len(result.items), TARGETS_MS[n])  # type: ignore[attr-defined]
                report("load + evaluate", n, both_ms, len(result.items), None)  # type: ignore[attr-defined]
            finally:
                db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
