"""The window's first read of the advisor's own database, without SQLAlchemy (start-up, issue 9).

Importing SQLAlchemy, the ORM models and the services costs ≈ 0.3 s — more than the whole
bare Qt window. The first thing the advisor needs is the portfolio table, so the window reads
the default (encrypted) file once with the bare SQLCipher driver and shows it, and opens the
full ``Database`` (SQLAlchemy, daily backup) right after the first paint, before anything can
be written. What this module does is exactly what ``Database.open`` does first, in the same order:

1. take the one-writer lock (a second process is refused here, as there);
2. get the key (keyring, or a passphrase) and prove it opens the file (wrong key → the same
   message as ``Database.open``);
3. compare the stored schema revision with the head of the migrations — when the database is
   behind (or newer), no snapshot is read: the full open backs up and migrates first;
4. read advisors, cases with every child record, settings and «ny for deg» in one read
   transaction, turned into domain objects by ``records`` — the same conversion the services
   use on ORM rows, so both readers give equal objects (``tests/test_quickread.py``).

The lock and the key are handed to ``open_database`` (the lock is re-entrant within the process),
so the user is asked for a passphrase once. Only the default file is read this way; an explicit
``--db`` URL (tests, team mode) takes the normal path.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, cast

from navoppfolging import domain as d
from navoppfolging.crypto import DbKey, PassphraseProvider, connect_raw, is_plain_sqlite, obtain_key, open_error
from navoppfolging.errors import DatabaseError
from navoppfolging.locking import FileLock, acquire
from navoppfolging.paths import ENV_DB, default_db_file
from navoppfolging.records import advisor_from_row, case_from_row
from navoppfolging.revisions import head_revision

if TYPE_CHECKING:
    from navoppfolging.db import Database


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the window shows first: as ``AdvisorService.list`` (by name), ``CaseService.list``
    (by ref, closed included), ``SettingsService.all`` and ``CaseService.new_for_advisor``."""

    advisors: tuple[d.Advisor, ...]
    cases: tuple[d.Case, ...]
    settings: Mapping[str, str]
    new_for_advisor: frozenset[str]


# Rows with the ORM rows' attribute names, for ``records``.
class _AdvisorRow(NamedTuple):
    ident: str
    name: str
    unit: str | None
    role: str
    phone: str | None
    email: str | None


class _Ident(NamedTuple):
    ident: str


class _Flag(NamedTuple):
    flag: str


class _Assessment(NamedTuple):
    date: dt.date
    innsatsgruppe: str
    note: str | None


class _Contact(NamedTuple):
    ext_id: str
    date: dt.date
    time: dt.time | None
    channel: str
    status: str
    summary: str
    interpreter_booked: bool
    place: str | None


class _Activity(NamedTuple):
    ext_id: str
    title: str
    category: str
    status: str
    start: dt.date | None
    end: dt.date | None
    responsible: str | None
    description: str


class _Reminder(NamedTuple):
    ext_id: str
    date: dt.date
    text: str
    done: bool


class _Exception(NamedTuple):
    ext_id: str
    date: dt.date
    kind: str
    note: str


class _ExternalContact(NamedTuple):
    role: str
    name: str
    phone: str | None
    organisation: str | None


class _CaseRow(NamedTuple):
    ref: str
    advisor: _Ident
    name: str
    birth_date: dt.date
    fnr: str | None
    phone: str | None
    email: str | None
    language: str | None
    needs_interpreter: bool
    flags: list[_Flag]
    registered_on: dt.date | None
    follow_up_offered_on: dt.date | None
    goal: str | None
    hovedmal: str | None
    dagpenger_end: dt.date | None
    aap_applied_on: dt.date | None
    aap_decided_on: dt.date | None
    aap_start: dt.date | None
    aap_end: dt.date | None
    omstilling_death_date: dt.date | None
    sick_leave_start: dt.date | None
    assessments: list[_Assessment]
    contacts: list[_Contact]
    activities: list[_Activity]
    reminders: list[_Reminder]
    exceptions: list[_Exception]
    external_contacts: list[_ExternalContact]
    closed_on: dt.date | None
    closed_reason: str | None
    version: int


# SQLAlchemy keeps dates as ISO text, times as «HH:MM:SS.ffffff» and booleans as 0/1 on SQLite.
def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value is not None else None


_DATE_COLUMNS = ("birth_date", "registered_on", "follow_up_offered_on", "dagpenger_end", "aap_applied_on",
                 "aap_decided_on", "aap_start", "aap_end", "omstilling_death_date", "sick_leave_start", "closed_on")
