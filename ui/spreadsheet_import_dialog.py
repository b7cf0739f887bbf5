"""«Importer fra Excel/CSV»: choose a file, check the column mapping, see every row's problems,
import the valid rows in one transaction, save the report of the rejected rows.

The dialog never touches the database: it gets the known advisors, callables for the existing
cases and the next free ref, and the import callable (``PortfolioService.import_portfolio``).
Everything it shows comes from ``navoppfolging.tabular``, the same code the command line uses,
so the window and ``navoppfolging import liste.xlsx`` cannot disagree about a row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging import tabular
from navoppfolging.errors import NavOppfolgingError, ValidationError
from navoppfolging.words import count
from . import messages, theme
from .state import run_in_background

log = logging.getLogger(__name__)

FILE_FILTER = "Regneark (*.xlsx *.xlsm *.csv);;Excel-arbeidsbok (*.xlsx *.xlsm);;CSV (*.csv)"
REPORT_FILTER = "CSV for Excel (*.csv);;Tekst (*.txt)"
ImportFn = Callable[[d.Portfolio], Any]

_ANY: QModelIndex | QPersistentModelIndex = QModelIndex()


class PreviewModel(QAbstractTableModel):
    """One row per spreadsheet row: row number, what happens, ref, name, birth date,
    innsatsgruppe, problems (or notes). Rejected rows are drawn in Aksel's danger colours."""

    COLUMNS = ("Rad", "Resultat", "Ref", "Navn", "Fødselsdato", "Innsatsgruppe", "Problemer og merknader")
    ROW, RESULT, REF, NAME, BIRTH, GROUP, PROBLEMS = range(7)
    SortRole = Qt.ItemDataRole.UserRole + 1
    RejectedRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[tabular.RowResult, ...] = ()
        self._result: tabular.Preview | None = None

    def set_preview(self, result: tabular.Preview | None) -> None:
        self.beginResetModel()
        self._result = result
        self._rows = result.rows if result is not None else ()
        self.endResetModel()

    def row_result(self, row: int) -> tabular.RowResult:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ANY) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ANY) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def _cell(self, r: tabular.RowResult, column: int) -> tuple[str, Any]:
        """(display text, sort key)."""
        case = r.case
        mapping = self._result.mapping if self._result else None

        def raw(fld: tabular.Field) -> str:
            col = mapping.column_of(fld) if mapping else None
            return r.cells[col] if col is not None and col < len(r.cells) else ""

        if column == self.ROW:
            return str(r.row), r.row
        if column == self.RESULT:
            text = {tabular.RowAction.CREATE: "Ny sak", tabular.RowAction.UPDATE: "Oppdaterer",
                    tabular.RowAction.REJECT: "Avvist"}[r.action]
            return text, text
        if column == self.REF:
            ref = case.ref if case else raw(tabular.Field.REF)
            return ref, ref
        if column == self.NAME:
            if case:
                return case.name, case.name
            name = raw(tabular.Field.NAME) or " ".join(x for x in (raw(tabular.Field.FIRST_NAME), raw(tabular.Field.LAST_NAME)) if x)
            return name, name
        if column == self.BIRTH:
            if case:
                return case.birth_date.strftime("%d.%m.%Y"), case.birth_date.isoformat()
            text = raw(tabular.Field.BIRTH_DATE)
            return text, text
        if column == self.GROUP:
            if case and case.assessments:
                latest = max(case.assessments, key=lambda a: a.date)
                label = d.INNSATSGRUPPE_LABELS[latest.innsatsgruppe]
                return label, label
            text = "" if case else raw(tabular.Field.INNSATSGRUPPE)
            return text, text
        text = r.problem_text() if r.problems else " ".join(r.notes)
        return text, text

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        rejected = not r.ok
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._cell(r, index.column())[0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if index.column() == self.PROBLEMS and text else None
            return text
        if role == self.SortRole:
            return self._cell(r, index.column())[1]
        if role == self.RejectedRole:
            return rejected
        if role == Qt.ItemDataRole.BackgroundRole and rejected:
            return QColor(theme.DANGER_SUBTLE)
        if role == Qt.ItemDataRole.ForegroundRole:
            if rejected:
                return QColor(theme.DANGER_TEXT)
            if index.column() == self.PROBLEMS and r.notes:
                return QColor(theme.WARNING_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PreviewProxyModel(QSortFilterProxyModel):
    """Sorts by the model's sort keys; «Bare avviste rader» filters on RejectedRole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(PreviewModel.SortRole)
        self._only_rejected = False

    def set_only_rejected(self, only: bool) -> None:
        # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange(); older Qt lacks them.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._only_rejected = only
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._only_rejected = only
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._only_rejected:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return bool(index.data(PreviewModel.RejectedRole))


class SpreadsheetImportDialog(QDialog):
    """«Importer fra Excel/CSV»."""

    fileLoaded = Signal(str)  # the path read
    mappingChanged = Signal()
    previewUpdated = Signal(int, int)  # valid rows, rejected rows
    imported = Signal(object)  # the ImportSummary
    reportSaved = Signal(str)  # the report's path

    def __init__(
        self,
        *,
        advisors: Sequence[d.Advisor],
        default_advisor: str | None,
        existing: Callable[[], Sequence[d.Case]],
        next_ref: Callable[[], str],
        import_portfolio: ImportFn,
        as_of: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importer fra Excel eller CSV")
        self.setObjectName("SpreadsheetImportDialog")
        self.resize(1100, 720)
        self._advisors = tuple(advisors)
        self._existing = existing
        self._next_ref = next_ref
        self._import = import_portfolio
        self.as_of = as_of
        self.table: tabular.Table | None = None
        self.mapping: tabular.ColumnMapping | None = None
        # Not «result»: that would hide QDialog.result(), the dialog's result code.
        self.preview: tabular.Preview | None = None
        self.path: Path | None = None
        self.summary: Any = None
        self._cases: tuple[d.Case, ...] = ()
        self._first_ref = "U-0001"

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.choose_button = QPushButton("Velg fil…")
        self.choose_button.setToolTip("Excel-arbeidsbok (.xlsx) eller CSV (.csv)")
        self.choose_button.clicked.connect(self.choose_file)
        self.file_label = QLabel("Ingen fil valgt.")
        self.file_label.setProperty("subtle", "true")
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(QLabel("Veileder for nye saker:"))
        self.advisor_combo = QComboBox()
        self.advisor_combo.setAccessibleName("Veileder for nye saker")
        for a in self._advisors:
            self.advisor_combo.addItem(f"{a.name} ({a.ident})", a.ident)
        if default_advisor is not None:
            i = self.advisor_combo.findData(default_advisor)
            if i >= 0:
                self.advisor_combo.setCurrentIndex(i)
        self.advisor_combo.currentIndexChanged.connect(lambda _i: self.revalidate())
        top.addWidget(self.advisor_combo)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Vertical)
        mapping_box = QWidget()
        mv = QVBoxLayout(mapping_box)
        mv.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Kolonner i filen")
        heading.setProperty("heading", "small")
        mv.addWidget(heading)
        mv.addWidget(QLabel("Velg hva hver kolonne inneholder. Kolonner med «(ikke importer)» blir ikke lest."))
        # One header label and one combo box per column, side by side as in the spreadsheet.
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        self.mapping_area.setFixedHeight(96)
        self.mapping_host = QWidget()
        self.mapping_grid = QGridLayout(self.mapping_host)
        self.mapping_area.setWidget(self.mapping_host)
        self._combos: list[QComboBox] = []
        mv.addWidget(self.mapping_area)
        self.mapping_label = QLabel("")
        self.mapping_label.setWordWrap(True)
        self.mapping_label.setStyleSheet(f"color: {theme.DANGER_TEXT};")
        mv.addWidget(self.mapping_label)
        splitter.addWidget(mapping_box)

        preview_box = QWidget()
        pv = QVBoxLayout(preview_box)
        pv.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        heading2 = QLabel("Forhåndsvisning")
        heading2.setProperty("heading", "small")
        row.addWidget(heading2)
        self.summary_label = QLabel("")
        row.addWidget(self.summary_label, 1)
        self.only_rejected = QCheckBox("Bare avviste rader")
        row.addWidget(self.only_rejected)
        pv.addLayout(row)
        self.model = PreviewModel(self)
        self.proxy = PreviewProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.only_rejected.toggled.connect(self.proxy.set_only_rejected)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(PreviewModel.ROW, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)  # Tab goes on to the buttons
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in ((0, 50), (1, 90), (2, 80), (3, 200), (4, 100), (5, 220)):
            self.view.setColumnWidth(col, width)
        pv.addWidget(self.view)
        splitter.addWidget(preview_box)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.report_button = QPushButton("Lagre rapport over avviste rader…")
        self.report_button.clicked.connect(self.save_report)
        theme.set_variant(self.report_button, "secondary")
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Avbryt")
        self.cancel_button.clicked.connect(self.reject)
        theme.set_variant(self.cancel_button, "tertiary")
        self.import_button = QPushButton("Importer")
        self.import_button.clicked.connect(self.do_import)
        theme.set_variant(self.import_button, "primary")
        self.import_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        open_shortcut = QShortcut(QKeySequence.StandardKey.Open, self)
        open_shortcut.activated.connect(self.choose_file)
        self._update_buttons()

    # --- file ----------------------------------------------------------------------------

    @classmethod
    def ask_open_path(cls, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "Velg regneark", "", FILE_FILTER)
        return path or None

    @classmethod
    def ask_report_path(cls, parent: QWidget, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "Lagre rapport over avviste rader", suggested, REPORT_FILTER)
        return path or None

    def choose_file(self) -> None:
        path = self.ask_open_path(self)
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Read the file, recognise its headers and show the preview; False when unreadable."""
        try:
            table = tabular.read_table(path)
        except ValidationError as exc:
            messages.show_error(self, "Kan ikke lese filen", "Filen kunne ikke leses.", [str(p) for p in exc.problems])
            return False
        self.path = path
        self.table = table
        # The database is read once per file: the rows are checked against these on every change.
        self._cases = tuple(self._existing())
        self._first_ref = self._next_ref()
        self.file_label.setText(f"{path.name} — {table.describe()}, {len(table.rows)} rader")
        self._build_mapping_grid(tabular.ColumnMapping.recognise(table.headers))
        self.fileLoaded.emit(str(path))
        self.revalidate()
        return True

    # --- mapping -------------------------------------------------------------------------

    def _build_mapping_grid(self, mapping: tabular.ColumnMapping) -> None:
        assert self.table is not None
        self.mapping = mapping
        self.mapping_host = QWidget()
        self.mapping_grid = QGridLayout(self.mapping_host)
        self.mapping_grid.setHorizontalSpacing(12)
        self._combos = []
        for col, header in enumerate(self.table.headers):
            label = QLabel(f"{tabular.column_letter(col)}: {header}")
            label.setToolTip(header)
            self.mapping_grid.addWidget(label, 0, col)
            combo = QComboBox()
            combo.setAccessibleName(f"Felt for kolonnen {header}")
            combo.setMinimumWidth(150)
            combo.addItem(tabular.IGNORE_LABEL, None)
            for fld, text in tabular.FIELD_LABELS.items():
                combo.addItem(text, fld.value)
            current = mapping.fields[col]
            combo.setCurrentIndex(max(0, combo.findData(current.value if current else None)))
            combo.currentIndexChanged.connect(lambda _i, c=col, box=combo: self._field_chosen(c, box))
            self.mapping_grid.addWidget(combo, 1, col)
            self._combos.append(combo)
        old = self.mapping_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.mapping_area.setWidget(self.mapping_host)

    def mapping_combo(self, column: int) -> QComboBox:
        return self._combos[column]

    def _field_chosen(self, column: int, combo: QComboBox) -> None:
        if self.mapping is None:
            return
        value = combo.currentData()
        fld = tabular.Field(value) if value else None
        self.mapping = self.mapping.with_field(column, fld)
        # A field belongs to one column: the combo that had it falls back to «ikke importer».
        for col, have in enumerate(self.mapping.fields):
            other = self.mapping_combo(col)
            wanted = have.value if have else None
            if other.currentData() != wanted:
                other.blockSignals(True)
                other.setCurrentIndex(max(0, other.findData(wanted)))
                other.blockSignals(False)
        self.mappingChanged.emit()
        self.revalidate()

    def set_mapping(self, column: int, fld: tabular.Field | None) -> None:
        """Choose ``fld`` for ``column`` as the user would (through the combo box)."""
        combo = self.mapping_combo(column)
        combo.setCurrentIndex(max(0, combo.findData(fld.value if fld else None)))

    # --- preview -------------------------------------------------------------------------

    def revalidate(self) -> None:
        if self.table is None or self.mapping is None:
            return
        self.preview = tabular.preview(
            self.table, self.mapping, self.advisor_combo.currentData(), self.as_of,
            advisors=self._advisors, existing=self._cases, next_ref=self._first_ref,
        )
        self.model.set_preview(self.preview)
        new, updated, rejected = self.preview.counts()
        self.mapping_label.setText(" ".join(self.preview.mapping_problems))
        parts = [count(new, "ny sak", "nye saker"), f"{updated} oppdateres", count(rejected, "avvist", "avviste")]
        self.summary_label.setText(", ".join(parts))
        self._update_buttons()
        self.previewUpdated.emit(new + updated, rejected)

    def _update_buttons(self) -> None:
        valid = len(self.preview.valid) if self.preview else 0
        rejected = len(self.preview.rejected) if self.preview else 0
        self.import_button.setText(f"Importer {valid} gyldige rader" if valid != 1 else "Importer 1 gyldig rad")
        self.import_button.setEnabled(valid > 0)
        self.report_button.setEnabled(rejected > 0 or bool(self.preview and self.preview.mapping_problems))

    # --- actions -------------------------------------------------------------------------

    def report(self) -> tabular.RejectReport | None:
        if self.preview is None:
            return None
        return tabular.RejectReport.from_preview(self.preview, self.path.name if self.path else "")

    def save_report(self) -> None:
        report = self.report()
        if report is None:
            return
        stem = self.path.stem if self.path else "import"
        path = self.ask_report_path(self, f"avviste-rader-{stem}.csv")
        if not path:
            return
        try:
            report.save(Path(path))
        except OSError as exc:
            messages.show_error(self, "Kunne ikke lagre", f"Rapporten ble ikke lagret ({exc.strerror}).")
            return
        self.reportSaved.emit(path)

    def do_import(self) -> None:
        """Import the valid rows in one transaction, off the UI thread with visible progress."""
        if self.preview is None or not self.preview.valid:
            return
        preview = self.preview
        portfolio = preview.portfolio()
        importer = self._import

        def done(summary: Any) -> None:
            self.summary = summary
            log.info("regnearkimport: %d rader importert, %d avvist", len(preview.valid), len(preview.rejected))
            self.imported.emit(summary)
            self.accept()

        def failed(exc: Exception) -> None:
            self._update_buttons()
            if isinstance(exc, NavOppfolgingError):
                details = [str(p) for p in exc.problems] if isinstance(exc, ValidationError) else []
                text = f"Ingenting er importert. {exc if not details else ''}".strip()
            else:
                log.error("regnearkimport feilet: %s", type(exc).__name__)
                details, text = [], f"Ingenting er importert (uventet feil: {type(exc).__name__})."
            messages.show_error(self, "Importen ble ikke gjort", text, details)

        self.import_button.setEnabled(False)
        run_in_background(self, lambda: importer(portfolio), label="Importerer rader …", on_done=done, on_failed=failed)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        advisors: Sequence[d.Advisor],
        default_advisor: str | None,
        existing: Callable[[], Sequence[d.Case]],
        next_ref: Callable[[], str],
        import_portfolio: ImportFn,
        as_of: dt.date,
        path: Path | None = None,
    ) -> Any:
        """Run the dialog; the ImportSummary when rows were imported, else None."""
        dialog = cls(advisors=advisors, default_advisor=default_advisor, existing=existing, next_ref=next_ref,
                     import_portfolio=import_portfolio, as_of=as_of, parent=parent)
        try:
            if path is not None:
                dialog.load_file(path)
            return dialog.summary if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
