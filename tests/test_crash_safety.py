"""Crash safety: a child process writes through the services in a loop (contacts, reminders,
goal changes) on the encrypted database and reports each committed write on stdout; it is killed
with SIGKILL at random moments, at least 50 times. After every kill the database opens,
``PRAGMA integrity_check`` is ok and every write reported committed is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import URL

from navoppfolging import crypto
from navoppfolging.db import Database
from navoppfolging.services import PortfolioService

ROOT = Path(__file__).resolve().parent.parent
KILLS = 50

WRITER = r"""
import dataclasses, datetime as dt, os, sys
sys.path.insert(0, os.environ["ROOT"])
from sqlalchemy.engine import URL
from navoppfolging import domain as d
from navoppfolging.db import Database
from navoppfolging.services import CaseService
url = URL.create("sqlite+pysqlcipher", password=os.environ["KEY"], database=os.environ["DBFILE"])
db = Database.open(url, migrate=False, backup=False, actor="Z990001")
svc = CaseService(db)
refs = os.environ["REFS"].split(",")
i = int(os.environ["START"])
print("ready", flush=True)
while True:
    ref = refs[i % len(refs)]
    case = svc.get(ref)
    op = i % 3
    if op == 0:
        new = svc.add_contact(ref, expected_version=case.version, date=dt.date(2024, 6, 3), channel=d.Channel.TELEFON,
                              status=d.ContactStatus.GJENNOMFORT, summary=f"skriv {i}")
        print(f"contact {ref} {new.contacts[-1].id} {i}", flush=True)
    elif op == 1:
        new = svc.add_reminder(ref, expected_version=case.version, date=dt.date(2024, 7, 1), text=f"huskelapp {i}")
        print(f"reminder {ref} {new.reminders[-1].id} {i}", flush=True)
    else:
        svc.save(dataclasses.replace(case, goal=f"mål {i}"))
        print(f"goal {ref} - {i}", flush=True)
    i += 1
"""


def _state(path: Path, key: crypto.DbKey) -> tuple[str, set[tuple[str, str]], set[tuple[str, str]], dict[str, str | None]]:
    conn = crypto.connect_raw(path, key)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        contacts = set(conn.execute(
            "SELECT c.ref, k.ext_id FROM contacts k JOIN cases c ON c.id = k.case_id").fetchall())
        reminders = set(conn.execute(
            "SELECT c.ref, h.ext_id FROM reminders h JOIN cases c ON c.id = h.case_id").fetchall())
        goals = dict(conn.execute("SELECT ref, goal FROM cases").fetchall())
    finally:
        conn.close()
    return integrity, contacts, reminders, goals


def test_sigkill_never_loses_a_committed_write(tmp_path: Path, demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "krasj.db"
    key = crypto.new_raw_key()
    url = URL.create("sqlite+pysqlcipher", password=key.sql_password, database=str(path))
    db = Database.open(url, actor="Z990001")
    PortfolioService(db).import_portfolio(demo_portfolio)
    db.close()
    refs = [c.ref for c in demo_portfolio.cases[:8]]
    rng = random.Random(20240603)
    env = {**os.environ, "ROOT": str(ROOT), "KEY": key.sql_password, "DBFILE": str(path), "REFS": ",".join(refs)}

    reported_contacts: set[tuple[str, str]] = set()
    reported_reminders: set[tuple[str, str]] = set()
    last_goal: dict[str, int] = {}
    counter = 0
    kills = 0
    writes_reported = 0
    mid_write_kills = 0
    started = time.monotonic()
    while kills < KILLS:
        child = subprocess.Popen([sys.executable, "-c", WRITER], env={**env, "START": str(counter)},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.strip() == "ready", child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.35))
        os.kill(child.pid, signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        kills += 1
        lines = out.split("\n")
        complete, partial = lines[:-1], lines[-1]
        mid_write_kills += bool(partial)
        for line in complete:
            kind, ref, item, i = line.split(" ")
            writes_reported += 1
            counter = max(counter, int(i) + 1)
            if kind == "contact":
                reported_contacts.add((ref, item))
            elif kind == "reminder":
                reported_reminders.add((ref, item))
            else:
                last_goal[ref] = int(i)
        # A write may have committed without being reported: never reuse its number.
        counter += 1

        # The database opens (lock released by the kill, key accepted, schema at head) …
        Database.open(url, backup=False).close()
        integrity, contacts, reminders, goals = _state(path, key)
        assert integrity == "ok", f"after kill {kills}: {integrity}"
        # … and every reported write is there (an unreported later write may be there too).
        assert reported_contacts <= contacts, f"after kill {kills}: lost {reported_contacts - contacts}"
        assert reported_reminders <= reminders, f"after kill {kills}: lost {reported_reminders - reminders}"
        for ref, i in last_goal.items():
            stored = goals[ref]
            assert stored is not None and stored.startswith("mål ") and int(stored[4:]) >= i, (ref, stored, i)

    elapsed = time.monotonic() - started
    print(f"\ncrash safety: {kills} SIGKILLs survived, {writes_reported} writes reported committed, "
          f"0 lost, {mid_write_kills} kills mid-line, {elapsed:.1f} s")
    assert kills >= 50
    assert writes_reported > kills  # the kills really hit a process that was writing
    assert len(reported_contacts) + len(reported_reminders) > 0
