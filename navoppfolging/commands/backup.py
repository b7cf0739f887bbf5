"""``navoppfolging backup``: take a backup now (encrypted like the database; the newest N kept,
local setting ``backup.keep``, default 10) and list the backups."""

from __future__ import annotations

import argparse
from typing import Any

from navoppfolging.commands import open_db
from navoppfolging.errors import DatabaseError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common], help="ta en sikkerhetskopi av databasen nå",
                       description="Tar en sikkerhetskopi av den lokale databasen (kryptert som databasen). "
                                   "De nyeste N beholdes (lokal innstilling backup.keep, standard 10).")
    p.add_argument("--list", action="store_true", help="bare vis sikkerhetskopiene, ta ingen ny")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        if db.file is None:
            raise DatabaseError("Sikkerhetskopi gjelder den lokale databasefilen; en tjenerdatabase sikkerhetskopieres på tjeneren.")
        if not args.list:
            target = db.backup_file(reason="manuell")
            print(f"Sikkerhetskopi tatt: {target}")
        backups = db.backups()
        print(f"{len(backups)} sikkerhetskopier i {db.backups_dir} (beholder {db.backup_keep()}):")
        for path in backups:
            print(f"  {path.name}")
    finally:
        db.close()
    return 0
