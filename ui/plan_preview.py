"""Print preview of the activity plan: shows exactly the PDF that is printed or saved.

The dialog never touches the database: it gets a ``render(profile) -> bytes`` callable (the
main window closes it over the case, the advisor and the date) and a suggested file name.
What the user sees is the PDF itself, drawn by QtPdf, so preview, paper and saved file agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.domain import ACTIVITY_STATUS_LABELS
from navoppfolging.plan_pdf import DEFAULT, GROUP_ORDER, PROFILES, PlanProfile
from .qdates import from_qdate, to_qdate

log = logging.getLogger(__name__)

RenderFn = Callable[[PlanProfile], bytes]
# Raster printing (printers that are not CUPS queues): 300 dpi is sharp on paper and keeps a
# page at about 1 MB.
RASTER_DPI = 300


class PlanPreviewDialog(QDialog):
    """«Skriv ut aktivitetsplan»: preview, profile and filter choice, print and save."""

    previewUpdated = Signal(int)  # page count of the freshly rendered PDF
    saved = Signal(str)  # path written
    printed = Signal(str)  # how: "cups", "file" or "raster"

    def __init__(
        self,
        render: RenderFn,
        *,
        suggested_name: str,
        profile: PlanProfile = DEFAULT,
        as_of: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Skriv ut aktivitetsplan")
        self.setObjectName("planPreviewDialog")
        self._render = render
        self._suggested_name = suggested_name
        self._pdf = b""
        self._buffer: QBuffer | None = None
        self._syncing = False

        self._document = QPdfDocument(self)
        self._document.statusChanged.connect(self._on_status)

        # Profile and filters.
        # The profile given is the starting point; a custom one (e.g. from settings) joins the list.
        self._profiles: dict[str, PlanProfile] = {**PROFILES, profile.name: profile}
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        for key, p in self._profiles.items():
            self.profile_combo.addItem(p.label, key)
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(profile.name)))
        # The full fødselsnummer is a choice made for each print, off by default, and offered only
        # where the profile may carry it (like Eksporter's «Ta med fødselsnummer»).
        self.fnr_box = QCheckBox("Ta med &fødselsnummer")
        self.fnr_box.setObjectName("fnrBox")
        self.fnr_box.setToolTip("Bare når saksmappen trenger det: planen viser da fullt fødselsnummer.")
        self.status_boxes: dict[str, QCheckBox] = {}
        statuses_row = QHBoxLayout()
        statuses_row.addWidget(QLabel("Vis:"))
        for status in GROUP_ORDER:
            box = QCheckBox(ACTIVITY_STATUS_LABELS[status])
            box.setObjectName(f"status_{status.value}")
            self.status_boxes[status.value] = box
            statuses_row.addWidget(box)
        statuses_row.addStretch(1)
        around = as_of or dt.date.today()
        self.range_box = QCheckBox("Bare aktiviteter i perioden")
        self.range_box.setObjectName("rangeBox")
        self.date_from = self._date_edit(around - dt.timedelta(days=90), "dateFrom")
        self.date_to = self._date_edit(around + dt.timedelta(days=90), "dateTo")
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_box)
        range_row.addWidget(self.date_from)
        range_row.addWidget(QLabel("–"))
        range_row.addWidget(self.date_to)
        range_row.addStretch(1)

        top = QHBoxLayout()
        label = QLabel("&Utskrift for:")
        label.setBuddy(self.profile_combo)
        top.addWidget(label)
        top.addWidget(self.profile_combo)
        top.addWidget(self.fnr_box)
        top.addStretch(1)
        self.pages_label = QLabel()
        self.pages_label.setObjectName("pagesLabel")
        top.addWidget(self.pages_label)
        zooms: tuple[tuple[str, str, Callable[[], None], QKeySequence.StandardKey], ...] = (
            ("−", "Forminsk (Ctrl+-)", self.zoom_out, QKeySequence.StandardKey.ZoomOut),
            ("+", "Forstørr (Ctrl++)", self.zoom_in, QKeySequence.StandardKey.ZoomIn),
        )
        for text, tip, slot, standard_key in zooms:
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(slot)
            self._shortcut(standard_key, slot)
            top.addWidget(button)
        fit = QToolButton()
        fit.setText("Tilpass bredde")
        fit.clicked.connect(self.fit_width)
        top.addWidget(fit)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #C30000;")
        self.error_label.hide()

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self._document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        buttons = QDialogButtonBox()
        self.print_button = QPushButton("&Skriv ut…")
        self.print_button.setObjectName("printButton")
        self.print_button.setToolTip("Skriv ut (Ctrl+P)")
        self.save_button = QPushButton("&Lagre som PDF…")
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip("Lagre som PDF (Ctrl+S)")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("Lukk", QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeButton")
        # The dialog stays open after printing or saving (one may want both); only Lukk/Esc close.
        self.print_button.clicked.connect(self.print_plan)
        self.save_button.clicked.connect(self.save_pdf)
        close.clicked.connect(self.reject)
        self.print_button.setDefault(True)
        self._shortcut(QKeySequence.StandardKey.Print, self.print_plan)
        self._shortcut(QKeySequence.StandardKey.Save, self.save_pdf)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(statuses_row)
        layout.addLayout(range_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(820, 960)

        self._apply_profile_controls(profile)
        self.profile_combo.currentIndexChanged.connect(self._on_profile_chosen)
        for box in self.status_boxes.values():
            box.toggled.connect(self._on_filter_changed)
        self.range_box.toggled.connect(self._on_filter_changed)
        self.fnr_box.toggled.connect(self._on_filter_changed)
        self.date_from.dateChanged.connect(self._on_date_changed)
        self.date_to.dateChanged.connect(self._on_date_changed)
        self.refresh()

    def _shortcut(self, key: QKeySequence.StandardKey, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.activated.connect(slot)

    # --- Entry points tests can replace ---------------------------------------------------

    @classmethod
    def ask(
        cls,
        render: RenderFn,
        *,
        suggested_name: str,
        profile: PlanProfile = DEFAULT,
        as_of: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> int:
        """Open the preview modally (what Ctrl+P in the main window does)."""
        dialog = cls(render, suggested_name=suggested_name, profile=profile, as_of=as_of, parent=parent)
        return int(dialog.exec())

    @classmethod
    def ask_save_path(cls, parent: QWidget | None, suggested_name: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "Lagre aktivitetsplanen som PDF", suggested_name,
                                              "PDF-filer (*.pdf)")
        return path or None

    @classmethod
    def ask_print_setup(cls, parent: QWidget | None, printer: QPrinter, page_count: int) -> bool:
        """The system print dialog; True when the user chose to print."""
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Skriv ut aktivitetsplan")
        dialog.setMinMax(1, max(1, page_count))
        return dialog.exec() == QDialog.DialogCode.Accepted

    @classmethod
    def show_error(cls, parent: QWidget | None, message: str) -> None:
        QMessageBox.warning(parent, "Aktivitetsplan", message)

    @staticmethod
    def send_to_print_system(printer_name: str, pdf: bytes, options: Sequence[str]) -> None:
        """Hand the PDF itself to CUPS: vectors and text stay sharp, the file stays small."""
        result = subprocess.run(["lp", "-d", printer_name, *options], input=pdf,
                                capture_output=True, timeout=60, check=False)
        if result.returncode != 0:
            detail = result.stderr.decode(errors="replace").strip()
            raise OSError(detail or f"lp avsluttet med kode {result.returncode}")

    # --- State --------------------------------------------------------------------------

    def pdf_bytes(self) -> bytes:
        """The PDF shown right now: what «Skriv ut» and «Lagre som PDF» use."""
        return self._pdf

    def page_count(self) -> int:
        return int(self._document.pageCount())

    def document(self) -> QPdfDocument:
        return self._document

    def current_profile(self) -> PlanProfile | None:
        """The chosen profile with the chosen statuses, period and fødselsnummer choice; None if
        the period is invalid."""
        base = self._profiles[str(self.profile_combo.currentData())]
        statuses = frozenset(s for s in GROUP_ORDER if self.status_boxes[s.value].isChecked())
        start: dt.date | None = None
        end: dt.date | None = None
        if self.range_box.isChecked():
            start, end = from_qdate(self.date_from.date()), from_qdate(self.date_to.date())
            if start > end:
                return None
        return dataclasses.replace(base, statuses=statuses, date_from=start, date_to=end,
                                   include_fnr=base.may_include_fnr and self.fnr_box.isChecked())

    # --- Rendering ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Render the plan with the current choices and show it."""
        profile = self.current_profile()
        if profile is None:
            self._show_error("Fra-datoen er etter til-datoen. Velg en gyldig periode.")
            self._set_actions_enabled(False)
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pdf = self._render(profile)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the preview stays as it was
            log.exception("aktivitetsplanen kunne ikke lages")
            self._show_error(f"Aktivitetsplanen kunne ikke lages ({type(exc).__name__}).")
            self._set_actions_enabled(False)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.error_label.hide()
        self._load(pdf)

    def _load(self, pdf: bytes) -> None:
        self._pdf = pdf
        old = self._buffer
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self._document.load(buffer)
        if old is not None:
            old.close()
            old.deleteLater()

    def _on_status(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready:
            pages = self.page_count()
            self.pages_label.setText("1 side" if pages == 1 else f"{pages} sider")
            self._set_actions_enabled(True)
            self.previewUpdated.emit(pages)
        elif status == QPdfDocument.Status.Error:
            self._show_error("Forhåndsvisningen kunne ikke vises.")

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _set_actions_enabled(self, enabled: bool) -> None:
        self.print_button.setEnabled(enabled)
        self.save_button.setEnabled(enabled)

    def _apply_profile_controls(self, profile: PlanProfile) -> None:
        self._syncing = True
        try:
            for status in GROUP_ORDER:
                self.status_boxes[status.value].setChecked(status in profile.statuses)
            self.range_box.setChecked(profile.date_from is not None or profile.date_to is not None)
            # Choosing a profile starts without the fødselsnummer again (built-in profiles never
            # include it): it is ticked for one print, not carried over from another choice.
            self.fnr_box.setChecked(profile.include_fnr)
            self.fnr_box.setVisible(profile.may_include_fnr)
            if profile.date_from:
                self.date_from.setDate(to_qdate(profile.date_from))
            if profile.date_to:
                self.date_to.setDate(to_qdate(profile.date_to))
        finally:
            self._syncing = False

    def _on_profile_chosen(self, _index: int) -> None:
        self._apply_profile_controls(self._profiles[str(self.profile_combo.currentData())])
        self.refresh()

    def _on_filter_changed(self, *_args: object) -> None:
        enabled = self.range_box.isChecked()
        self.date_from.setEnabled(enabled)
        self.date_to.setEnabled(enabled)
        if not self._syncing:
            self.refresh()

    def _on_date_changed(self, *_args: object) -> None:
        # The dates only matter while «Bare aktiviteter i perioden» is ticked.
        if self.range_box.isChecked() and not self._syncing:
            self.refresh()

    @staticmethod
    def _date_edit(day: dt.date, name: str) -> QDateEdit:
        edit = QDateEdit(to_qdate(day))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setEnabled(False)
        return edit

    # --- Zoom -----------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self._zoom(1.25)

    def zoom_out(self) -> None:
        self._zoom(1 / 1.25)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(5.0, max(0.25, current * factor)))

    # --- Save and print -------------------------------------------------------------------

    def save_pdf(self) -> bool:
        if not self._pdf or not self.save_button.isEnabled():
            return False
        chosen = self.ask_save_path(self, self._suggested_name)
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            path.write_bytes(self._pdf)
        except OSError as exc:
            self.show_error(self, f"Kunne ikke lagre {path}: {exc.strerror or exc}")
            return False
        self.saved.emit(str(path))
        return True

    def print_plan(self) -> bool:
        """Open the system print dialog and print what the preview shows."""
        if not self._pdf or not self.print_button.isEnabled():
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        # The job name shows in print queues on shared printers: never the young person's name.
        printer.setDocName("Aktivitetsplan")
        if not self.ask_print_setup(self, printer, self.page_count()):
            return False
        try:
            how = self.print_to(printer)
        except (OSError, subprocess.SubprocessError) as exc:
            self.show_error(self, f"Utskriften mislyktes: {exc}")
            return False
        self.printed.emit(how)
        return True

    def print_to(self, printer: QPrinter) -> str:
        """Print on a configured printer; returns how: "file", "cups" or "raster"."""
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            # «Skriv til fil» in the print dialog: our PDF is already the best file there is.
            Path(printer.outputFileName()).write_bytes(self._pdf)
            return "file"
        if self.is_cups_printer(printer):
            self.send_to_print_system(printer.printerName(), self._pdf, self.lp_options(printer))
            return "cups"
        self.print_raster(printer)
        return "raster"

    @staticmethod
    def is_cups_printer(printer: QPrinter) -> bool:
        if sys.platform == "win32" or shutil.which("lp") is None:
            return False
        if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat or not printer.printerName():
            return False
        return printer.printerName() in {p.printerName() for p in QPrinterInfo.availablePrinters()}

    def lp_options(self, printer: QPrinter) -> list[str]:
        """The print dialog's choices as ``lp`` options (copies, pages, duplex)."""
        options = ["-t", "Aktivitetsplan", "-n", str(max(1, printer.copyCount()))]
        if printer.copyCount() > 1 and printer.collateCopies():
            options += ["-o", "collate=true"]
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            options += ["-P", f"{printer.fromPage()}-{printer.toPage() or self.page_count()}"]
        sides = {
            QPrinter.DuplexMode.DuplexNone: "one-sided",
            QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
            QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
        }.get(printer.duplex())
        if sides:
            options += ["-o", f"sides={sides}"]
        return options

    def print_raster(self, printer: QPrinter) -> None:
        """Draw each page as a 300 dpi image (for printers we cannot hand a PDF to)."""
        printer.setFullPage(True)  # the PDF has its own margins
        total = self.page_count()
        first, last = 1, total
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage(), min(total, printer.toPage() or total)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("Skriveren kunne ikke startes.")
        try:
            for n, index in enumerate(range(first - 1, last)):
                if n:
                    printer.newPage()
                points = self._document.pagePointSize(index)
                image = self._document.render(index, QSize(round(points.width() / 72 * RASTER_DPI),
                                                            round(points.height() / 72 * RASTER_DPI)))
                target = printer.pageLayout().fullRectPixels(printer.resolution())
                scale = min(target.width() / image.width(), target.height() / image.height())
                w, h = round(image.width() * scale), round(image.height() * scale)
                painter.drawImage(QRect((target.width() - w) // 2, (target.height() - h) // 2, w, h), image)
        finally:
            painter.end()

