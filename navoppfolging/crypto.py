"""Encryption at rest: the key of the SQLCipher database and where it comes from.

Order of sources for a database file:

1. ``NAVOPPFOLGING_DB_KEY`` (a passphrase; the command line's way when no secure keyring exists);
2. the OS keyring (service ``navoppfolging``, user name derived from the file's absolute path):
   a random 256-bit key, given to SQLCipher as a raw key (``x'<hex>'``), which skips the
   key derivation — opening is as fast as plain SQLite;
3. a passphrase from ``passphrase_provider`` (the window's dialog), when the keyring is missing,
   insecure (keyring's fail/null backends, any ``keyrings.alt`` plaintext/file backend) or has no
   entry for an existing file. A passphrase goes through SQLCipher's PBKDF2 (≈ 0.2 s per
   connection), so the engine keeps its connections (see ``db.create_app_engine``).

A key is never written anywhere but a secure keyring.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from navoppfolging.errors import DatabaseError

log = logging.getLogger(__name__)

SERVICE = "navoppfolging"
ENV_KEY = "NAVOPPFOLGING_DB_KEY"
MIN_PASSPHRASE = 12
SQLITE_HEADER = b"SQLite format 3\x00"
_RAW = re.compile(r"x'([0-9a-fA-F]{64})'")

# Called with ``first_time`` (True when the database is being created, so the user must choose
# and repeat a passphrase); returns the passphrase, or None when the user cancelled.
PassphraseProvider = Callable[[bool], "str | None"]

NO_SECURE_KEYRING = (
    "Fant ingen sikker nøkkelring (f.eks. GNOME Keyring/KWallet, macOS-nøkkelring eller Windows "
    "Legitimasjonsbehandling) til å oppbevare nøkkelen til den krypterte databasen. "
    f"Oppgi et passord i miljøvariabelen {ENV_KEY} (minst {MIN_PASSPHRASE} tegn), "
    "eller start vinduet, som spør om passordet."
)


@dataclass(frozen=True, slots=True)
class DbKey:
    """A database key: ``raw`` is 64 hex digits (256 bits) used without key derivation,
    otherwise ``secret`` is a passphrase."""

    secret: str
    raw: bool
    source: str  # "keyring", "miljø", "passord", "url" — for messages, never the secret

    @property
    def sql_password(self) -> str:
        """The value for the URL's password: SQLCipher reads ``x'…'`` as a raw key."""
        return f"x'{self.secret}'" if self.raw else self.secret

    def __repr__(self) -> str:  # never print the secret
        return f"DbKey(raw={self.raw}, source={self.source!r})"

    @classmethod
    def from_password(cls, password: str, *, source: str = "url") -> DbKey:
        m = _RAW.fullmatch(password)
        if m:
            return cls(m.group(1).lower(), raw=True, source=source)
        return cls(password, raw=False, source=source)


WRONG_KEY = (
    "Kan ikke åpne databasen {name}: feil nøkkel eller passord, eller filen er ikke en "
    "navoppfolging-database. Sjekk passordet (eller NAVOPPFOLGING_DB_KEY) og prøv igjen."
)
ENCRYPTED_AS_PLAIN = (
    "Kan ikke åpne databasen {name}: filen er kryptert (eller ikke en database). En kryptert fil "
    "åpnes uten --db (standardfilen) eller med --db sqlite+pysqlcipher:///sti/til/fil."
)



def open_error(exc: BaseException, name: str, *, encrypted: bool) -> DatabaseError:
    """The bokmål message for a driver error on the first touch of a SQLite/SQLCipher file
    (``exc``: sqlite3's or sqlcipher3's own error), for ``Database.open`` and the start-up read."""
    text = str(exc).lower()
    if "not a database" in text or "encrypted" in text:
        return DatabaseError((WRONG_KEY if encrypted else ENCRYPTED_AS_PLAIN).format(name=name))
    if "unable to open" in text or "readonly" in text:
        return DatabaseError(f"Kan ikke åpne databasefilen {name} (mangler tilgang, eller mappen finnes ikke).")
    return DatabaseError(f"Kan ikke åpne databasen {name}: {type(exc).__name__}.")


def new_raw_key() -> DbKey:
    import secrets  # here, not at the top: ≈ 4 ms (hashlib, hmac, random) off the start-up path

    return DbKey(secrets.token_hex(32), raw=True, source="keyring")


def keyring_username(path: Path) -> str:
    """One entry per database file: the absolute path names it."""
    return f"database:{Path(path).expanduser().resolve()}"


def _insecure(backend: Any) -> bool:
    module = type(backend).__module__
    name = type(backend).__name__
    if module.startswith("keyrings.alt") or module.startswith("keyring.backends.fail") \
            or module.startswith("keyring.backends.null"):
        return True
    if "plaintext" in name.lower() or "encryptedkeyring" in name.lower():
        return True
    if module.startswith("keyring.backends.chainer"):
        children = list(getattr(backend, "backends", []))
        return not children or all(_insecure(c) for c in children)
    try:
        priority = float(backend.priority)
    except Exception:  # noqa: BLE001 - a backend whose priority raises is not usable
        return True
    return priority <= 0


