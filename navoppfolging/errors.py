"""Errors the services raise. Messages are bokmål and say what is wrong and where."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in the input: ``path`` as in the exchange file (``cases[3].birth_date``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class NavOppfolgingError(Exception):
    """Base for errors a caseworker can act on (shown without a traceback)."""


class ValidationError(NavOppfolgingError):
    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFoundError(NavOppfolgingError):
    pass


class ConflictError(NavOppfolgingError):
    """Somebody else saved the row first (the version column moved)."""


class UsageError(NavOppfolgingError):
    pass


class DatabaseError(NavOppfolgingError):
    """The database cannot be opened or used (wrong key, locked, newer schema …)."""


class AccessDeniedError(NavOppfolgingError):
    """The team database refused the user's role (PostgreSQL «insufficient privilege», SQLSTATE
    42501): the message says in bokmål what the role may not do, never the SQL."""


class DatabaseUrlError(DatabaseError, UsageError):
    """``--db`` / ``NAVOPPFOLGING_DB`` names no database that can be opened: not a URL, an unknown
    database type, a file in a folder that does not exist. The caseworker's input, so exit 2 on
    the command line (a UsageError); the window shows it as any DatabaseError."""
