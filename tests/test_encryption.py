"""Encryption at rest: the default database is SQLCipher, the key lives in the keyring (memory
keyring in tests) or comes from a passphrase, a wrong key is refused with a message, and an
unencrypted file is encrypted on request without losing a row."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import keyring
import pytest
from keyring.backends import chainer, fail
from keyring.backends import null as null_backend
from sqlalchemy.engine import URL

from navoppfolging import crypto
from navoppfolging.cli import main
from navoppfolging.db import Database
from navoppfolging.errors import DatabaseError
from navoppfolging.paths import data_dir
from navoppfolging.services import CaseService, PortfolioService
from tests.conftest import TODAY
from tests.memory_keyring import MemoryKeyring

PASSPHRASE = "korrekt hest batteri stift"


def _rows(url: str | URL | None) -> dict[str, int]:
    db = Database.open(url, backup=False)
    try:
        with db.engine.connect() as conn:
            names = [r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            return {n: conn.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar() for n in names}
    finally:
        db.close()


def _plain_read(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        conn.close()


def test_default_database_is_encrypted_with_a_raw_key_from_the_keyring(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    db = Database.open(actor="Z990001")
    try:
        assert db.encrypted
        PortfolioService(db).import_portfolio(demo_portfolio)
        path = db.file
    finally:
        db.close()
    assert path == data_dir() / "navoppfolging.db"
    # The key is in the (memory) keyring: 64 hex digits, under the service and the file's path.
    stored = keyring.get_password(crypto.SERVICE, crypto.keyring_username(path))
    assert stored is not None and len(stored) == 64 and int(stored, 16) >= 0
    # Plain sqlite3 cannot read it, and no name is visible in the bytes.
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        _plain_read(path)
    raw = path.read_bytes()
    assert not raw.startswith(crypto.SQLITE_HEADER)
    assert demo_portfolio.cases[0].name.encode() not in raw
    # Opening again finds the key and the data.
    db = Database.open()
    try:
        assert len(CaseService(db).list()) == len(demo_portfolio.cases)
    finally:
        db.close()


def test_wrong_key_is_refused_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "k.db"
    good = "x'" + "ab" * 32 + "'"
    Database.open(URL.create("sqlite+pysqlcipher", password=good, database=str(path))).close()
    bad = URL.create("sqlite+pysqlcipher", password="x'" + "cd" * 32 + "'", database=str(path))
    with pytest.raises(DatabaseError, match="feil nøkkel eller passord"):
        Database.open(bad)
    with pytest.raises(DatabaseError, match="filen er kryptert"):
        Database.open(f"sqlite:///{path}")
    # Right key works; a passphrase URL is also a key (with KDF).
    Database.open(URL.create("sqlite+pysqlcipher", password=good, database=str(path))).close()
    # Command line: a message, exit 1, no traceback — and no SQLCipher noise on stderr.
    bad_text = f"sqlite+pysqlcipher://:{quote(bad.password or '', safe='')}@/{path}"
    rc = main(["--db", bad_text, "due", "--as-of", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert rc == 1
    assert "feil nøkkel eller passord" in err
    assert "Traceback" not in err and "hmac" not in err


def test_wrong_passphrase_from_the_environment(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(crypto.ENV_KEY, PASSPHRASE)
    Database.open().close()
    monkeypatch.setenv(crypto.ENV_KEY, "et helt annet passord")
    assert main(["due", "--as-of", TODAY.isoformat()]) == 1
    assert "feil nøkkel eller passord" in capsys.readouterr().err
    monkeypatch.setenv(crypto.ENV_KEY, PASSPHRASE)
    assert main(["due", "--as-of", TODAY.isoformat()]) == 0


@pytest.mark.parametrize("backend", [fail.Keyring(), null_backend.Keyring()], ids=["fail", "null"])
def test_insecure_keyring_never_stores_the_key_and_asks_for_a_passphrase(backend, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(backend)
    assert not crypto.keyring_is_secure()
    # Command line without NAVOPPFOLGING_DB_KEY: a clear message, nothing created.
    with pytest.raises(DatabaseError, match="NAVOPPFOLGING_DB_KEY"):
        Database.open()
    path = data_dir() / "navoppfolging.db"
    assert not path.exists() or path.stat().st_size == 0
    # The window's provider: asked with first_time=True, then False.
    asked: list[bool] = []

    def provider(first_time: bool) -> str:
        asked.append(first_time)
        return PASSPHRASE

    Database.open(passphrase_provider=provider).close()
    Database.open(passphrase_provider=provider).close()
    assert asked == [True, False]
    with pytest.raises(sqlite3.DatabaseError):
        _plain_read(path)
    # Cancel: refused with a message. Too short a new passphrase: refused.
    with pytest.raises(DatabaseError, match="Avbrutt"):
        Database.open(passphrase_provider=lambda first: None)
    with pytest.raises(DatabaseError, match="minst 12 tegn"):
        Database.open(f"sqlite+pysqlcipher:///{path.parent / 'ny.db'}", passphrase_provider=lambda first: "kort")
    # The environment variable is the command line's passphrase.
    monkeypatch.setenv(crypto.ENV_KEY, PASSPHRASE)
    Database.open().close()


def test_insecure_backends_are_recognised() -> None:
    class PlaintextKeyring(MemoryKeyring):  # keyrings.alt-style name
        pass

    class AltFile(MemoryKeyring):
        pass

    AltFile.__module__ = "keyrings.alt.file"
    assert crypto.keyring_is_secure(MemoryKeyring())
    assert not crypto.keyring_is_secure(fail.Keyring())
    assert not crypto.keyring_is_secure(PlaintextKeyring())
    assert not crypto.keyring_is_secure(AltFile())
    def chain(*children: object) -> chainer.ChainerBackend:
        cls = type("Chain", (chainer.ChainerBackend,), {"backends": list(children)})
        cls.__module__ = chainer.__name__
        return cls()

    assert not crypto.keyring_is_secure(chain(AltFile(), fail.Keyring()))
    assert not crypto.keyring_is_secure(chain())
    assert crypto.keyring_is_secure(chain(AltFile(), MemoryKeyring()))


def test_keyring_that_refuses_the_key_falls_back_to_a_passphrase() -> None:
    from keyring.errors import PasswordSetError

    class Refusing(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise PasswordSetError("locked")

    keyring.set_keyring(Refusing())
    with pytest.raises(DatabaseError):
        Database.open()
    Database.open(passphrase_provider=lambda first: PASSPHRASE).close()


def test_plain_sqlite_url_stays_plain(db_url: str) -> None:
    db = Database.open(db_url)
    try:
        assert not db.encrypted
    finally:
        db.close()
    _plain_read(Path(db_url.removeprefix("sqlite:///")))


def test_unencrypted_database_is_encrypted_on_request_keeping_every_row(tmp_path: Path, demo_portfolio,  # type: ignore[no-untyped-def]
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gammel.db"
    plain = f"sqlite:///{path}"
    db = Database.open(plain, actor="Z990001")
    PortfolioService(db).import_portfolio(demo_portfolio)
    db.backup_file(reason="test")
    db.close()
    before = _rows(plain)
    assert sum(before.values()) > 500

    assert main(["--db", plain, "encrypt-db"]) == 0
    out = capsys.readouterr().out
    assert "sqlite+pysqlcipher" in out and "1 sikkerhetskopier kryptert" in out
    with pytest.raises(sqlite3.DatabaseError):
        _plain_read(path)
    for backup in (tmp_path / "backups").iterdir():
        assert not crypto.is_plain_sqlite(backup)
    assert _rows(f"sqlite+pysqlcipher:///{path}") == before
    # Once encrypted, the command refuses to run again.
    assert main(["--db", plain, "encrypt-db"]) == 1


def test_old_plain_default_file_keeps_working_until_encrypted(demo_portfolio) -> None:  # type: ignore[no-untyped-def]
    path = data_dir() / "navoppfolging.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database.open(f"sqlite:///{path}", actor="Z990001")
    PortfolioService(db).import_portfolio(demo_portfolio)
    db.close()
    db = Database.open()
    try:
        assert not db.encrypted  # the window can offer «Krypter databasen»
    finally:
        db.close()
    assert main(["encrypt-db"]) == 0
    db = Database.open()
    try:
        assert db.encrypted
        assert len(CaseService(db).list()) == len(demo_portfolio.cases)
    finally:
        db.close()


def test_engine_never_echoes_and_hides_parameters(db) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.db import create_app_engine

    assert not db.engine.echo
    engine = create_app_engine(db.url, echo=True)
    try:
        assert not engine.echo
        assert engine.hide_parameters is True
    finally:
        engine.dispose()


def test_the_shown_database_name_never_holds_a_password() -> None:
    """Window title and Om show ``display_url``: no password from the URL, nor one given as a
    query parameter (``?password=``), nor a key."""
    from sqlalchemy.engine import make_url

    from navoppfolging.db import display_url

    shown = display_url(make_url("postgresql+psycopg://z990002:hemmelig@db.nav.no:5432/team?password=S3cr3t&sslmode=require"))
    assert "hemmelig" not in shown and "S3cr3t" not in shown and "password" not in shown
    assert shown.startswith("postgresql+psycopg://z990002:***@db.nav.no:5432/team")
    assert display_url(make_url("sqlite:////tmp/x/navoppfolging.db")) == "/tmp/x/navoppfolging.db"
