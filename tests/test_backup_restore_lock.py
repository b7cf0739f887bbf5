"""Backups (daily, before migrations, the newest N kept, encrypted like the database), restore
(checked first, keeps what it replaces) and the one-writer lock across processes."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from navoppfolging import crypto
from navoppfolging.backups import check_backup, database_key
from navoppfolging.cli import main
from navoppfolging.db import BACKUP_KEEP_SETTING, Database
from navoppfolging.errors import DatabaseError, ValidationError
from navoppfolging.services import CaseService, PortfolioService, SettingsService
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent


def test_daily_backup_once_a_day_encrypted_and_pruned(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    db = Database.open(actor="Z990001")
    PortfolioService(db).import_portfolio(demo_portfolio)
    assert db.backups() == []  # a new database has nothing to back up yet
    db.close()
    day1 = dt.date(2024, 6, 3)
    db = Database.open(today=day1)
    try:
        first = db.backups()
        assert len(first) == 1 and "daglig" in first[0].name
        # Encrypted with the database's key: plain sqlite3 cannot read it; the key can.
        assert not crypto.is_plain_sqlite(first[0])
        assert check_backup(first[0], database_key(db)) == []
        assert check_backup(first[0], crypto.DbKey("00" * 32, raw=True, source="test")) != []
    finally:
        db.close()
    # The same day again: no second daily backup.
    Database.open(today=day1).close()
    db = Database.open(today=day1)
    assert len(db.backups()) == 1
    db.close()
    # The next day: one more.
    db = Database.open(today=day1 + dt.timedelta(days=1))
    assert len(db.backups()) == 2
    SettingsService(db).set(BACKUP_KEEP_SETTING, "3")
    for _ in range(5):
        db.backup_file(reason="manuell")
    names = [p.name for p in db.backups()]
    db.close()
    assert len(names) == 3 and all("manuell" in n for n in names)


def test_backup_and_restore_commands(demo_db, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    ref = CaseService(demo_db).list()[0].ref
    before = CaseService(demo_db).get(ref)
    demo_db.close()
    assert main(["--db", db_url, "backup"]) == 0
    backup = Path(capsys.readouterr().out.splitlines()[0].split(": ", 1)[1])
    assert backup.is_file()
    # Change something after the backup.
    db = Database.open(db_url)
    CaseService(db).add_reminder(ref, expected_version=before.version, date=TODAY, text="etter kopien")
    db.close()
    # A file that is not a backup is refused, nothing changes.
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert main(["--db", db_url, "restore", str(junk)]) == 2
    assert "junk.db" in capsys.readouterr().err
    other = tmp_path / "annen.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert main(["--db", db_url, "restore", str(other)]) == 2
    assert "mangler tabellene" in capsys.readouterr().err
    db = Database.open(db_url)
    assert len(CaseService(db).get(ref).reminders) == len(before.reminders) + 1
    db.close()
    # The real backup restores; the replaced state is kept.
    assert main(["--db", db_url, "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    kept = Path(out.rsplit("ligger i ", 1)[1].strip().rstrip("."))
    assert kept.is_file() and "for-gjenoppretting" in kept.name
    db = Database.open(db_url)
    try:
        assert CaseService(db).get(ref).reminders == before.reminders
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        db.close()
    # The kept copy holds the change made after the backup.
    kept_db = Database.open(f"sqlite:///{kept}", backup=False)
    try:
        assert len(CaseService(kept_db).get(ref).reminders) == len(before.reminders) + 1
    finally:
        kept_db.close()


def test_restore_of_encrypted_database(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.backups import restore

    db = Database.open(actor="Z990001")
    PortfolioService(db).import_portfolio(demo_portfolio)
    backup = db.backup_file(reason="test")
    assert backup is not None
    ref = demo_portfolio.cases[0].ref
    case = CaseService(db).get(ref)
    CaseService(db).add_reminder(ref, expected_version=case.version, date=TODAY, text="ny")
    with pytest.raises(ValidationError):
        restore(db, db.file)  # type: ignore[arg-type]
    restore(db, backup)
    assert CaseService(db).get(ref).reminders == case.reminders
    db.close()


_HOLDER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from navoppfolging.db import Database
    db = Database.open({url!r})
    print("open", flush=True)
    sys.stdin.readline()
    db.close()
""")


