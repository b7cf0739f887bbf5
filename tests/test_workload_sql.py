"""The team workload counted in SQL (revision 0004, ``navoppfolging_workload_rule_counts``)
against the rule engine, on a real PostgreSQL 15 server (tests/pg.py).

Proves: the SQL's counts per advisor and rule equal ``compute_workload`` (the engine's items) on
the demo and edge portfolios, on a few thousand seeded random cases on eight as_of dates in 2023
and 2024 (both rulesets) with default and changed local settings, and on cases built with a due
date exactly a day before, on, seven and eight days after as_of for every rule (29 February and
month-end clamps too); that a ruleset with a case rule the SQL does not know falls back to the
engine; that the function's signature is the one Python calls; and that only a team lead may
execute it, and still cannot read a case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from navoppfolging.db import Database
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
from navoppfolging.errors import AccessDeniedError
from navoppfolging.rules import LocalSettings, RuleKind, RulesetRegistry, ruleset_for
from navoppfolging.rules.facts import add_months, birthday
from navoppfolging.services import PortfolioService
from navoppfolging.teamdb import create_login_role, is_permission_denied
from navoppfolging.workload import (
    SQL_RULE_ARGUMENTS,
    SQL_RULES,
    TEAM_LEAD_ONLY,
    Workload,
    compute_team_counts,
    compute_team_workload,
    compute_workload,
    load_workload,
    load_workload_counts,
    sql_rule_arguments,
)
from tests.conftest import TODAY
from tests.pg import PgCluster, pg_server, pg_url  # noqa: F401  (fixtures)
from tests.team_data import A, B, LEAD, team_portfolio
from tests.workload_edge_data import edge_portfolio
from tests.workload_random_data import ADVISORS, random_portfolio

pytestmark = pytest.mark.postgres

CATALOGUE = ("UG-OFFER-8W", "UG-STANDARD-REASSESS-8W", "CONTACT-30D", "UG-AGE-OUT", "LONGTERM-REASSESS-6M",
             "DP-26W-LEFT", "AAP-ACTIVITY-26W", "AAP-APPLICATION-5W", "AAP-END-INFO", "SICK-NO-EMPLOYER-12W",
             "OMSTILLING-6M", "PLAN-MISSING", "ACTIVITY-EXPIRED", "INTERPRETER-BOOK")
CHANGED = LocalSettings(overrides=(("AAP-END-INFO.days", 60), ("INTERPRETER-BOOK.days", 3)))
ZERO = LocalSettings(overrides=(("AAP-END-INFO.days", 0), ("INTERPRETER-BOOK.days", 0)))
# 2023 (MDB-2023) and 2024 (MDB-2024), the year ends, the 28/29 February days.
RANDOM_DAYS = (dt.date(2023, 1, 2), dt.date(2023, 2, 28), dt.date(2023, 9, 4), dt.date(2023, 12, 31),
               dt.date(2024, 1, 1), dt.date(2024, 2, 29), TODAY, dt.date(2024, 12, 31))


def _sql(db: Database, as_of: dt.date, **kw: object) -> Workload:
    """The team workload, asserting it came from the SQL counts and not the engine fallback."""
    timings: dict[str, float] = {}
    workload = compute_team_workload(db, as_of, timings=timings, **kw)  # type: ignore[arg-type]
    assert "sql" in timings and "engine" not in timings, timings
    return workload


def _assert_equal(sql: Workload, engine: Workload, label: object) -> None:
    for got, want in zip(sql.advisors, engine.advisors, strict=True):
        assert got == want, (label, got.advisor, {
            f.name: (getattr(got, f.name), getattr(want, f.name))
            for f in dataclasses.fields(got) if getattr(got, f.name) != getattr(want, f.name)})
    assert sql.totals == engine.totals, label
    assert (sql.team_average, sql.team_breach, sql.rules) == (engine.team_average, engine.team_breach, engine.rules)


def _rules_seen(workload: Workload) -> tuple[set[str], set[str]]:
    return ({r for r, n in workload.totals.overdue_by_rule if n}, {r for r, n in workload.totals.due_soon_by_rule if n})


@pytest.fixture
def owner(pg_url: str) -> Iterator[Database]:  # noqa: F811
    db = Database.open(pg_url, actor="admin")
    try:
        yield db
    finally:
        db.close()


# --- (a) the demo and edge portfolios ---------------------------------------------------------


def test_demo_and_edge_portfolios_equal_the_engine(owner: Database) -> None:
    """The demo team and the edge data of revision 0003's tests, on as_of and the days around it
    in both years: every figure of every advisor is the engine's, and each catalogue rule gives
    overdue items somewhere in the data (so a wrong rule would change a number)."""
    older = dt.date(2023, 9, 4)
    demo = team_portfolio(TODAY)
    recent, early = edge_portfolio(TODAY), edge_portfolio(older, seed=7, prefix="F")
    portfolio = dataclasses.replace(demo, cases=demo.cases + recent.cases + early.cases)
    PortfolioService(owner).import_portfolio(portfolio)
    overdue: set[str] = set()
    for day in (d + dt.timedelta(days=k) for d in (TODAY, older) for k in (0, -1, 1, 8)):
        engine = compute_workload(portfolio, day, advisors=[A, B])
        _assert_equal(_sql(owner, day), engine, day)
        overdue |= _rules_seen(engine)[0]
    assert overdue == set(CATALOGUE)


# --- (b) a few thousand random cases ------------------------------------------------------------


@pytest.fixture(scope="module")
def random_team(pg_server: PgCluster) -> Iterator[tuple[Database, Portfolio]]:  # noqa: F811
    """3,000 random cases around ``RANDOM_DAYS`` (and the changed settings' edges), loaded once."""
    name = pg_server.create_database()
    db = Database.open(pg_server.url(name), actor="admin")
    portfolio = random_portfolio(RANDOM_DAYS, n=3000, local_days=(3, 60, 0))
    PortfolioService(db).import_portfolio(portfolio)
    try:
        yield db, portfolio
    finally:
        db.close()
        pg_server.drop_database(name)


@pytest.mark.parametrize("settings", [LocalSettings(), CHANGED, ZERO], ids=["default", "changed", "zero"])
def test_random_cases_equal_the_engine(random_team: tuple[Database, Portfolio], settings: LocalSettings) -> None:
    """Eight as_of dates over both rulesets: the SQL's open/UG/group/steering figures and its
    overdue and due-soon counts per advisor and rule equal the engine's; every catalogue rule is
    both overdue and due soon somewhere (but what 0 days makes impossible), and the local settings
    change the numbers they govern and no others."""
    db, portfolio = random_team
    overdue: set[str] = set()
    due_soon: set[str] = set()
    changed: set[str] = set()  # rules whose counts differ from those under the default settings
    for day in RANDOM_DAYS:
        engine = compute_workload(portfolio, day, settings=settings, advisors=list(ADVISORS))
        sql = _sql(db, day, settings=settings)
        _assert_equal(sql, engine, (day, settings))
        seen = _rules_seen(engine)
        overdue |= seen[0]
        due_soon |= seen[1]
        default = compute_workload(portfolio, day, advisors=list(ADVISORS)).advisors
        changed |= {rule for mine, theirs in zip(sql.advisors, default, strict=True)
                    for rule in CATALOGUE
                    if (dict(mine.overdue_by_rule).get(rule), dict(mine.due_soon_by_rule).get(rule))
                    != (dict(theirs.overdue_by_rule).get(rule), dict(theirs.due_soon_by_rule).get(rule))}
    # With 0 days the two local-setting rules fall due on the meeting / AAP end, never before as_of.
    never_overdue = {"INTERPRETER-BOOK", "AAP-END-INFO"} if settings is ZERO else set()
    assert overdue == set(CATALOGUE) - never_overdue
    assert due_soon == set(CATALOGUE)
    assert changed == (set() if not settings.overrides else {"INTERPRETER-BOOK", "AAP-END-INFO"})


def test_the_first_step_agrees_with_the_whole(random_team: tuple[Database, Portfolio]) -> None:
    """0002's quick counts (shown first) and 0004's equal each other and the engine, per advisor."""
    from navoppfolging.workload import compute_team_counts

    db, portfolio = random_team
    for day in (dt.date(2023, 2, 28), TODAY):
        first = compute_team_counts(db, day)
        whole = _sql(db, day)
        strip = {"overdue": 0, "due_soon": 0, "overdue_by_rule": (), "due_soon_by_rule": ()}
        assert first.rule_counts_pending and not whole.rule_counts_pending
        assert first.advisors == tuple(dataclasses.replace(a, **strip) for a in whole.advisors)
        assert first.team_average == whole.team_average == compute_workload(portfolio, day).team_average


# --- (c) the boundaries of each rule -----------------------------------------------------------

SIT, STD = Innsatsgruppe.SITUASJONSBESTEMT_INNSATS, Innsatsgruppe.STANDARD_INNSATS
D2024, D2023 = dt.date(2024, 6, 10), dt.date(2023, 9, 11)
OFFSETS = (-1, 0, 7, 8)  # due − as_of: overdue, due soon (today), due soon (last day), upcoming


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _case(as_of: dt.date, **kw: object) -> Case:
    """A 22-year-old, registered long ago with situasjonsbestemt innsats, unless ``kw`` says otherwise."""
    values: dict[str, object] = {
        "birth_date": dt.date(as_of.year - 22, 1, 15),
        "registered_on": as_of - _days(400),
        "assessments": (Assessment(date=as_of - _days(400), innsatsgruppe=SIT),),
    }
    values.update(kw)
    return Case(ref=CaseRef("X"), advisor=AdvisorIdent("X"), name="Grense", **values)  # type: ignore[arg-type]


def _held(day: dt.date) -> Contact:
    return Contact(id=ItemId("k1"), date=day, channel=Channel.TELEFON, status=ContactStatus.GJENNOMFORT)


@dataclasses.dataclass(frozen=True)
class Boundary:
    """A case whose ``rule`` falls due on ``due``; ``applies(as_of)`` is False where the case is
    built to give no item on that as_of (a satisfying record dated on the due date, an age)."""

    label: str
    rule: str
    due: dt.date
    build: Callable[[dt.date, LocalSettings], Case]
    applies: Callable[[dt.date, LocalSettings], bool] = lambda as_of, settings: True


def _setting(settings: LocalSettings, key: str, as_of: dt.date) -> int:
    return settings.value(key, ruleset_for(as_of))


def _boundaries(due: dt.date) -> list[Boundary]:
    b = Boundary
    return [
        b("offer", "UG-OFFER-8W", due, lambda a, s: _case(
            a, registered_on=due - _days(56), assessments=(Assessment(date=due - _days(56), innsatsgruppe=SIT),))),
        b("standard", "UG-STANDARD-REASSESS-8W", due, lambda a, s: _case(
            a, registered_on=due - _days(56), assessments=(Assessment(date=due - _days(56), innsatsgruppe=STD),))),
        b("standard, reassessed on the due date", "UG-STANDARD-REASSESS-8W", due, lambda a, s: _case(
            a, registered_on=due - _days(56), assessments=(Assessment(date=due - _days(56), innsatsgruppe=STD),
                                                           Assessment(date=due, innsatsgruppe=STD))),
          lambda a, s: a < due),
        b("contact", "CONTACT-30D", due, lambda a, s: _case(a, contacts=(_held(due - _days(30)),))),
        b("contact, none held", "CONTACT-30D", due, lambda a, s: _case(
            a, registered_on=due - _days(30), assessments=(Assessment(date=due - _days(30), innsatsgruppe=SIT),))),
        b("age out", "UG-AGE-OUT", due, lambda a, s: _case(a, birth_date=birthday(due, -30))),
        b("long-term", "LONGTERM-REASSESS-6M", due, lambda a, s: _case(
            a, registered_on=add_months(due, -6), assessments=())),
        b("dagpenger", "DP-26W-LEFT", due, lambda a, s: _case(a, benefits=Benefits(dagpenger=Dagpenger(end=due + _days(182))))),
        b("dagpenger, contact on the due date", "DP-26W-LEFT", due, lambda a, s: _case(
            a, benefits=Benefits(dagpenger=Dagpenger(end=due + _days(182))), contacts=(_held(due),)),
          lambda a, s: a < due),
        b("AAP activity", "AAP-ACTIVITY-26W", due, lambda a, s: _case(a, benefits=Benefits(aap=Aap(start=due - _days(182))))),
        b("AAP application", "AAP-APPLICATION-5W", due, lambda a, s: _case(
            a, benefits=Benefits(aap=Aap(applied_on=due - _days(35))))),
        b("AAP end", "AAP-END-INFO", due, lambda a, s: _case(
            a, benefits=Benefits(aap=Aap(end=due + _days(_setting(s, "AAP-END-INFO.days", a)))))
          if ruleset_for(a).has("AAP-END-INFO") else _case(a, benefits=Benefits(aap=Aap(end=due + _days(90)))),
          # The rule applies until the AAP end: with 0 days that is the due date itself.
          lambda a, s: not ruleset_for(a).has("AAP-END-INFO") or due + _days(_setting(s, "AAP-END-INFO.days", a)) >= a),
        b("sick leave", "SICK-NO-EMPLOYER-12W", due, lambda a, s: _case(
            a, sick_leave_start=due - _days(84), assessments=(Assessment(date=due - _days(85), innsatsgruppe=SIT),))),
        b("omstilling", "OMSTILLING-6M", due, lambda a, s: _case(
            a, assessments=(), benefits=Benefits(omstillingsstonad=Omstillingsstonad(death_date=add_months(due, -6))))),
        b("plan missing", "PLAN-MISSING", due, lambda a, s: _case(
            a, assessments=(Assessment(date=due, innsatsgruppe=SIT),)), lambda a, s: due <= a),
        b("activity expired", "ACTIVITY-EXPIRED", due, lambda a, s: _case(a, activities=(
            Activity(id=ItemId("a1"), title="Kurs", category=ActivityCategory.TILTAK, status=ActivityStatus.PLANLAGT,
                     end=due),))),
        b("interpreter", "INTERPRETER-BOOK", due, lambda a, s: _case(a, needs_interpreter=True, contacts=(
            Contact(id=ItemId("k2"), date=due + _days(_setting(s, "INTERPRETER-BOOK.days", a)), channel=Channel.OPPMOTE,
                    status=ContactStatus.PLANLAGT),)),
          lambda a, s: due + _days(_setting(s, "INTERPRETER-BOOK.days", a)) >= a),
        # The UG age limits on the day itself: 16 on as_of is in the target group, 30 is out.
        b("offer, turning 16 on the due date", "UG-OFFER-8W", due, lambda a, s: _case(
            a, birth_date=birthday(due, -16), registered_on=due - _days(56),
            assessments=(Assessment(date=due - _days(56), innsatsgruppe=SIT),)), lambda a, s: a >= due),
        b("offer, turning 30 on the due date", "UG-OFFER-8W", due, lambda a, s: _case(
            a, birth_date=birthday(due, -30), registered_on=due - _days(56),
            assessments=(Assessment(date=due - _days(56), innsatsgruppe=SIT),)), lambda a, s: a < due),
    ]


def _special_boundaries() -> list[Boundary]:
    """Month-end clamps and 29 February, on the dates rules.md names."""
    leap_due, feb_due, age_due = dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2026, 2, 28)
    born = dt.date(1996, 2, 29)
    assert add_months(dt.date(2023, 8, 31), 6) == leap_due and add_months(dt.date(2024, 8, 31), 6) == feb_due
    return [
        Boundary("6 months from 31 August to 29 February", "LONGTERM-REASSESS-6M", leap_due,
                 lambda a, s: _case(a, registered_on=dt.date(2023, 8, 31), assessments=())),
        Boundary("6 months from 31 August to 28 February", "OMSTILLING-6M", feb_due, lambda a, s: _case(
            a, assessments=(), benefits=Benefits(omstillingsstonad=Omstillingsstonad(death_date=dt.date(2024, 8, 31))))),
        Boundary("born 29 February, 30 on 28 February", "UG-AGE-OUT", age_due, lambda a, s: _case(a, birth_date=born)),
        Boundary("born 29 February: out of UG on 28 February", "CONTACT-30D", age_due, lambda a, s: _case(
            a, birth_date=born, contacts=(_held(age_due - _days(30)),)), lambda a, s: a < age_due),
        Boundary("born 29 February: 16 on 29 February in a leap year", "UG-OFFER-8W", leap_due, lambda a, s: _case(
            a, birth_date=dt.date(2008, 2, 29), registered_on=leap_due - _days(56),
            assessments=(Assessment(date=leap_due - _days(56), innsatsgruppe=SIT),)), lambda a, s: a >= leap_due),
    ]


