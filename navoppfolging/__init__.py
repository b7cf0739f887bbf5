"""navoppfolging — oppfølging av unge under ungdomsgarantien.

The core package: domain types, the rule engine, services, persistence and the command line.
It never imports Qt; the Qt application lives in ``navoppfolging.ui`` (``ui/`` in the source tree).
"""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "navoppfolging"
