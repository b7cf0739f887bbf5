"""The workload figures (SQLite): equal to the rule engine's, counts only, exports readable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
from pathlib import Path

from navoppfolging.domain import Activity, ActivityCategory, ActivityStatus, Channel, Contact, ContactStatus, ItemId
from navoppfolging.rules import Status, evaluate, evaluate_advisors
from navoppfolging.rules.facts import in_ug_target_group
from navoppfolging.workload import compute_workload, has_recent_contact, has_work_oriented_activity, load_workload
from tests.conftest import TODAY
from tests.team_data import A, B, team_portfolio


def test_counts_equal_the_rule_engine() -> None:
    """Open/UG/overdue/due-soon/innsatsgruppe per advisor and the team average are the engine's,
    and the per-rule counts add up to the engine's items per advisor and rule."""
    portfolio = team_portfolio(TODAY)
    workload = compute_workload(portfolio, TODAY)
    engine = evaluate_advisors(portfolio, TODAY)
    by_ident = {w.advisor: w for w in workload.advisors}
    for load in engine.advisors:
        w = by_ident[load.advisor]
        assert (w.open_cases, w.ug_cases, w.overdue, w.due_soon, w.breach) == (
            load.open_cases, load.ug_cases, load.overdue, load.due_soon, load.breach)
        assert dict(w.by_innsatsgruppe) == {(g.value if g else None): n for g, n in load.by_innsatsgruppe}
    assert workload.team_average == engine.team_average
    assert workload.cap == engine.cap == 50
    items = evaluate(portfolio.cases, TODAY).items
    advisor_of = {c.ref: c.advisor for c in portfolio.cases}
    for ident in (A, B):
        expected: dict[str, int] = {}
        for item in items:
            if advisor_of[item.case] == ident and item.status is Status.OVERDUE:
                expected[item.rule] = expected.get(item.rule, 0) + 1
        assert dict(by_ident[ident].overdue_by_rule) == expected
    assert workload.totals.overdue == sum(1 for i in items if i.status is Status.OVERDUE) > 0
    assert [d.rule for d in workload.office_deadlines] == ["QUALITY-REVIEW-AAP", "QUALITY-REVIEW-YOUTH"]
    assert workload.office_deadlines[1].days_left == (dt.date(2024, 10, 31) - TODAY).days


def test_steering_figures_follow_the_definitions() -> None:
    """Each steering share counts exactly the UG cases meeting the documented definition."""
    portfolio = team_portfolio(TODAY)
    workload = compute_workload(portfolio, TODAY)
    ug = [c for c in portfolio.cases if c.advisor == A and in_ug_target_group(c, TODAY)]
    a = next(w for w in workload.advisors if w.advisor == A)
    assert a.contact_30d.total.total == len(ug) == a.ug_cases
    assert a.contact_30d.total.count == sum(has_recent_contact(c, TODAY) for c in ug)
    assert a.work_activity.total.count == sum(has_work_oriented_activity(c, TODAY) for c in ug)


def test_recent_contact_and_work_activity_boundaries() -> None:
    case = team_portfolio(TODAY, n_a=1, n_b=0).cases[0]
    held = Contact(id=ItemId("k1"), date=TODAY - dt.timedelta(days=30), channel=Channel.TELEFON,
                   status=ContactStatus.GJENNOMFORT)
    assert has_recent_contact(dataclasses.replace(case, contacts=(held,)), TODAY)
    old = dataclasses.replace(held, date=TODAY - dt.timedelta(days=31))
    assert not has_recent_contact(dataclasses.replace(case, contacts=(old,)), TODAY)
    planned = dataclasses.replace(held, date=TODAY, status=ContactStatus.PLANLAGT)
    assert not has_recent_contact(dataclasses.replace(case, contacts=(planned,)), TODAY)
    work = Activity(id=ItemId("a1"), title="Læreplass", category=ActivityCategory.TILTAK,
                    status=ActivityStatus.GJENNOMFORES, start=TODAY, end=None)
    assert has_work_oriented_activity(dataclasses.replace(case, activities=(work,)), TODAY)
    for changed in (dataclasses.replace(work, status=ActivityStatus.FULLFORT),
                    dataclasses.replace(work, category=ActivityCategory.BEHANDLING),
                    dataclasses.replace(work, start=TODAY + dt.timedelta(days=1)),
                    dataclasses.replace(work, end=TODAY - dt.timedelta(days=1))):
        assert not has_work_oriented_activity(dataclasses.replace(case, activities=(changed,)), TODAY)


