"""navoppfolging — oppfølging av unge under ungdomsgarantien.

The core package: domain types, the rule engine, services, persistence and the command line.
It never imports Qt; the Qt application lives in ``navoppfolging.ui`` (``ui/`` in the source tree).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__version__ = "0.1.0"
APP_NAME = "navoppfolging"


@cache
def _package_dir(name: str) -> Path:
    # A regular package's directory, found the way ``import`` found it (a wheel, the editable
    # mapping of resources/ and migrations/ under navoppfolging.*, the PyInstaller bundle).
    # ``importlib.resources.files`` gives the same directory, but importing it costs ≈ 3 ms on the
    # start-up path (issue 9); it stays the fallback for a package not on the file system.
    # Found once per run: every icon, font and ruleset file is looked up under it.
    import importlib
    from pathlib import Path

    locations = list(getattr(importlib.import_module(name), "__path__", ()))
    if len(locations) == 1 and Path(locations[0]).is_dir():
        return Path(locations[0])
    from importlib.resources import files

    return Path(str(files(name)))


def resources_path() -> Path:
    """The installed ``resources/`` directory (``navoppfolging.resources``), also when frozen."""
    return _package_dir("navoppfolging.resources")


def migrations_path() -> Path:
    return _package_dir("navoppfolging.migrations")