def keyring_is_secure(backend: Any | None = None) -> bool:
    """False for keyring's fail and null backends, keyrings.alt's file/plaintext backends and a
    chainer made only of those: a key there would be readable by anyone with the laptop."""
    if backend is None:
        try:
            import keyring

            backend = keyring.get_keyring()
        except Exception:  # noqa: BLE001 - keyring itself failing to load = no secure keyring
            return False
    return not _insecure(backend)


def _keyring_get(username: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, username)
    except (KeyringError, RuntimeError, OSError):
        return None


def _keyring_set(username: str, value: str) -> bool:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, username, value)
    except (KeyringError, RuntimeError, OSError):
        return False
    # Read back: a backend that accepts but does not keep the key would lose the database.
    return _keyring_get(username) == value


def forget_key(path: Path) -> None:
    """Remove the keyring entry (after the file itself is gone)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.delete_password(SERVICE, keyring_username(path))
    except (KeyringError, RuntimeError, OSError):
        pass


def is_plain_sqlite(path: Path) -> bool:
    """True for an unencrypted SQLite file (its first 16 bytes are readable)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


def is_new_file(path: Path) -> bool:
    return not path.exists() or path.stat().st_size == 0


def _check_new_passphrase(passphrase: str, where: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise DatabaseError(f"Passordet ({where}) må ha minst {MIN_PASSPHRASE} tegn.")


def obtain_key(path: Path, *, passphrase_provider: PassphraseProvider | None = None,
               create: bool | None = None) -> DbKey:
    """The key for the encrypted database at ``path``; creates one when the file is new.

    Raises DatabaseError (bokmål) when no key can be had: no secure keyring and no passphrase.
    """
    path = Path(path)
    first_time = is_new_file(path) if create is None else create
    env = os.environ.get(ENV_KEY)
    if env:
        if first_time:
            _check_new_passphrase(env, ENV_KEY)
        return DbKey.from_password(env, source="miljø")
    username = keyring_username(path)
    if keyring_is_secure():
        stored = _keyring_get(username)
        if stored:
            m = re.fullmatch(r"[0-9a-fA-F]{64}", stored)
            if m:
                return DbKey(stored.lower(), raw=True, source="keyring")
            log.warning("nøkkelringen har en ugyldig oppføring for databasen; spør om passord")
        elif first_time:
            key = new_raw_key()
            if _keyring_set(username, key.secret):
                log.info("ny databasenøkkel lagret i nøkkelringen")
                return key
            log.warning("nøkkelringen tok ikke imot nøkkelen; spør om passord")
    else:
        log.info("ingen sikker nøkkelring; passord kreves")
    if passphrase_provider is None:
        if keyring_is_secure() and not first_time:
            raise DatabaseError(
                "Fant ikke nøkkelen til den krypterte databasen i nøkkelringen. Hvis databasen ble laget med "
                f"et passord, oppgi det i miljøvariabelen {ENV_KEY}."
            )
        raise DatabaseError(NO_SECURE_KEYRING)
    passphrase = passphrase_provider(first_time)
    if not passphrase:
        raise DatabaseError("Avbrutt: databasen åpnes ikke uten passord.")
    if first_time:
        _check_new_passphrase(passphrase, "valgt i vinduet")
    return DbKey(passphrase, raw=False, source="passord")


_quiet = False


def quiet_sqlcipher() -> None:
    """SQLCipher prints its own «ERROR CORE … hmac check failed» lines to stderr on a wrong key;
    the user gets our message instead. The log level is process-wide."""
    global _quiet
    if _quiet:
        return
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    finally:
        conn.close()
    _quiet = True


def pragma_key(key: DbKey) -> str:
    """The ``PRAGMA key`` statement for a raw DB-API connection (quotes doubled)."""
    value = key.sql_password.replace('"', '""')
    return f'PRAGMA key = "{value}"'


def connect_raw(path: Path, key: DbKey | None) -> Any:
    """A bare sqlcipher3 connection (no SQLAlchemy), keyed; for checks, export and restore."""
    import sqlcipher3

    quiet_sqlcipher()
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    if key is not None:
        conn.execute(pragma_key(key))
    return conn


def encrypt_file(source: Path, target: Path, key: DbKey) -> None:
    """Write an encrypted copy of the plain SQLite file ``source`` to ``target``
    (``sqlcipher_export``), keeping ``user_version``."""
    if target.exists():
        raise DatabaseError(f"{target} finnes allerede.")
    conn = connect_raw(source, None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        value = key.sql_password.replace("'", "''")
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY '{value}'", (str(target),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
