"""Logging to a rotating file in the user's log directory.

Log records carry case refs, rule IDs, counts and timings — never names, fødselsnummer, phone
numbers or free text. Code that logs must follow that; ``tests/test_logs_privacy.py`` checks it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

_configured = False


def log_dir() -> Path:
    override = os.environ.get("NAVOPPFOLGING_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_path

    return user_log_path("navoppfolging", appauthor=False)


def setup_logging(*, debug: bool = False) -> None:
    global _configured
    if _configured:
        return
    directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        directory / "navoppfolging.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("navoppfolging")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    _configured = True