def test_cap_breach_per_advisor_and_team() -> None:
    """51 UG cases is a breach (> 50); 50 is not."""
    from navoppfolging.demo import generate

    base = generate(TODAY, n=200, advisor=A)
    ug = [c for c in base.cases if in_ug_target_group(c, TODAY)]
    assert len(ug) >= 51
    over = compute_workload(dataclasses.replace(base, cases=tuple(ug[:51])), TODAY)
    at = compute_workload(dataclasses.replace(base, cases=tuple(ug[:50])), TODAY)
    a_over = next(w for w in over.advisors if w.advisor == A)
    assert a_over.breach and over.team_breach and a_over.ug_cases == 51
    a_at = next(w for w in at.advisors if w.advisor == A)
    assert not a_at.breach and not at.team_breach


def test_workload_holds_no_case_details() -> None:
    """No ref, name or birth date of any case appears in the JSON of the workload."""
    portfolio = team_portfolio(TODAY)
    text = json.dumps(compute_workload(portfolio, TODAY).to_json(), ensure_ascii=False)
    for case in portfolio.cases:
        assert case.ref not in text
        assert case.name not in text
        assert case.birth_date.isoformat() not in text


def test_load_workload_from_sqlite(db) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.services import PortfolioService

    portfolio = team_portfolio(TODAY)
    PortfolioService(db).import_portfolio(portfolio)
    workload = load_workload(db, TODAY)
    assert [w.advisor for w in workload.advisors] == [A, B]  # the team lead has no row
    assert workload.totals == compute_workload(portfolio, TODAY, advisors=[A, B]).totals


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([sys.executable, "-m", "navoppfolging", *args], capture_output=True, text=True, check=False)


def test_cli_json_table_and_exports(db_url: str, tmp_path: Path) -> None:
    """`workload --json` follows the contract; the table, XLSX and PDF hold counts, not cases."""
    from navoppfolging.db import Database
    from navoppfolging.services import PortfolioService

    portfolio = team_portfolio(TODAY)
    database = Database.open(db_url)
    PortfolioService(database).import_portfolio(portfolio)
    database.close()
    done = _cli("--db", db_url, "workload", "--as-of", TODAY.isoformat(), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["as_of"] == "2024-06-03" and data["ruleset"] == "MDB-2024" and data["cap"] == 50
    assert [a["advisor"] for a in data["advisors"]] == [A, B]
    assert {"open_cases", "ug_cases", "overdue", "due_soon", "breach"} <= set(data["advisors"][0])
    assert "average_ug_cases" in data["team"]
    assert [d["rule"] for d in data["office_deadlines"]] == ["QUALITY-REVIEW-AAP", "QUALITY-REVIEW-YOUTH"]
    xlsx, pdf = tmp_path / "w.xlsx", tmp_path / "w.pdf"
    done = _cli("--db", db_url, "workload", "--as-of", TODAY.isoformat(), "--xlsx", str(xlsx), "--pdf", str(pdf))
    assert done.returncode == 0, done.stderr
    assert "Teamet" in done.stdout and A in done.stdout
    assert "Saksgjennomgang i kvalitetssystemet: unge under 30 år — frist 31.10.2024" in done.stdout
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    # The spreadsheet names the rule and keeps its ID in a column of its own.
    assert A in cells and "Teamet" in cells and "Kontakt siste 30 dager" in cells and "CONTACT-30D" in cells
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Teamoversikt" in text and A in text
    for case in portfolio.cases:
        assert case.ref not in done.stdout and case.ref not in cells and case.ref not in text
        assert case.name not in text


def test_bad_as_of_is_exit_2(db_url: str) -> None:
    done = _cli("--db", db_url, "workload", "--as-of", "2024-13-01")
    assert done.returncode == 2 and "--as-of" in done.stderr



def test_edge_data_through_sqlite_equals_the_engine(db) -> None:  # type: ignore[no-untyped-def]
    """The edge cases of the team-mode reduction, stored and loaded through SQLite, give the
    engine's numbers on as_of and the days around it (the counts step is then the whole view)."""
    from navoppfolging.services import PortfolioService
    from navoppfolging.workload import load_workload_counts
    from tests.workload_edge_data import edge_portfolio

    portfolio = edge_portfolio(TODAY)
    PortfolioService(db).import_portfolio(portfolio)
    for day in (TODAY, TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=8)):
        expected = compute_workload(portfolio, day, advisors=[A, B])
        assert load_workload(db, day).advisors == expected.advisors
        first = load_workload_counts(db, day)
        assert not first.rule_counts_pending and first.advisors == expected.advisors


