"""A temporary PostgreSQL 15 cluster for the team-mode tests, started the way machine-notes shows.

    from tests.pg import pg_server, pg_url, team  # noqa: F401  (fixtures)

``pg_server`` (session) runs ``initdb``/``pg_ctl`` as the ``postgres`` user when the tests run
as root (the server refuses root), on a free port of 127.0.0.1, and stops and removes it at the
end. ``pg_url`` (per test) is a fresh database, migrated to head, owned by the superuser
``postgres`` (which plays the administrator); ``team`` is that database with the team portfolio
(tests/team_data.py) and login roles for the two advisors and the team lead, and ``as_user``
gives its URL for one of them. When the binaries are missing the tests skip
locally, but fail with ``CI=1`` or ``NAVOPPFOLGING_REQUIRE_POSTGRES=1``: CI must never pass by
skipping them.

``PgCluster`` is also used by ``bench/bench_workload.py``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("NAVOPPFOLGING_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _required() -> bool:
    return bool(os.environ.get("CI")) or bool(os.environ.get("NAVOPPFOLGING_REQUIRE_POSTGRES"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    # The server refuses to run as root: run every tool as the postgres user then.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class PgCluster:
    directory: Path
    port: int

    @classmethod
    def start(cls) -> PgCluster:
        if not (PG_BIN / "pg_ctl").exists():
            raise FileNotFoundError(f"PostgreSQL-programmene mangler i {PG_BIN} (apt-get install postgresql)")
        directory = Path(tempfile.mkdtemp(prefix="navoppfolging-pg-"))
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres")
        port = _free_port()
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-A", "trust", "--no-sync", "-U", "postgres",
                                     "-D", str(directory / "data")]), check=True, capture_output=True)
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-w", "-D", str(directory / "data"),
                                     "-l", str(directory / "log"),
                                     "-o", f"-h 127.0.0.1 -p {port} -k {directory} -c fsync=off", "start"]),
                       check=True, capture_output=True)
        return cls(directory=directory, port=port)

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its name."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "fast", "stop"]),
                       check=False, capture_output=True)
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgCluster]:
    if not (PG_BIN / "pg_ctl").exists():
        message = f"PostgreSQL 15 mangler ({PG_BIN}); installer Debians «postgresql»"
        if _required():
            pytest.fail(message + " — CI krever PostgreSQL-testene", pytrace=False)
        pytest.skip(message)
    cluster = PgCluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server: PgCluster) -> Iterator[str]:
    """A fresh database migrated to head; the URL of its owner (the superuser ``postgres``)."""
    from navoppfolging.db import Database

    name = pg_server.create_database()
    url = pg_server.url(name)
    Database.open(url, actor="admin").close()
    try:
        yield url
    finally:
        pg_server.drop_database(name)


def as_user(url: str, user: str) -> str:
    """``url`` logged in as ``user`` (a login role: the NAV-ident in lower case)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=user).render_as_string(hide_password=False)


@pytest.fixture
def team(pg_url: str) -> Iterator[str]:
    """The team portfolio imported by the owner, login roles for A, B and the team lead."""
    from navoppfolging.db import Database
    from navoppfolging.domain import Role
    from navoppfolging.services import PortfolioService
    from navoppfolging.teamdb import create_login_role
    from tests.conftest import TODAY
    from tests.team_data import A, B, LEAD, team_portfolio

    admin = Database.open(pg_url, actor="admin")
    PortfolioService(admin).import_portfolio(team_portfolio(TODAY))
    with admin.engine.begin() as conn:
        create_login_role(conn, A, Role.VEILEDER, "pw-a")
        create_login_role(conn, B, Role.VEILEDER, "pw-b")
        create_login_role(conn, LEAD, Role.TEAMLEDER, "pw-l")
    admin.close()
    yield pg_url
