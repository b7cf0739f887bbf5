"""``navoppfolging encrypt-db``: encrypt an unencrypted database file in place, on request.

For an old default file (made before encryption) and for explicit ``sqlite:///path`` databases.
The key goes into the OS keyring (or ``NAVOPPFOLGING_DB_KEY`` is the passphrase when no secure
keyring exists). The file's plain backups are encrypted with the same key. Row counts and
``PRAGMA integrity_check`` are verified before the plain file is replaced.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("encrypt-db", parents=[common], help="krypter en ukryptert databasefil",
                       description="Krypterer databasefilen (og dens ukrypterte sikkerhetskopier). Nøkkelen lagres "
                                   "i nøkkelringen, eller passordet tas fra NAVOPPFOLGING_DB_KEY.")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from navoppfolging.backups import encrypt_database

    url = getattr(args, "db", None)
    path, counts, backups = encrypt_database(url)
    print(f"Databasen {path} er kryptert ({sum(counts.values())} rader i {len(counts)} tabeller kontrollert; "
          f"{backups} sikkerhetskopier kryptert).")
    if url is not None:
        print(f"Åpne den heretter med --db sqlite+pysqlcipher:///{path}")
    return 0
