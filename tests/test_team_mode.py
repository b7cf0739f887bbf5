"""Team mode against a real PostgreSQL 15 server (tests/pg.py starts a temporary cluster).

Proves: the migrations build the schema without drift; row-level security with direct SQL as
two advisor roles; the team lead gets counts but no case rows; delegation with an end date;
hand-over; conflict detection across two sessions; workload numbers equal the rule engine's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess

import psycopg
import pytest

from navoppfolging.db import Database
from navoppfolging.errors import ConflictError, DatabaseError, NotFoundError
from navoppfolging.services import CONFLICT_MESSAGE, CaseService, PortfolioService
from navoppfolging.teamdb import KEYRING_SERVICE, keyring_username
from navoppfolging.workload import compute_workload, load_workload
from tests.conftest import TODAY
from tests.pg import PgCluster, as_user, pg_server, pg_url, team  # noqa: F401  (fixtures)
from tests.team_data import A, B, team_portfolio
from tests.workload_edge_data import edge_portfolio

pytestmark = pytest.mark.postgres


def _dsn(url: str, user: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return f"host={u.host} port={u.port} dbname={u.database} user={user}"


def _refs(url: str, user: str, table: str = "cases") -> set[object]:
    with psycopg.connect(_dsn(url, user)) as conn:
        if table == "cases":
            return {r[0] for r in conn.execute("SELECT ref FROM cases")}
        return {r[0] for r in conn.execute(f"SELECT c.ref FROM {table} x JOIN cases c ON c.id = x.case_id")}


def test_migrations_reach_head_without_drift(pg_url: str) -> None:
    """Upgrade on PostgreSQL gives exactly the models' schema, and the downgrades of 0005, 0004, 0003 and 0002 work."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, text

    from navoppfolging.migrate import alembic_config, head_revision
    from navoppfolging.models import Base

    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision() == "0005"
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
        assert conn.execute(text("SELECT relrowsecurity FROM pg_class WHERE relname = 'contacts'")).scalar() is True
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_policies")).scalar() == 0
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()


def test_advisor_sees_only_own_rows(team: str) -> None:
    """A sees A's cases, contacts and activities and none of B's; B the other way round."""
    portfolio = team_portfolio(TODAY)
    own_a = {c.ref for c in portfolio.cases if c.advisor == A}
    own_b = {c.ref for c in portfolio.cases if c.advisor == B}
    assert _refs(team, "z990001") == own_a
    assert _refs(team, "z990003") == own_b
    for table in ("contacts", "activities", "assessments"):
        seen = _refs(team, "z990001", table)
        assert seen and seen <= own_a
    with psycopg.connect(_dsn(team, "z990001")) as conn:
        # Child rows of B's cases are not even counted.
        b_contacts = conn.execute("SELECT count(*) FROM contacts WHERE case_id IN "
                                  "(SELECT id FROM cases WHERE ref LIKE 'B-%')").fetchone()
        assert b_contacts == (0,)


