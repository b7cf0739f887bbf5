"""The command-line contract (portfolio-format.md): strict ``YYYY-MM-DD`` dates on the command
line, exit 2 with a bokmål message for bad input or usage, 1 for anything else, a message on
stderr a caseworker can act on and never a traceback without ``--debug``."""

from __future__ import annotations

from pathlib import Path

import pytest

from navoppfolging.cli import main

# Python 3.11's date.fromisoformat takes all of these; the contract takes only YYYY-MM-DD.
NOT_ISO_DATES = ["20240301", "2024-W09-5", "2024-W091", "2024-061", "2024-3-1", " 2024-03-01", "2024-03-01 ",
                 "２０２４-０３-０１", "2024-02-30"]


@pytest.mark.parametrize("value", NOT_ISO_DATES)
def test_as_of_must_be_yyyy_mm_dd(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    """``due --as-of 20240301`` used to run (as 1 March); now it is bad usage, before the
    database is even opened."""
    db_file = tmp_path / "t.db"
    assert main(["due", "--db", f"sqlite:///{db_file}", "--as-of", value]) == 2
    err = capsys.readouterr().err
    assert "--as-of: ikke en dato (ÅÅÅÅ-MM-DD)" in err and "Traceback" not in err
    assert not db_file.exists()


def test_as_of_accepts_iso_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--db", f"sqlite:///{tmp_path / 't.db'}", "--as-of", "2024-03-01"]) == 0
    assert "Frister per 01.03.2024" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["20240301", "2024-W09-5"])
