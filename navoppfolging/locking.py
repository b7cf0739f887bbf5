"""One writer per database file: an OS lock (``flock``) on ``<db>.lock``, held while a Database
is open. A second process — another window or a command while the window is open — is refused
with a message. The OS drops the lock when a process dies, even by SIGKILL, so a crash never
leaves a stale lock behind.

Within one process several Database objects on the same file share the lock (counted): SQLite
itself serialises their transactions and the version columns catch stale saves.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from navoppfolging.errors import DatabaseError

LOCKED_MESSAGE = (
    "Databasen er allerede åpen i et annet vindu eller en annen navoppfolging-kommando ({name}). "
    "Lukk det andre vinduet (eller vent til kommandoen er ferdig) og prøv igjen."
)

_guard = threading.Lock()
_held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, count)


def lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".lock")


class FileLock:
    """A held lock; ``release()`` (idempotent) gives it back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._released = False

    def release(self) -> None:
        with _guard:
            if self._released:
                return
            self._released = True
            key = str(self.path)
            fd, count = _held[key]
            if count > 1:
                _held[key] = (fd, count - 1)
                return
            del _held[key]
            _unlock(fd)
            os.close(fd)


def acquire(db_file: Path) -> FileLock:
    """Take the writer lock for ``db_file`` or raise DatabaseError at once (no waiting)."""
    path = lock_path(Path(db_file).expanduser().resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path)
    with _guard:
        if key in _held:
            fd, count = _held[key]
            _held[key] = (fd, count + 1)
            return FileLock(path)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if not _try_lock(fd):
                raise DatabaseError(LOCKED_MESSAGE.format(name=db_file.name))
            # Who holds it, for a developer looking at the file; no personal data.
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except BaseException:
            os.close(fd)
            raise
        _held[key] = (fd, 1)
        return FileLock(path)


if sys.platform == "win32":  # pragma: no cover - the laptops run Windows too
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
