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

    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from navoppfolging.ui.passphrase_dialog import PassphraseDialog

    def passphrase(first_time: bool) -> str | None:
        # Only when no secure keyring exists: the key is never stored in plain text.
        return PassphraseDialog.ask(None, first_time=first_time)

    def team_password(label: str) -> str | None:
        text, ok = QInputDialog.getText(None, "Teamdatabase", f"Passord for {label}:", QLineEdit.EchoMode.Password)
        return text if ok else None

    # A wrong passphrase is refused with a message; the user may try again (three times).
    for _attempt in range(3):
        try:
            return Database.open(db_url, passphrase_provider=passphrase, password_prompt=team_password)
        except NavOppfolgingError as exc:
            messages.show_error(None, "Kan ikke åpne databasen", str(exc))
            if "Avbrutt" in str(exc) or "allerede åpen" in str(exc):
                return None
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
