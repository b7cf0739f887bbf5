"""Where the local database lives (no SQLAlchemy here: the window reads it at start-up before
SQLAlchemy is loaded, see ``quickread``)."""

from __future__ import annotations

from pathlib import Path

ENV_DB = "NAVOPPFOLGING_DB"
DB_FILE_NAME = "navoppfolging.db"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("navoppfolging", appauthor=False)


def default_db_file() -> Path:
    """The advisor's own (encrypted) database file in the user's data directory."""
    return data_dir() / DB_FILE_NAME