def test_delegate_until_must_be_yyyy_mm_dd(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert main(["admin", "delegate", "U-0001", "Z990001", "--until", value,
                 "--db", f"sqlite:///{tmp_path / 't.db'}"]) == 2
    assert "--until: ikke en dato" in capsys.readouterr().err


def test_import_json_refuses_as_of_like_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``import x.json --as-of …`` silently ignored the option, while ``export x.json --as-of``
    refused it; now both are bad usage (exit 2) and nothing is opened or written."""
    db_file = tmp_path / "t.db"
    src = tmp_path / "x.json"
    src.write_text('{"format": "navoppfolging-portfolio", "version": 1}', encoding="utf-8")
    assert main(["import", str(src), "--as-of", "2024-01-01", "--db", f"sqlite:///{db_file}"]) == 2
    assert "--as-of gjelder bare import fra .xlsx og .csv" in capsys.readouterr().err
    assert not db_file.exists()
    assert main(["export", str(tmp_path / "y.json"), "--as-of", "2024-01-01", "--db", f"sqlite:///{db_file}"]) == 2
    assert "--as-of gjelder ikke for .json-eksport" in capsys.readouterr().err
    # Spreadsheet import still takes --as-of (tests/test_tabular.py uses it).


# --- files the commands write -----------------------------------------------------------------


def _missing_dir_cases(tmp: Path) -> list[list[str]]:
    missing = tmp / "finnes-ikke"
    csv = tmp / "liste.csv"
    csv.write_text("Navn;Fødselsdato\nOla Nordmann;17.05.2004\n", encoding="utf-8")
    return [
        ["export", str(missing / "x.json")],
        ["export", str(missing / "x.csv")],
        ["export", str(missing / "x.xlsx")],
        ["export", str(missing / "x.ics")],
        ["plan", "U-0001", "-o", str(missing / "x.pdf")],
        ["demo", str(missing / "x.json")],
        ["workload", "--xlsx", str(missing / "x.xlsx")],
        ["import", str(csv), "--report", str(missing / "avviste.csv")],
    ]


@pytest.mark.parametrize("index", range(8))
def test_output_in_a_missing_folder_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 index: int) -> None:
    """``export /nonexistent-dir/x.json`` ended in «uventet feil (FileNotFoundError)» (exit 1) after
    opening the database; now: which path, what is wrong, exit 2, before the database is opened."""
    argv = _missing_dir_cases(tmp_path)[index]
    db_file = tmp_path / "t.db"
    assert main([*argv, "--db", f"sqlite:///{db_file}"]) == 2
    err = capsys.readouterr().err
    assert f"mappen {tmp_path / 'finnes-ikke'} finnes ikke" in err and "uventet feil" not in err, err
    assert not db_file.exists()


@pytest.mark.parametrize("argv", [["export", "{dir}"], ["export", "{dir}/mappe.csv"], ["plan", "U-0001", "-o", "{dir}"],
                                  ["demo", "{dir}"]])
def test_output_that_is_a_folder_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              argv: list[str]) -> None:
    """``export /tmp`` ended in «uventet feil (IsADirectoryError)»."""
    (tmp_path / "mappe.csv").mkdir()
    args = [a.replace("{dir}", str(tmp_path)) for a in argv]
    assert main([*args, "--db", f"sqlite:///{tmp_path / 't.db'}"]) == 2
    err = capsys.readouterr().err
    assert f"kan ikke skrive {args[-1]}: det er en mappe, ikke en fil" in err, err


@pytest.mark.parametrize(("error", "code", "message"), [
    (PermissionError(13, "Permission denied"), 2, "mangler skrivetilgang"),
    (OSError(28, "No space left on device"), 1, "disken er full"),
])
def test_errors_while_writing_name_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], error: OSError, code: int,
                                            message: str) -> None:
    """What the check before cannot foresee (no access — root may write anywhere, so simulated
    here —, a full disk) is still a message naming the file."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr("navoppfolging.exchange.write_file", refuse)
    target = tmp_path / "x.json"
    assert main(["export", str(target), "--db", f"sqlite:///{tmp_path / 't.db'}"]) == code
    err = capsys.readouterr().err
    assert f"{target}: {message}" in err and "uventet feil" not in err and "Permission" not in err, err


# --- the database URL --------------------------------------------------------------------------

SECRET = "hemmelig-pw-42"


def _logs() -> str:
    import os

    folder = Path(os.environ["NAVOPPFOLGING_LOG_DIR"])
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("url", ["notaurl://x", f"postgresql+nodriver://z990001:{SECRET}@server/db",
                                 f"mysql://z990001:{SECRET}@server/db", "ikke en url",
                                 f"postgresql://z990001:{SECRET}@server:port/db"])
def test_invalid_database_url_is_bad_usage_without_the_password(capsys: pytest.CaptureFixture[str], url: str) -> None:
    """``due --db notaurl://x`` ended in «uventet feil (NoSuchModuleError)» with exit 1, and an
    unparsable URL was quoted whole in the message — password included."""
    assert main(["due", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("navoppfolging: ugyldig database-URL") and "uventet feil" not in err, err
    assert SECRET not in err and SECRET not in _logs()


@pytest.mark.parametrize("url", [f"postgresql://z990001:{SECRET}@127.0.0.1:1/team", "postgresql://z990001@127.0.0.1:1/team"])
def test_unreachable_database_server_is_a_clear_message(capsys: pytest.CaptureFixture[str], url: str) -> None:
    """Nothing listens on port 1: OperationalError fell to «uventet feil (OperationalError)»."""
    assert main(["due", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "Får ikke kontakt med databasen på 127.0.0.1:1" in err and "uventet feil" not in err, err
    assert SECRET not in err and SECRET not in _logs() and "Traceback" not in _logs()


def test_refused_login_is_named_as_such() -> None:
    from sqlalchemy.engine import make_url

    from navoppfolging.teamdb import server_error

    url = make_url(f"postgresql://z990001:{SECRET}@server/team")
    refused = server_error(url, Exception('FATAL:  password authentication failed for user "z990001"'))
    assert str(refused) == "Databaseserveren avviste innloggingen for z990001: feil brukernavn eller passord."
    # An unescaped «@» in the password: SQLAlchemy takes the rest as the host; it is not shown.
    odd = make_url("postgresql://z990001:hemmelig@del@server/team")
    assert "del" not in str(server_error(odd, Exception("could not translate host name")))


@pytest.mark.parametrize("via", ["--db", "env"])
def test_explicit_database_in_a_missing_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], via: str) -> None:
    """``--db sqlite:////path/in/missing/dir/x.db`` silently created the folders (and an empty
    database): a typo in the path. Only the default location's folder is created."""
    folder = tmp_path / "skrivefeil" / "mappe"
    url = f"sqlite:///{folder / 'x.db'}"
    argv = ["due", "--db", url] if via == "--db" else ["due"]
    if via == "env":
        monkeypatch.setenv("NAVOPPFOLGING_DB", url)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"mappen {folder} finnes ikke" in err and "uventet feil" not in err, err
    assert not (tmp_path / "skrivefeil").exists()


def test_default_database_folder_is_still_created(capsys: pytest.CaptureFixture[str]) -> None:
    from navoppfolging.paths import default_db_file

    assert not default_db_file().parent.exists()
    assert main(["due", "--as-of", "2024-03-01"]) == 0
    assert default_db_file().is_file()


# --- stdout closed by its reader -------------------------------------------------------------------


@pytest.mark.parametrize(("cases", "extra", "buffered"), [(50, [], True), (0, [], True), (50, ["--json"], False)])
def test_closed_stdout_ends_quietly(tmp_path: Path, cases: int, extra: list[str], buffered: bool) -> None:
    """``navoppfolging due | head`` gave «uventet feil (BrokenPipeError)» and a traceback in the
    log. Now: exit 1, nothing on stderr, nothing in the log — whether the pipe breaks while the
    table is written (the demo portfolio's is longer than the stdout buffer; or no buffer:
    PYTHONUNBUFFERED) or only at the last flush (no cases: a few lines, still buffered when the
    command returns — Python's own flush at exit would print «Exception ignored»)."""
    import os
    import subprocess
    import sys

    from navoppfolging.db import Database
    from navoppfolging.demo import generate
    from navoppfolging.services import PortfolioService
    from tests.conftest import TODAY

    url = f"sqlite:///{tmp_path / 't.db'}"
    db = Database.open(url, actor="Z990001")
    try:
        PortfolioService(db).import_portfolio(generate(TODAY, n=cases))
    finally:
        db.close()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    child = subprocess.Popen([sys.executable, "-m", "navoppfolging", "due", "--db", url, "--as-of", TODAY.isoformat(),
                              "--horizon", "365", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, cwd=Path(__file__).resolve().parent.parent, env=env)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader goes away before anything is written
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1
    assert err == ""
    log = _logs()
    assert "uventet feil" not in log and "Traceback" not in log and "BrokenPipe" not in log


def test_a_command_started_without_stdout_runs_without_error(tmp_path: Path) -> None:
    """Started with stdout closed (``navoppfolging due >&-``) Python has no sys.stdout: the
    command runs, prints nowhere, and does not end in «uventet feil» with a traceback in the log."""
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 't.db'}"
    child = subprocess.run([sys.executable, "-m", "navoppfolging", "due", "--db", url], stdin=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1),  # noqa: PLW1509 - the test's point
                           cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert child.returncode == 0, child.stderr
    assert b"uventet feil" not in child.stderr
    log = _logs()
    assert "uventet feil" not in log and "Traceback" not in log


# --- argparse's own texts in bokmål ------------------------------------------------------------

ENGLISH = ("usage:", "positional arguments", "options:", "show this help", "show program's", "error:",
           "the following arguments", "invalid choice", "unrecognized arguments", "expected one argument",
           "choose from", "invalid int value")


@pytest.mark.parametrize("argv", [["--help"], ["due", "--help"], ["plan", "-h"], ["admin", "--help"]])
def test_help_is_bokmal(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """``navoppfolging --help`` and a command's help: argparse's headings and «-h» in bokmål too
    (they were «usage:», «positional arguments:», «options:», «show this help message and exit»)."""
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("bruk: navoppfolging")
    assert "\nvalg:\n" in out and "-h, --help" in out and "vis denne hjelpeteksten og avslutt" in out
    assert not [word for word in ENGLISH if word in out], out
    if argv == ["--help"]:
        assert "\nargumenter:\n" in out and "--version   vis versjonsnummeret og avslutt" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["plan"], "navoppfolging: disse argumentene må oppgis: REF, -o/--output"),
    (["finnes-ikke"], "navoppfolging: KOMMANDO: ugyldig valg: 'finnes-ikke' (velg blant 'import', "),
    (["due", "--bogus"], "navoppfolging: ukjente argumenter: --bogus"),
    (["due", "--horizon"], "navoppfolging: --horizon: trenger en verdi"),
    (["due", "--json=ja"], "navoppfolging: --json: tar ingen verdi (fikk 'ja')"),
    (["demo", "x.json", "--cases", "mange"], "navoppfolging: --cases: ugyldig verdi: 'mange'"),
    (["admin", "add-user", "Z1", "Navn", "--role", "SJEF"],
     "navoppfolging: --role: ugyldig valg: 'SJEF' (velg blant 'VEILEDER', 'TEAMLEDER')"),
])
def test_usage_errors_are_bokmal(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    """argparse's error texts in bokmål, exit 2, the usage line first as before."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("bruk: navoppfolging") and message in err, err
    assert not [word for word in ENGLISH if word in err], err


def test_bokmal_stays_inside_our_parsers(capsys: pytest.CaptureFixture[str]) -> None:
    """The translation is put back after each use: another argparse user in the same process
    (a library, a test tool) still gets argparse's own English."""
    import argparse
    import gettext

    with pytest.raises(SystemExit):
        main(["--help"])
    assert vars(argparse)["_"] is gettext.gettext and vars(argparse)["ngettext"] is gettext.ngettext
    assert argparse.ArgumentParser(prog="x").format_help().startswith("usage: x")
    capsys.readouterr()


# argparse messages only a programmer sees (a parser built wrongly), never a caseworker.
DEVELOPER_ONLY = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "argument \"-\" with mode %r", "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals", "dest= is required for options like %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "invalid conflict_resolution value: %r", "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments", "%r is not callable",
}


def test_every_argparse_message_has_a_bokmal_text() -> None:
    """Each message this Python's argparse can say through gettext is in the table (or is a
    programming error): a newer Python with new texts fails here rather than speaking English."""
    import argparse
    import ast
    import inspect

    from navoppfolging.cli import ARGPARSE_BOKMAL, ARGPARSE_BOKMAL_PLURAL

    singular: set[str] = set()
    plural: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                singular.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                plural.add((texts[0], texts[1]))
    assert "usage: " in singular and plural  # the scan finds argparse's messages
    assert sorted(singular - set(ARGPARSE_BOKMAL) - DEVELOPER_ONLY) == []
    assert sorted(plural - set(ARGPARSE_BOKMAL_PLURAL)) == []
