"""The start-up read without SQLAlchemy (``navoppfolging.quickread``) and the window's deferred open.

The quick reader is a second reader of the same tables; these tests prove it gives exactly what
the services give, refuses what ``Database.open`` refuses, leaves migration to the full open, and
that the window shows the table before SQLAlchemy is loaded and then opens the full database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest

from navoppfolging import crypto, domain as d, locking
from navoppfolging.db import Database
from navoppfolging.errors import DatabaseError
from navoppfolging.paths import default_db_file
from navoppfolging.quickread import quick_open
from navoppfolging.revisions import head_revision
from navoppfolging.services import AdvisorService, CaseService, PortfolioService, SettingsService
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent


def _default_db_with(portfolio: d.Portfolio) -> Path:
    """The default encrypted file (key in the test keyring) holding ``portfolio`` plus the
    things the demo lacks: a closed case, a case «ny for deg», settings, edited versions."""
    db = Database.open(actor="Z990001")
    try:
        PortfolioService(db).import_portfolio(portfolio)
        cases = CaseService(db)
        first, second, third = (c.ref for c in portfolio.cases[:3])
        c = cases.get(first)
        cases.close(first, expected_version=c.version, closed_on=TODAY, reason="Over i arbeid")
        c = cases.get(second)
        cases.add_contact(second, expected_version=c.version, date=TODAY, channel=d.Channel.VIDEO,
                          status=d.ContactStatus.PLANLAGT, summary="Oppfølging", time=dt.time(9, 30), place="Teams")
        c = cases.get(third)
        cases.save(dataclasses.replace(c, flags=(d.Flag.UKRAINA, d.Flag.KVP), fnr=None, phone=None, goal=None,
                                       hovedmal=None, language=None))
        SettingsService(db).set("ui.advisor", portfolio.advisors[0].ident)
        SettingsService(db).set("INTERPRETER-BOOK.days", "5")
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE cases SET new_for_advisor = 1 WHERE ref = ?", (third,))
        path = db.file
    finally:
        db.close()
    assert path == default_db_file()
    return path


def test_snapshot_equals_what_the_services_read(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    _default_db_with(demo_portfolio)
    opening = quick_open(None)
    assert opening is not None and opening.snapshot is not None
    snap = opening.snapshot
    db = opening.open_database(actor="Z990001")
    try:
        assert snap.cases == CaseService(db).list()
        assert snap.advisors == AdvisorService(db).list()
        assert dict(snap.settings) == SettingsService(db).all()
        assert snap.new_for_advisor == CaseService(db).new_for_advisor() != frozenset()
    finally:
        db.close()
    # Not vacuous: the snapshot holds every kind of record the services have.
    assert len(snap.cases) == len(demo_portfolio.cases)
    assert any(c.closed_on is not None for c in snap.cases)
    assert any(k.time == dt.time(9, 30) and k.place == "Teams" for c in snap.cases for k in c.contacts)
    for attr in ("reminders", "exceptions", "external_contacts", "flags", "activities", "assessments"):
        assert any(getattr(c, attr) for c in snap.cases), attr
    assert snap.settings["INTERPRETER-BOOK.days"] == "5"


def test_snapshot_after_every_kind_of_edit_still_equal(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    path = _default_db_with(demo_portfolio)
    db = Database.open(actor="Z990001")
    try:
        cases = CaseService(db)
        for case in cases.list()[3:10]:
            # Reorder children and drop some: positions must come back in the services' order.
            cases.save(dataclasses.replace(case, contacts=tuple(reversed(case.contacts)),
                                           activities=case.activities[1:], reminders=(), assessments=case.assessments[::-1]))
        expected = cases.list()
    finally:
        db.close()
    opening = quick_open(None, path=path)
    assert opening is not None and opening.snapshot is not None
    opening.release()
    assert opening.snapshot.cases == expected


def test_only_the_default_encrypted_file_is_read_this_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert quick_open(None) is None  # no file yet: the full open creates and migrates it
    assert quick_open(f"sqlite:///{tmp_path / 'x.db'}") is None
    monkeypatch.setenv("NAVOPPFOLGING_DB", f"sqlite:///{tmp_path / 'y.db'}")
    assert quick_open(None) is None
    monkeypatch.delenv("NAVOPPFOLGING_DB")
    # An old unencrypted default file keeps the classic path (which warns about it).
    plain = default_db_file()
    plain.parent.mkdir(parents=True)  # an explicit URL's folder must exist (only the default's is created)
    Database.open(f"sqlite:///{plain}").close()
    assert crypto.is_plain_sqlite(plain)
    assert quick_open(None) is None


def test_wrong_key_is_refused_with_the_same_message_and_the_lock_is_given_back(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    path = _default_db_with(demo_portfolio)
    keyring.set_password(crypto.SERVICE, crypto.keyring_username(path), "ab" * 32)
    with pytest.raises(DatabaseError) as info:
        quick_open(None)
    assert str(info.value) == crypto.WRONG_KEY.format(name=path.name)
    assert str(locking.lock_path(path)) not in locking._held


def test_a_database_behind_the_head_is_not_read_but_migrated_by_the_full_open(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    path = _default_db_with(demo_portfolio)
    db = Database.open(actor="Z990001", backup=False)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    db.close()
    opening = quick_open(None)
    assert opening is not None and opening.snapshot is None
    assert not list(path.parent.glob("backups/*for-migrering*"))
    db = opening.open_database(actor="Z990001")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
        assert len([p for p in db.backups() if "for-migrering" in p.name]) == 1
    finally:
        db.close()


def test_the_lock_is_held_from_the_read_to_the_full_open_and_released_on_close(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    path = _default_db_with(demo_portfolio)
    opening = quick_open(None)
    assert opening is not None
    key = str(locking.lock_path(path))
    assert locking._held[key][1] == 1
    code = ("import sys; from navoppfolging.db import Database; from navoppfolging import locking; "
            f"locking.acquire(__import__('pathlib').Path({str(path)!r}))")
    refused = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode != 0 and "allerede åpen" in refused.stderr
    db = opening.open_database(actor="Z990001")
    assert locking._held[key][1] == 1  # now the database's own
    db.close()
    assert key not in locking._held


def test_another_process_holding_the_database_refuses_the_start_up_read(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    path = _default_db_with(demo_portfolio)
    holder_code = textwrap.dedent(f"""
        import sys, pathlib
        from navoppfolging import locking
        lock = locking.acquire(pathlib.Path({str(path)!r}))
        print("held", flush=True)
        sys.stdin.readline()
    """)
    holder = subprocess.Popen([sys.executable, "-c", holder_code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseError, match="allerede åpen"):
            quick_open(None)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)


def test_the_command_shows_the_table_before_sqlalchemy_and_then_opens_the_full_database(tmp_path: Path) -> None:
    """The real start, in a process of its own: a passphrase in the environment (no keyring)."""
    env = {**os.environ, "NAVOPPFOLGING_DB_KEY": "korrekt hest batteri stift", "NAVOPPFOLGING_BENCH_READY": "1",
           "QT_QPA_PLATFORM": "offscreen"}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    env["NAVOPPFOLGING_LOG_DIR"] = str(tmp_path / "logs")
    quiet = {**env, "NAVOPPFOLGING_BENCH_READY": ""}
    demo = tmp_path / "demo.json"
    for args in (["demo", str(demo)], ["import", str(demo)]):
        prep = subprocess.run([sys.executable, "-m", "navoppfolging", *args], env=quiet, capture_output=True,
                              text=True, cwd=ROOT)
        assert prep.returncode == 0, prep.stderr
    data = Path(env["XDG_DATA_HOME"]) / "navoppfolging"
    assert not list(data.glob("backups/*daglig*"))  # created by the import: nothing to back up yet
    result = subprocess.run([sys.executable, "-m", "navoppfolging"], env=env, capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    ready = next(line for line in result.stdout.splitlines() if line.startswith("READY"))
    _, _rss, rows, heavy = ready.split()
    assert int(rows) == 50
    assert heavy == "-", f"loaded before the first paint: {heavy}"
    # After the paint the full database was opened: that is where the daily backup is taken.
    assert len(list(data.glob("backups/*daglig*"))) == 1
    code = ("import pathlib; from navoppfolging import locking; "
            f"locking.acquire(pathlib.Path({str(data / 'navoppfolging.db')!r})).release()")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env).returncode == 0


def test_app_state_from_the_snapshot_opens_the_database_when_a_service_is_needed(qtbot, demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.ui.state import AppState

    _default_db_with(demo_portfolio)
    opening = quick_open(None)
    assert opening is not None
    state = AppState(opening=opening, today=TODAY)
    try:
        assert not state.is_open
        assert len(state.case_list(include_closed=True)) == len(demo_portfolio.cases)
        assert state.me is not None and state.me.ident == demo_portfolio.advisors[0].ident
        assert state.display_name == str(default_db_file())
        assert state.local_settings.get("INTERPRETER-BOOK.days") == 5
        case = state.case_list()[0]
        with qtbot.waitSignal(state.database_ready, timeout=10000):
            written = state.write(None, lambda: state.cases.add_reminder(
                case.ref, expected_version=case.version, date=TODAY, text="Ring tilbake"))
        assert written is not None and state.is_open
        assert any(r.text == "Ring tilbake" for r in state.case(case.ref).reminders)
    finally:
        state.close()


def test_app_state_preloads_on_a_thread_and_opens_on_the_ui_thread(qtbot, demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.ui.state import AppState

    _default_db_with(demo_portfolio)
    opening = quick_open(None)
    assert opening is not None
    state = AppState(opening=opening, today=TODAY)
    try:
        with qtbot.waitSignal(state.database_ready, timeout=20000):
            state.start_opening()
        assert state.is_open and state.db.file == default_db_file()
        assert state.case_list(include_closed=True) == CaseService(state.db).list()
    finally:
        state.close()


def test_cheap_pyside_module_scan_gives_shibokens_own_answer() -> None:
    import inspect

    import navoppfolging.ui.app  # noqa: F401 - installs the cheap scan

    feature = sys.modules["shibokensupport.feature"]
    assert getattr(feature._mod_uses_pyside, "_navoppfolging", False)

    def original(module: object) -> bool:  # shiboken 6.12's own check, written out
        try:
            source = inspect.getsource(module)  # type: ignore[arg-type]
        except (TypeError, OSError, SyntaxError):
            return False
        return "PySide6" in source

    modules = [m for m in list(sys.modules.values()) if m is not None]
    answers = [(m.__name__, feature._mod_uses_pyside(m), original(m)) for m in modules]
    assert any(ours for _, ours, _ in answers) and not all(ours for _, ours, _ in answers)
    assert [a for a in answers if a[1] != a[2]] == []


# --- the read started in a child process (PendingQuickOpen) ----------------------------------

_PENDING = textwrap.dedent("""
    import json, os, sys
    from navoppfolging.quickread import PendingQuickOpen, quick_open
    from navoppfolging import locking
    pending = PendingQuickOpen(None)
    forked = pending._child is not None
    asked = []
    def provider(first_time):
        asked.append(first_time)
        return os.environ.get("TEST_PASSPHRASE")
    try:
        opening = pending.finish(provider)
    except Exception as exc:
        print(json.dumps({"forked": forked, "error": str(exc)}))
        sys.exit(0)
    held = [count for _fd, count in locking._held.values()]
    snapshot = opening.snapshot
    opening.release()
    again = quick_open(None, passphrase_provider=provider)
    again.release()
    # No child left behind (it was waited for).
    try:
        os.waitpid(-1, os.WNOHANG)
        children = True
    except ChildProcessError:
        children = False
    print(json.dumps({"forked": forked, "held": held, "asked": asked, "children": children,
                      "cases": len(snapshot.cases), "equal": snapshot == again.snapshot}))
