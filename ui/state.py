"""The window's shared state and its single doorway to the services.

``AppState`` holds the open database's services, the as-of date and cached results (the case
list and the rule evaluation for that date). Every write goes through ``AppState.write``: it
calls one service function, handles refusals (validation, conflicts) with a message, refreshes
the cache and emits ``data_changed`` once — each view then refreshes itself (Anki's
"operations" pattern). Long work goes through ``run_in_background`` with visible progress.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from navoppfolging import domain as d
from navoppfolging.errors import ConflictError, NavOppfolgingError, NotFoundError, ValidationError
from navoppfolging.rules import Evaluation, LocalSettings, evaluate
from . import messages

if TYPE_CHECKING:
    from navoppfolging.db import Database
    from navoppfolging.quickread import QuickOpen, Snapshot
    from navoppfolging.retention import RetentionService
    from navoppfolging.services import AdvisorService, AuditService, CaseService, PortfolioService, SettingsService

log = logging.getLogger(__name__)
T = TypeVar("T")

# Key in the settings table for the advisor who uses this database («meg»).
ME_SETTING = "ui.advisor"


class _Services:
    """The services on one open database (SQLAlchemy is loaded with them)."""

    def __init__(self, db: Database) -> None:
        from navoppfolging.services import AdvisorService, AuditService, CaseService, PortfolioService, SettingsService

        self.cases = CaseService(db)
        self.portfolio = PortfolioService(db)
        self.settings = SettingsService(db)
        self.advisors = AdvisorService(db)
        self.audit = AuditService(db)
        from navoppfolging.retention import RetentionService

        self.retention = RetentionService(db)


def preload_services() -> None:
    """Import SQLAlchemy, the models and the services (≈ 0.3 s): run off the UI thread."""
    import navoppfolging.services  # noqa: F401


class AppState(QObject):
    data_changed = Signal()  # after any write or reload
    as_of_changed = Signal(object)  # dt.date
    case_written = Signal(str)  # ref of a case just written
    database_ready = Signal()  # the full database is open (services usable without waiting)
    _preloaded = Signal()  # from the preload thread: SQLAlchemy and the services are imported

    def __init__(self, db: Database | None = None, *, opening: QuickOpen | None = None,
                 today: dt.date | None = None, parent: QObject | None = None) -> None:
        """``db``: an open database. Or ``opening``: the default file read at start-up without
        SQLAlchemy (``navoppfolging.quickread``); the window shows its snapshot at once and the
        full database is opened by ``finish_opening`` — after the first paint, or as soon as
        anything needs a service."""
        super().__init__(parent)
        if db is None and (opening is None or opening.snapshot is None):
            raise ValueError("AppState needs an open database or a start-up snapshot")
        self._db = db
        self._opening = opening
        self._services: _Services | None = None
        self._preload: threading.Thread | None = None
        # The window is where the clock is read (the engine never does).
        self.today = today or dt.date.today()
        self._as_of = self.today
        self._cases: tuple[d.Case, ...] = ()
        self._by_ref: dict[str, d.Case] = {}
        self._advisors: dict[str, d.Advisor] = {}
        self._settings: dict[str, str] = {}
        self._evaluation: Evaluation | None = None
        self._local: LocalSettings = LocalSettings()
        self._new_for_me: frozenset[str] = frozenset()
        # Team mode: the login's group role (None for a local file, read at start-up without it).
        self.team_role: d.Role | None = db.team_role() if db is not None else None
        if db is not None:
            self.reload(emit=False)
        else:
            assert opening is not None and opening.snapshot is not None
            self._apply(opening.snapshot)
        self._preloaded.connect(self._on_preloaded, Qt.ConnectionType.QueuedConnection)

    # --- the database ----------------------------------------------------------------------

    @property
    def db(self) -> Database:
        if self._db is None:
            self.finish_opening()
        assert self._db is not None
        return self._db

    @property
    def is_open(self) -> bool:
        """True once the full database is open (always, when constructed with one)."""
        return self._db is not None

    @property
    def display_name(self) -> str:
        """For the window title: the database file (or server), known before it is fully open."""
        if self._db is None and self._opening is not None:
            return str(self._opening.path)
        return self.db.display_name

    def start_opening(self) -> None:
        """After the first paint: import SQLAlchemy and the services on a thread, then open the
        full database on the UI thread (``database_ready``)."""
        if self._db is not None or self._preload is not None:
            return
        self._preload = threading.Thread(target=self._run_preload, name="navoppfolging-preload", daemon=True)
        self._preload.start()

    def _run_preload(self) -> None:
        try:
            preload_services()
        finally:
            self._preloaded.emit()

    def _on_preloaded(self) -> None:
        if self._db is not None:
            return
        try:
            self.finish_opening()
        except NavOppfolgingError as exc:
            messages.show_error(None, "Kan ikke åpne databasen", str(exc))
            from PySide6.QtWidgets import QApplication

            QApplication.quit()

    def finish_opening(self) -> None:
        """Open the full database from the start-up read (same file, key and lock): migration
        check and the daily backup run here, before anything can be written."""
        if self._db is not None:
            return
        assert self._opening is not None
        if self._preload is not None:
            self._preload.join()  # its import holds the module locks; wait rather than race it
        self._db = self._opening.open_database()
        self._opening = None
        self.database_ready.emit()

    def close(self) -> None:
        """Close the database (or give back the start-up lock if it never fully opened)."""
        if self._preload is not None:
            self._preload.join()
        if self._db is not None:
            self._db.close()
        elif self._opening is not None:
            self._opening.release()
            self._opening = None

    def _svc(self) -> _Services:
        if self._services is None:
            self._services = _Services(self.db)
        return self._services

    @property
    def cases(self) -> CaseService:
        return self._svc().cases

    @property
    def portfolio(self) -> PortfolioService:
        return self._svc().portfolio

    @property
    def settings(self) -> SettingsService:
        return self._svc().settings

    @property
    def advisors(self) -> AdvisorService:
        return self._svc().advisors

    @property
    def audit(self) -> AuditService:
        return self._svc().audit

    @property
    def retention(self) -> RetentionService:
        return self._svc().retention

    # --- reading ---------------------------------------------------------------------------

    @property
    def as_of(self) -> dt.date:
        return self._as_of

    def set_as_of(self, day: dt.date) -> None:
        if day == self._as_of:
            return
        self._as_of = day
        self._evaluation = None
        self.as_of_changed.emit(day)
        self.data_changed.emit()

    @property
    def as_of_is_today(self) -> bool:
        return self._as_of == self.today

    def case_list(self, *, include_closed: bool = False) -> tuple[d.Case, ...]:
        if include_closed:
            return self._cases
        return tuple(c for c in self._cases if c.closed_on is None or c.closed_on > self._as_of)

    def case(self, ref: str) -> d.Case:
        try:
            return self._by_ref[ref]
        except KeyError:
            raise NotFoundError(f"Fant ingen sak med referanse {ref!r}.") from None

    def advisor(self, ident: str) -> d.Advisor | None:
        return self._advisors.get(ident)

    def advisor_list(self) -> tuple[d.Advisor, ...]:
        return tuple(self._advisors.values())

    def advisor_names(self) -> dict[str, str]:
        """The advisors' names by NAV-ident (colleagues: Teamoversikt, Historikk)."""
        return {str(ident): a.name for ident, a in self._advisors.items()}

    @property
    def me(self) -> d.Advisor | None:
        """The advisor using this database: a setting, else the only/first VEILEDER."""
        ident = self._settings.get(ME_SETTING)
        if ident and ident in self._advisors:
            return self._advisors[ident]
        veiledere = [a for a in self._advisors.values() if a.role == d.Role.VEILEDER]
        return veiledere[0] if veiledere else next(iter(self._advisors.values()), None)

    @property
    def is_local_file(self) -> bool:
        """The advisor's own SQLite file (the start-up read is always one), not a team server."""
        return self._db is None or self._db.file is not None

    @property
    def may_see_workload(self) -> bool:
        """Teamoversikt: on a local file (the advisor's own counts) and for a team lead; on the
        team database an advisor is refused the team's counts (revision 0002)."""
        return self.team_role is not d.Role.VEILEDER

    def is_new_for_me(self, ref: str) -> bool:
        return ref in self._new_for_me

    @property
    def local_settings(self) -> LocalSettings:
        return self._local

    def evaluation(self) -> Evaluation:
        """The rule evaluation of every case for the as-of date (cached until data changes)."""
        if self._evaluation is None:
            self._evaluation = evaluate(self._cases, self._as_of, settings=self._local)
        return self._evaluation

    def reload(self, *, emit: bool = True) -> None:
        from navoppfolging.quickread import Snapshot

        self._apply(Snapshot(advisors=self.advisors.list(), cases=self.cases.list(), settings=self.settings.all(),
                             new_for_advisor=self.cases.new_for_advisor()))
        if emit:
            self.data_changed.emit()

    def _apply(self, snapshot: Snapshot) -> None:
        self._cases = snapshot.cases
        self._by_ref = {c.ref: c for c in self._cases}
        self._advisors = {a.ident: a for a in snapshot.advisors}
        self._settings = dict(snapshot.settings)
        self._local = LocalSettings.from_mapping(self._settings)
        self._new_for_me = snapshot.new_for_advisor
        self._evaluation = None

    # --- writing ---------------------------------------------------------------------------

    def write(self, parent: QWidget | None, action: Callable[[], T], *, ref: str | None = None) -> T | None:
        """Run one service call. On success: refresh and announce; on refusal: tell the user.

        Returns the call's result, or None when it was refused (nothing was written then)."""
        try:
            result = action()
        except ValidationError as exc:
            messages.show_error(parent, "Kan ikke lagre", "Rett opp dette før du lagrer:", [str(p) for p in exc.problems])
            return None
        except ConflictError as exc:
            if messages.ask_reload(parent, str(exc)):
                self.reload()
            return None
        except NavOppfolgingError as exc:
            messages.show_error(parent, "Kan ikke lagre", str(exc))
            return None
        self.reload()
        if ref is not None:
            self.case_written.emit(ref)
        return result