_CASE_SQL = (
    'SELECT c.id, c.ref, a.ident, c.name, c.birth_date, c.fnr, c.phone, c.email, c.language, c.needs_interpreter, '
    'c.registered_on, c.follow_up_offered_on, c.goal, c.hovedmal, c.dagpenger_end, c.aap_applied_on, '
    'c.aap_decided_on, c.aap_start, c.aap_end, c.omstilling_death_date, c.sick_leave_start, c.closed_on, '
    'c.closed_reason, c.version FROM cases c JOIN advisors a ON a.id = c.advisor_id ORDER BY c.ref'
)
# Child tables: (table, columns, row builder). Ordered as the ORM relationships are (position).
# The casts: those "date" columns are NOT NULL (models.py, revision 0001).
_CHILDREN: tuple[tuple[str, str, Callable[[tuple[Any, ...]], Any]], ...] = (
    ("assessments", '"date", innsatsgruppe, note',
     lambda r: _Assessment(cast(dt.date, _date(r[0])), r[1], r[2])),
    ("contacts", 'ext_id, "date", "time", channel, status, summary, interpreter_booked, place',
     lambda r: _Contact(r[0], cast(dt.date, _date(r[1])), _time(r[2]), r[3], r[4], r[5], bool(r[6]), r[7])),
    ("activities", 'ext_id, title, category, status, start, "end", responsible, description',
     lambda r: _Activity(r[0], r[1], r[2], r[3], _date(r[4]), _date(r[5]), r[6], r[7])),
    ("reminders", 'ext_id, "date", "text", done',
     lambda r: _Reminder(r[0], cast(dt.date, _date(r[1])), r[2], bool(r[3]))),
    ("case_exceptions", 'ext_id, "date", kind, note',
     lambda r: _Exception(r[0], cast(dt.date, _date(r[1])), r[2], r[3])),
    ("external_contacts", 'role, name, phone, organisation',
     lambda r: _ExternalContact(r[0], r[1], r[2], r[3])),
)


def read_snapshot(conn: Any) -> Snapshot:
    """Everything the first view shows, from an open DB-API connection at the head revision,
    in one read transaction."""
    conn.execute("BEGIN")
    try:
        advisors = tuple(advisor_from_row(_AdvisorRow(*r)) for r in conn.execute(
            "SELECT ident, name, unit, role, phone, email FROM advisors ORDER BY name"))
        children: list[dict[int, list[Any]]] = []
        for table, columns, build in _CHILDREN:
            by_case: dict[int, list[Any]] = {}
            for row in conn.execute(f"SELECT case_id, {columns} FROM {table} ORDER BY case_id, position, id"):
                by_case.setdefault(row[0], []).append(build(row[1:]))
            children.append(by_case)
        flags: dict[int, list[_Flag]] = {}
        for case_id, flag in conn.execute("SELECT case_id, flag FROM case_flags ORDER BY case_id, flag"):
            flags.setdefault(case_id, []).append(_Flag(flag))
        assessments, contacts, activities, reminders, exceptions, externals = children
        cases = []
        for r in conn.execute(_CASE_SQL):
            cid = r[0]
            (b, reg, offered, dp_end, aap_applied, aap_decided, aap_start, aap_end, death, sick,
             closed) = (_date(r[i]) for i in (4, 10, 11, 14, 15, 16, 17, 18, 19, 20, 21))
            row = _CaseRow(
                ref=r[1], advisor=_Ident(r[2]), name=r[3], birth_date=b, fnr=r[5], phone=r[6], email=r[7],  # type: ignore[arg-type]
                language=r[8], needs_interpreter=bool(r[9]), flags=flags.get(cid, []), registered_on=reg,
                follow_up_offered_on=offered, goal=r[12], hovedmal=r[13], dagpenger_end=dp_end,
                aap_applied_on=aap_applied, aap_decided_on=aap_decided, aap_start=aap_start, aap_end=aap_end,
                omstilling_death_date=death, sick_leave_start=sick, assessments=assessments.get(cid, []),
                contacts=contacts.get(cid, []), activities=activities.get(cid, []),
                reminders=reminders.get(cid, []), exceptions=exceptions.get(cid, []),
                external_contacts=externals.get(cid, []), closed_on=closed, closed_reason=r[22], version=r[23])
            cases.append(case_from_row(row))
        settings = {k: v for k, v in conn.execute("SELECT key, value FROM settings")}
        new = frozenset(r[0] for r in conn.execute("SELECT ref FROM cases WHERE new_for_advisor = 1"))
    finally:
        conn.execute("COMMIT")
    return Snapshot(advisors=advisors, cases=tuple(cases), settings=settings, new_for_advisor=new)


@dataclass
class QuickOpen:
    """The default file, locked and keyed; ``snapshot`` is None when the schema is not at the
    head revision (the full open migrates it first)."""

    path: Path
    key: DbKey
    lock: FileLock = field(repr=False)
    snapshot: Snapshot | None

    def open_database(self, **kwargs: Any) -> Database:
        """The full ``Database`` on the same file, with this key (no second passphrase question)
        and this lock (re-entrant; ours is given back once the database holds its own)."""
        from navoppfolging.db import ENCRYPTED_DRIVER, Database
        from sqlalchemy.engine import URL

        url = URL.create(ENCRYPTED_DRIVER, password=self.key.sql_password, database=str(self.path))
        try:
            return Database.open(url, **kwargs)
        finally:
            self.release()

    def release(self) -> None:
        self.lock.release()


