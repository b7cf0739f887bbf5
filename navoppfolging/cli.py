"""The ``navoppfolging`` entry point: sub-commands, or the desktop window with none.

Exit codes per the contract: 0 success, 2 bad input or usage, 1 anything else — always with a
message on stderr a caseworker can act on, and no traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from navoppfolging import __version__
from navoppfolging.errors import NavOppfolgingError, UsageError, ValidationError

# One module per sub-command (navoppfolging/commands/<name>.py), imported only when used so
# that e.g. `import` never loads ReportLab and no sub-command ever loads Qt.
COMMANDS: dict[str, str] = {
    "import": "navoppfolging.commands.importcmd",
    "export": "navoppfolging.commands.exportcmd",
    "demo": "navoppfolging.commands.democmd",
    "due": "navoppfolging.commands.due",
    "plan": "navoppfolging.commands.plan",
    "workload": "navoppfolging.commands.workload",
    "admin": "navoppfolging.commands.admin",
    "backup": "navoppfolging.commands.backup",
    "restore": "navoppfolging.commands.restore",
    "retention": "navoppfolging.commands.retention",
    "encrypt-db": "navoppfolging.commands.encryptdb",
}

log = logging.getLogger(__name__)


# argparse's own texts — the usage line, the section titles, «-h»'s help, its error messages —
# in bokmål. argparse looks each one up through gettext, as its module-level ``_`` and
# ``ngettext``, at the moment it needs it; while one of our parsers is built, formats its help
# or parses, those two names answer from these tables (and are put back afterwards, so nothing
# else in the process sees a changed argparse). Keys are argparse's own message ids; a test
# checks that every message of the running Python's argparse is here or is a programming error.
ARGPARSE_BOKMAL: dict[str, str] = {
    "usage: ": "bruk: ",
    "positional arguments": "argumenter",
    "options": "valg",
    "optional arguments": "valg",
    "subcommands": "kommandoer",
    "show this help message and exit": "vis denne hjelpeteksten og avslutt",
    "show program's version number and exit": "vis versjonsnummeret og avslutt",
    # Error messages, printed as «navoppfolging: <message>» like our own.
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "disse argumentene må oppgis: %s",
    "one of the arguments %s is required": "ett av argumentene %s må oppgis",
    "unrecognized arguments: %s": "ukjente argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldig valg: %(value)r (velg blant %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "ukjent kommando %(parser_name)r (velg blant %(choices)s)",
    "invalid %(type)s value: %(value)r": "ugyldig verdi: %(value)r",
    "expected one argument": "trenger en verdi",
    "expected at most one argument": "tar høyst én verdi",
    "expected at least one argument": "trenger minst én verdi",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig valg: %(option)s kan bety %(matches)s",
    "unexpected option string: %s": "uventet valg: %s",
    "not allowed with argument %s": "kan ikke brukes sammen med %s",
    "ignored explicit argument %r": "tar ingen verdi (fikk %r)",
    "can't open '%(filename)s': %(error)s": "kan ikke åpne «%(filename)s»: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: feil: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: advarsel: %(message)s\n",
    "option '%(option)s' is deprecated": "valget «%(option)s» er foreldet",
    "argument '%(argument_name)s' is deprecated": "argumentet «%(argument_name)s» er foreldet",
    "command '%(parser_name)s' is deprecated": "kommandoen «%(parser_name)s» er foreldet",
}
ARGPARSE_BOKMAL_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): ("trenger %s verdi", "trenger %s verdier"),
    ("conflicting option string: %s", "conflicting option strings: %s"): ("valget finnes fra før: %s",
                                                                          "valgene finnes fra før: %s"),
}


def _gettext_bokmal(message: str) -> str:
    return ARGPARSE_BOKMAL.get(message, message)


def _ngettext_bokmal(singular: str, plural: str, n: int) -> str:
    one, many = ARGPARSE_BOKMAL_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


class _ArgparseInBokmal:
    """``with _IN_BOKMAL:`` — argparse's texts in bokmål for the duration (re-entrant)."""

    def __init__(self) -> None:
        self._saved: list[tuple[Any, Any]] = []

    def __enter__(self) -> None:
        module = vars(argparse)
        self._saved.append((module["_"], module["ngettext"]))
        module["_"], module["ngettext"] = _gettext_bokmal, _ngettext_bokmal

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        vars(argparse)["_"], vars(argparse)["ngettext"] = self._saved.pop()


