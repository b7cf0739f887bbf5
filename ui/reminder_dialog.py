"""«Ny huskelapp» / «Endre huskelapp»: a date and a short text (required, at most 2,000 characters)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX
from . import theme
from .qdates import from_qdate, to_qdate
from .tab_common import error_label, length_error, save_buttons, show_error


class ReminderDialog(QDialog):
    def __init__(self, *, today: dt.date, initial: d.Reminder | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Endre huskelapp" if initial else "Ny huskelapp")
        self.setObjectName("reminderDialog")
        self.setMinimumWidth(420)
        self._initial = initial
        self.date_edit = QDateEdit(to_qdate(initial.date if initial else today))
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Dato")
        self.text_edit = QPlainTextEdit(initial.text if initial else "")
        self.text_edit.setAccessibleName("Tekst")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(90)
        self.text_edit.setPlaceholderText("Hva skal du huske?")
        self.done_box = QCheckBox("Ferdig")
        self.done_box.setAccessibleName("Ferdig")
        self.done_box.setChecked(bool(initial and initial.done))
        self.text_error = error_label()
        form = QFormLayout()
        form.addRow("&Dato:", self.date_edit)
        form.addRow("&Tekst:", self.text_edit)
        form.addRow("", self.text_error)
        if initial:
            form.addRow("", self.done_box)
        self.buttons, self.ok_button = save_buttons(self, "Lagre")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._validate)
        self._validate()
        self.text_edit.setFocus()

    def error(self) -> str | None:
        text = self.text_edit.toPlainText().strip()
        if not text:
            return "Skriv hva huskelappen gjelder."
        return length_error(text, MAX["text"], "Teksten")

    def _validate(self) -> None:
        message = self.error()
        # An empty new note is not an error to shout about yet, only a reason to keep OK off.
        show_error(self.text_error, message if self.text_edit.toPlainText() else None)
        theme.set_invalid(self.text_edit, message is not None and bool(self.text_edit.toPlainText()))
        self.ok_button.setEnabled(message is None)

    def accept(self) -> None:
        if self.error() is None:
            super().accept()

    def value(self) -> d.Reminder:
        base = self._initial or d.Reminder(id=d.ItemId(""), date=from_qdate(self.date_edit.date()), text="")
        return dataclasses.replace(base, date=from_qdate(self.date_edit.date()), text=self.text_edit.toPlainText().strip(),
                                   done=self.done_box.isChecked())

    @classmethod
    def ask(cls, parent: QWidget | None, *, today: dt.date, initial: d.Reminder | None = None) -> d.Reminder | None:
        dialog = cls(today=today, initial=initial, parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