BOUNDARIES = _boundaries(D2024) + _boundaries(D2023) + _special_boundaries()


@pytest.mark.parametrize("settings", [LocalSettings(), CHANGED, ZERO], ids=["default", "changed", "zero"])
def test_each_rule_at_its_boundaries(owner: Database, settings: LocalSettings) -> None:
    """For each rule, a case due the day before as_of (overdue), on as_of and seven days after
    (due soon) and eight days after (neither), one advisor per case: the SQL counts exactly that
    item — none where the ruleset in force lacks the rule or the case is built to give none —
    and the whole workload equals the engine's."""
    cases: list[Case] = []
    expected: dict[str, tuple[dt.date, str, int, int]] = {}
    for i, spec in enumerate(BOUNDARIES):
        for k in OFFSETS:
            as_of = spec.due - _days(k)
            ident = f"Z{700000 + i * 10 + OFFSETS.index(k)}"
            case = dataclasses.replace(spec.build(as_of, settings), ref=CaseRef(f"G-{ident}"), advisor=AdvisorIdent(ident))
            cases.append(case)
            gives = ruleset_for(as_of).has(spec.rule) and spec.applies(as_of, settings)
            expected[ident] = (as_of, spec.rule, int(gives and k < 0), int(gives and 0 <= k <= 7))
    advisors = tuple(Advisor(ident=AdvisorIdent(i), name="Veileder", role=Role.VEILEDER) for i in expected)
    portfolio = Portfolio(advisors=advisors, cases=tuple(cases))
    PortfolioService(owner).import_portfolio(portfolio)
    checked = 0
    for as_of in sorted({e[0] for e in expected.values()}):
        sql = _sql(owner, as_of, settings=settings)
        _assert_equal(sql, compute_workload(portfolio, as_of, settings=settings), as_of)
        for row in sql.advisors:
            day, rule, overdue, due_soon = expected[row.advisor]
            if day != as_of:
                continue
            got = (dict(row.overdue_by_rule).get(rule, 0), dict(row.due_soon_by_rule).get(rule, 0))
            assert got == (overdue, due_soon), (row.advisor, rule, as_of, settings)
            checked += 1
    assert checked == len(expected)
    # Every rule is counted overdue and due soon somewhere (but overdue with 0 days before the
    # meeting or the AAP end, which cannot be).
    never_overdue = {"INTERPRETER-BOOK", "AAP-END-INFO"} if settings is ZERO else set()
    assert {e[1] for e in expected.values() if e[2]} == set(CATALOGUE) - never_overdue
    assert {e[1] for e in expected.values() if e[3]} == set(CATALOGUE)