def test_readable_output_names_rules_in_norwegian_and_json_keeps_ids_and_numbers(db_url: str) -> None:
    """The table the command prints (and the view's summary) names each rule by the ruleset's
    title, never by its ID, and writes the team average with a decimal comma; ``--json`` is the
    contract and keeps the IDs and plain numbers."""
    import io

    from navoppfolging.db import Database
    from navoppfolging.rules import ruleset_for
    from navoppfolging.services import PortfolioService
    from navoppfolging.workload_export import write_table

    workload = compute_workload(team_portfolio(TODAY), TODAY, advisors=[A, B])
    assert workload.team_average == 25.5
    out = io.StringIO()
    write_table(workload, out)
    text = out.getvalue()
    assert "Snitt UG-saker per veileder (med minst én): 25,5 av 50" in text and "25.5" not in text
    ruleset = ruleset_for(TODAY)
    for rule in ruleset.rules:
        assert rule.id not in text, rule.id
    assert "Saksgjennomgang i kvalitetssystemet: AAP-mottakere — frist 30.04.2024" in text
    per_rule = text[text.index("Forfalt / snart per regel:"):]
    for rule, n in workload.totals.overdue_by_rule:
        title = ruleset.rule(rule).title  # type: ignore[union-attr]
        assert any(line.strip().startswith("Teamet") and title in line and f"forfalt {n:>5}" in line
                   for line in per_rule.splitlines()), rule

    database = Database.open(db_url)
    PortfolioService(database).import_portfolio(team_portfolio(TODAY))
    database.close()
    done = _cli("--db", db_url, "workload", "--as-of", TODAY.isoformat())
    assert done.returncode == 0, done.stderr
    assert "25,5 av 50" in done.stdout and "QUALITY-REVIEW" not in done.stdout and "CONTACT-30D" not in done.stdout
    done = _cli("--db", db_url, "workload", "--as-of", TODAY.isoformat(), "--json")
    data = json.loads(done.stdout)
    assert data["team"]["average_ug_cases"] == 25.5
    assert data["team"]["overdue_by_rule"] == dict(workload.totals.overdue_by_rule)
    assert "CONTACT-30D" in data["team"]["overdue_by_rule"]
    assert [(d["rule"], d["title"]) for d in data["office_deadlines"]] == [
        ("QUALITY-REVIEW-AAP", "Saksgjennomgang i kvalitetssystemet: AAP-mottakere"),
        ("QUALITY-REVIEW-YOUTH", "Saksgjennomgang i kvalitetssystemet: unge under 30 år")]


def test_per_rule_rows_add_up_to_the_totals() -> None:
    """«Forfalt / snart per regel» lists every rule that has items — also the per-activity and
    per-contact rules (ACTIVITY-EXPIRED, INTERPRETER-BOOK) — so each advisor's rows add up to
    the «Forfalt» and «Snart» columns."""
    from navoppfolging.workload_export import rule_rows

    workload = compute_workload(team_portfolio(TODAY), TODAY, advisors=[A, B])
    assert "ACTIVITY-EXPIRED" in dict(workload.totals.overdue_by_rule)
    rows = rule_rows(workload)
    for a in (*workload.advisors, workload.totals):
        mine = [r for r in rows if r[0] == (a.advisor or "Teamet")]
        assert (sum(r[2] for r in mine), sum(r[3] for r in mine)) == (a.overdue, a.due_soon), a.advisor
