"""Opening the database: URL resolution, the engine factory, and migrations at start-up.

The engine is built here and only here (never at import time), so that encryption and team
mode plug into one place. ``Database.open`` takes the one-writer lock, finds the key, backs up
the file (once a day, and before a migration) and upgrades the schema when it is behind.

Which URLs are encrypted:

- no ``--db`` (the file in the user's data directory): SQLCipher, key from the keyring or a
  passphrase (``navoppfolging.crypto``). A default file that is still a plain SQLite file (made
  by an older version) keeps working unencrypted — with a warning — until
  ``navoppfolging encrypt-db`` encrypts it (``Database.encrypted`` tells the window);
- ``sqlite+pysqlcipher:///path``: SQLCipher; the URL's password if given (``x'<64 hex>'`` is a raw
  key), otherwise the same key sources as the default file;
- ``sqlite:///path``: plain SQLite, unencrypted, as the command-line contract promises (tests,
  exchange with other tools). ``navoppfolging encrypt-db --db sqlite:///path`` encrypts it in
  place; afterwards open it as ``sqlite+pysqlcipher:///path``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from navoppfolging.crypto import open_error
from navoppfolging.errors import DatabaseError, DatabaseUrlError
from navoppfolging.paths import ENV_DB, default_db_file

if TYPE_CHECKING:
    from navoppfolging.crypto import PassphraseProvider
    from navoppfolging.domain import Role
    from navoppfolging.locking import FileLock

log = logging.getLogger(__name__)

ENCRYPTED_DRIVER = "sqlite+pysqlcipher"
BACKUP_KEEP_SETTING = "backup.keep"
BACKUP_KEEP_DEFAULT = 10
URL_HINT = "f.eks. sqlite:///sti/til/fil.db eller postgresql://bruker@server/database"


def default_url() -> URL:
    """The local database: encrypted (SQLCipher), in the user's data directory."""
    return URL.create(ENCRYPTED_DRIVER, database=str(default_db_file()))


def is_encrypted_url(url: URL) -> bool:
    return url.drivername == ENCRYPTED_DRIVER


def resolve_url(url: str | URL | None) -> URL:
    """``--db`` first, then ``NAVOPPFOLGING_DB``, then the file in the user's data directory."""
    if url is None:
        url = os.environ.get(ENV_DB) or None
    if url is None:
        return default_url()
    try:
        return make_url(url) if isinstance(url, str) else url
    except Exception:  # noqa: BLE001 - ArgumentError with an English text; ValueError for a bad port
        # Never the URL itself in the message: it may hold a password.
        raise DatabaseUrlError(f"ugyldig database-URL: kan ikke tolkes ({URL_HINT}).") from None


def _check_driver(url: URL) -> None:
    """A database type SQLAlchemy does not know (``notaurl://``) or whose driver is not installed
    (``mysql://``) is a mistake in the caseworker's URL, found before anything is opened."""
    try:
        url.get_dialect().import_dbapi()
    except (sa_exc.NoSuchModuleError, ImportError):
        # The driver name holds no password (it is the part before «://»).
        raise DatabaseUrlError(f"ugyldig database-URL: databasetypen «{url.drivername}» støttes ikke ({URL_HINT}).") from None


def _check_folder(path: Path, *, explicit: bool) -> None:
    """The default file's folder is created on first use. A file named by ``--db`` or
    ``NAVOPPFOLGING_DB`` must be in a folder that exists: a typo in the path must not quietly
    create a new, empty database somewhere else."""
    folder = path.parent
    if folder.is_dir():
        return
    if explicit:
        raise DatabaseUrlError(f"mappen {folder} finnes ikke, så databasen {path.name} kan ikke åpnes eller opprettes. "
                               "Rett stien i --db (eller NAVOPPFOLGING_DB), eller opprett mappen først.")
    folder.mkdir(parents=True, exist_ok=True)


@contextmanager
def _server_errors(url: URL) -> Iterator[None]:
    """A database server that cannot be reached or refuses the login: a bokmål message naming the
    server (never the password, nor the driver's text), not «uventet feil»."""
    if is_sqlite(url):
        yield  # a file's errors are handled where it is opened (``_probe_sqlite``)
        return
    try:
        yield
    except sa_exc.OperationalError as exc:
        from navoppfolging.teamdb import server_error

        raise server_error(url, exc) from None


def owner_only(path: Path, *, directory: bool = False) -> None:
    """Personal data on disk is for the user alone: the database and its backups 0600, their
    folder 0700 (best effort; a file system without POSIX modes is left as it is). A new file is
    created with these modes before SQLite opens it, so it is never readable by others."""
    if os.name != "posix":
        return
    mode = 0o700 if directory else 0o600
    try:
        if directory:
            path.mkdir(mode=mode, parents=True, exist_ok=True)
        elif not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except OSError as exc:
        log.warning("kunne ikke begrense tilgangen til en databasefil: %s", type(exc).__name__)


