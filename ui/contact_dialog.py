"""«Registrer kontakt» / «Planlegg møte» / «Endre kontakt», and the short summary asked for when
a planned meeting is marked as held.

Registering a held contact is meant to take two keystrokes: Ctrl+K opens this dialog filled in
with today, Oppmøte and Gjennomført, with focus on the date field, and Enter accepts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX
from . import theme
from .qdates import from_qdate, to_qdate
from .tab_common import check_length, error_label, save_buttons


@dataclass(frozen=True, slots=True)
class ContactInput:
    """What the dialog returns; the caller turns it into ``add_contact`` or ``replace_item``."""

    date: dt.date
    channel: d.Channel
    status: d.ContactStatus
    summary: str
    interpreter_booked: bool
    time: dt.time | None
    place: str | None


class ContactDialog(QDialog):
    def __init__(self, *, title: str, today: dt.date, initial: d.Contact | None = None,
                 status: d.ContactStatus = d.ContactStatus.GJENNOMFORT,
                 needs_interpreter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("contactDialog")
        self.setMinimumWidth(460)

        self.date_edit = QDateEdit(to_qdate(initial.date if initial else today))
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Dato")
        # In the label column like «Dato:» and «Kanal:»: the same colon, and its own Alt key.
        self.time_box = QCheckBox("K&lokkeslett:")
        self.time_box.setAccessibleName("Har klokkeslett")
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Klokkeslett")
        theme.pad_spin_box(self.time_edit)
        start_time = initial.time if initial and initial.time else dt.time(10, 0)
        self.time_edit.setTime(QTime(start_time.hour, start_time.minute))
        self.time_box.setChecked(bool(initial and initial.time) or status is d.ContactStatus.PLANLAGT)
        self.time_edit.setEnabled(self.time_box.isChecked())
        self.time_box.toggled.connect(self.time_edit.setEnabled)

        self.channel_combo = QComboBox()
        self.channel_combo.setAccessibleName("Kanal")
        for channel, label in d.CHANNEL_LABELS.items():
            self.channel_combo.addItem(theme.icon(theme.CHANNEL_ICONS[channel.value]), label, channel.value)
        self.channel_combo.setCurrentIndex(self.channel_combo.findData((initial.channel if initial else d.Channel.OPPMOTE).value))

        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        for st, label in d.CONTACT_STATUS_LABELS.items():
            self.status_combo.addItem(label, st.value)
        self.status_combo.setCurrentIndex(self.status_combo.findData((initial.status if initial else status).value))

        self.place_edit = QLineEdit((initial.place or "") if initial else "")
        self.place_edit.setAccessibleName("Sted")
        self.place_edit.setPlaceholderText("For eksempel NAV-kontoret, møterom 2")
        self.interpreter_box = QCheckBox("T&olk er bestilt")
        self.interpreter_box.setAccessibleName("Tolk er bestilt")
        self.interpreter_box.setChecked(bool(initial and initial.interpreter_booked))
        if needs_interpreter:
            self.interpreter_box.setToolTip("Brukeren har behov for tolk.")

        self.summary_edit = QPlainTextEdit(initial.summary if initial else "")
        self.summary_edit.setAccessibleName("Kort referat")
        self.summary_edit.setPlaceholderText("Hva ble sagt og avtalt (kort)")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setFixedHeight(90)
        self.summary_error = error_label()
        self.place_error = error_label()

        form = QFormLayout()
        form.addRow("&Dato:", self.date_edit)
        form.addRow(self.time_box, self.time_edit)
        form.addRow("&Kanal:", self.channel_combo)
        form.addRow("&Status:", self.status_combo)
        form.addRow("S&ted:", self.place_edit)
        form.addRow("", self.place_error)
        form.addRow("", self.interpreter_box)
        form.addRow("&Referat:", self.summary_edit)
        form.addRow("", self.summary_error)
        if needs_interpreter:
            hint = QLabel("Brukeren har behov for tolk.")
            hint.setProperty("subtle", "true")
            form.addRow("", hint)

        self.buttons, self.ok_button = save_buttons(self, "Lagre")
        self.ok_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.summary_edit.textChanged.connect(self._validate)
        self.place_edit.textChanged.connect(self._validate)
        self._validate()
        # Focus on the date: Enter from there accepts the dialog (the «two keystrokes»).
        self.date_edit.setFocus()

    def _validate(self) -> None:
        summary_fits = check_length(self.summary_edit, self.summary_error, MAX["summary"], "Referatet")
        place_fits = check_length(self.place_edit, self.place_error, MAX["place"], "Stedet")
        self.ok_button.setEnabled(summary_fits and place_fits)

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return
        super().accept()

    def value(self) -> ContactInput:
        t = self.time_edit.time()
        return ContactInput(
            date=from_qdate(self.date_edit.date()),
            channel=d.Channel(self.channel_combo.currentData()),
            status=d.ContactStatus(self.status_combo.currentData()),
            summary=self.summary_edit.toPlainText().strip(),
            interpreter_booked=self.interpreter_box.isChecked(),
            time=dt.time(t.hour(), t.minute()) if self.time_box.isChecked() else None,
            place=self.place_edit.text().strip() or None,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, today: dt.date, initial: d.Contact | None = None,
            status: d.ContactStatus = d.ContactStatus.GJENNOMFORT, needs_interpreter: bool = False) -> ContactInput | None:
        dialog = cls(title=title, today=today, initial=initial, status=status, needs_interpreter=needs_interpreter,
                     parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class SummaryDialog(QDialog):
    """«Marker som gjennomført»: a short summary of the meeting that was held."""

    def __init__(self, *, contact: d.Contact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Marker som gjennomført")
        self.setObjectName("summaryDialog")
        self.setMinimumWidth(420)
        when = contact.date.strftime("%d.%m.%Y")
        intro = QLabel(f"Møtet {when} ({d.CHANNEL_LABELS[contact.channel].lower()}) ble gjennomført. "
                       "Skriv et kort referat:")
        intro.setWordWrap(True)
        self.summary_edit = QPlainTextEdit(contact.summary)
        self.summary_edit.setAccessibleName("Kort referat")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setFixedHeight(100)
        self.error = error_label()
        self.buttons, self.ok_button = save_buttons(self, "Marker som gjennomført")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary_edit)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.summary_edit.textChanged.connect(self._validate)
        self._validate()
        self.summary_edit.setFocus()

    def _validate(self) -> None:
        self.ok_button.setEnabled(check_length(self.summary_edit, self.error, MAX["summary"], "Referatet"))

    def value(self) -> str:
        return self.summary_edit.toPlainText().strip()

    @classmethod
    def ask(cls, parent: QWidget | None, *, contact: d.Contact) -> str | None:
        dialog = cls(contact=contact, parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
