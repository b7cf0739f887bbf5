"""«Registrer unntak»: the offer was declined, the young person could not be reached (list the
attempts in the note), or something else. The follow-up item stays; the exception is shown
with it so whoever reads the case sees why it is not done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX
from .qdates import from_qdate, to_qdate
from .tab_common import check_length, error_label, save_buttons


@dataclass(frozen=True, slots=True)
class ExceptionInput:
    date: dt.date
    kind: d.ExceptionKind
    note: str


class ExceptionDialog(QDialog):
    def __init__(self, *, today: dt.date, kind: d.ExceptionKind = d.ExceptionKind.IKKE_OPPNADD_KONTAKT,
                 about: str = "", initial: d.RecordedException | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Endre unntak" if initial else "Registrer unntak")
        if initial is not None:
            today, kind = initial.date, initial.kind
        self.setObjectName("exceptionDialog")
        self.setMinimumWidth(480)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Type unntak")
        for k, label in d.EXCEPTION_LABELS.items():
            self.kind_combo.addItem(label, k.value)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        self.date_edit = QDateEdit(to_qdate(today))
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Dato")
        self.note_edit = QPlainTextEdit(initial.note if initial else "")
        self.note_edit.setAccessibleName("Notat")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(100)
        self.note_edit.setPlaceholderText("For eksempel: Ringt 03.06 kl. 10 og 04.06 kl. 14, sendt melding 04.06")
        self.note_error = error_label()
        form = QFormLayout()
        if about:
            about_label = QLabel(f"Gjelder: {about}")
            about_label.setWordWrap(True)
            form.addRow(about_label)
        form.addRow("&Type:", self.kind_combo)
        form.addRow("&Dato:", self.date_edit)
        form.addRow("&Notat:", self.note_edit)
        form.addRow("", self.note_error)
        hint = QLabel("Fristen blir stående; unntaket vises sammen med den.")
        hint.setProperty("subtle", "true")
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.buttons, self.ok_button = save_buttons(self, "Lagre" if initial else "Registrer unntak")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.note_edit.textChanged.connect(self._validate)
        self._validate()
        self.kind_combo.setFocus()

    def _validate(self) -> None:
        self.ok_button.setEnabled(check_length(self.note_edit, self.note_error, MAX["note"], "Notatet"))

    def accept(self) -> None:
        if self.ok_button.isEnabled():
            super().accept()

    def value(self) -> ExceptionInput:
        return ExceptionInput(date=from_qdate(self.date_edit.date()), kind=d.ExceptionKind(self.kind_combo.currentData()),
                              note=self.note_edit.toPlainText().strip())

    @classmethod
    def ask(cls, parent: QWidget | None, *, today: dt.date,
            kind: d.ExceptionKind = d.ExceptionKind.IKKE_OPPNADD_KONTAKT, about: str = "",
            initial: d.RecordedException | None = None) -> ExceptionInput | None:
        dialog = cls(today=today, kind=kind, about=about, initial=initial, parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
