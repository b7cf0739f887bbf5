"""``navoppfolging export FILE``: the whole portfolio in the exchange format."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from navoppfolging.commands import open_db


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help="eksporter porteføljen (JSON-utvekslingsformatet)")
    p.add_argument("file", type=Path, metavar="FIL")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from navoppfolging.exchange import write_file
    from navoppfolging.services import PortfolioService

    db = open_db(args)
    try:
        portfolio = PortfolioService(db).export()
        write_file(portfolio, args.file)
    finally:
        db.close()
    print(f"Eksportert {len(portfolio.cases)} saker til {args.file}.")
    return 0