def display_url(url: URL) -> str:
    """The database for people to read (window title, Om): the file, or the server, user and
    database — never a password, neither the URL's own nor one passed as a query parameter
    (``?password=…``), and none of the query's other driver options."""
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    return url.set(query={}).render_as_string(hide_password=True)


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

    Never echoes SQL and never puts bound parameters (names, fødselsnummer …) into error
    messages: those end up in logs and on screen.
    """
    kwargs.pop("echo", None)
    kwargs.pop("echo_pool", None)
    kwargs["hide_parameters"] = True
    if is_encrypted_url(url) and not for_migration and "poolclass" not in kwargs:
        # The dialect's default (SingletonThreadPool) would open a connection per thread; a
        # passphrase costs a key derivation per connection, so keep a small shared pool.
        kwargs["poolclass"] = QueuePool
        kwargs.setdefault("connect_args", {}).setdefault("check_same_thread", False)
    if is_sqlite(url):
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
    """An open, migrated database. Services take one of these.

    ``encrypted`` is False for a plain SQLite file (explicit ``sqlite:///`` URL, or an old
    unencrypted default file the window can offer to encrypt). ``lock`` is the one-writer lock
    on the file, released by ``close()``.
    """

    engine: Engine
    url: URL = field(repr=False)
    actor: str
    backup_dir: Path | None = None
    encrypted: bool = False
    lock: FileLock | None = field(default=None, repr=False)
    # The login's group role, read once (open_state and AppState both ask).
    _team_role: tuple[Role | None] | None = field(default=None, init=False, repr=False)

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
        passphrase_provider: PassphraseProvider | None = None,
        today: dt.date | None = None,
    ) -> Database:
        """Open: lock, key, probe, migrate, daily backup.

        SQLite file: the one-writer lock is taken first (DatabaseError «Databasen er allerede
        åpen …» when another process holds it). Encrypted file: ``passphrase_provider(first_time)
        -> str | None`` is asked for a passphrase when no secure keyring holds the key (the
        window passes ``PassphraseDialog.ask``); the command line relies on
        ``NAVOPPFOLGING_DB_KEY``. A wrong key is a DatabaseError with a bokmål message.
        """
        from navoppfolging import locking

        explicit = url is not None or bool(os.environ.get(ENV_DB))
        resolved = resolve_url(url)
        if explicit:
            _check_driver(resolved)
        path = sqlite_file(resolved)
        if path is not None:
            _check_folder(path, explicit=explicit)
        with _server_errors(resolved):
            if resolved.get_backend_name() == "postgresql":
                # Team mode: the password comes from the OS keyring or is asked once
                # (``password_prompt``) and then kept there — never in a file. The actor is the
                # login role, which row-level security checks on every audit entry.
                from navoppfolging.teamdb import connect_url

                resolved = connect_url(resolved, password_prompt, probe=_probe)
                actor = actor or (resolved.username or _default_actor()).lower()
            lock = locking.acquire(path) if path is not None else None
            engine: Engine | None = None
            try:
                if path is not None:
                    owner_only(path)
                resolved, encrypted = _with_key(resolved, path, explicit=explicit, passphrase_provider=passphrase_provider)
                engine = create_app_engine(resolved)
                _probe_sqlite(engine, resolved, path)
                existed = path is not None and _has_schema(engine)
                db = cls(engine=engine, url=resolved, actor=actor or _default_actor(), encrypted=encrypted, lock=lock)
                if migrate:
                    from navoppfolging.migrate import upgrade_if_needed

                    upgrade_if_needed(db, backup=backup)
                if backup and existed:
                    db.daily_backup(today=today)
                return db
            except BaseException:
                if engine is not None:
                    engine.dispose()
                if lock is not None:
                    lock.release()
                raise

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self._sessions() as s, s.begin():
            yield s

    @property
    def display_name(self) -> str:
        """For the window title: the file name, or the server without the password."""
        return display_url(self.url)

    def team_role(self) -> Role | None:
        """Team mode: the login's group role (VEILEDER or TEAMLEDER), which decides what the
        window offers — a team lead sees counts only (row-level security gives no case rows).
        None for a local file, and for the owner/administrator of the team database."""
        if self.url.get_backend_name() != "postgresql":
            return None
        if self._team_role is None:
            from navoppfolging.teamdb import session_role

            with self.engine.connect() as conn:
                self._team_role = (session_role(conn),)
        return self._team_role[0]

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()

    @property
    def file(self) -> Path | None:
        return sqlite_file(self.url)

    @property
    def backups_dir(self) -> Path | None:
        path = self.file
        if path is None:
            return None
        return self.backup_dir or path.parent / "backups"

    def backup_file(self, *, reason: str, keep: int | None = None, prune: bool = True,
                    now: dt.datetime | None = None) -> Path | None:
        """Copy the SQLite file (consistently, through SQLite's backup API) to a timestamped file,
        encrypted with the database's own key; then keep only the newest ``keep`` (the local
        setting ``backup.keep``, default 10)."""
        path = self.file
        target_dir = self.backups_dir
        if path is None or target_dir is None or not path.exists():
            return None
        owner_only(target_dir, directory=True)  # created 0700
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
        target = target_dir / f"{path.stem}-{stamp}-{reason}{path.suffix or '.db'}"
        partial = target.with_name(target.name + ".part")
        owner_only(partial)  # created 0600 before SQLite writes the copy into it
        raw = self.engine.raw_connection()
        try:
            # Same URL (so the same key) with another file: the backup is encrypted like the
            # database — SQLCipher's backup API needs both ends keyed alike.
            dest = create_app_engine(self.url.set(database=str(partial)), poolclass=NullPool)
            dest_raw = dest.raw_connection()
            try:
                raw.driver_connection.backup(dest_raw.driver_connection)  # type: ignore[union-attr]
                # A backup is one self-contained file: no -wal beside it.
                dest_raw.driver_connection.execute("PRAGMA journal_mode=DELETE")  # type: ignore[union-attr]
            finally:
                dest_raw.close()
                dest.dispose()
        except BaseException:
            for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        finally:
            raw.close()
        os.replace(partial, target)
        log.info("sikkerhetskopi tatt (%s)", reason)
        if prune:
            self.prune_backups(keep=keep)
        return target

    def backups(self) -> list[Path]:
        """This database's backups, oldest first (the time stamp is in the name)."""
        path, directory = self.file, self.backups_dir
        if path is None or directory is None or not directory.is_dir():
            return []
        suffix = path.suffix or ".db"
        return sorted(p for p in directory.glob(f"{path.stem}-*{suffix}") if p.is_file())

    def backup_keep(self) -> int:
        try:
            with self.engine.connect() as conn:
                value = conn.exec_driver_sql(
                    "SELECT value FROM settings WHERE key = ?", (BACKUP_KEEP_SETTING,)).scalar()
            return max(1, int(value)) if value is not None else BACKUP_KEEP_DEFAULT
        except (sa_exc.SQLAlchemyError, ValueError):
            return BACKUP_KEEP_DEFAULT

    def prune_backups(self, *, keep: int | None = None) -> list[Path]:
        keep = self.backup_keep() if keep is None else max(1, keep)
        existing = self.backups()
        removed = existing[:-keep] if len(existing) > keep else []
        for old in removed:
            old.unlink(missing_ok=True)
        if removed:
            log.info("%d gamle sikkerhetskopier slettet (beholder %d)", len(removed), keep)
        return removed

    def daily_backup(self, *, today: dt.date | None = None) -> Path | None:
        """The first start of the day backs up the file (before anything is written)."""
        path = self.file
        if path is None:
            return None
        day = today or dt.date.today()
        if any(p.name.startswith(f"{path.stem}-{day:%Y%m%d}-") for p in self.backups()):
            return None
        return self.backup_file(reason="daglig", now=dt.datetime.combine(day, dt.datetime.now().time()))