# --- fallback, signature, rights, migration -----------------------------------------------------


def test_sql_arguments_come_from_the_ruleset_and_settings() -> None:
    """Rules the ruleset lacks are NULL; parameters and local settings are the ruleset's."""
    y2023, y2024 = sql_rule_arguments(ruleset_for(dt.date(2023, 5, 1))), sql_rule_arguments(ruleset_for(TODAY), CHANGED)
    assert y2023 is not None and y2024 is not None
    assert {name for name, _ in SQL_RULE_ARGUMENTS} == set(y2023) | {"p_as_of"}
    assert (y2023["p_dp_days"], y2023["p_aap_end_days"], y2023["p_longterm_months"], y2023["p_omstilling_months"]) == (
        182, 90, None, None)
    assert (y2024["p_dp_days"], y2024["p_aap_end_days"], y2024["p_longterm_months"], y2024["p_omstilling_months"]) == (
        None, None, 6, 6)
    assert y2023["p_aap_activity_categories"] == ["ARBEID", "TILTAK"]
    assert y2024["p_aap_activity_categories"] == ["ARBEID", "BEHANDLING", "TILTAK"]
    assert y2024["p_interpreter_days"] == 3 and sql_rule_arguments(ruleset_for(TODAY))["p_interpreter_days"] == 7  # type: ignore[index]
    assert set(SQL_RULES) == set(CATALOGUE)


