"""``navoppfolging import FILE``: the JSON exchange format, or an Excel/CSV list.

JSON (any other extension, as before): validate the whole file first, then write it in one
transaction. ``.xlsx``/``.xlsm``/``.csv``: every row is checked, the valid rows are written in one
transaction, and the rejected rows are reported with row number, column and reason:

    navoppfolging import liste.xlsx [--dry-run] [--advisor IDENT] [--report avviste.csv]

Exit 0 when valid rows were imported (the summary says how many were rejected), 2 when no row
was valid or the usage is wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from navoppfolging.commands import check_output, open_db, parse_as_of, writing
from navoppfolging.errors import Problem, UsageError, ValidationError
from navoppfolging.words import count

TABULAR_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".xls")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[common],
                       help="importer en portefølje (JSON-utvekslingsformatet) eller en Excel-/CSV-liste")
    p.add_argument("file", type=Path, metavar="FIL")
    p.add_argument("--dry-run", action="store_true",
                   help="kontroller filen og vis rapporten uten å skrive noe")
    p.add_argument("--advisor", metavar="IDENT", default=None,
                   help="veileder (NAV-ident) for nye saker fra regneark uten kolonnen Veileder")
    p.add_argument("--report", metavar="FIL", type=Path, default=None,
                   help="lagre rapporten over avviste rader (.csv eller tekst)")
    p.add_argument("--as-of", dest="as_of", metavar="DATO", default=None,
                   help="dagens dato for kontrollen av regneark (ÅÅÅÅ-MM-DD; standard: i dag)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() in TABULAR_SUFFIXES:
        return run_tabular(args)
    if args.advisor is not None or args.report is not None:
        raise UsageError("--advisor og --report gjelder bare import fra .xlsx og .csv")
    # As ``export`` does: an option that does nothing for JSON is a mistake worth telling (the
    # exchange file's dates are all explicit; nothing is computed from «today»).
    if args.as_of is not None:
        raise UsageError("--as-of gjelder bare import fra .xlsx og .csv")
    return run_json(args)


def run_json(args: argparse.Namespace) -> int:
    from navoppfolging.exchange import read_file, unknown_advisors
    from navoppfolging.services import PortfolioService

    # Everything that does not need the database first: a bad file must not create, migrate
    # or back up the database (opening does all three).
    portfolio = read_file(args.file, known_advisors=None)
    from navoppfolging.db import resolve_url, sqlite_file

    path = sqlite_file(resolve_url(args.db))
    if path is not None and not path.exists():
        # A database that does not exist yet knows no advisor: every advisor the file does not
        # bring is unknown, and saying so must not create the database first.
        problems = unknown_advisors(portfolio, frozenset())
        if problems:
            raise ValidationError(problems)
    db = open_db(args)
    try:
        service = PortfolioService(db)
        problems = unknown_advisors(portfolio, service.advisor_idents())
        if problems:
            raise ValidationError(problems)
        if args.dry_run:
            print(f"Tørrkjøring: filen er gyldig ({len(portfolio.cases)} saker, {len(portfolio.advisors)} veiledere). "
                  "Ingenting er skrevet.")
            return 0
        print(service.import_portfolio(portfolio).line())
    finally:
        db.close()
    return 0


def run_tabular(args: argparse.Namespace) -> int:
    from navoppfolging import tabular
    from navoppfolging.services import AdvisorService, CaseService, PortfolioService

    as_of = parse_as_of(args.as_of)
    if args.report is not None:
        check_output(args.report)
    table = tabular.read_table(args.file)  # before the database: a bad file costs nothing
    mapping = tabular.ColumnMapping.recognise(table.headers)
    db = open_db(args)
    try:
        advisors = AdvisorService(db).list()
        advisor = _choose_advisor(args.advisor, advisors, mapping)
        result = tabular.preview(table, mapping, advisor, as_of, advisors=advisors,
                                 existing=CaseService(db).list(), next_ref=CaseService(db).new_ref())
        report = tabular.RejectReport.from_preview(result, source=args.file.name)
        new, updated, rejected = result.counts()
        out = sys.stdout if result.valid else sys.stderr
        print(f"{args.file.name}: {table.describe()}; {len(result.rows)} rader.", file=out)
        unused = [table.headers[i] for i, f in enumerate(mapping.fields) if f is None]
        if unused:
            print(f"Kolonner som ikke importeres: {', '.join(unused)}.", file=out)
        for line in report.lines():
            print(line, file=out)
        for row, note in report.notes:
            print(f"Rad {row} (merknad): {note}", file=out)
        if args.report is not None:
            with writing(args.report):
                report.save(args.report)
            print(f"Rapporten over avviste rader er lagret i {args.report}.", file=out)
        if not result.valid:
            print("Ingen gyldige rader: ingenting er importert.", file=sys.stderr)
            return 2
        if args.dry_run:
            print(f"Tørrkjøring: {count(new, 'ny sak', 'nye saker')} og {count(updated, 'oppdatert', 'oppdaterte')} "
                  f"ville blitt importert; {count(rejected, 'rad', 'rader')} avvist. Ingenting er skrevet.")
            return 0
        summary = PortfolioService(db).import_portfolio(result.portfolio())
        print(f"{summary.line()} Avvist: {count(rejected, 'rad', 'rader')}.")
    finally:
        db.close()
    return 0


def _choose_advisor(given: str | None, advisors: Any, mapping: Any) -> str | None:
    """``--advisor``, else the only advisor in the database; a Veileder column may do without."""
    from navoppfolging.tabular import Field

    idents: list[str] = [str(a.ident) for a in advisors]
    if given is not None:
        if given not in idents:
            raise ValidationError([Problem("--advisor", f"ukjent veileder {given!r} (finnes ikke i databasen)")])
        return given
    if len(idents) == 1:
        return idents[0]
    if Field.ADVISOR in mapping.mapped():
        return None
    if not idents:
        raise UsageError("databasen har ingen veiledere: opprett en veileder først, eller importer en JSON-fil med veileder")
    raise UsageError(f"velg veileder for de nye sakene med --advisor IDENT (finnes: {', '.join(idents)})")
