"""``navoppfolging demo FILE``: write a synthetic 50-case portfolio (invented people)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from navoppfolging.commands import check_output, parse_as_of, writing


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="lag en oppdiktet demo-portefølje med 50 saker")
    p.add_argument("file", type=Path, metavar="FIL")
    p.add_argument("--as-of", metavar="DATO", help="datoen porteføljen lages rundt (standard: i dag)")
    p.add_argument("--cases", type=int, default=50, metavar="N")
    p.add_argument("--seed", type=int, default=2024)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from navoppfolging.demo import generate
    from navoppfolging.exchange import write_file

    check_output(args.file)
    portfolio = generate(parse_as_of(args.as_of), n=args.cases, seed=args.seed)
    with writing(args.file):
        write_file(portfolio, args.file)
    print(f"Skrev demo-portefølje med {len(portfolio.cases)} oppdiktede saker til {args.file}.")
    return 0
