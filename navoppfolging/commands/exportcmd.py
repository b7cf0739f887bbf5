"""``navoppfolging export FILE``: the portfolio, in the format the file's extension names.

    navoppfolging export portefolje.json                        # the exchange format (as before)
    navoppfolging export liste.xlsx|liste.csv [--with-fnr] [--as-of DATE]
    navoppfolging export frister.ics [--horizon N] [--as-of DATE] [--with-names]

Spreadsheets leave out fødselsnummer unless ``--with-fnr``; the calendar uses ref and initials
unless ``--with-names``, and never holds a fødselsnummer.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from navoppfolging.commands import check_output, load_portfolio, open_db, parse_as_of, writing
from navoppfolging.errors import UsageError

SPREADSHEET = (".xlsx", ".csv")
CALENDAR = (".ics",)
DEFAULT_HORIZON = 30


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common],
                       help="eksporter porteføljen (.json utvekslingsformat, .xlsx/.csv regneark, .ics kalender)")
    p.add_argument("file", type=Path, metavar="FIL")
    p.add_argument("--with-fnr", action="store_true", help="ta med fødselsnummer i regnearket (.xlsx/.csv)")
    p.add_argument("--with-names", action="store_true", help="bruk fullt navn i kalenderen (.ics), ikke initialer")
    p.add_argument("--horizon", metavar="N", default=None,
                   help=f"kalender: frister og møter til og med as_of + N dager (standard {DEFAULT_HORIZON})")
    p.add_argument("--as-of", dest="as_of", metavar="DATO", default=None,
                   help="dato fristene beregnes for (ÅÅÅÅ-MM-DD; standard: i dag)")
    p.add_argument("--advisor", metavar="IDENT", default=None, help="regneark/kalender: bare saker for denne veilederen")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    suffix = args.file.suffix.lower()
    check_output(args.file)
    if suffix in SPREADSHEET:
        _only(args, suffix, allowed=("with_fnr", "as_of", "advisor"))
        return _spreadsheet(args)
    if suffix in CALENDAR:
        _only(args, suffix, allowed=("with_names", "horizon", "as_of", "advisor"))
        return _calendar(args)
    _only(args, suffix or "JSON", allowed=())
    return _json(args)


def _only(args: argparse.Namespace, kind: str, *, allowed: tuple[str, ...]) -> None:
    """An option that does nothing for this format is a mistake worth telling (e.g. --with-fnr on .ics)."""
    names = {"with_fnr": "--with-fnr", "with_names": "--with-names", "horizon": "--horizon", "as_of": "--as-of",
             "advisor": "--advisor"}
    for key, flag in names.items():
        value = getattr(args, key, None)
        if key not in allowed and value not in (None, False):
            raise UsageError(f"{flag} gjelder ikke for {kind}-eksport")


def _json(args: argparse.Namespace) -> int:
    from navoppfolging.exchange import write_file
    from navoppfolging.services import PortfolioService

    db = open_db(args)
    try:
        portfolio = PortfolioService(db).export()
        with writing(args.file):
            write_file(portfolio, args.file)
    finally:
        db.close()
    print(f"Eksportert {len(portfolio.cases)} saker til {args.file}.")
    return 0


def _spreadsheet(args: argparse.Namespace) -> int:
    from navoppfolging.spreadsheet_export import write_spreadsheet

    as_of = parse_as_of(args.as_of)
    portfolio, settings = load_portfolio(args)
    with writing(args.file):
        n = write_spreadsheet(args.file, portfolio.cases, as_of, with_fnr=args.with_fnr, settings=settings)
    extra = " med fødselsnummer" if args.with_fnr else " (uten fødselsnummer)"
    print(f"Eksportert {n} saker til {args.file}{extra}.")
    return 0


def _calendar(args: argparse.Namespace) -> int:
    from navoppfolging.calendar_export import write_calendar
    from navoppfolging.commands.due import parse_horizon

    as_of = parse_as_of(args.as_of)
    horizon = parse_horizon(args.horizon) if args.horizon is not None else DEFAULT_HORIZON
    portfolio, settings = load_portfolio(args)
    with writing(args.file):
        n = write_calendar(args.file, portfolio.cases, as_of, horizon=horizon, with_names=args.with_names,
                           settings=settings)
    print(f"Eksportert {n} hendelser (frister og planlagte møter til og med {horizon} dager fram) til {args.file}.")
    return 0