def test_advisor_cannot_write_into_other_advisors_case(team: str) -> None:
    with psycopg.connect(_dsn(team, "postgres")) as conn:
        b_case = conn.execute("SELECT id FROM cases WHERE ref = 'B-0001'").fetchone()[0]
    with psycopg.connect(_dsn(team, "z990001")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO contacts (case_id, position, ext_id, date, channel, status, summary, "
                         "interpreter_booked) VALUES (%s, 99, 'k99', '2024-06-01', 'TELEFON', 'GJENNOMFORT', '', false)",
                         (b_case,))
    with psycopg.connect(_dsn(team, "z990001")) as conn:
        # Updates and deletes of invisible rows simply find nothing.
        assert conn.execute("UPDATE cases SET goal = 'x' WHERE ref = 'B-0001'").rowcount == 0
        assert conn.execute("DELETE FROM contacts WHERE case_id = %s", (b_case,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE cases SET advisor_id = (SELECT id FROM advisors WHERE ident = %s) "
                         "WHERE ref = 'U-0001'", (B,))
    with psycopg.connect(_dsn(team, "z990001")) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO audit_log (at, actor, entity, action, changes) "
                     "VALUES (now(), 'z990003', 'case', 'update', '{}')")


def test_team_lead_gets_counts_but_no_case_rows(team: str) -> None:
    with psycopg.connect(_dsn(team, "z990002")) as conn:
        for table in ("cases", "contacts", "activities", "audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT count(*) FROM {table}")
            conn.rollback()
        rows = conn.execute("SELECT advisor, open_cases, ug_cases FROM navoppfolging_workload_counts(%s)",
                            (TODAY,)).fetchall()
    assert {r[0] for r in rows} == {A, B}
    lead = Database.open(as_user(team, "z990002"), migrate=True)
    try:
        workload = load_workload(lead, TODAY)
    finally:
        lead.close()
    expected = compute_workload(team_portfolio(TODAY), TODAY, advisors=[A, B])
    assert workload.advisors == expected.advisors
    assert workload.totals == expected.totals
    with psycopg.connect(_dsn(team, "z990001")) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT * FROM navoppfolging_workload_rule_facts(%s, %s)", (TODAY, ["ARBEID"]))


def test_workload_sql_equals_rule_engine_on_other_dates(team: str) -> None:
    """SQL aggregation + de-identified facts give the engine's numbers, also at a 29 February
    birthday's edge dates and in 2023 (no cap)."""
    portfolio = team_portfolio(TODAY)
    owner = Database.open(team)
    try:
        for as_of in (TODAY, dt.date(2024, 2, 28), dt.date(2023, 3, 1), dt.date(2025, 1, 15)):
            sql = load_workload(owner, as_of)
            engine = compute_workload(portfolio, as_of, advisors=[A, B])
            assert sql.advisors == engine.advisors, as_of
            assert sql.totals == engine.totals and sql.team_average == engine.team_average
    finally:
        owner.close()


def test_delegation_until_a_date(team: str) -> None:
    """A delegation makes B's case visible to A until its end date, and no longer."""
    owner = Database.open(team)
    from navoppfolging.handover import delegate

    delegate(owner, "B-0001", A, until=dt.date.today())
    assert "B-0001" in _refs(team, "z990001")
    assert "B-0001" in _refs(team, "z990001", "contacts") or not team_portfolio(TODAY).cases[30].contacts
    delegate(owner, "B-0001", A, until=dt.date.today() - dt.timedelta(days=1))
    assert "B-0001" not in _refs(team, "z990001")
    owner.close()


def test_delegate_can_save_and_conflicts_are_detected(team: str) -> None:
    """Two sessions on the same case: the second save with the old version is refused with the
    message that offers to reload — never a silent overwrite. (A and A's cover B, and A twice.)"""
    owner = Database.open(team)
    from navoppfolging.handover import delegate

    delegate(owner, "U-0001", B, until=dt.date.today() + dt.timedelta(days=7))
    owner.close()
    db_a = Database.open(as_user(team, "z990001"))
    db_b = Database.open(as_user(team, "z990003"))
    db_a2 = Database.open(as_user(team, "z990001"))
    try:
        seen_a = CaseService(db_a).get("U-0001")
        seen_b = CaseService(db_b).get("U-0001")
        seen_a2 = CaseService(db_a2).get("U-0001")
        saved = CaseService(db_b).save(dataclasses.replace(seen_b, goal="Fullføre vg3"))
        assert saved.version == seen_b.version + 1
        with pytest.raises(ConflictError) as exc:
            CaseService(db_a).save(dataclasses.replace(seen_a, goal="Noe annet"))
        assert str(exc.value) == CONFLICT_MESSAGE and "Last inn saken på nytt" in str(exc.value)
        with pytest.raises(ConflictError):
            CaseService(db_a2).save(dataclasses.replace(seen_a2, language="en"))
        assert CaseService(db_a).get("U-0001").goal == "Fullføre vg3"
        # The audit trail was written by the advisor roles themselves (RLS: own actor only).
        from navoppfolging.services import AuditService

        assert any(e.actor == "z990003" for e in AuditService(db_a).history("U-0001"))
    finally:
        db_a.close()
        db_b.close()
        db_a2.close()


def test_handover_in_team_mode(team: str) -> None:
    """A hands two cases to B: A loses sight of them, B sees them «ny for deg», the audit says
    who moved them; a case A cannot see cannot be handed over."""
    from navoppfolging.handover import HandoverService

    db_a = Database.open(as_user(team, "z990001"))
    try:
        service = HandoverService(db_a)
        preview = service.preview(["U-0001", "U-0002"], to=B, as_of=TODAY)
        assert preview.cases == 2 and preview.receiver_ug_before == next(
            w.ug_cases for w in compute_workload(team_portfolio(TODAY), TODAY).advisors if w.advisor == B)
        with pytest.raises(NotFoundError):
            service.hand_over(["B-0001"], to=A)
        result = service.hand_over(["U-0001", "U-0002"], to=B)
        assert result.moved == ("U-0001", "U-0002")
        assert "U-0001" not in _refs(team, "z990001")
    finally:
        db_a.close()
    db_b = Database.open(as_user(team, "z990003"))
    try:
        assert {"U-0001", "U-0002"} <= CaseService(db_b).new_for_advisor()
        CaseService(db_b).mark_opened("U-0001")
        assert "U-0001" not in CaseService(db_b).new_for_advisor()
        from navoppfolging.services import AuditService

        entries = AuditService(db_b).history("U-0002")
        assert any(e.action == "handover" and e.changes["advisor"] == (A, B) and e.actor == "z990001" for e in entries)
    finally:
        db_b.close()


def test_stale_handover_is_refused(team: str) -> None:
    from navoppfolging.handover import HandoverService

    db_a = Database.open(as_user(team, "z990001"))
    try:
        case = CaseService(db_a).get("U-0003")
        CaseService(db_a).save(dataclasses.replace(case, language="se"))
        with pytest.raises(ConflictError):
            HandoverService(db_a).hand_over(["U-0003"], to=B, expected_versions={"U-0003": case.version})
        assert "U-0003" in _refs(team, "z990001")
    finally:
        db_a.close()


def test_admin_cli_add_user_and_password_from_keyring(pg_server: PgCluster, team: str) -> None:  # noqa: F811
    """`admin add-user` creates the login role; a password-protected login is asked once and
    then read from the keyring (service «navoppfolging», user@host:port/db)."""
    import keyring
    import sys

    done = subprocess.run([sys.executable, "-m", "navoppfolging", "--db", team, "admin", "add-user", "Z990077",
                           "--role", "VEILEDER", "--name", "Nina Ny", "--password-stdin"],
                          input="hemmelig\n", capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(_dsn(team, "postgres")) as conn:
        assert conn.execute("SELECT pg_has_role('z990077', 'navoppfolging_veileder', 'member')").fetchone() == (True,)
        assert conn.execute("SELECT role FROM advisors WHERE ident = 'Z990077'").fetchone() == ("VEILEDER",)
    # Require a password for this one role (the test cluster trusts everyone else).
    hba = pg_server.directory / "data" / "pg_hba.conf"
    hba.write_text("host all z990077 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    subprocess.run(["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D",
                    str(pg_server.directory / "data"), "reload"], check=True, capture_output=True)
    url = as_user(team, "z990077")
    asked: list[str] = []
    with pytest.raises(DatabaseError):
        Database.open(url, password_prompt=lambda label: asked.append(label) or "feil")  # type: ignore[func-returns-value]
    db = Database.open(url, password_prompt=lambda label: asked.append(label) or "hemmelig")  # type: ignore[func-returns-value]
    db.close()
    from sqlalchemy.engine import make_url

    label = keyring_username(make_url(url))
    assert asked == [label, label] and label.startswith("z990077@127.0.0.1:")
    assert keyring.get_password(KEYRING_SERVICE, label) == "hemmelig"
    db = Database.open(url, password_prompt=lambda label: pytest.fail("asked again"))
    assert db.actor == "z990077" and "hemmelig" not in db.display_name
    db.close()


def test_reduced_rule_facts_equal_the_engine_on_edge_data(pg_url: str) -> None:  # noqa: F811
    """The reduction in SQL (revision 0003) gives the engine's counts per advisor and rule on
    cases built at every edge it reduces (records after as_of, same-date assessments, planned
    contacts, closed cases, age boundaries), on as_of and on days around it; and the data does
    exercise every rule the reduction feeds, so a wrong reduction would change a number."""
    from navoppfolging.workload import compute_team_counts

    # MDB-2024 and MDB-2023 have different rules (DP-26W-LEFT, AAP-END-INFO only in 2023).
    older = dt.date(2023, 9, 4)
    recent, early = edge_portfolio(TODAY), edge_portfolio(older, seed=7, prefix="F")
    portfolio = dataclasses.replace(recent, cases=recent.cases + early.cases)
    admin = Database.open(pg_url, actor="admin")
    try:
        PortfolioService(admin).import_portfolio(portfolio)
        seen: set[str] = set()
        days = [d + dt.timedelta(days=k) for d in (TODAY, older) for k in (0, -1, 1, 8)]
        for day in days:
            sql = load_workload(admin, day)
            engine = compute_workload(portfolio, day, advisors=[A, B])
            assert sql.advisors == engine.advisors, day
            assert sql.totals == engine.totals, day
            seen |= {r for r, _ in engine.totals.overdue_by_rule} | {r for r, _ in engine.totals.due_soon_by_rule}
            first = compute_team_counts(admin, day)
            assert first.rule_counts_pending and not sql.rule_counts_pending
            strip = {"overdue": 0, "due_soon": 0, "overdue_by_rule": (), "due_soon_by_rule": ()}
            assert first.advisors == tuple(dataclasses.replace(a, **strip) for a in engine.advisors)
            assert first.team_average == engine.team_average and first.office_deadlines == engine.office_deadlines
        assert {"UG-OFFER-8W", "UG-STANDARD-REASSESS-8W", "CONTACT-30D", "UG-AGE-OUT", "LONGTERM-REASSESS-6M",
                "DP-26W-LEFT", "AAP-ACTIVITY-26W", "AAP-APPLICATION-5W", "AAP-END-INFO", "SICK-NO-EMPLOYER-12W",
                "OMSTILLING-6M", "PLAN-MISSING", "ACTIVITY-EXPIRED", "INTERPRETER-BOOK"} <= seen
    finally:
        admin.close()


def test_workload_command_refuses_an_advisor_in_bokmal(team: str) -> None:
    """`navoppfolging workload` as an advisor: the database says no, the command says why in
    bokmål (exit 1) — no SQL, no English server text."""
    import sys

    from navoppfolging.workload import TEAM_LEAD_ONLY

    done = subprocess.run([sys.executable, "-m", "navoppfolging", "--db", as_user(team, "z990001"), "workload",
                           "--as-of", TODAY.isoformat()], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == f"navoppfolging: {TEAM_LEAD_ONLY}"
    for raw in ("permission denied", "SQL", "sqlalche.me", "psycopg"):
        assert raw not in done.stderr and raw not in done.stdout
    lead = subprocess.run([sys.executable, "-m", "navoppfolging", "--db", as_user(team, "z990002"), "workload",
                           "--as-of", TODAY.isoformat(), "--json"], capture_output=True, text=True, check=False)
    assert lead.returncode == 0, lead.stderr
