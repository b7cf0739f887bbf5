"""Starting the window: the QApplication, NAV's look, the database, the main window."""

from __future__ import annotations

import sys

# The core is imported before PySide6 on purpose: once PySide6 is loaded, shiboken's import hook
# reads the source of every module imported after it (≈ 0.3 ms per module, hundreds of modules
# for SQLAlchemy), which alone doubled the start-up time.
import navoppfolging.rules  # noqa: F401, I001
import navoppfolging.services  # noqa: F401

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from navoppfolging import APP_NAME, __version__
from navoppfolging.errors import NavOppfolgingError


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("NAV")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setApplicationDisplayName("NAV oppfølging")
    QLocale.setDefault(QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway))
    from navoppfolging.ui.theme import apply_theme

    apply_theme(app)
    return app


def open_database(db_url: str | None):  # type: ignore[no-untyped-def]
    """Open and migrate the database; None (after telling the user why) when it cannot be."""
    from navoppfolging.db import Database
    from navoppfolging.ui import messages

    try:
        return Database.open(db_url)
    except NavOppfolgingError as exc:
        messages.show_error(None, "Kan ikke åpne databasen", str(exc))
        return None


def run(db_url: str | None = None) -> int:
    app = create_application()
    db = open_database(db_url)
    if db is None:
        return 1
    from navoppfolging.ui.main_window import MainWindow
    from navoppfolging.ui.state import AppState

    window = MainWindow(AppState(db))
    window.show()
    try:
        return int(app.exec())
    finally:
        db.close()
