"""Starting the window: the QApplication, NAV's look, the database, the main window.

Start-up order (issue 9, measured by ``bench/bench_startup.py``): the advisor's own default
database is read first with the bare SQLCipher driver (``navoppfolging.quickread``: lock, key,
schema check, one read), the window is built from that snapshot and painted, and only then are
SQLAlchemy and the services imported (on a thread) and the full database opened — daily backup
included — before anything can be written. An explicit ``--db`` (team mode, other files) and a
database that needs migrating take the classic path: ``Database.open`` first.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

# The core modules the first view needs are imported before PySide6 on purpose: once PySide6 is
# loaded, shiboken's import hook inspects every module imported after it (see
# ``_cheap_pyside_module_scan``).
import navoppfolging.quickread  # noqa: F401, I001
import navoppfolging.rules  # noqa: F401

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from navoppfolging import APP_NAME, __version__, resources_path
from navoppfolging.domain import Role
from navoppfolging.errors import NavOppfolgingError, UsageError
from navoppfolging.quickread import PendingQuickOpen, QuickOpen

if TYPE_CHECKING:
    from navoppfolging.db import Database

# Set by bench/bench_startup.py: print «READY <peak RSS KiB>» once the table has painted, and quit.
BENCH_ENV = "NAVOPPFOLGING_BENCH_READY"


def _cheap_pyside_module_scan() -> None:
    """Make shiboken's per-import check cheap.

    Importing PySide6 replaces ``__import__``; after every later import shiboken asks whether the
    module's source mentions «PySide6» (for its opt-in ``__feature__`` switches) and finds out
    with ``inspect.getsource`` — tokenizing the file, ≈ 0.3 ms per module, hundreds of modules.
    We answer the same question by reading the file's bytes. Same answer for every module: a
    module without a readable ``.py`` source (extension, frozen) is False in both. If a later
    PySide6 changes its internals, nothing is patched and the original check stays.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "_navoppfolging", False):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            return False

    uses_pyside._navoppfolging = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]


_cheap_pyside_module_scan()


# Bokmål for Qt's own standard strings: standard buttons («Avbryt», «Lukk»), «Vis detaljer …» in
# message boxes, the text fields' context menus, the file and print dialogs, key names in
# shortcuts. Qt ships no bokmål (only nynorsk, Danish, Swedish …), so we carry our own:
# resources/translations/qtbase_nb.ts is the source, qtbase_nb.qm its compiled form (README.md
# there; tests/test_ui_translation.py fails if they drift apart). Here rather than in a module of
# its own: loading and installing costs ≈ 0.2 ms of the start-up, a module import would add ≈ 0.3.
QT_TRANSLATION = "qtbase_nb.qm"
# The translator is a child of the application under this name, so a second call finds it. (No
# ``Qt.FindChildOption`` in the look-up: naming ``Qt`` makes PySide6 build the whole namespace,
# ≈ 17 ms, before the first paint; the application has only a handful of children then.)
_QT_TRANSLATOR_NAME = "navoppfolging-qtbase-nb"


def qt_translation_file() -> str:
    return str(resources_path() / "translations" / QT_TRANSLATION)


def install_qt_translation(app: QCoreApplication) -> QTranslator | None:
    """Install the bokmål translation of Qt's standard strings on ``app`` (once; a second call
    returns the installed translator). None if the file cannot be read: Qt's English texts are
    shown then, which is logged, not fatal."""
    installed = app.findChild(QTranslator, _QT_TRANSLATOR_NAME)
    if installed is not None:
        return installed
    translator = QTranslator(app)
    translator.setObjectName(_QT_TRANSLATOR_NAME)
    path = qt_translation_file()
    if not translator.load(path):
        logging.getLogger(__name__).warning(
            "Kunne ikke lese Qts bokmålsoversettelse (%s); Qts standardtekster vises på engelsk", path)
        translator.setParent(None)
        return None
    app.installTranslator(translator)
    return translator


def remove_qt_translation(app: QCoreApplication) -> None:
    """Take the translation off again (tests that must leave stock Qt behind)."""
    installed = app.findChild(QTranslator, _QT_TRANSLATOR_NAME)
    if installed is not None:
        app.removeTranslator(installed)
        installed.setParent(None)  # no longer found; Python deletes it with the last reference


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    style_set = False
    if not isinstance(app, QApplication):
        # Aksel's look is drawn on Fusion. Asked for with Qt's own «-style» option rather than
        # ``setStyle("Fusion")``, whose returned QStyle makes PySide6 build the QStyle class and
        # its 20 enums (≈ 4 ms of the start-up, issue 9).
        app = QApplication([*(argv if argv is not None else sys.argv[:1]), "-style", "fusion"])
        style_set = True
    QCoreApplication.setOrganizationName("NAV")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setApplicationDisplayName("NAV oppfølging")
    QLocale.setDefault(QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway))
    # Before any widget is built: widgets read Qt's standard texts when they are created.
    install_qt_translation(app)
    from .theme import apply_theme

    apply_theme(app, set_style=not style_set)
    return app


