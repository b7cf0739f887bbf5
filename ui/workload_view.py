"""«Teamoversikt»: the team lead's workload view — counts per advisor, never a case.

    WorkloadDialog.ask(parent, load=lambda as_of: load_workload(db, as_of), as_of=today)

``load`` is any callable returning a ``navoppfolging.workload.Workload`` (team mode: the
database's own aggregation; single file: the local portfolio), so this module needs no
database. The table is a ``WorkloadTableModel`` behind a ``WorkloadProxyModel`` (sorting keeps
the team row last); the youth-guarantee column is painted as a bar against the cap of 50 by
``UgBarDelegate`` (red over the cap).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.errors import NavOppfolgingError
from navoppfolging.workload import CONTACT_DEFINITION, WORK_ORIENTED_DEFINITION, AdvisorWorkload, Workload
from navoppfolging.workload_export import (
    TEAM_LABEL,
    fmt_decimal,
    headers,
    row_values,
    summary_lines,
    write_pdf,
    write_xlsx,
)

log = logging.getLogger(__name__)

from . import theme

BAR_COLOR, BAR_OVER, BAR_TRACK, DANGER_TEXT = theme.SURFACE_ACTION, theme.DANGER, theme.SURFACE_NEUTRAL, theme.DANGER_TEXT

UG_COLUMN = 2
BREACH_COLUMN = 3
OVERDUE_COLUMN = 4
DUE_SOON_COLUMN = 5
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
IS_TOTAL_ROLE = Qt.ItemDataRole.UserRole + 2
CAP_ROLE = Qt.ItemDataRole.UserRole + 3


class WorkloadTableModel(QAbstractTableModel):
    """One row per advisor and a last row with the team's totals."""

    def __init__(self, parent: Any = None, *, names: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        # The advisors' names by NAV-ident (colleagues, not young people): «Kari Veileder (Z990001)».
        self.names: Mapping[str, str] = names or {}
        self._workload: Workload | None = None
        self._rows: list[AdvisorWorkload] = []
        self._values: list[list[object]] = []
        self._headers: list[str] = []

    def clear(self) -> None:
        """No figures (the load failed): an empty table, not the last date's numbers."""
        self.beginResetModel()
        self._workload = None
        self._rows, self._values, self._headers = [], [], []
        self.endResetModel()

    def set_workload(self, workload: Workload) -> None:
        self.beginResetModel()
        self._workload = workload
        self._rows = [*workload.advisors, workload.totals]
        pending = workload.rule_counts_pending
        self._values = ([row_values(a, pending=pending) for a in workload.advisors]
                        + [row_values(workload.totals, label=TEAM_LABEL, pending=pending)])
        self._headers = headers(workload)
        self.endResetModel()

    @property
    def workload(self) -> Workload | None:
        return self._workload

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._values)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                # Two lines for the long names («Trenger veiledning,\nnedsatt arbeidsevne»).
                return self._headers[section].replace(": ", ":\n").replace(", ", ",\n")
            if role == Qt.ItemDataRole.ToolTipRole:
                if "Kontakt" in self._headers[section]:
                    return CONTACT_DEFINITION
                if "Arbeidsrettet" in self._headers[section]:
                    return WORK_ORIENTED_DEFINITION
                return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._values)) or not (0 <= index.column() < len(self._headers)):
            return None
        value = self._values[index.row()][index.column()]
        row = self._rows[index.row()]
        total = index.row() == len(self._values) - 1
        col = index.column()
        if col == 0 and not total:
            name = self.names.get(str(value))
            if role == SORT_ROLE:  # by name where known, in Norwegian alphabetical order
                return (name or str(value)).casefold()
            if role == Qt.ItemDataRole.DisplayRole and name:
                return f"{name} ({value})"
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "–"
            if isinstance(value, float):
                return f"{value:.0f} %"
            return str(value)
        if role == SORT_ROLE:
            return -1.0 if value is None else value if not isinstance(value, str) else value
        if role == IS_TOTAL_ROLE:
            return total
        if role == CAP_ROLE:
            return self._workload.cap if self._workload is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) if col == 0 else int(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col in (UG_COLUMN, BREACH_COLUMN) and row.breach:
            return QColor(DANGER_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole and self._workload is not None:
            workload = self._workload
            # Per rule by the ruleset's title; the ID only where a colleague may need to look it up.
            if col == OVERDUE_COLUMN and row.overdue_by_rule:
                return "\n".join(f"{workload.rule_title(rule)}: {n}" for rule, n in row.overdue_by_rule)
            if col == DUE_SOON_COLUMN and row.due_soon_by_rule:
                return "\n".join(f"{workload.rule_title(rule)}: {n}" for rule, n in row.due_soon_by_rule)
            if col == UG_COLUMN and workload.cap is not None:
                cap_title = workload.rule_title("PORTFOLIO-CAP-50")
                if total:
                    avg = workload.team_average
                    return (f"Snitt per veileder: {fmt_decimal(avg)} av {workload.cap}\n{cap_title} (PORTFOLIO-CAP-50)"
                            if avg is not None else None)
                return f"{row.ug_cases} av {workload.cap}\n{cap_title} (PORTFOLIO-CAP-50)"
        return None


class WorkloadProxyModel(QSortFilterProxyModel):
    """Sorts by the numbers (not their text) and keeps the team row last in either order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        source = self.sourceModel()
        lt, rt = source.data(left, IS_TOTAL_ROLE), source.data(right, IS_TOTAL_ROLE)
        if lt or rt:
            # The team row is "largest" ascending and "smallest" descending: always at the bottom.
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return bool(rt) if ascending else bool(lt)
        a, b = source.data(left, SORT_ROLE), source.data(right, SORT_ROLE)
        if isinstance(a, str) or isinstance(b, str):
            return str(a) < str(b)
        return float(a or 0) < float(b or 0)


class UgBarDelegate(QStyledItemDelegate):
    """UG cases as a bar against the cap (the bar's full width is 1.2 × cap; red over the cap)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        cap = index.data(CAP_ROLE)
        value = index.data(SORT_ROLE)
        if index.data(IS_TOTAL_ROLE) or not cap or not isinstance(value, int):
            super().paint(painter, option, index)
            return
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect: QRect = option.rect.adjusted(4, 6, -40, -6)
        scale = cap * 1.2
        painter.fillRect(rect, QColor(BAR_TRACK))
        filled = QRect(rect.left(), rect.top(), int(rect.width() * min(value, scale) / scale), rect.height())
        painter.fillRect(filled, QColor(BAR_OVER if value > cap else BAR_COLOR))
        cap_x = rect.left() + int(rect.width() * cap / scale)
        painter.setPen(QColor(theme.TEXT_DEFAULT))
        painter.drawLine(cap_x, rect.top() - 2, cap_x, rect.bottom() + 2)
        text_rect = option.rect.adjusted(0, 0, -4, 0)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(value))
        painter.restore()


class WorkloadDialog(QDialog):
    """«Teamoversikt» with as-of date, the table, office deadlines and the two exports."""

    # Emitted when the view shows a complete workload (per-rule counts included).
    completed = Signal(object)
    # Emitted with the path once an export has been written (off the UI thread).
    exported = Signal(object)

    def __init__(self, load: Callable[[dt.date], Workload], *, as_of: dt.date, parent: QWidget | None = None,
                 load_counts: Callable[[dt.date], Workload] | None = None,
                 names: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Teamoversikt")
        self.resize(1200, 560)
        self._load = load
        # Team mode: the quick SQL counts come at once; the per-rule counts (one more SQL query,
        # ≈ 0.5 s at 100,000 cases, or the rule engine for a ruleset the SQL cannot count) follow
        # from a background job with visible progress.
        self._load_counts = load_counts
        self._generation = 0
        self.model = WorkloadTableModel(self, names=names)
        self.proxy = WorkloadProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.date_edit = QDateEdit(QDate(as_of.year, as_of.month, as_of.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.date_edit.setAccessibleName("Dato tallene gjelder")
        self.date_edit.dateChanged.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel("Per dato:"))
        top.addWidget(self.date_edit)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons
        self.table.setItemDelegateForColumn(UG_COLUMN, UgBarDelegate(self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(UG_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(UG_COLUMN, 180)
        self.table.verticalHeader().setVisible(False)

        note = QLabel("Bare antall – ingen navn eller saksopplysninger. " + CONTACT_DEFINITION + " "
                      + WORK_ORIENTED_DEFINITION)
        note.setWordWrap(True)
        note.setProperty("subtle", "true")

        self.excel_button = QPushButton("Eksporter til Excel…")
        self.pdf_button = QPushButton("Eksporter til PDF…")
        self.excel_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Lukk")  # no Qt translations are loaded
        buttons.addButton(self.excel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self._set_exports_enabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.refresh()

    @property
    def as_of(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        as_of = self.as_of
        self._generation += 1
        generation = self._generation
        first = self._load_counts or self._load
        try:
            workload = first(as_of)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the log has the type only
            self._failed(exc)
            return
        self._show(workload)
        if workload.rule_counts_pending:
            from .state import run_in_background

            def done(full: Workload) -> None:
                if generation == self._generation:  # the date may have changed meanwhile
                    self._show(full)

            def failed(exc: Exception) -> None:
                if generation == self._generation:
                    self._failed(exc)

            run_in_background(self, lambda: self._load(as_of), label="Beregner frister per regel …",
                              on_done=done, on_failed=failed)

    def _failed(self, exc: Exception) -> None:
        # The type only: a driver's message can carry SQL and names from the database.
        log.warning("teamoversikt kunne ikke lastes: %s", type(exc).__name__)
        if isinstance(exc, NavOppfolgingError):
            text = str(exc)  # written for the user in bokmål (AccessDeniedError for an advisor …)
        else:
            text = ("Kunne ikke hente tallene for teamet. Prøv igjen om litt; skjer det igjen, "
                    "kontakt den som drifter teamdatabasen.")
        self.model.clear()
        self.summary.setText(text)
        self._set_exports_enabled(False)

    def _set_exports_enabled(self, enabled: bool) -> None:
        tip = "" if enabled else "Eksport er mulig når tallene er hentet og beregnet."
        for button in (self.excel_button, self.pdf_button):
            button.setEnabled(enabled)
            button.setToolTip(tip)

    def _show(self, workload: Workload) -> None:
        self.model.set_workload(workload)
        self.summary.setText("\n".join(summary_lines(workload)))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        # An export holds the whole figures: not while the per-rule counts are still coming.
        self._set_exports_enabled(not workload.rule_counts_pending)
        if not workload.rule_counts_pending:
            self.completed.emit(workload)

    @classmethod
    def ask_save_path(cls, parent: QWidget, title: str, suggested: str, filter_text: str) -> Path | None:
        """The file dialog (tests replace this classmethod)."""
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter_text)
        return Path(name) if name else None

    def export(self, kind: str) -> None:
        """Ask where, then write the Excel or PDF file off the UI thread (ReportLab or openpyxl
        take a noticeable moment to load) with visible progress; ``exported`` says when done."""
        workload = self.model.workload
        if workload is None:
            return
        suggested = f"teamoversikt-{workload.as_of.isoformat()}.{kind}"
        if kind == "xlsx":
            path = self.ask_save_path(self, "Eksporter til Excel", suggested, "Excel (*.xlsx)")
        else:
            path = self.ask_save_path(self, "Eksporter til PDF", suggested, "PDF (*.pdf)")
        if path is None:
            return
        from . import messages
        from .state import run_in_background

        writer = write_xlsx if kind == "xlsx" else write_pdf

        def work() -> Path:
            writer(workload, path)
            return path

        def finished() -> None:
            shown = self.model.workload
            self._set_exports_enabled(shown is not None and not shown.rule_counts_pending)

        def done(written: Path) -> None:
            finished()
            self.exported.emit(written)

        def failed(exc: Exception) -> None:
            finished()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            log.warning("teamoversikt-eksport feilet: %s", type(exc).__name__)
            messages.show_error(self, "Eksporten ble ikke gjort", f"Kunne ikke skrive {path.name}: {reason}.")

        self._set_exports_enabled(False)
        run_in_background(self, work, label="Eksporterer teamoversikten …", on_done=done, on_failed=failed)

    @classmethod
    def ask(cls, parent: QWidget | None, *, load: Callable[[dt.date], Workload], as_of: dt.date,
            load_counts: Callable[[dt.date], Workload] | None = None, names: Mapping[str, str] | None = None) -> None:
        dialog = cls(load, as_of=as_of, parent=parent, load_counts=load_counts, names=names)
        dialog.exec()
