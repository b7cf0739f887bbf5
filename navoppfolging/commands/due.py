"""``navoppfolging due``: the follow-ups due by ``as_of + horizon`` (portfolio-format.md).

    navoppfolging due [--as-of DATE] [--advisor IDENT] [--horizon N] [--json]

Items are sorted by due date, then case ref, then rule ID. Flags are listed for every open case
that has one (they have no due date, so the horizon does not apply to them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any, TextIO

from navoppfolging.commands import load_portfolio, parse_as_of
from navoppfolging.errors import UsageError
from navoppfolging.rules import STATUS_LABELS, DueItem, Evaluation, evaluate
from navoppfolging.rules.facts import fmt

DEFAULT_HORIZON = 30


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("due", parents=[common], help="frister for oppfølging etter mål- og disponeringsbrevet")
    p.add_argument("--as-of", dest="as_of", metavar="DATO", default=None,
                   help="dato fristene beregnes for (ÅÅÅÅ-MM-DD; standard: i dag)")
    p.add_argument("--advisor", metavar="IDENT", default=None, help="bare saker for denne veilederen (NAV-ident)")
    p.add_argument("--horizon", metavar="N", default=str(DEFAULT_HORIZON),
                   help=f"vis frister til og med as_of + N dager (standard {DEFAULT_HORIZON})")
    p.add_argument("--json", action="store_true", help="skriv JSON i stedet for tabell")
    p.set_defaults(func=run)


def parse_horizon(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--horizon: ikke et helt antall dager: {text!r}") from None
    if value < 0:
        raise UsageError(f"--horizon: kan ikke være negativ: {value}")
    return value


def select_items(evaluation: Evaluation, horizon: int) -> tuple[DueItem, ...]:
    """Items with ``due <= as_of + horizon`` (overdue items are always included)."""
    limit = evaluation.as_of + dt.timedelta(days=horizon)
    return tuple(item for item in evaluation.items if item.due <= limit)


def to_json(evaluation: Evaluation, items: tuple[DueItem, ...]) -> dict[str, Any]:
    return {
        "as_of": evaluation.as_of.isoformat(),
        "ruleset": evaluation.ruleset.id,
        "items": [
            {
                "case": item.case,
                "rule": item.rule,
                "due": item.due.isoformat(),
                "status": item.status.value,
                "title": item.title,
                "source": str(item.source),
                "activity": item.activity,
                "contact": item.contact,
                "explanation": item.explanation,
                "satisfied_by": item.satisfied_by,
            }
            for item in items
        ],
        "flags": [{"case": flag.case, "flag": flag.flag} for flag in evaluation.flags],
    }


def note_text(due: dt.date) -> str:
    from navoppfolging.holidays_no import note_text as holiday_note

    return holiday_note(due)


def write_table(evaluation: Evaluation, items: tuple[DueItem, ...], horizon: int, out: TextIO) -> None:
    ruleset = evaluation.ruleset
    note = f", siste kjente brev: {ruleset.year}" if ruleset.year < evaluation.as_of.year else ""
    out.write(f"Frister per {fmt(evaluation.as_of)} til og med {fmt(evaluation.as_of + dt.timedelta(days=horizon))} "
              f"({ruleset.id}{note})\n")
    if not items:
        out.write("Ingen frister i perioden.\n")
    else:
        rows = [("Frist", "Status", "Sak", "Regel", "Hva")]
        for item in items:
            what = item.title
            if item.activity:
                what += f" [aktivitet {item.activity}]"
            if item.contact:
                what += f" [kontakt {item.contact}]"
            rows.append((fmt(item.due), STATUS_LABELS[item.status], item.case, item.rule, what))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            out.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] + "\n")
            if index == 0:
                out.write("  ".join("-" * w for w in widths) + "  " + "-" * 3 + "\n")
            else:
                item = items[index - 1]
                indent = " " * (sum(widths) + 8)
                out.write(f"{indent}{item.explanation}\n")
                holiday = note_text(item.due)
                if holiday:
                    out.write(f"{indent}{holiday}\n")
                if item.exceptions:
                    out.write(f"{indent}Registrert unntak: "
                              + "; ".join(f"{e.kind.value} {fmt(e.date)}" for e in item.exceptions) + "\n")
        counts = {status: sum(1 for i in items if i.status is status) for status in STATUS_LABELS}
        out.write("\n" + ", ".join(f"{STATUS_LABELS[s].lower()}: {n}" for s, n in counts.items()) + "\n")
    if evaluation.flags:
        out.write("\nMerker:\n")
        by_case: dict[str, list[str]] = {}
        for flag in evaluation.flags:
            by_case.setdefault(flag.case, []).append(flag.flag)
        for ref, names in by_case.items():
            out.write(f"  {ref}: {', '.join(names)}\n")


def run(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)
    horizon = parse_horizon(args.horizon)
    portfolio, settings = load_portfolio(args)
    evaluation = evaluate(portfolio.cases, as_of, settings=settings)
    items = select_items(evaluation, horizon)
    if args.json:
        json.dump(to_json(evaluation, items), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        write_table(evaluation, items, horizon, sys.stdout)
    return 0
