"""Sub-commands of the ``navoppfolging`` command line, one module each.

Each module defines ``register(sub)``, which adds its parser to the sub-parsers and sets
``func=run`` on it; ``run(args) -> int`` returns the exit code. ``cli.COMMANDS`` lists them.
"""

from __future__ import annotations

import argparse
import datetime as dt

from navoppfolging.errors import UsageError


def open_db(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Open (and migrate) the database chosen by ``--db`` / ``NAVOPPFOLGING_DB`` / the default."""
    from navoppfolging.db import Database

    return Database.open(getattr(args, "db", None))


def parse_as_of(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """``--as-of`` or today. Only the command line and the window read the clock."""
    if text is None:
        return today or dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: ikke en dato (ÅÅÅÅ-MM-DD): {text!r}") from None
