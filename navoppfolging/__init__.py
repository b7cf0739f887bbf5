"""navoppfolging — oppfølging av unge under ungdomsgarantien.

The core package: domain types, the rule engine, services, persistence and the command line.
It never imports Qt; the Qt application lives in ``navoppfolging.ui`` (``ui/`` in the source tree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__version__ = "0.1.0"
APP_NAME = "navoppfolging"


def resources_path() -> Path:
    """The installed ``resources/`` directory (``navoppfolging.resources``), also when frozen."""
    from importlib.resources import files
    from pathlib import Path

    return Path(str(files("navoppfolging.resources")))


def migrations_path() -> Path:
    from importlib.resources import files
    from pathlib import Path

    return Path(str(files("navoppfolging.migrations")))
