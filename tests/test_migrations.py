"""Migrations: one linear chain, an empty database upgrades to head, the models and the
migrations agree (no drift), and start-up backs up the file before it migrates."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from navoppfolging.db import Database
from navoppfolging.migrate import alembic_config, current_revision, head_revision
from navoppfolging.models import Base


def test_revision_chain_is_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    heads = script.get_heads()
    assert len(heads) == 1, f"more than one head: {heads}"
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None  # exactly one base
    for rev in revisions:
        assert not isinstance(rev.down_revision, tuple), f"merge point {rev.revision}"
    # every revision is reachable from the head by down_revision links
    seen, rev = [], script.get_revision(heads[0])
    while rev is not None:
        seen.append(rev.revision)
        rev = script.get_revision(rev.down_revision) if rev.down_revision else None
    assert sorted(seen) == sorted(r.revision for r in revisions)


def test_empty_database_upgrades_to_head_without_drift(tmp_path: Path) -> None:
    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    with db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], diff
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    db.close()


def test_drift_is_detected(tmp_path: Path) -> None:
    """The drift check can fail: a column missing from the database is reported."""
    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE cases DROP COLUMN language"))
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert any("language" in str(d) for d in diff)
    db.close()


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        command.downgrade(alembic_config(conn), "base")
        assert [t for t in inspect(conn).get_table_names() if t != "alembic_version"] == []
        command.upgrade(alembic_config(conn), "head")
        assert current_revision(conn) == head_revision()


def test_start_up_backs_up_before_migrating(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    db = Database.open(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO advisors (ident, name, role, version) VALUES ('Z1', 'Kari', 'VEILEDER', 1)"))
    db.close()
    script = ScriptDirectory.from_config(alembic_config())
    first = list(script.walk_revisions())[-1].revision
    assert first != head_revision(), "needs at least two revisions"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), first)
    engine.dispose()
    db = Database.open(f"sqlite:///{path}")
    backups = list((tmp_path / "backups").glob("x-*-for-migrering.db"))
    assert len(backups) == 1
    check = create_engine(f"sqlite:///{backups[0]}")
    with check.connect() as conn:
        assert conn.execute(text("SELECT name FROM advisors")).scalar_one() == "Kari"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == first
    check.dispose()
    with db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    db.close()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    import pytest

    from navoppfolging.errors import DatabaseError

    path = tmp_path / "x.db"
    Database.open(f"sqlite:///{path}").close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="nyere versjon"):
        Database.open(f"sqlite:///{path}")


def test_cheap_head_equals_alembic_head() -> None:
    """Start-up reads the head from the revision files without Alembic; it must agree."""
    from navoppfolging.migrate import alembic_head

    assert head_revision() == alembic_head()


def test_start_up_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    Database.open(f"sqlite:///{tmp_path / 'x.db'}").close()
    code = ("import sys; from navoppfolging.db import Database; "
            f"Database.open('sqlite:///{tmp_path / 'x.db'}').close(); "
            "assert 'alembic' not in sys.modules, 'alembic imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_0005_lets_responsible_be_null_and_going_back_fills_bruker(tmp_path: Path) -> None:
    """0005: an activity's responsible may be NULL (not decided); downgrading to 0004, whose
    column is NOT NULL, stores the BRUKER the older versions assumed."""
    import dataclasses

    from navoppfolging.demo import generate
    from navoppfolging.services import CaseService, PortfolioService
    from tests.conftest import TODAY

    url = f"sqlite:///{tmp_path / 'x.db'}"
    db = Database.open(url, actor="Z990001", backup=False)
    portfolio = generate(TODAY, n=1)
    case = portfolio.cases[0]
    activity = dataclasses.replace(case.activities[0], responsible=None)
    PortfolioService(db).import_portfolio(dataclasses.replace(
        portfolio, cases=(dataclasses.replace(case, activities=(activity,)),)))
    assert CaseService(db).get(case.ref).activities[0].responsible is None
    db.close()

    def nullable(conn) -> bool:  # type: ignore[no-untyped-def]
        return bool(next(c for c in inspect(conn).get_columns("activities") if c["name"] == "responsible")["nullable"])

    engine = create_engine(url)
    with engine.begin() as conn:
        assert nullable(conn)
        command.downgrade(alembic_config(conn), "0004")
        assert conn.execute(text("SELECT responsible FROM activities")).scalar_one() == "BRUKER"
        assert not nullable(conn)
        command.upgrade(alembic_config(conn), "head")
        assert nullable(conn)
    engine.dispose()
