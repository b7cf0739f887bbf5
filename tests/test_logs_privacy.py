"""No personal data in the logs: a full import → evaluate → print cycle on the demo portfolio with
DEBUG logging (command line in subprocesses, the services in-process, error paths included) leaves
no name, fødselsnummer, phone number, e-mail or free text in the log files."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from navoppfolging import domain as d
from navoppfolging import logs
from navoppfolging.db import Database
from navoppfolging.errors import ValidationError
from navoppfolging.exchange import portfolio_to_dict
from navoppfolging.services import AdvisorService, CaseService, PortfolioService
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "loggtest-passord-123"
SECRET_KEYS = {"name", "fnr", "phone", "email", "goal", "summary", "note", "title", "description", "text",
               "closed_reason", "organisation", "place"}


def _secrets(data: object) -> set[str]:
    """Every personal or free-text value in an exchange document."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SECRET_KEYS and isinstance(value, str) and len(value.strip()) >= 5:
                    found.add(value)
                    digits = re.sub(r"\D", "", value)
                    if key == "phone" and len(digits) >= 8:
                        found.add(digits)
                        found.add(digits[-8:])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


@pytest.fixture
def debug_logging() -> Iterator[Path]:
    """The application's own logging set-up, at DEBUG, into this test's log directory."""
    root = logging.getLogger("navoppfolging")
    handlers, level = list(root.handlers), root.level
    for h in handlers:
        root.removeHandler(h)
    logs._configured = False
    logs.setup_logging(debug=True)
    yield logs.log_dir()
    for h in list(root.handlers):
        h.close()
        root.removeHandler(h)
    for h in handlers:
        root.addHandler(h)
    root.setLevel(level)
    logs._configured = True


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "navoppfolging", "--debug", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


def test_full_cycle_leaves_no_personal_data_in_the_logs(tmp_path: Path, demo_portfolio, debug_logging: Path) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.plan_pdf import render_plan
    from navoppfolging.rules import evaluate

    log_dir = debug_logging
    document = portfolio_to_dict(demo_portfolio)
    secrets = _secrets(document)
    assert len(secrets) > 200  # names, fnr, phones, goals, summaries … of 50 cases

    # 1. The command line, as a user runs it: encrypted default database, passphrase from the
    #    environment (subprocesses have no secure keyring), DEBUG logging.
    env = {**os.environ, "NAVOPPFOLGING_DB_KEY": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    demo_file = tmp_path / "demo.json"
    demo_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    ref = demo_portfolio.cases[0].ref
    for args in (("import", str(demo_file)),
                 ("due", "--as-of", TODAY.isoformat(), "--json"),
                 ("due", "--as-of", TODAY.isoformat()),
                 ("workload", "--as-of", TODAY.isoformat(), "--json"),
                 ("plan", ref, "-o", str(tmp_path / "plan.pdf"), "--as-of", TODAY.isoformat()),
                 ("backup",),
                 ("retention", "--as-of", TODAY.isoformat()),
                 ("export", str(tmp_path / "ut.json"))):
        result = _cli(*args, env=env, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr[-2000:])
    # A bad file whose values are personal data: rejected, the values are not logged.
    bad = json.loads(json.dumps(document))
    bad["cases"][0]["birth_date"] = bad["cases"][0]["name"]
    bad["cases"][1]["fnr"] = "12345678901"
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert _cli("import", str(tmp_path / "bad.json"), env=env, cwd=tmp_path).returncode == 2
    # A wrong passphrase.
    assert _cli("due", env={**env, "NAVOPPFOLGING_DB_KEY": "feil passord her"}, cwd=tmp_path).returncode == 1

    # 2. In-process: import, evaluate, render every plan, edit through the window's doorway.
    db = Database.open(f"sqlite:///{tmp_path / 'inproc.db'}", actor="Z990001")
    try:
        PortfolioService(db).import_portfolio(demo_portfolio)
        cases = CaseService(db).list()
        evaluation = evaluate(cases, TODAY)
        assert evaluation.items
        advisors = {a.ident: a for a in AdvisorService(db).list()}
        for case in cases:
            assert render_plan(case, advisors.get(case.advisor), as_of=TODAY)[:4] == b"%PDF"
        case = cases[0]
        case = CaseService(db).add_contact(case.ref, expected_version=case.version, date=TODAY,
                                           channel=d.Channel.TELEFON, status=d.ContactStatus.GJENNOMFORT,
                                           summary="Snakket om rusbehandling og gjeld hos Kari")
        secrets.add("Snakket om rusbehandling og gjeld hos Kari")
        with pytest.raises(ValidationError):
            CaseService(db).save(dataclasses.replace(case, fnr="17050499999"))
        # An unexpected error carrying personal data in its message goes through log.exception.
        try:
            raise ValueError(f"klarte ikke {case.name} {case.phone}")
        except ValueError:
            logging.getLogger("navoppfolging.test").exception("uventet feil")
        logging.getLogger("navoppfolging.test").debug("sak %s evaluert: %d punkter", case.ref, len(evaluation.items))
    finally:
        db.close()
    for h in logging.getLogger("navoppfolging").handlers:
        h.flush()

    files = sorted(log_dir.glob("navoppfolging.log*"))
    assert files, "no log written"
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    # The log is not empty: the cycle is in it (refs, counts, the exception type).
    assert "import: 50 nye" in text
    assert "DEBUG" in text and f"sak {ref} evaluert" in text
    assert "ValueError" in text and "meldingen utelatt" in text
    leaked = sorted(s for s in secrets if s in text)
    assert leaked == [], f"personal data in the log: {len(leaked)} values, e.g. {leaked[:1]!r}"
    # The passphrase itself is never logged either, nor SQL (echo is never on).
    assert PASSPHRASE not in text
    assert "SELECT" not in text and "INSERT" not in text


def test_no_log_call_formats_personal_fields() -> None:
    """Static check: no ``log.*`` call in the core or the UI passes a name/fnr/phone/free-text
    attribute (``.name``, ``.fnr``, ``.phone``, ``.goal``, ``.summary`` …) as an argument."""
    import ast

    bad: list[str] = []
    attrs = {"name", "fnr", "phone", "email", "goal", "summary", "note", "title", "description", "text",
             "closed_reason", "place", "organisation"}
    files = sorted((ROOT / "navoppfolging").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("log", "logger", "logging")
                    and node.func.attr in ("debug", "info", "warning", "error", "exception", "critical")):
                for arg in ast.walk(ast.Module(body=[ast.Expr(a) for a in node.args], type_ignores=[])):
                    if isinstance(arg, ast.Attribute) and arg.attr in attrs:
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno} logs .{arg.attr}")
    assert bad == []
