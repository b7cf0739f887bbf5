"""``navoppfolging workload``: the team lead's counts per advisor (portfolio-format.md).

    navoppfolging workload [--as-of DATE] [--json] [--xlsx FILE] [--pdf FILE]

Against a PostgreSQL team database the figures are aggregated by the database's own workload
functions (a team lead may call them, but not read cases); otherwise from the local file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from navoppfolging.commands import check_output, open_db, parse_as_of, writing


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("workload", parents=[common], help="arbeidsmengde per veileder (bare antall)")
    p.add_argument("--as-of", dest="as_of", metavar="DATO", default=None,
                   help="dato tallene beregnes for (ÅÅÅÅ-MM-DD; standard: i dag)")
    p.add_argument("--json", action="store_true", help="skriv JSON i stedet for tabell")
    p.add_argument("--xlsx", metavar="FIL", type=Path, default=None, help="eksporter også til Excel (.xlsx)")
    p.add_argument("--pdf", metavar="FIL", type=Path, default=None, help="eksporter også til PDF")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from navoppfolging.rules import LocalSettings
    from navoppfolging.services import SettingsService
    from navoppfolging.workload import load_workload, load_workload_counts
    from navoppfolging.workload_export import write_pdf, write_table, write_xlsx

    as_of = parse_as_of(args.as_of)
    for target in (args.xlsx, args.pdf):
        if target is not None:
            check_output(target)
    db = open_db(args)
    try:
        settings = LocalSettings.from_mapping(SettingsService(db).all())
        # In team mode the SQL counts come at once: the table prints them before the engine's
        # per-rule counts, which take a few seconds for a large team (then the whole table).
        first = None if args.json else load_workload_counts(db, as_of, settings=settings)
        if first is not None and first.rule_counts_pending:
            write_table(first, sys.stdout)
            sys.stdout.write("\n")
            sys.stdout.flush()
            first = None
        workload = first if first is not None else load_workload(db, as_of, settings=settings)
    finally:
        db.close()
    if args.json:
        json.dump(workload.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        write_table(workload, sys.stdout)
    for target, writer in ((args.xlsx, write_xlsx), (args.pdf, write_pdf)):
        if target is not None:
            with writing(target):
                writer(workload, target)
            print(f"Skrev {target}", file=sys.stderr)
    return 0
