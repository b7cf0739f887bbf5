"""Sub-commands of the ``navoppfolging`` command line, one module each.

Each module defines ``register(sub)``, which adds its parser to the sub-parsers and sets
``func=run`` on it; ``run(args) -> int`` returns the exit code. ``cli.COMMANDS`` lists them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from navoppfolging.errors import UsageError

if TYPE_CHECKING:
    from navoppfolging.domain import Portfolio
    from navoppfolging.rules import LocalSettings


def open_db(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Open (and migrate) the database chosen by ``--db`` / ``NAVOPPFOLGING_DB`` / the default.

    A team database's password is asked for once on the terminal (then kept in the keyring);
    without a terminal (scripts, CI) nothing is asked and a missing password is an error."""
    import sys

    from navoppfolging.db import Database
    from navoppfolging.teamdb import cli_prompt

    return Database.open(getattr(args, "db", None), password_prompt=cli_prompt if sys.stdin.isatty() else None)


def load_portfolio(args: argparse.Namespace) -> tuple[Portfolio, LocalSettings]:
    """The portfolio (one advisor's with ``--advisor``, which must exist) and the office's local
    settings, read in one opening of the database."""
    from navoppfolging.rules import LocalSettings
    from navoppfolging.services import PortfolioService, SettingsService

    db = open_db(args)
    try:
        service = PortfolioService(db)
        if args.advisor is not None and args.advisor not in service.advisor_idents():
            raise UsageError(f"--advisor: ukjent veileder {args.advisor!r}")
        return service.load(advisor=args.advisor), LocalSettings.from_mapping(SettingsService(db).all())
    finally:
        db.close()


def parse_as_of(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """``--as-of`` or today. Only the command line and the window read the clock."""
    if text is None:
        return today or dt.date.today()
    from navoppfolging.dates import parse_iso

    try:
        return parse_iso(text)
    except ValueError:
        raise UsageError(f"--as-of: ikke en dato (ÅÅÅÅ-MM-DD): {text!r}") from None