""")


def _prepared_env(tmp_path: Path, passphrase: str) -> dict[str, str]:
    env = {**os.environ, "NAVOPPFOLGING_DB_KEY": passphrase}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    env["NAVOPPFOLGING_LOG_DIR"] = str(tmp_path / "logs")
    demo = tmp_path / "demo.json"
    for args in (["demo", str(demo)], ["import", str(demo)]):
        prep = subprocess.run([sys.executable, "-m", "navoppfolging", *args], env=env, capture_output=True, text=True,
                              cwd=ROOT)
        assert prep.returncode == 0, prep.stderr
    return env


def _pending(env: dict[str, str]) -> dict[str, object]:
    import json

    result = subprocess.run([sys.executable, "-c", _PENDING], env=env, capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pending_read_in_a_child_gives_the_same_snapshot_and_the_parent_holds_the_lock(tmp_path: Path) -> None:
    env = _prepared_env(tmp_path, "korrekt hest batteri stift")
    out = _pending(env)
    assert out == {"forked": True, "held": [1], "asked": [], "children": False, "cases": 50, "equal": True}


def test_pending_read_falls_back_to_asking_when_the_child_cannot_get_the_key(tmp_path: Path) -> None:
    passphrase = "korrekt hest batteri stift"
    env = _prepared_env(tmp_path, passphrase)
    # No key in the environment and no secure keyring in the child: the window must ask.
    del env["NAVOPPFOLGING_DB_KEY"]
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["TEST_PASSPHRASE"] = passphrase
    out = _pending(env)
    assert out["forked"] is True and out["cases"] == 50 and out["equal"] is True
    assert out["asked"] == [False, False]  # once by finish (after the child gave up), once by quick_open


def test_pending_read_with_a_wrong_key_gives_the_classic_message(tmp_path: Path) -> None:
    env = _prepared_env(tmp_path, "korrekt hest batteri stift")
    env["NAVOPPFOLGING_DB_KEY"] = "feil hest batteri stift"
    out = _pending(env)
    assert out == {"forked": True, "error": crypto.WRONG_KEY.format(name="navoppfolging.db")}


def test_pending_read_without_fork_is_quick_open(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.quickread import PendingQuickOpen

    _default_db_with(demo_portfolio)
    import PySide6.QtCore  # noqa: F401 - Qt (and its threads) loaded: never fork then

    pending = PendingQuickOpen(None)
    assert pending._child is None
    opening = pending.finish()
    assert opening is not None and opening.snapshot is not None
    opening.release()
    assert PendingQuickOpen(f"sqlite:///{default_db_file()}").finish() is None


def test_a_failing_full_open_after_the_paint_is_shown_and_ends_the_program(qtbot, demo_portfolio, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from navoppfolging.ui import messages
    from navoppfolging.ui.state import AppState

    _default_db_with(demo_portfolio)
    opening = quick_open(None)
    assert opening is not None

    def refuse(**_kwargs: object) -> Database:
        opening.release()
        raise DatabaseError("Kan ikke ta sikkerhetskopi: disken er full.")

    monkeypatch.setattr(opening, "open_database", refuse)
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, title, text, *a: shown.append(f"{title}: {text}"))
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    state = AppState(opening=opening, today=TODAY)
    state.start_opening()
    qtbot.waitUntil(lambda: bool(quits), timeout=20000)
    assert shown == ["Kan ikke åpne databasen: Kan ikke ta sikkerhetskopi: disken er full."]
    assert not state.is_open
