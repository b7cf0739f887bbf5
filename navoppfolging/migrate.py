"""Alembic, driven from code: the config is built here (no alembic.ini needed at run time) and
the scripts are found as package resources, also in the frozen bundle."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection

from navoppfolging import migrations_path

if TYPE_CHECKING:
    from navoppfolging.db import Database

log = logging.getLogger(__name__)


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_if_needed(db: Database, *, backup: bool = True) -> bool:
    """Upgrade to head when the database is behind; back up the file first. True if upgraded."""
    from navoppfolging.db import create_app_engine, is_sqlite
    from navoppfolging.errors import DatabaseError

    with db.engine.connect() as conn:
        current = current_revision(conn)
    head = head_revision()
    if current == head:
        return False
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None and not _known(script, current):
        raise DatabaseError(
            "Databasen er laget av en nyere versjon av navoppfolging enn denne. Oppdater programmet."
        )
    if backup and current is not None:
        db.backup_file(reason="for-migrering")
    if is_sqlite(db.url):
        # See machine-notes: a separate NullPool engine, foreign keys off during batch
        # operations, and the whole upgrade in one explicit transaction so a failure rolls
        # back completely instead of leaving _alembic_tmp_* tables behind.
        engine = create_app_engine(db.url, for_migration=True)
        try:
            with engine.connect() as conn, conn.begin():
                command.upgrade(alembic_config(conn), "head")
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise DatabaseError(f"Migreringen ga brudd på fremmednøkler ({len(problems)} rader); ingenting er endret.")
        finally:
            engine.dispose()
    else:
        with db.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    log.info("database migrert fra %s til %s", current, head)
    return True



def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False
