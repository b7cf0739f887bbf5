"""«Slett avsluttede saker»: closed cases past the retention period, deleted on request.

The retention period is a local setting (``retention.days``, default 730 days — the letters give
none). The dialog lists what would go (reference, name, closing date, rows), and deletes exactly
that in one transaction after the advisor confirms; the deletion log keeps no personal data
(``navoppfolging.retention``). The command line's ``retention`` does the same.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.dates import fmt
from navoppfolging.errors import NotFoundError
from navoppfolging.retention import MAX_DAYS
from navoppfolging.words import count
from . import messages, theme
from .state import AppState, run_in_background

if TYPE_CHECKING:
    from navoppfolging.retention import RetentionCandidate, RetentionResult

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Referanse", "Navn", "Avsluttet", "Rader")


class RetentionModel(QAbstractTableModel):
    """The cases that would be deleted, with the names the advisor knows them by."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[RetentionCandidate, str]] = []

    def set_candidates(self, rows: list[tuple[RetentionCandidate, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def candidates(self) -> tuple[RetentionCandidate, ...]:
        return tuple(c for c, _ in self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        candidate, name = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (candidate.ref, name, fmt(candidate.closed_on), str(candidate.row_count))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RetentionDialog(QDialog):
    # Emitted after a deletion, with its result (for the window's status bar and the tests).
    deleted = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Slett avsluttede saker")
        self.setObjectName("retentionDialog")
        self.resize(640, 460)
        self.state = state
        # What the log keeps, said first, so the parenthesis of before («uten personopplysninger
        # (referanse, datoer …)») cannot be read as the list of what is left out.
        self.intro = intro = QLabel(
            "Avsluttede saker skal slettes når oppbevaringstiden er ute. Oppbevaringstiden er en "
            "<b>lokal innstilling</b> for kontoret; mål- og disponeringsbrevene gir ingen. "
            "Slettingen logges med bare referanse, datoer og antall rader – ingen personopplysninger.")
        intro.setWordWrap(True)
        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("retentionDays")
        self.days_spin.setAccessibleName("Oppbevaringstid i dager")
        self.days_spin.setRange(1, MAX_DAYS)
        self.days_spin.setSuffix(" dager")
        self.days_spin.setValue(state.retention.days())
        theme.pad_spin_box(self.days_spin)
        self.days_spin.valueChanged.connect(self.refresh)
        days_label = QLabel("&Oppbevaringstid etter at saken er avsluttet:")
        days_label.setBuddy(self.days_spin)
        row = QHBoxLayout()
        row.addWidget(days_label)
        row.addWidget(self.days_spin)
        row.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("retentionSummary")
        self.summary.setWordWrap(True)
        self.model = RetentionModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.delete_button = QPushButton(theme.icon(theme.ACTION_ICONS["delete"], theme.TEXT_ON_ACTION), "Slett")
        self.delete_button.setObjectName("retentionDelete")
        theme.set_variant(self.delete_button, "danger")
        self.delete_button.clicked.connect(self.delete)
        buttons = QDialogButtonBox()
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        close = buttons.addButton("Lukk", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    @property
    def today(self) -> dt.date:
        """The period is counted from today — never from the window's «Vis frister per» date,
        which may be moved into the future and would delete cases before their time."""
        return self.state.today

    def cutoff(self) -> dt.date:
        return self.today - dt.timedelta(days=self.days_spin.value())

    def refresh(self) -> None:
        """What the period in the spin box would delete, as of the window's date."""
        # Another period than the saved one is only previewed: it is saved when the advisor deletes.
        candidates = self.state.retention.preview(self.today, days=self.days_spin.value())
        rows = []
        for c in candidates:
            try:
                rows.append((c, self.state.case(c.ref).name))
            except NotFoundError:  # not in the window's cache
                rows.append((c, "–"))
        self.model.set_candidates(rows)
        n = len(candidates)
        when = f"avsluttet {fmt(self.cutoff())} eller tidligere"
        self.summary.setText(f"Ingen saker er {when}." if not n else
                             f"{count(n, 'sak', 'saker')} {when} ({sum(c.row_count for c in candidates)} rader):")
        self.delete_button.setText(f"Slett {count(n, 'sak', 'saker')}" if n else "Slett")
        self.delete_button.setEnabled(bool(n))

    def delete(self) -> None:
        candidates = self.model.candidates()
        if not candidates:
            return
        n = len(candidates)
        if not messages.confirm(self, "Slette for godt?",
                                f"{count(n, 'avsluttet sak', 'avsluttede saker')} med alle kontakter, "
                                "aktiviteter, vurderinger og notater slettes for godt. Dette kan ikke angres.",
                                ok_text=f"Slett {count(n, 'sak', 'saker')}"):
            return
        days, today, retention = self.days_spin.value(), self.today, self.state.retention
        confirmed = [c.ref for c in candidates]

        def work() -> RetentionResult:
            # Exactly the confirmed cases, and the period (if changed) saved in the same
            # transaction. No safety copy: a copy would keep what retention deletes.
            return retention.apply(today, days=days, refs=confirmed)

        def done(result: RetentionResult) -> None:
            self.state.reload()
            self.refresh()
            self.deleted.emit(result)

        run_in_background(self, work, label="Sletter avsluttede saker …", on_done=done)

    @classmethod
    def ask(cls, state: AppState, parent: QWidget | None = None) -> None:
        cls(state, parent).exec()
