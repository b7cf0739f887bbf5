"""«Ny vurdering»: a § 14 a assessment (date, innsatsgruppe in NAV's words, hovedmål, note)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX
from .qdates import from_qdate, to_qdate
from .tab_common import check_length, error_label, save_buttons


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    assessment: d.Assessment
    hovedmal: d.Hovedmal | None


class AssessmentDialog(QDialog):
    def __init__(self, *, today: dt.date, innsatsgruppe: d.Innsatsgruppe | None = None,
                 hovedmal: d.Hovedmal | None = None, initial: d.Assessment | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Endre vurdering" if initial else "Ny vurdering av innsatsbehov")
        if initial is not None:
            today, innsatsgruppe = initial.date, initial.innsatsgruppe
        self.setObjectName("assessmentDialog")
        self.setMinimumWidth(480)
        self.date_edit = QDateEdit(to_qdate(today))
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Vedtaksdato")
        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName("Innsatsgruppe")
        for group, label in d.INNSATSGRUPPE_LABELS.items():
            self.group_combo.addItem(label, group.value)
            self.group_combo.setItemData(self.group_combo.count() - 1, d.INNSATSGRUPPE_SHORT[group] + " innsats",
                                         Qt.ItemDataRole.ToolTipRole)
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData((innsatsgruppe or d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS).value)))
        self.hovedmal_combo = QComboBox()
        self.hovedmal_combo.setAccessibleName("Hovedmål")
        self.hovedmal_combo.addItem("Ikke satt", None)
        for goal, label in d.HOVEDMAL_LABELS.items():
            self.hovedmal_combo.addItem(label, goal.value)
        if hovedmal is not None:
            self.hovedmal_combo.setCurrentIndex(self.hovedmal_combo.findData(hovedmal.value))
        self.note_edit = QPlainTextEdit((initial.note or "") if initial else "§ 14 a-vedtak")
        self.note_edit.setAccessibleName("Notat")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(80)
        self.note_error = error_label()
        form = QFormLayout()
        form.addRow("&Dato:", self.date_edit)
        form.addRow("&Innsatsgruppe:", self.group_combo)
        form.addRow("&Hovedmål:", self.hovedmal_combo)
        form.addRow("&Notat:", self.note_edit)
        form.addRow("", self.note_error)
        self.buttons, self.ok_button = save_buttons(self, "Lagre")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.note_edit.textChanged.connect(self._validate)
        self._validate()
        self.date_edit.setFocus()

    def _validate(self) -> None:
        self.ok_button.setEnabled(check_length(self.note_edit, self.note_error, MAX["note"], "Notatet"))

    def accept(self) -> None:
        if self.ok_button.isEnabled():
            super().accept()

    def value(self) -> AssessmentInput:
        goal = self.hovedmal_combo.currentData()
        return AssessmentInput(
            assessment=d.Assessment(date=from_qdate(self.date_edit.date()),
                                    innsatsgruppe=d.Innsatsgruppe(self.group_combo.currentData()),
                                    note=self.note_edit.toPlainText().strip() or None),
            hovedmal=d.Hovedmal(goal) if goal else None,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, *, today: dt.date, innsatsgruppe: d.Innsatsgruppe | None = None,
            hovedmal: d.Hovedmal | None = None, initial: d.Assessment | None = None) -> AssessmentInput | None:
        dialog = cls(today=today, innsatsgruppe=innsatsgruppe, hovedmal=hovedmal, initial=initial, parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
