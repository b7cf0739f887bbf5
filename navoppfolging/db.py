"""Opening the database: URL resolution, the engine factory, and migrations at start-up.

The engine is built here and only here (never at import time), so that encryption and team
mode plug into one place. ``Database.open`` backs up the file and upgrades the schema when it is
not at the head revision.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from navoppfolging.errors import DatabaseError

log = logging.getLogger(__name__)

ENV_DB = "NAVOPPFOLGING_DB"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("navoppfolging", appauthor=False)


def default_url() -> URL:
    return URL.create("sqlite", database=str(data_dir() / "navoppfolging.db"))


def resolve_url(url: str | URL | None) -> URL:
    """``--db`` first, then ``NAVOPPFOLGING_DB``, then the file in the user's data directory."""
    if url is None:
        url = os.environ.get(ENV_DB) or None
    if url is None:
        return default_url()
    try:
        return make_url(url) if isinstance(url, str) else url
    except Exception:  # noqa: BLE001 - SQLAlchemy raises ArgumentError with an English text
        raise DatabaseError(f"Ugyldig database-URL (SQLAlchemy-format forventet, f.eks. sqlite:///sti/til/fil.db): {url!r}") from None


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory database."""
    if not is_sqlite(url) or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL + FULL: a killed process never loses a transaction it reported committed.
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _sqlite_migration_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver level so that our own BEGIN (the "begin" hook) also covers DDL;
    # foreign keys off because batch migrations drop and re-create referenced tables.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=OFF")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def create_app_engine(url: URL, *, for_migration: bool = False, **kwargs: Any) -> Engine:
    """The engine factory: SQLite gets its pragmas, everything else is passed through.

    ``for_migration`` builds the separate SQLite engine that runs a whole upgrade in one
    explicit transaction (see machine-notes), so a failed migration rolls back completely.
    """
    if is_sqlite(url):
        path = sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        if for_migration:
            engine = create_engine(url, poolclass=NullPool, **kwargs)
            event.listen(engine, "connect", _sqlite_migration_pragmas)
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
            return engine
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@dataclass
class Database:
    """An open, migrated database. Services take one of these."""

    engine: Engine
    url: URL
    actor: str
    backup_dir: Path | None = None

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        from navoppfolging.audit import install_audit

        install_audit(self._sessions, actor=lambda: self.actor)

    @classmethod
    def open(
        cls,
        url: str | URL | None = None,
        *,
        migrate: bool = True,
        backup: bool = True,
        actor: str | None = None,
        password_prompt: Callable[[str], str | None] | None = None,
    ) -> Database:
        resolved = resolve_url(url)
        if resolved.get_backend_name() == "postgresql":
            # Team mode: the password comes from the OS keyring or is asked once
            # (``password_prompt``) and then kept there — never in a file. The actor is the
            # login role, which row-level security checks on every audit entry.
            from navoppfolging.teamdb import connect_url

            resolved = connect_url(resolved, password_prompt, probe=_probe)
            actor = actor or (resolved.username or _default_actor()).lower()
        engine = create_app_engine(resolved)
        db = cls(engine=engine, url=resolved, actor=actor or _default_actor())
        if migrate:
            from navoppfolging.migrate import upgrade_if_needed

            upgrade_if_needed(db, backup=backup)
        return db

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self._sessions() as s, s.begin():
            yield s

    @property
    def display_name(self) -> str:
        """For the window title: the file name, or the server without the password."""
        path = sqlite_file(self.url)
        if path is not None:
            return str(path)
        return self.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def backup_file(self, *, reason: str) -> Path | None:
        """Copy the SQLite file (consistently, through SQLite's backup API) to a timestamped file."""
        path = sqlite_file(self.url)
        if path is None or not path.exists():
            return None
        target_dir = self.backup_dir or path.parent / "backups"
        target_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = target_dir / f"{path.stem}-{stamp}-{reason}{path.suffix or '.db'}"
        raw = self.engine.raw_connection()
        try:
            dest = create_app_engine(self.url.set(database=str(target)), poolclass=NullPool)
            dest_raw = dest.raw_connection()
            try:
                raw.driver_connection.backup(dest_raw.driver_connection)  # type: ignore[union-attr]
            finally:
                dest_raw.close()
                dest.dispose()
        finally:
            raw.close()
        log.info("sikkerhetskopi tatt (%s)", reason)
        return target


def _probe(url: URL) -> None:
    """Connect once and disconnect: raises the driver's error (wrong password …)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "ukjent"

