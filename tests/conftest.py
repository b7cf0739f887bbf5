"""Shared fixtures. Qt runs offscreen; every test gets its own data/config/log directories, an
in-memory keyring (never the OS keyring) and no network."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("NAVOPPFOLGING_DB", None)

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402

from tests.memory_keyring import MemoryKeyring  # noqa: E402

# A fixed "today" for tests: the demo portfolio and the rules are built around it.
TODAY = dt.date(2024, 6, 3)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state"),
                     ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("NAVOPPFOLGING_LOG_DIR", str(home / "logs"))
    monkeypatch.delenv("NAVOPPFOLGING_DB", raising=False)
    monkeypatch.delenv("NAVOPPFOLGING_DB_KEY", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    """A database built by running the migrations (never create_all)."""
    from navoppfolging.db import Database

    database = Database.open(db_url, actor="Z990001")
    yield database
    database.close()


@pytest.fixture
def demo_portfolio():  # type: ignore[no-untyped-def]
    from navoppfolging.demo import generate

    return generate(TODAY)


@pytest.fixture
def demo_db(db, demo_portfolio):  # type: ignore[no-untyped-def]
    from navoppfolging.services import PortfolioService

    PortfolioService(db).import_portfolio(demo_portfolio)
    return db


@pytest.fixture
def bokmal_qt(qapp):  # type: ignore[no-untyped-def]
    """Qt's own standard strings («Avbryt», «Vis detaljer …», context menus, file dialog) in
    bokmål, as ``create_application`` installs them; taken off afterwards so other tests see
    stock Qt."""
    from navoppfolging.ui.app import install_qt_translation, remove_qt_translation

    assert install_qt_translation(qapp) is not None
    yield qapp
    remove_qt_translation(qapp)


@pytest.fixture
def themed_app(qapp, bokmal_qt):  # type: ignore[no-untyped-def]
    """The application with NAV's theme (palette, font, stylesheet, icon) and Qt's strings in
    bokmål, as the window runs; put back afterwards so other tests see stock Qt."""
    from navoppfolging.ui import theme

    style, palette, font, sheet = (qapp.style().name(), qapp.palette(), qapp.font(), qapp.styleSheet())
    theme.apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet(sheet)
    if style:  # a style-sheet style reports no name; there is nothing else to put back then
        qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