def _registry_with_a_new_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RulesetRegistry:
    """MDB-2025: MDB-2024's rules plus a case rule the SQL does not implement."""
    from navoppfolging.rules import registry as registry_module

    monkeypatch.setitem(registry_module.KNOWN_RULES, "NEW-CASE-RULE", RuleKind.CASE)
    raw = json.loads((registry_module.default_directory() / "mdb-2024.json").read_text(encoding="utf-8"))
    raw.update(id="MDB-2025", year=2025, effective_from="2025-01-01", letter_date="2025-02-01")
    raw["rules"].append({"id": "NEW-CASE-RULE", "kind": "case", "title": "Ny regel", "parameters": {"days": 10},
                         "source": {"letter": "MDB-2025", "section": "§2", "quote": "Ny regel."}})
    (tmp_path / "mdb-2025.json").write_text(json.dumps(raw), encoding="utf-8")
    return RulesetRegistry.load(tmp_path)


def test_a_ruleset_with_an_unknown_case_rule_falls_back_to_the_engine(
        owner: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under MDB-2025 with a new case rule the counts come from the engine path (0002 + 0003's
    facts), still equal to the engine, with progress per chunk; under MDB-2024 from the same
    registry, from the SQL."""
    registry = _registry_with_a_new_rule(tmp_path, monkeypatch)
    later = dt.date(2025, 3, 3)
    assert ruleset_for(later, registry).id == "MDB-2025" and sql_rule_arguments(ruleset_for(later, registry)) is None
    portfolio = edge_portfolio(later, n=300)
    PortfolioService(owner).import_portfolio(portfolio)
    timings: dict[str, float] = {}
    progress: list[tuple[int, int]] = []
    fallback = compute_team_workload(owner, later, registry=registry, timings=timings, chunk_size=50,
                                     progress=lambda done, total: progress.append((done, total)))
    assert {"counts", "fetch", "build", "engine"} <= set(timings) and "sql" not in timings
    engine = compute_workload(portfolio, later, registry=registry, advisors=[A, B])
    _assert_equal(fallback, engine, later)
    assert "NEW-CASE-RULE" in fallback.rules and fallback.totals.overdue > 0
    assert len(progress) > 3 and progress[-1][0] == fallback.totals.open_cases
    _assert_equal(_sql(owner, TODAY, registry=registry), compute_workload(portfolio, TODAY, advisors=[A, B]), TODAY)


def test_an_advisor_is_refused_in_plain_words_on_the_engine_path(
        owner: Database, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Under a ruleset the SQL cannot count (engine path: 0002's counts and 0003's facts), an
    advisor's refusal is the same ``AccessDeniedError``."""
    from sqlalchemy.engine import make_url

    registry = _registry_with_a_new_rule(tmp_path, monkeypatch)
    later = dt.date(2025, 3, 3)
    PortfolioService(owner).import_portfolio(team_portfolio(later))
    with owner.engine.begin() as conn:
        create_login_role(conn, A, Role.VEILEDER, None)
    advisor_db = Database.open(make_url(pg_url).set(username=A.lower()).render_as_string(hide_password=False))
    try:
        with pytest.raises(AccessDeniedError, match="bare for teamledere"):
            compute_team_workload(advisor_db, later, registry=registry)
    finally:
        advisor_db.close()


def test_progress_on_the_sql_path(owner: Database) -> None:
    PortfolioService(owner).import_portfolio(team_portfolio(TODAY))
    progress: list[tuple[int, int]] = []
    workload = compute_team_workload(owner, TODAY, progress=lambda done, total: progress.append((done, total)))
    assert progress == [(0, 0), (workload.totals.open_cases, workload.totals.open_cases)]
    assert workload.totals.open_cases > 0


def test_signature_security_and_rights(owner: Database, pg_url: str) -> None:  # noqa: F811
    """The function takes exactly the arguments Python passes, runs as its owner with a fixed
    search_path and without JIT, returns per-advisor counts only, and may be executed by the team
    lead role (not PUBLIC, not an advisor); the team lead still cannot read a case."""
    from sqlalchemy.engine import make_url

    PortfolioService(owner).import_portfolio(team_portfolio(TODAY))
    with owner.engine.begin() as conn:
        create_login_role(conn, A, Role.VEILEDER, None)
        create_login_role(conn, LEAD, Role.TEAMLEDER, None)
        row = conn.exec_driver_sql(
            "SELECT pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid), p.prosecdef, "
            "p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE'), "
            "has_function_privilege('navoppfolging_teamleder', p.oid, 'EXECUTE'), "
            "has_function_privilege('navoppfolging_veileder', p.oid, 'EXECUTE') "
            "FROM pg_proc p WHERE p.proname = 'navoppfolging_workload_rule_counts'").one()
    arguments, result, definer, config, public, lead, advisor = row
    assert arguments == ", ".join(f"{name} {kind}" for name, kind in SQL_RULE_ARGUMENTS)
    assert result == ("TABLE(advisor text, open_cases integer, ug_cases integer, groups text[], "
                      "group_counts integer[], sit_ug integer, sit_contact integer, sit_work integer, "
                      "spes_ug integer, spes_contact integer, spes_work integer, rules text[], "
                      "overdue integer[], due_soon integer[])")
    assert definer and any(c.startswith("search_path=") for c in config) and "jit=off" in config
    assert (public, lead, advisor) == (False, True, False)

    url = make_url(pg_url)
    lead_db = Database.open(url.set(username=LEAD.lower()).render_as_string(hide_password=False))
    try:
        expected = compute_workload(team_portfolio(TODAY), TODAY, advisors=[A, B])
        _assert_equal(_sql(lead_db, TODAY), expected, "team lead")
    finally:
        lead_db.close()
    with psycopg.connect(f"host={url.host} port={url.port} dbname={url.database} user={LEAD.lower()}") as conn:
        for table in ("cases", "assessments", "contacts", "activities"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT count(*) FROM {table}")
            conn.rollback()
    advisor_db = Database.open(url.set(username=A.lower()).render_as_string(hide_password=False))
    try:
        # The server refuses an advisor; the view and the command get a bokmål message, the
        # server's text (with its SQL) stays the cause only.
        with pytest.raises(AccessDeniedError) as refused:
            compute_team_workload(advisor_db, TODAY)
        assert str(refused.value) == TEAM_LEAD_ONLY
        cause = refused.value.__cause__
        assert cause is not None and is_permission_denied(cause)
        assert "permission denied for function navoppfolging_workload_rule_counts" in str(cause)
        for load in (compute_team_counts, load_workload_counts, load_workload):
            with pytest.raises(AccessDeniedError, match="bare for teamledere"):
                load(advisor_db, TODAY)
    finally:
        advisor_db.close()


def test_downgrade_drops_the_function_and_upgrade_restores_it(pg_url: str) -> None:  # noqa: F811
    from alembic import command
    from sqlalchemy import create_engine, text

    from navoppfolging.migrate import alembic_config

    engine = create_engine(pg_url)
    functions = text("SELECT proname FROM pg_proc WHERE proname LIKE 'navoppfolging_workload%' ORDER BY proname")
    try:
        with engine.begin() as conn:
            assert [r[0] for r in conn.execute(functions)] == [
                "navoppfolging_workload_counts", "navoppfolging_workload_rule_counts", "navoppfolging_workload_rule_facts"]
            command.downgrade(alembic_config(conn), "0003")
        with engine.begin() as conn:
            assert [r[0] for r in conn.execute(functions)] == [
                "navoppfolging_workload_counts", "navoppfolging_workload_rule_facts"]
            command.upgrade(alembic_config(conn), "head")
        with engine.begin() as conn:
            assert "navoppfolging_workload_rule_counts" in {r[0] for r in conn.execute(functions)}
            assert conn.execute(text("SELECT has_function_privilege('navoppfolging_teamleder', "
                                     "'navoppfolging_workload_rule_counts'::regproc, 'EXECUTE')")).scalar() is True
    finally:
        engine.dispose()
