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
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from navoppfolging import domain as d
from navoppfolging.db import Database
from navoppfolging.errors import ConflictError, NavOppfolgingError, NotFoundError, ValidationError
from navoppfolging.rules import Evaluation, LocalSettings, evaluate
from navoppfolging.services import AdvisorService, AuditService, CaseService, PortfolioService, SettingsService
from navoppfolging.ui import messages

log = logging.getLogger(__name__)
T = TypeVar("T")

# Key in the settings table for the advisor who uses this database («meg»).
ME_SETTING = "ui.advisor"


class AppState(QObject):
    data_changed = Signal()  # after any write or reload
    as_of_changed = Signal(object)  # dt.date
    case_written = Signal(str)  # ref of a case just written

    def __init__(self, db: Database, *, today: dt.date | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.cases = CaseService(db)
        self.portfolio = PortfolioService(db)
        self.settings = SettingsService(db)
        self.advisors = AdvisorService(db)
        self.audit = AuditService(db)
        # The window is where the clock is read (the engine never does).
        self.today = today or dt.date.today()
        self._as_of = self.today
        self._cases: tuple[d.Case, ...] = ()
        self._by_ref: dict[str, d.Case] = {}
        self._advisors: dict[str, d.Advisor] = {}
        self._evaluation: Evaluation | None = None
        self._local: LocalSettings = LocalSettings()
        self._new_for_me: frozenset[str] = frozenset()
        self.reload(emit=False)

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

    @property
    def me(self) -> d.Advisor | None:
        """The advisor using this database: a setting, else the only/first VEILEDER."""
        ident = self.settings.get(ME_SETTING)
        if ident and ident in self._advisors:
            return self._advisors[ident]
        veiledere = [a for a in self._advisors.values() if a.role == d.Role.VEILEDER]
        return veiledere[0] if veiledere else next(iter(self._advisors.values()), None)

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
        self._cases = self.cases.list()
        self._by_ref = {c.ref: c for c in self._cases}
        self._advisors = {a.ident: a for a in self.advisors.list()}
        self._local = LocalSettings.from_mapping(self.settings.all())
        self._new_for_me = self.cases.new_for_advisor()
        self._evaluation = None
        if emit:
            self.data_changed.emit()

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
