"""Hand-over on the local database (SQLite): one transaction, the over-50 preview, «ny for
deg», the audit trail, delegations ended, stale versions refused."""

from __future__ import annotations

import dataclasses

import pytest

from navoppfolging.demo import generate
from navoppfolging.errors import ConflictError, NotFoundError, ValidationError
from navoppfolging.handover import HandoverService, delegate, describe
from navoppfolging.rules.facts import in_ug_target_group
from navoppfolging.services import AuditService, CaseService, PortfolioService
from tests.conftest import TODAY
from tests.team_data import A, B, LEAD, team_portfolio


@pytest.fixture
def team_db(db):  # type: ignore[no-untyped-def]
    PortfolioService(db).import_portfolio(team_portfolio(TODAY))
    return db


def test_handover_moves_marks_and_audits(team_db) -> None:  # type: ignore[no-untyped-def]
    service = HandoverService(team_db)
    result = service.hand_over(["U-0001", "U-0002"], to=B)
    assert result.moved == ("U-0001", "U-0002")
    cases = CaseService(team_db)
    assert cases.get("U-0001").advisor == B
    assert {"U-0001", "U-0002"} == cases.new_for_advisor()
    cases.mark_opened("U-0001")
    assert cases.new_for_advisor() == {"U-0002"}
    history = AuditService(team_db).history("U-0002")
    handover = [e for e in history if e.action == "handover"]
    assert len(handover) == 1 and handover[0].changes == {"advisor": (A, B)}
    assert describe('{"advisor": ["Z990001", "Z990003"]}') == "overført fra Z990001 til Z990003"


def test_handover_is_all_or_nothing(team_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError):
        HandoverService(team_db).hand_over(["U-0001", "U-9999"], to=B)
    assert CaseService(team_db).get("U-0001").advisor == A


def test_stale_version_refused(team_db) -> None:  # type: ignore[no-untyped-def]
    cases = CaseService(team_db)
    seen = cases.get("U-0001")
    cases.save(dataclasses.replace(seen, language="en"))
    with pytest.raises(ConflictError):
        HandoverService(team_db).hand_over(["U-0001"], to=B, expected_versions={"U-0001": seen.version})
    assert cases.get("U-0001").advisor == A


def test_receiver_must_be_an_advisor(team_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        HandoverService(team_db).hand_over(["U-0001"], to=LEAD)
    with pytest.raises(ValidationError):
        HandoverService(team_db).preview(["U-0001"], to="Z000000", as_of=TODAY)
    assert [a.ident for a in HandoverService(team_db).receivers(exclude=A)] == [B]


def test_preview_warns_over_fifty(db) -> None:  # type: ignore[no-untyped-def]
    """Receiver with 49 UG cases: 1 more is fine, 2 more is a warning (> 50)."""
    base = team_portfolio(TODAY, n_a=5, n_b=0)
    many = generate(TODAY, n=200, seed=11, advisor=B)
    ug = [dataclasses.replace(c, ref=f"B-{i:04d}") for i, c in enumerate(many.cases) if in_ug_target_group(c, TODAY)]
    PortfolioService(db).import_portfolio(dataclasses.replace(base, cases=base.cases + tuple(ug[:49])))
    ug_a = [c.ref for c in base.cases if in_ug_target_group(c, TODAY)]
    assert len(ug_a) >= 2
    service = HandoverService(db)
    one = service.preview(ug_a[:1], to=B, as_of=TODAY)
    assert (one.receiver_ug_before, one.receiver_ug_after, one.warning) == (49, 50, None)
    two = service.preview(ug_a[:2], to=B, as_of=TODAY)
    assert two.over_cap and two.receiver_ug_after == 51 and "51" in (two.warning or "")


def test_handover_ends_delegations(team_db) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from sqlalchemy import func, select

    from navoppfolging import models as m

    delegate(team_db, "U-0001", B, until=TODAY + dt.timedelta(days=5))
    HandoverService(team_db).hand_over(["U-0001"], to=B)
    with team_db.session() as s:
        assert s.scalar(select(func.count()).select_from(m.DelegationRow)) == 0


def test_admin_cli_on_sqlite(db_url: str) -> None:
    import subprocess
    import sys

    from navoppfolging.db import Database

    database = Database.open(db_url)
    PortfolioService(database).import_portfolio(team_portfolio(TODAY))
    database.close()
    run = lambda *a: subprocess.run([sys.executable, "-m", "navoppfolging", "--db", db_url, *a],  # noqa: E731
                                    capture_output=True, text=True, check=False)
    done = run("admin", "add-user", "Z990010", "--role", "VEILEDER", "--name", "Nina Ny")
    assert done.returncode == 0, done.stderr
    done = run("admin", "handover", "U-0001", "--to", "Z990010", "--as-of", TODAY.isoformat())
    assert done.returncode == 0 and "Overført 1" in done.stdout, done.stderr
    done = run("admin", "delegate", "U-0002", "Z990010", "--until", "2024-13-01")
    assert done.returncode == 2
    database = Database.open(db_url)
    assert CaseService(database).get("U-0001").advisor == "Z990010"
    database.close()