def test_second_process_is_refused_while_the_first_holds_the_database(db_url: str) -> None:
    Database.open(db_url).close()
    env = {**os.environ}
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER.format(root=str(ROOT), url=db_url)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseError, match="allerede åpen i et annet vindu"):
            Database.open(db_url)
        # The command line is refused the same way, with exit 1 and the message.
        result = subprocess.run([sys.executable, "-m", "navoppfolging", "--db", db_url, "due", "--as-of", "2024-06-03"],
                                capture_output=True, text=True, env=env, cwd=ROOT)
        assert result.returncode == 1
        assert "allerede åpen" in result.stderr and "Traceback" not in result.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    # Released on close: open again.
    Database.open(db_url).close()


def test_lock_released_when_the_holder_is_killed(db_url: str) -> None:
    Database.open(db_url).close()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER.format(root=str(ROOT), url=db_url)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    holder.kill()
    holder.wait(timeout=30)
    Database.open(db_url).close()


def test_same_process_shares_the_lock(db_url: str) -> None:
    a = Database.open(db_url)
    b = Database.open(db_url)
    a.close()
    # b still holds it: another process would be refused.
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from navoppfolging.db import Database; Database.open({db_url!r})"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "allerede åpen" in result.stderr
    b.close()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_backup_before_migration_is_encrypted(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy.engine import URL

    from navoppfolging.db import create_app_engine
    from navoppfolging.migrate import alembic_config, head_revision

    key = crypto.new_raw_key()
    url = URL.create("sqlite+pysqlcipher", password=key.sql_password, database=str(tmp_path / "gammel.db"))
    engine = create_app_engine(url, for_migration=True)
    with engine.connect() as conn, conn.begin():
        command.upgrade(alembic_config(conn), "0001")
    engine.dispose()
    assert head_revision() != "0001"
    db = Database.open(url)
    try:
        backups = db.backups()
        assert [p.name.rsplit("-", 1)[1] for p in backups] == ["migrering.db"]
        assert not crypto.is_plain_sqlite(backups[0])
        assert check_backup(backups[0], key) == []
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(backups[0]).execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        db.close()


def test_database_and_backups_are_for_the_user_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Personal data on disk: the database and every backup 0600, the backup folder 0700 —
    also for a plain sqlite:/// file, and an older file with wider rights is tightened."""
    import stat

    from navoppfolging.db import Database

    path = tmp_path / "d.db"
    db = Database.open(f"sqlite:///{path}", actor="Z990001")
    try:
        backup = db.backup_file(reason="manuell")
        assert backup is not None
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    finally:
        db.close()
    path.chmod(0o644)
    Database.open(f"sqlite:///{path}", actor="Z990001").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_restoring_an_older_backup_does_not_bring_back_deleted_cases(demo_db) -> None:  # type: ignore[no-untyped-def]
    """A backup taken before retention deleted a case still holds it: restoring that backup
    deletes it again (ref and closing date as in the deletion log) and keeps the log's entries;
    the other cases come back as they were in the backup."""
    import datetime as dt

    from navoppfolging.backups import restore
    from navoppfolging.retention import DEFAULT_DAYS, RetentionService
    from navoppfolging.services import CaseService
    from tests.conftest import TODAY
    from tests.test_retention import _close

    ref = CaseService(demo_db).list()[0].ref
    _close(demo_db, ref, TODAY - dt.timedelta(days=DEFAULT_DAYS + 1))
    old = demo_db.backup_file(reason="manuell")
    assert old is not None
    service = RetentionService(demo_db)
    deleted = service.apply(TODAY, refs=[ref]).deleted
    assert [c.ref for c in deleted] == [ref]
    other = CaseService(demo_db).list()[0].ref
    CaseService(demo_db).update(other, expected_version=CaseService(demo_db).get(other).version,
                                change=lambda c: __import__("dataclasses").replace(c, goal="Endret etter kopien"))
    restore(demo_db, old)
    refs = {c.ref for c in CaseService(demo_db).list()}
    assert ref not in refs and other in refs
    assert CaseService(demo_db).get(other).goal != "Endret etter kopien"  # the backup's content
    assert [e.case_ref for e in RetentionService(demo_db).deletion_entries()] == [ref]