def _default_file(db_url: str | None, path: Path | None) -> Path | None:
    """The file this path reads, or None when it is not for it (an explicit URL, a file not
    created yet, an old unencrypted file: the classic open handles those)."""
    if db_url is not None or os.environ.get(ENV_DB):
        return None
    path = path or default_db_file()
    if not path.is_file() or path.stat().st_size == 0 or is_plain_sqlite(path):
        return None
    return path


def _read(path: Path, key: DbKey) -> Snapshot | None:
    """Prove the key opens the file, check the revision, read the snapshot (None: not at head)."""
    conn = connect_raw(path, key)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception as exc:  # noqa: BLE001 - sqlcipher3's DatabaseError: wrong key or not a database
            raise open_error(exc, path.name, encrypted=True) from None
        try:
            stored = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except Exception:  # noqa: BLE001 - no such table: not migrated yet, the full open does it
            stored = None
        at_head = stored is not None and stored[0] == head_revision()
        return read_snapshot(conn) if at_head else None
    finally:
        conn.close()


def quick_open(db_url: str | None, *, passphrase_provider: PassphraseProvider | None = None,
               path: Path | None = None) -> QuickOpen | None:
    """Lock, key and read the default database; None when it is not for this path (see
    ``_default_file``). Raises DatabaseError as ``Database.open`` does (locked by another
    process, wrong key, no key)."""
    found = _default_file(db_url, path)
    if found is None:
        return None
    lock = acquire(found)
    try:
        key = obtain_key(found, passphrase_provider=passphrase_provider)
        snapshot = _read(found, key)
    except BaseException:
        lock.release()
        raise
    return QuickOpen(path=found, key=key, lock=lock, snapshot=snapshot)


class PendingQuickOpen:
    """``quick_open`` started in a child process while this one loads Qt (start-up, issue 9).

    The keyring (≈ 36 ms to import), SQLCipher and the read take as long as importing PySide6;
    on a machine with two cores they need not wait for each other. The lock is taken here first
    (a second window is refused as before); a forked child — before Qt is loaded, so the process
    has no other thread — gets the key from the keyring, reads the snapshot and sends it back
    through a pipe (pickled domain objects and the key, between the two processes of the same
    user). Whenever the child cannot finish — no key in a secure keyring (a passphrase must be
    asked in the window), wrong key, any error — ``finish`` does the whole ``quick_open`` here,
    so every message and question is exactly the classic one. On Windows and macOS, or when Qt is
    already loaded, ``finish`` simply runs ``quick_open``.
    """

    def __init__(self, db_url: str | None, *, path: Path | None = None) -> None:
        self.db_url = db_url
        self.path = path
        self._child: tuple[int, int] | None = None  # pid, read end of the pipe
        self._lock: FileLock | None = None
        found = _default_file(db_url, path)
        # Linux only: on macOS a forked child must not use the system frameworks the keyring
        # needs (CoreFoundation refuses after fork without exec); Windows has no fork.
        if found is None or not sys.platform.startswith("linux") or "PySide6.QtCore" in sys.modules \
                or threading.active_count() > 1:
            return
        try:
            self._lock = acquire(found)
        except DatabaseError:
            return  # another process has it: ``finish`` tells the user, through quick_open
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child_read(found, write_end)
        os.close(write_end)
        self._child = (pid, read_end)
        self.path = found

    def finish(self, passphrase_provider: PassphraseProvider | None = None) -> QuickOpen | None:
        """The child's result, or ``quick_open`` done here. May be called again after a
        failure (the window's retries): later calls are plain ``quick_open``."""
        child, lock = self._child, self._lock
        self._child = self._lock = None
        if child is not None and lock is not None:
            pid, read_end = child
            with os.fdopen(read_end, "rb") as fh:
                data = fh.read()
            os.waitpid(pid, 0)
            result = pickle.loads(data) if data else None
            if result is not None and result[0] == "ok":
                _, key, snapshot = result
                assert self.path is not None
                return QuickOpen(path=self.path, key=key, lock=lock, snapshot=snapshot)
            lock.release()
        return quick_open(self.db_url, passphrase_provider=passphrase_provider, path=self.path)


def _child_read(path: Path, write_end: int) -> NoReturn:
    """In the forked child: key from the keyring only (no passphrase can be asked here), read,
    send ``("ok", key, snapshot)`` or ``("failed",)``; exit without running the parent's
    clean-up (``os._exit``: no atexit handlers, no flushing of the parent's buffers, and the
    inherited lock is left alone — it belongs to the parent)."""
    code = 0
    try:
        key = obtain_key(path, passphrase_provider=None, create=False)
        result: tuple[Any, ...] = ("ok", key, _read(path, key))
    except BaseException:  # noqa: BLE001 - the parent redoes it and reports
        result = ("failed",)
        code = 1
    try:
        with os.fdopen(write_end, "wb") as fh:
            fh.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(code)
