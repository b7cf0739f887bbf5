"""Alembic, driven from code: the config is built here (no alembic.ini needed at run time) and
the scripts are found as package resources, also in the frozen bundle.

Alembic itself (≈ 0.12 s to import) is loaded only when the database is not at the head
revision: the common start-up compares the stored revision with the head read straight from the
revision files, which ``tests/test_migrations.py`` proves equal to Alembic's own answer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from navoppfolging import migrations_path
from navoppfolging.revisions import head_revision

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from navoppfolging.db import Database

log = logging.getLogger(__name__)



def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision stored in the database (None for an empty database), without Alembic."""
    try:
        with connection.begin_nested() if connection.in_transaction() else connection.begin():
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def upgrade_if_needed(db: Database, *, backup: bool = True) -> bool:
    """Upgrade to head when the database is behind; back up the file first. True if upgraded."""
    from navoppfolging.db import create_app_engine, is_sqlite
    from navoppfolging.errors import DatabaseError

    with db.engine.connect() as conn:
        current = current_revision(conn)
    head = head_revision()
    if current == head:
        return False
    from alembic import command
    from alembic.script import ScriptDirectory

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
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False
