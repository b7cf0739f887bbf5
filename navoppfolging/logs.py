"""Logging to a rotating file in the user's log directory.

Log records carry case refs, rule IDs, counts and timings — never names, fødselsnummer, phone
numbers or free text. Code that logs must follow that; ``tests/test_logs_privacy.py`` checks it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from types import TracebackType

_configured = False


class PrivacyFormatter(logging.Formatter):
    """Tracebacks without the exception's message: a message may quote the data that failed
    (a driver error with a name in it, a ValueError with a fødselsnummer). The frames and the
    exception type are enough to find the bug."""

    def formatException(self, ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]) -> str:  # noqa: N802
        etype, value, tb = ei
        if etype is None:
            return ""
        parts: list[str] = []
        seen: set[int] = set()
        exc: BaseException | None = value
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            frames = "".join(traceback.format_tb(exc.__traceback__))
            parts.append(f"Traceback (most recent call last):\n{frames}{type(exc).__module__}.{type(exc).__qualname__}"
                         " (meldingen utelatt i loggen)")
            exc = exc.__cause__ or exc.__context__
        return "\n\nForårsaket av:\n".join(reversed(parts))


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
    handler.setFormatter(PrivacyFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("navoppfolging")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    _configured = True