def _probe(url: URL) -> None:
    """Connect once and disconnect: raises the driver's error (wrong password …)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect():
            pass
    finally:
        engine.dispose()


def _with_key(url: URL, path: Path | None, *, explicit: bool,
              passphrase_provider: PassphraseProvider | None) -> tuple[URL, bool]:
    """The URL to connect with (key filled in) and whether the file is encrypted."""
    if not is_encrypted_url(url):
        return url, False
    from navoppfolging import crypto

    crypto.quiet_sqlcipher()
    if url.password:
        return url, True
    if path is None:
        raise DatabaseError("En kryptert database må være en fil (sqlite+pysqlcipher:///sti/til/fil.db).")

    if not explicit and path.exists() and crypto.is_plain_sqlite(path):
        log.warning("standarddatabasen er ikke kryptert; kjør «navoppfolging encrypt-db»")
        return url.set(drivername="sqlite"), False
    key = crypto.obtain_key(path, passphrase_provider=passphrase_provider)
    return url.set(password=key.sql_password), True


def _probe_sqlite(engine: Engine, url: URL, path: Path | None) -> None:
    """Touch the file once so that a wrong key is a clear message now, not a traceback later."""
    if not is_sqlite(url):
        return
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except sa_exc.DBAPIError as exc:
        name = path.name if path is not None else "i minnet"
        raise open_error(exc.orig or exc, name, encrypted=is_encrypted_url(url)) from None


def _has_schema(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'").scalar() == 1


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "ukjent"