# Jobs are kept here until they finish: a QRunnable whose Python wrapper (and signal object)
# is collected while still running crashes the process.
_RUNNING: set[_Job] = set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the UI thread as a message
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_in_background(
    parent: QWidget | None,
    fn: Callable[[], T],
    *,
    label: str,
    on_done: Callable[[T], None],
    on_failed: Callable[[Exception], None] | None = None,
    progress_after_ms: int = 250,
) -> _Job:
    """Run ``fn`` on the thread pool; show a busy progress dialog if it takes a while.

    ``fn`` must not touch widgets. Results come back on the UI thread via queued signals."""
    job = _Job(fn)
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(progress_after_ms)
    progress.setAutoClose(True)

    def finish() -> None:
        _RUNNING.discard(job)
        progress.reset()
        progress.deleteLater()

    def done(result: Any) -> None:
        finish()
        on_done(result)

    def failed(exc: Any) -> None:
        finish()
        if on_failed is not None:
            on_failed(exc)
        elif isinstance(exc, ValidationError):
            messages.show_error(parent, "Ugyldig innhold", "Dette må rettes:", [str(p) for p in exc.problems])
        elif isinstance(exc, NavOppfolgingError):
            messages.show_error(parent, "Det gikk ikke", str(exc))
        else:
            log.error("bakgrunnsjobb feilet: %s", type(exc).__name__)
            messages.show_error(parent, "Det gikk ikke", f"Uventet feil ({type(exc).__name__}).")

    job.signals.done.connect(done, Qt.ConnectionType.QueuedConnection)
    job.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    job.setAutoDelete(False)
    _RUNNING.add(job)
    QThreadPool.globalInstance().start(job)
    return job