# How many times the user has been asked for a passphrase or password in this run: a failed
# open is tried again only if the user was asked (and may type it differently).
_ASKED = [0]


def _passphrase(first_time: bool) -> str | None:
    # Only when no secure keyring exists: the key is never stored in plain text.
    from .passphrase_dialog import PassphraseDialog

    _ASKED[0] += 1
    passphrase: str | None = PassphraseDialog.ask(None, first_time=first_time)
    return passphrase


def _team_password(label: str) -> str | None:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    _ASKED[0] += 1
    text, ok = QInputDialog.getText(None, "Teamdatabase", f"Passord for {label}:", QLineEdit.EchoMode.Password)
    return text if ok else None


T = TypeVar("T")


def _attempts(open_once: Callable[[], T]) -> T | None:
    """A wrong passphrase is refused with a message; the user may try again (three times). Any
    failure the user was not asked anything for — a mistake in the URL (``--db``), a password
    in the URL that the server refuses, a server out of reach — is told once: trying the same
    again cannot help, and repeated failed logins can lock an account."""
    from . import messages

    for _attempt in range(3):
        asked_before = _ASKED[0]
        try:
            return open_once()
        except NavOppfolgingError as exc:
            messages.show_error(None, "Kan ikke åpne databasen", str(exc))
            if (isinstance(exc, UsageError) or _ASKED[0] == asked_before
                    or "Avbrutt" in str(exc) or "allerede åpen" in str(exc)):
                return None
    return None


def open_database(db_url: str | None):  # type: ignore[no-untyped-def]
    """Open and migrate the database; None (after telling the user why) when it cannot be."""

    def once():  # type: ignore[no-untyped-def]
        from navoppfolging.db import Database

        return Database.open(db_url, passphrase_provider=_passphrase, password_prompt=_team_password)

    return _attempts(once)


def open_state(db_url: str | None, pending: PendingQuickOpen | None = None):  # type: ignore[no-untyped-def]
    """The window's ``AppState``: from the start-up read of the default file when possible
    (``pending``: the read already started in a child process), else from a fully opened
    database; None (after telling the user why) when neither works."""
    from .state import AppState

    reader = pending if pending is not None else PendingQuickOpen(db_url)
    # None: could not (the user was told); False: not the default file, take the classic path.
    opening: QuickOpen | Literal[False] | None = _attempts(lambda: reader.finish(_passphrase) or False)
    if opening is None:
        return None
    if opening is not False and opening.snapshot is not None:
        return AppState(opening=opening)
    if opening is not False:
        # Locked and keyed, but the schema must be migrated (after a backup) before reading.
        db = _attempts(lambda: opening.open_database())
    else:
        db = open_database(db_url)
    if db is None:
        return None
    if db.team_role() is Role.TEAMLEDER:
        # Row-level security gives a team lead no case rows, only the team's counts.
        return TeamLead(db)
    return AppState(db)


class TeamLead(NamedTuple):
    """``open_state``'s answer for a team lead's login on the team database: the open database,
    shown as Teamoversikt instead of the advisor's window."""

    db: Database


def _run_team_lead(app: QApplication, db: Database) -> int:
    import datetime as dt

    from .team_window import team_lead_window

    window = team_lead_window(db, today=dt.date.today())
    window.show()
    try:
        return int(app.exec())
    finally:
        db.close()


def _report_ready(window) -> None:  # type: ignore[no-untyped-def]
    """The benchmark's finish line: the portfolio table has painted its rows."""
    import resource

    # As the floor in bench/bench_startup.py does: one round of the pending events after show()
    # — the expose that paints the window, its filled table included (a test in
    # tests/test_ui_main_window.py proves the table's rows are painted in that round).
    QApplication.processEvents()
    heavy = sorted(m for m in ("reportlab", "openpyxl", "psycopg", "icalendar", "sqlalchemy", "alembic")
                   if m in sys.modules)
    print("READY", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, window.proxy.rowCount(),
          ",".join(heavy) or "-", flush=True)


def run(db_url: str | None = None, pending: PendingQuickOpen | None = None) -> int:
    app = create_application()
    state = open_state(db_url, pending)
    if state is None:
        return 1
    if isinstance(state, TeamLead):
        return _run_team_lead(app, state.db)
    from PySide6.QtCore import QTimer

    from .main_window import MainWindow

    window = MainWindow(state)
    window.show()
    bench = bool(os.environ.get(BENCH_ENV))
    if bench:
        _report_ready(window)
    # After the first paint: SQLAlchemy and the services load on a thread, then the full
    # database opens (daily backup) — the window is already usable for reading.
    QTimer.singleShot(0, state.start_opening)
    if bench:
        state.database_ready.connect(window.close)
    try:
        return int(app.exec())
    finally:
        state.close()
