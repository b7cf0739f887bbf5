"""«Ny aktivitet» / «Endre aktivitet» in the activity plan, with inline validation: nothing can
be saved while the title is missing or too long, a date is not a date, or «til» is before «fra»."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX
from . import theme
from .tab_common import DateField, error_label, length_error, save_buttons, show_error


def _combo(name: str, labels: Mapping[Any, str], current: StrEnum | None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for code, label in labels.items():
        combo.addItem(label, code.value if code is not None else "")  # None: «Ikke avklart»
    combo.setCurrentIndex(combo.findData(current.value if current is not None else ""))
    return combo


class ActivityDialog(QDialog):
    def __init__(self, *, initial: d.Activity | None = None, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Endre aktivitet" if initial else "Ny aktivitet")
        self.setObjectName("activityDialog")
        self.setMinimumWidth(520)
        self._initial = initial
        a = initial or d.Activity(id=d.ItemId(""), title="", category=d.ActivityCategory.JOBBSOKING,
                                  status=d.ActivityStatus.PLANLAGT, start=today)

        self.title_edit = QLineEdit(a.title)
        self.title_edit.setAccessibleName("Tittel")
        self.title_edit.setPlaceholderText("Hva skal gjøres, kort")
        self.category_combo = _combo("Kategori", d.CATEGORY_LABELS, a.category)
        self.status_combo = _combo("Status", d.ACTIVITY_STATUS_LABELS, a.status)
        self.responsible_combo = _combo("Hvem har ansvaret", d.RESPONSIBLE_CHOICES, a.responsible)
        self.start_edit = DateField("Fra dato")
        self.start_edit.set_date(a.start)
        self.end_edit = DateField("Til dato")
        self.end_edit.set_date(a.end)
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("til"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        self.description_edit = QPlainTextEdit(a.description)
        self.description_edit.setAccessibleName("Beskrivelse")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(110)
        self.title_error = error_label()
        self.dates_error = error_label()
        self.description_error = error_label()

        form = QFormLayout()
        form.addRow("&Tittel:", self.title_edit)
        form.addRow("", self.title_error)
        form.addRow("&Kategori:", self.category_combo)
        form.addRow("&Status:", self.status_combo)
        form.addRow("&Ansvarlig:", self.responsible_combo)
        # A row holding a layout gets no buddy by itself; the mnemonic must lead to «fra».
        dates_label = QLabel("&Fra – til:")
        dates_label.setBuddy(self.start_edit)
        form.addRow(dates_label, dates)
        form.addRow("", self.dates_error)
        form.addRow("&Beskrivelse:", self.description_edit)
        form.addRow("", self.description_error)
        hint = QLabel("«Du» er den unge selv: planen er den unges dokument.")
        hint.setProperty("subtle", "true")
        form.addRow("", hint)

        self.buttons, self.ok_button = save_buttons(self, "Lagre")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (self.title_edit.textChanged, self.start_edit.textChanged, self.end_edit.textChanged,
                       self.description_edit.textChanged):
            signal.connect(self._validate)
        self._validate()
        self.title_edit.setFocus()

    def errors(self) -> dict[str, str]:
        out: dict[str, str] = {}
        title = self.title_edit.text().strip()
        if not title:
            out["title"] = "Skriv en tittel."
        elif message := length_error(title, MAX["title"], "Tittelen"):
            out["title"] = message
        date_error = self.start_edit.error() or self.end_edit.error()
        if date_error:
            out["dates"] = date_error
        else:
            start, end = self.start_edit.date(), self.end_edit.date()
            if start and end and end < start:
                out["dates"] = "Til-datoen er før fra-datoen."
        if message := length_error(self.description_edit.toPlainText(), MAX["description"], "Beskrivelsen"):
            out["description"] = message
        return out

    def _validate(self) -> None:
        errors = self.errors()
        show_error(self.title_error, errors.get("title"))
        show_error(self.dates_error, errors.get("dates"))
        show_error(self.description_error, errors.get("description"))
        theme.set_invalid(self.title_edit, "title" in errors)
        theme.set_invalid(self.description_edit, "description" in errors)
        if "dates" in errors and self.start_edit.is_valid() and self.end_edit.is_valid():
            theme.set_invalid(self.end_edit, True)
        self.ok_button.setEnabled(not errors)

    def accept(self) -> None:
        if self.errors():
            return
        super().accept()

    def value(self) -> d.Activity:
        base = self._initial or d.Activity(id=d.ItemId(""), title="", category=d.ActivityCategory.JOBBSOKING,
                                           status=d.ActivityStatus.PLANLAGT)
        return dataclasses.replace(
            base,
            title=self.title_edit.text().strip(),
            category=d.ActivityCategory(self.category_combo.currentData()),
            status=d.ActivityStatus(self.status_combo.currentData()),
            responsible=d.Responsible(self.responsible_combo.currentData()) if self.responsible_combo.currentData() else None,
            start=self.start_edit.date(),
            end=self.end_edit.date(),
            description=self.description_edit.toPlainText().strip(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None, *, today: dt.date, initial: d.Activity | None = None) -> d.Activity | None:
        dialog = cls(initial=initial, today=today, parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
