"""``navoppfolging --self-test``: prove a build works without a display or a user.

Migrates a fresh database in a temporary directory, imports and evaluates the demo portfolio,
writes a plan PDF, and checks the bundled resources are there. Exit 0 on success."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path


def _encrypted_start_up_read(tmp: Path, today: dt.date) -> str:
    """SQLCipher and the window's start-up read (``quickread``) work in this build: an encrypted
    file read without SQLAlchemy gives what the services give."""
    from navoppfolging import crypto
    from navoppfolging.db import ENCRYPTED_DRIVER, Database
    from navoppfolging.demo import generate
    from navoppfolging.quickread import read_snapshot
    from navoppfolging.services import CaseService, PortfolioService
    from sqlalchemy.engine import URL

    key = crypto.new_raw_key()
    path = tmp / "kryptert.db"
    db = Database.open(URL.create(ENCRYPTED_DRIVER, password=key.sql_password, database=str(path)), actor="selftest")
    try:
        PortfolioService(db).import_portfolio(generate(today))
        expected = CaseService(db).list()
    finally:
        db.close()
    if crypto.is_plain_sqlite(path):
        raise RuntimeError("databasen ble ikke kryptert")
    conn = crypto.connect_raw(path, key)
    try:
        snapshot = read_snapshot(conn)
    finally:
        conn.close()
    if snapshot.cases != expected:
        raise RuntimeError("oppstartslesingen ga ikke det samme som tjenestene")
    return f"kryptert database lest ved oppstart ({len(snapshot.cases)} saker)"


def run_self_test(*, out=sys.stdout) -> int:  # type: ignore[no-untyped-def]
    from navoppfolging import __version__, resources_path
    from navoppfolging.db import Database
    from navoppfolging.demo import generate
    from navoppfolging.plan_pdf import render_plan
    from navoppfolging.rules import evaluate, ruleset_for
    from navoppfolging.services import AdvisorService, CaseService, PortfolioService

    started = time.perf_counter()
    today = dt.date.today()
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix="navoppfolging-selftest-") as tmp:
        db = Database.open(f"sqlite:///{Path(tmp) / 'selftest.db'}", actor="selftest")
        try:
            steps.append("database migrert")
            PortfolioService(db).import_portfolio(generate(today))
            cases = CaseService(db).list()
            steps.append(f"{len(cases)} demo-saker importert")
            evaluation = evaluate(cases, today)
            steps.append(f"{len(evaluation.items)} frister evaluert ({ruleset_for(today).id})")
            case = cases[0]
            pdf = render_plan(case, AdvisorService(db).get(case.advisor), as_of=today)
            if not pdf.startswith(b"%PDF"):
                raise RuntimeError("plan-PDF-en er ugyldig")
            (Path(tmp) / "plan.pdf").write_bytes(pdf)
            steps.append(f"aktivitetsplan skrevet ({len(pdf)} byte)")
        finally:
            db.close()
        steps.append(_encrypted_start_up_read(Path(tmp), today))
    for required in ("rulesets/mdb-2023.json", "rulesets/mdb-2024.json", "fonts", "icons/navoppfolging.svg"):
        if not (resources_path() / required).exists():
            raise RuntimeError(f"mangler ressurs: {required}")
    steps.append("ressurser funnet")
    print(f"navoppfolging {__version__} selvtest OK på {time.perf_counter() - started:.2f} s: " + "; ".join(steps), file=out)
    return 0