_IN_BOKMAL = _ArgparseInBokmal()


class _Parser(argparse.ArgumentParser):
    """Errors become ``UsageError`` (exit 2 with «navoppfolging: …»); argparse's texts are
    bokmål in every step that writes one: building (titles, «-h»), help and usage, parsing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _IN_BOKMAL:
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _IN_BOKMAL:  # «unrecognized arguments» is said here, outside parse_known_args
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _IN_BOKMAL:
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _IN_BOKMAL:
            return super().format_usage()

    def format_help(self) -> str:
        with _IN_BOKMAL:
            return super().format_help()

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _common_options(*, default: object) -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="URL", default=default,
                        help="SQLAlchemy-URL til databasen (ellers NAVOPPFOLGING_DB eller standardfilen)")
    common.add_argument("--debug", action="store_true", default=default if default is not None else False,
                        help="vis full feilmelding (traceback)")
    return common


def opens_window(argv: Sequence[str]) -> bool:
    """No sub-command, no help and nothing else positional: the window starts, and no command
    module needs loading (they pull in ReportLab, openpyxl … — start-up time, issue 9)."""
    value_of_db = False
    for arg in argv:
        if value_of_db:
            value_of_db = False
        elif arg == "--db":
            value_of_db = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return False
    return True


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    top = _common_options(default=None)
    # On the sub-commands the same options default to SUPPRESS, so `--db` given before the
    # sub-command is not overwritten by the sub-parser's default.
    common = _common_options(default=argparse.SUPPRESS)
    parser = _Parser(prog="navoppfolging", parents=[top],
                     description="Oppfølging av unge under ungdomsgarantien. Uten underkommando åpnes vinduet.")
    parser.add_argument("--version", action="version", version=f"navoppfolging {__version__}",
                        help=ARGPARSE_BOKMAL["show program's version number and exit"])
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    # Only the chosen command's module is imported; `--help` lists all of them.
    wanted = next((a for a in argv if a in COMMANDS), None)
    for name, module_name in COMMANDS.items():
        if (wanted is not None and name != wanted) or (wanted is None and opens_window(argv)):
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # a command whose module does not exist in this build
            raise
        module.register(sub, common)
    return parser


def no_arguments() -> argparse.Namespace:
    """What the parser gives for an empty command line (the window with the default database).
    Built without the parser: the advisor's usual start skips building it (≈ 3 ms, issue 9);
    ``tests/test_cli_start.py`` proves it equals ``build_parser([]).parse_args([])``."""
    return argparse.Namespace(db=None, debug=False, self_test=False, command=None)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    # Started with stdout or stderr closed (``>&-``), Python has None there: what the command
    # writes goes nowhere rather than ending in AttributeError.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    try:
        args = build_parser(args_list).parse_args(args_list) if args_list else no_arguments()
        from navoppfolging.logs import setup_logging

        setup_logging(debug=debug)
        if getattr(args, "self_test", False):
            from navoppfolging.selftest import run_self_test

            return run_self_test()
        if args.command is None:
            # The window is the composition root's other half: loaded by name so the core
            # keeps no import of the Qt package (the import-linter contract checks that).
            from navoppfolging.quickread import PendingQuickOpen

            # Before Qt is loaded: the database read starts in a child process (where it can).
            pending = PendingQuickOpen(args.db)
            app = importlib.import_module("navoppfolging.ui.app")
            return int(app.run(db_url=args.db, pending=pending))
        code = int(args.func(args))
        sys.stdout.flush()  # here, so that a reader gone away (below) is seen before the exit's flush
        return code
    except BrokenPipeError:
        # stdout's reader has gone (``navoppfolging due | head``): stop quietly — no message, no
        # traceback, no log entry. Python's recipe: point stdout at devnull so the flush at exit
        # does not fail again, and exit 1 (the output was not all delivered).
        _discard_stdout()
        return 1
    except ValidationError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"navoppfolging: {exc}", file=sys.stderr)
        return 2
    except NavOppfolgingError as exc:
        if debug:
            raise
        print(f"navoppfolging: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        if debug:
            raise
        log.exception("uventet feil")
        print(f"navoppfolging: uventet feil ({type(exc).__name__}). Kjør med --debug for detaljer.", file=sys.stderr)
        return 1


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # io.UnsupportedOperation: stdout is no file (tests capture it)
        pass


if __name__ == "__main__":
    sys.exit(main())
