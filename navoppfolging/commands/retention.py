"""``navoppfolging retention [--as-of DATE] [--apply] [--days N] [--json]``: closed cases past the
retention period (local setting ``retention.days``, default 730). Without ``--apply`` it only
shows what would be deleted (reference, closing date, rows — no names)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from navoppfolging.commands import open_db, parse_as_of
from navoppfolging.errors import UsageError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("retention", parents=[common], help="slett avsluttede saker etter oppbevaringstiden",
                       description="Viser (eller med --apply sletter) avsluttede saker eldre enn oppbevaringstiden, "
                                   "en lokal innstilling (retention.days, standard 730 dager). Slettingen logges "
                                   "med bare referanse, datoer og antall rader – ingen personopplysninger.")
    p.add_argument("--as-of", metavar="DATO", default=None, help="dagen fristen regnes fra (ÅÅÅÅ-MM-DD; ellers i dag)")
    p.add_argument("--apply", action="store_true", help="slett sakene (ellers bare forhåndsvisning)")
    p.add_argument("--days", type=int, metavar="N", default=None,
                   help="endre den lokale innstillingen retention.days til N dager først")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from navoppfolging.retention import MAX_DAYS, RetentionService

    as_of = parse_as_of(args.as_of)
    if args.days is not None and not 1 <= args.days <= MAX_DAYS:
        raise UsageError(f"--days: må være mellom 1 og {MAX_DAYS}")
    db = open_db(args)
    try:
        service = RetentionService(db)
        if args.days is not None:
            service.set_days(args.days)
        cutoff = service.cutoff(as_of)
        items = service.apply(as_of).deleted if args.apply else service.preview(as_of)
        days = service.days()
    finally:
        db.close()
    if args.json:
        print(json.dumps({"as_of": as_of.isoformat(), "days": days, "cutoff": cutoff.isoformat(), "applied": args.apply,
                          "cases": [{"ref": c.ref, "closed_on": c.closed_on.isoformat(), "rows": c.row_count}
                                    for c in items]}, ensure_ascii=False, indent=2))
        return 0
    verb = "Slettet" if args.apply else "Vil slettes"
    print(f"Oppbevaringstid {days} dager (lokal innstilling): saker avsluttet {cutoff.isoformat()} eller tidligere.")
    if not items:
        print("Ingen saker å slette.")
        return 0
    print(f"{verb}: {len(items)} saker, {sum(c.row_count for c in items)} rader")
    for c in items:
        print(f"  {c.ref:<12} avsluttet {c.closed_on.isoformat()}  {c.row_count} rader")
    if not args.apply:
        print("Kjør med --apply for å slette.")
    return 0
