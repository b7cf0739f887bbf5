"""Checking and restoring backups, and encrypting an unencrypted database file on request.

Taking a backup is ``Database.backup_file`` (SQLite's backup API, same key as the database);
here are the operations that replace a database file's content, each of which checks first and
keeps what it replaces.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from navoppfolging import crypto
from navoppfolging.db import Database, is_encrypted_url, resolve_url, sqlite_file
from navoppfolging.errors import DatabaseError, Problem, ValidationError

log = logging.getLogger(__name__)

REQUIRED_TABLES = ("alembic_version", "advisors", "cases", "audit_log")


def database_key(db: Database) -> crypto.DbKey | None:
    """The key the open database was opened with (None for plain SQLite)."""
    if not is_encrypted_url(db.url) or not db.url.password:
        return None
    return crypto.DbKey.from_password(db.url.password, source="database")


def check_backup(file: Path, key: crypto.DbKey | None) -> list[str]:
    """Problems with ``file`` as a database to restore (empty when it is fine): it must open with
    the key, pass ``PRAGMA integrity_check`` and have our schema at a known revision."""
    import sqlcipher3

    from navoppfolging.migrate import alembic_config

    if not file.is_file():
        return ["filen finnes ikke"]
    if key is not None and crypto.is_plain_sqlite(file):
        return ["filen er ikke kryptert; en ukryptert kopi gjenopprettes ikke over en kryptert database"]
    try:
        conn = crypto.connect_raw(file, key)
    except sqlcipher3.Error:
        return ["kan ikke åpne filen"]
    try:
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlcipher3.DatabaseError:
            return ["feil nøkkel, eller filen er ikke en navoppfolging-database"]
        if result != ["ok"]:
            return [f"filen er skadet (integrity_check: {len(result)} feil)"]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            return [f"filen mangler tabellene {', '.join(missing)}; den er ikke en navoppfolging-database"]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    from alembic.script import ScriptDirectory

    if revision is None or ScriptDirectory.from_config(alembic_config()).get_revision(revision[0]) is None:
        return ["filen er laget av en annen (nyere?) versjon av navoppfolging"]
    return []


def restore(db: Database, file: Path) -> Path | None:
    """Replace the open database's content with ``file``'s, after checking it; returns the copy
    of what was replaced (in the backup folder). Refused (ValidationError) when the check fails."""
    file = Path(file)
    target = db.file
    if target is None:
        raise DatabaseError("Gjenoppretting gjelder bare en lokal databasefil.")
    if file.resolve() == target.resolve():
        raise ValidationError([Problem(str(file), "er selve databasen")])
    key = database_key(db)
    problems = check_backup(file, key)
    if problems:
        raise ValidationError([Problem(str(file), p) for p in problems])
    from navoppfolging.retention import RetentionService

    # What retention has deleted stays deleted: an older backup still holds those cases.
    deleted = RetentionService(db).deletion_entries()
    safety = db.backup_file(reason="for-gjenoppretting", prune=False)
    if key is None:
        import sqlite3

        src = sqlite3.connect(file)  # the backup API needs both ends from the same driver
    else:
        src = crypto.connect_raw(file, key)
    raw = db.engine.raw_connection()
    try:
        # Through the backup API into the live file: WAL and locks are handled by SQLite, and
        # a failure part-way leaves the destination as it was.
        src.backup(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()
        src.close()
    db.engine.dispose()  # connections cache the old schema
    from navoppfolging.migrate import upgrade_if_needed

    upgrade_if_needed(db, backup=False)
    RetentionService(db).reapply(deleted)
    with db.engine.connect() as conn:
        if conn.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
            raise DatabaseError("Gjenopprettingen ga en skadet database; kopien av den forrige ligger i "
                                f"{safety}.")
    db.prune_backups()
    log.info("database gjenopprettet fra sikkerhetskopi")
    return safety


def _table_counts(conn: Any) -> dict[str, int]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _encrypt_in_place(path: Path, key: crypto.DbKey) -> dict[str, int]:
    """Encrypt the plain file ``path``: export to a temporary file, verify row counts and
    integrity, then replace. Returns the row counts per table."""
    tmp = path.with_name(path.name + ".kryptering.tmp")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    plain = crypto.connect_raw(path, None)
    try:
        before = _table_counts(plain)
    finally:
        plain.close()
    crypto.encrypt_file(path, tmp, key)
    check = crypto.connect_raw(tmp, key)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after = _table_counts(check)
    finally:
        check.close()
    if not ok or after != before:
        tmp.unlink(missing_ok=True)
        raise DatabaseError("Krypteringen kunne ikke kontrolleres (antall rader avviker); ingenting er endret.")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    # The WAL of the plain file is empty after the checkpoint and belongs to the old file.
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        side.unlink(missing_ok=True)
    return after


def encrypt_database(url: str | None, *, passphrase_provider: crypto.PassphraseProvider | None = None) -> tuple[Path, dict[str, int], int]:
    """``navoppfolging encrypt-db``: encrypt an unencrypted SQLite database file in place (and its
    plain backups), with a new key in the keyring (or a passphrase). Returns the file, its row
    counts and how many backups were encrypted."""
    from navoppfolging import locking

    resolved = resolve_url(url)
    path = sqlite_file(resolved)
    if path is None:
        raise DatabaseError("Bare en lokal SQLite-fil kan krypteres.")
    if not path.exists():
        raise DatabaseError(f"Fant ikke databasefilen {path}.")
    if not crypto.is_plain_sqlite(path):
        raise DatabaseError(f"{path.name} er allerede kryptert (eller ikke en SQLite-database).")
    lock = locking.acquire(path)
    try:
        key = crypto.obtain_key(path, passphrase_provider=passphrase_provider, create=True)
        counts = _encrypt_in_place(path, key)
        encrypted_backups = 0
        backup_dir = path.parent / "backups"
        if backup_dir.is_dir():
            for old in sorted(backup_dir.glob(f"{path.stem}-*{path.suffix or '.db'}")):
                if crypto.is_plain_sqlite(old):
                    _encrypt_in_place(old, key)
                    encrypted_backups += 1
    finally:
        lock.release()
    log.info("database kryptert (%d tabeller, %d sikkerhetskopier)", len(counts), encrypted_backups)
    return path, counts, encrypted_backups
