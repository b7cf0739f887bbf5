"""``navoppfolging restore FILE``: put a backup back. The file is checked first (opens with the
database's key, ``PRAGMA integrity_check``, our schema at a known revision); what it replaces is
kept as a backup («for-gjenoppretting»)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from navoppfolging.commands import open_db


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("restore", parents=[common], help="gjenopprett databasen fra en sikkerhetskopi",
                       description="Kontrollerer sikkerhetskopien og legger den tilbake. Databasen slik den er nå "
                                   "tas vare på som en egen sikkerhetskopi først.")
    p.add_argument("file", type=Path, metavar="FIL", help="sikkerhetskopien (se «navoppfolging backup --list»)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from navoppfolging.backups import restore

    db = open_db(args)
    try:
        safety = restore(db, args.file)
    finally:
        db.close()
    print(f"Databasen er gjenopprettet fra {args.file.name}. Det som ble erstattet, ligger i {safety}.")
    return 0
