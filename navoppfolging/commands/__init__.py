"""Sub-commands of the ``navoppfolging`` command line, one module each.

Each module defines ``register(sub)``, which adds its parser to the sub-parsers and sets
``func=run`` on it; ``run(args) -> int`` returns the exit code. ``cli.COMMANDS`` lists them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from navoppfolging.errors import NavOppfolgingError, UsageError

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


def output_error(path: Path, exc: OSError) -> NavOppfolgingError:
    """A bokmål message naming ``path`` for an OSError while writing it. A path the caseworker
    chose badly (a folder, a missing folder, no access) is bad usage (exit 2); anything else
    (disk full …) exit 1. Never the English ``strerror``."""
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return UsageError(f"kan ikke skrive {path}: det er en mappe, ikke en fil. Oppgi et filnavn i mappen.")
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            return UsageError(f"kan ikke skrive {path}: {parent} er en fil, ikke en mappe.")
        return UsageError(f"kan ikke skrive {path}: mappen {parent} finnes ikke. "
                          "Opprett mappen først, eller velg en annen plassering.")
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return UsageError(f"kan ikke skrive {path}: mangler skrivetilgang. Velg en annen plassering.")
    if exc.errno == errno.ENOSPC:
        return NavOppfolgingError(f"kunne ikke skrive {path}: disken er full. Frigjør plass og prøv igjen.")
    code = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return NavOppfolgingError(f"kunne ikke skrive {path} ({code}).")


def check_output(path: Path) -> Path:
    """Refuse a file the command could not write (a folder, or in a folder that does not exist)
    at once: before the database is opened or anything is computed."""
    if path.is_dir():
        raise output_error(path, IsADirectoryError())
    if not path.parent.is_dir():
        raise output_error(path, FileNotFoundError())
    return path


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Around the write of ``path``: what ``check_output`` could not foresee (no access, disk
    full, the folder removed meanwhile) becomes a message naming the path, not «uventet feil»."""
    try:
        yield
    except OSError as exc:
        raise output_error(path, exc) from None
