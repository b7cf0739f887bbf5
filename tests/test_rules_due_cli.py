"""``navoppfolging due`` end to end: a small portfolio in a migrated temporary database, then
the command's JSON and table output per the command-line contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from navoppfolging.cli import main
from navoppfolging.domain import ActivityCategory, ActivityStatus, Advisor, AdvisorIdent, ContactStatus, Flag, Portfolio
from tests.rules_builders import D, STD, activity, assess, case, contact, held, ug


@pytest.fixture
def url(tmp_path: Path) -> str:
    from navoppfolging.db import Database
    from navoppfolging.services import PortfolioService, SettingsService

    db_url = f"sqlite:///{tmp_path}/t.db"
    db = Database.open(db_url, actor="Z990001")
    try:
        advisors = (Advisor(AdvisorIdent("Z990001"), "Kari Veileder"), Advisor(AdvisorIdent("Z990002"), "Ola Veileder"))
        cases = (
            ug(D(2024, 1, 8), contacts=(held(D(2024, 2, 1), "k1"),), flags=(Flag.LANDGRUPPE_3,),
               follow_up_offered_on=D(2024, 2, 1),
               activities=(activity("a1", ActivityCategory.JOBBSOKING, ActivityStatus.GJENNOMFORES,
                                    start=D(2024, 2, 1), end=D(2024, 4, 30)),)),
            case("U-2", advisor="Z990002", registered_on=D(2024, 1, 15), assessments=(assess(D(2024, 1, 15), STD),),
                 needs_interpreter=True, contacts=(contact(D(2024, 3, 8), "k9", ContactStatus.PLANLAGT),)),
        )
        PortfolioService(db).import_portfolio(Portfolio(advisors=advisors, cases=cases))
        SettingsService(db).set("INTERPRETER-BOOK.days", "10")
    finally:
        db.close()
    return db_url


def test_due_json_contract(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", url, "--as-of", "2024-02-25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2024-02-25" and out["ruleset"] == "MDB-2024"
    got = [(i["case"], i["rule"], i["due"], i["status"], i["activity"], i["contact"]) for i in out["items"]]
    assert got == [
        ("U-2", "INTERPRETER-BOOK", "2024-02-27", "due_soon", None, "k9"),  # 10 days: the stored local setting
        ("U-1", "CONTACT-30D", "2024-03-02", "due_soon", None, None),
        ("U-2", "UG-STANDARD-REASSESS-8W", "2024-03-11", "upcoming", None, None),
    ]
    first = out["items"][0]
    assert set(first) >= {"case", "rule", "due", "status", "title", "source", "activity", "contact",
                          "explanation", "satisfied_by"}
    assert first["source"].startswith("MDB-2024 §2.1.1: «")
    assert out["flags"] == [{"case": "U-1", "flag": "LANDGRUPPE-3"}]


def test_due_horizon_and_advisor(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", url, "--as-of", "2024-02-25", "--horizon", "100", "--advisor", "Z990001",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {i["case"] for i in out["items"]} == {"U-1"}
    assert [i["rule"] for i in out["items"]] == ["CONTACT-30D", "ACTIVITY-EXPIRED"]
    assert main(["due", "--db", url, "--as-of", "2024-02-25", "--horizon", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == []


def test_due_table(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", url, "--as-of", "2024-02-25"]) == 0
    out = capsys.readouterr().out
    assert "Frister per 25.02.2024" in out and "MDB-2024" in out
    assert "CONTACT-30D" in out and "Siste kontakt 01.02.2024 + 30 dager = 02.03.2024" in out
    assert "U-1: LANDGRUPPE-3" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2024-13-01"], "--as-of"),
        (["--as-of", "2022-12-31"], "01.01.2023"),
        (["--horizon", "-1"], "--horizon"),
        (["--horizon", "x"], "--horizon"),
        (["--advisor", "Z000000"], "ukjent veileder"),
    ],
)
def test_due_bad_input_exit_2(url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["due", "--db", url, *args]) == 2
    assert message in capsys.readouterr().err


def test_table_flags_a_deadline_on_a_public_holiday(capsys) -> None:  # type: ignore[no-untyped-def]
    """A due date on 17 May gets the last working day before it in the readable table."""
    import datetime as dt
    import io

    from navoppfolging.commands.due import select_items, write_table
    from navoppfolging.domain import AdvisorIdent, Assessment, Case, CaseRef, Innsatsgruppe
    from navoppfolging.rules import evaluate

    case = Case(ref=CaseRef("U-0001"), advisor=AdvisorIdent("Z1"), name="Ola", birth_date=dt.date(2004, 1, 1),
                registered_on=dt.date(2024, 4, 17),
                assessments=(Assessment(date=dt.date(2024, 4, 20), innsatsgruppe=Innsatsgruppe.SITUASJONSBESTEMT_INNSATS),))
    evaluation = evaluate([case], dt.date(2024, 5, 10))
    out = io.StringIO()
    write_table(evaluation, select_items(evaluation, 30), 30, out)
    assert "Fristen er 17. mai — planlegg senest 16. mai" in out.getvalue()
