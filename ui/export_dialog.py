"""«Eksporter»: the portfolio as the exchange file (JSON), a spreadsheet (XLSX/CSV) or a calendar
(ICS), with the same options as ``navoppfolging export``: fødselsnummer in spreadsheets only when
ticked, full names in the calendar only when ticked, the calendar's horizon.

The dialog gets a ``load`` callable for the portfolio (``PortfolioService.load``) and writes
through the core's writers, so the window and the command line produce the same files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from . import messages, theme
from .state import run_in_background

FORMATS = (
    ("xlsx", "Excel-arbeidsbok (.xlsx)", "Excel-arbeidsbok (*.xlsx)"),
    ("csv", "CSV for Excel (.csv)", "CSV (*.csv)"),
    ("ics", "Kalender (.ics) – frister og planlagte møter", "Kalender (*.ics)"),
    ("json", "Utvekslingsfil (.json) – hele porteføljen", "Utvekslingsfil (*.json)"),
)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: str  # "xlsx", "csv", "ics", "json"
    with_fnr: bool = False
    with_names: bool = False
    horizon: int = 30


def write_export(path: Path, options: ExportOptions, portfolio: d.Portfolio, as_of: dt.date, settings: Any = None) -> str:
    """Write the file; returns the status-bar message."""
    if options.format == "json":
        from navoppfolging.exchange import write_file

        write_file(portfolio, path)
        return f"Eksportert {len(portfolio.cases)} saker til {path.name}."
    if options.format in ("xlsx", "csv"):
        from navoppfolging.spreadsheet_export import write_spreadsheet

        n = write_spreadsheet(path, portfolio.cases, as_of, with_fnr=options.with_fnr, settings=settings)
        return f"Eksportert {n} saker til {path.name}" + (" med fødselsnummer." if options.with_fnr else ".")
    from navoppfolging.calendar_export import write_calendar

    n = write_calendar(path, portfolio.cases, as_of, horizon=options.horizon, with_names=options.with_names,
                       settings=settings)
    return f"Eksportert {n} hendelser til {path.name}."


class ExportDialog(QDialog):
    """Choose the format and its options, then the file."""

    exported = Signal(str)  # the path written

    def __init__(self, *, load: Callable[[], d.Portfolio], as_of: dt.date, settings: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Eksporter")
        self._load = load
        self.as_of = as_of
        self._settings = settings
        self.message = ""
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.format_combo = QComboBox()
        for key, label, _filter in FORMATS:
            self.format_combo.addItem(label, key)
        form.addRow("Format:", self.format_combo)
        self.with_fnr = QCheckBox("Ta med fødselsnummer")
        self.with_fnr.setToolTip("Bare når mottakeren trenger det: regnearket inneholder da fullt fødselsnummer.")
        form.addRow("", self.with_fnr)
        self.with_names = QCheckBox("Bruk fullt navn i kalenderen")
        self.with_names.setToolTip("Ellers står bare referanse og initialer, fordi kalendere ofte deles og synkroniseres.")
        form.addRow("", self.with_names)
        self.horizon = QSpinBox()
        self.horizon.setRange(0, 365)
        self.horizon.setValue(30)
        self.horizon.setSuffix(" dager")
        theme.pad_spin_box(self.horizon)
        form.addRow("Frister og møter fram til:", self.horizon)
        self.as_of_label = QLabel(f"Fristene beregnes per {as_of:%d.%m.%Y}.")
        self.as_of_label.setProperty("subtle", "true")
        form.addRow("", self.as_of_label)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton("Avbryt")
        cancel.clicked.connect(self.reject)
        theme.set_variant(cancel, "tertiary")
        self.export_button = QPushButton("Eksporter…")
        self.export_button.setDefault(True)
        theme.set_variant(self.export_button, "primary")
        self.export_button.clicked.connect(self.do_export)
        buttons.addWidget(cancel)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.format_combo.currentIndexChanged.connect(self._update)
        self._update()

    def options(self) -> ExportOptions:
        fmt = str(self.format_combo.currentData())
        return ExportOptions(format=fmt, with_fnr=self.with_fnr.isChecked() and fmt in ("xlsx", "csv"),
                             with_names=self.with_names.isChecked() and fmt == "ics", horizon=self.horizon.value())

    def _update(self) -> None:
        fmt = self.format_combo.currentData()
        self.with_fnr.setEnabled(fmt in ("xlsx", "csv"))
        self.with_names.setEnabled(fmt == "ics")
        self.horizon.setEnabled(fmt == "ics")

    @classmethod
    def ask_save_path(cls, parent: QWidget, suggested: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "Eksporter", suggested, file_filter)
        return path or None

    def do_export(self) -> None:
        options = self.options()
        file_filter = next(f for key, _label, f in FORMATS if key == options.format)
        stem = "frister" if options.format == "ics" else "portefolje"
        chosen = self.ask_save_path(self, f"{stem}-{self.as_of.isoformat()}.{options.format}", file_filter)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{options.format}":
            path = path.with_name(path.name + f".{options.format}")
        load, as_of, settings = self._load, self.as_of, self._settings

        def work() -> str:
            # Off the UI thread, with progress when it takes a while (openpyxl alone takes a
            # noticeable moment to load); the dialog stays until the file is written.
            return write_export(path, options, load(), as_of, settings)

        def done(message: str) -> None:
            self.message = message
            self.export_button.setEnabled(True)
            self.exported.emit(str(path))
            self.accept()

        def failed(exc: Exception) -> None:
            self.export_button.setEnabled(True)
            if isinstance(exc, (OSError, ValueError)):
                messages.show_error(self, "Eksporten ble ikke gjort", f"Filen ble ikke skrevet ({exc}).")
            else:
                messages.show_error(self, "Eksporten ble ikke gjort", f"Uventet feil ({type(exc).__name__}).")

        self.export_button.setEnabled(False)
        run_in_background(self, work, label="Eksporterer …", on_done=done, on_failed=failed)

    @classmethod
    def ask(cls, parent: QWidget | None, *, load: Callable[[], d.Portfolio], as_of: dt.date, settings: Any = None) -> str | None:
        """Run the dialog; the status message when a file was written, else None."""
        dialog = cls(load=load, as_of=as_of, settings=settings, parent=parent)
        try:
            return dialog.message if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
