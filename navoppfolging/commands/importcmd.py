"""``navoppfolging import FILE``: validate the whole file, then write it in one transaction."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from navoppfolging.commands import open_db


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[common], help="importer en portefølje (JSON-utvekslingsformatet)")
    p.add_argument("file", type=Path, metavar="FIL")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from navoppfolging.exchange import read_file
    from navoppfolging.services import PortfolioService

    db = open_db(args)
    try:
        service = PortfolioService(db)
        portfolio = read_file(args.file, known_advisors=service.advisor_idents())
        print(service.import_portfolio(portfolio).line())
    finally:
        db.close()
    return 0
