"""A keyring backend for the start-up benchmark only: keeps secrets in a JSON file in the
benchmark's temporary directory, so the child processes can share the database key the way a
desktop keyring (Secret Service) would. Never used by the application or its tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class BenchFileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ["NAVOPPFOLGING_BENCH_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x00{username}"] = password
        self._path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}\x00{username}", None)
        self._path.write_text(json.dumps(data))
