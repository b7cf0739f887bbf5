"""«Ny ekstern kontakt» / «Endre ekstern kontakt»: OT, health service, job specialist, employer."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX
from . import theme
from .tab_common import error_label, length_error, save_buttons, show_error

# The roles advisors name most often (portfolio-format.md); any other text is allowed.
ROLE_SUGGESTIONS = ("OT", "Helsetjenesten", "Jobbspesialist (IPS)", "Arbeidsgiver", "Skole", "Barnevernet",
                    "Fastlege", "KVP-veileder")


class ExternalContactDialog(QDialog):
    def __init__(self, *, initial: d.ExternalContact | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Endre ekstern kontakt" if initial else "Ny ekstern kontakt")
        self.setObjectName("externalContactDialog")
        self.setMinimumWidth(440)
        self.role_combo = QComboBox()
        self.role_combo.setEditable(True)
        self.role_combo.setAccessibleName("Rolle")
        self.role_combo.addItems(ROLE_SUGGESTIONS)
        self.role_combo.setCurrentText(initial.role if initial else "OT")
        self.name_edit = QLineEdit(initial.name if initial else "")
        self.name_edit.setAccessibleName("Navn")
        self.phone_edit = QLineEdit((initial.phone or "") if initial else "")
        self.phone_edit.setAccessibleName("Telefon")
        self.org_edit = QLineEdit((initial.organisation or "") if initial else "")
        self.org_edit.setAccessibleName("Organisasjon")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("&Rolle:", self.role_combo)
        form.addRow("&Navn:", self.name_edit)
        form.addRow("&Telefon:", self.phone_edit)
        form.addRow("&Organisasjon:", self.org_edit)
        form.addRow("", self.error)
        self.buttons, self.ok_button = save_buttons(self, "Lagre")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (self.role_combo.currentTextChanged, self.name_edit.textChanged, self.phone_edit.textChanged,
                       self.org_edit.textChanged):
            signal.connect(self._validate)
        self._validate()
        self.name_edit.setFocus()

    def errors(self) -> dict[str, str]:
        out: dict[str, str] = {}
        role = self.role_combo.currentText().strip()
        if not role:
            out["role"] = "Skriv rollen."
        elif m := length_error(role, MAX["role"], "Rollen"):
            out["role"] = m
        name = self.name_edit.text().strip()
        if not name:
            out["name"] = "Skriv navnet."
        elif m := length_error(name, MAX["name"], "Navnet"):
            out["name"] = m
        if m := length_error(self.phone_edit.text().strip(), MAX["phone"], "Telefonnummeret"):
            out["phone"] = m
        if m := length_error(self.org_edit.text().strip(), MAX["organisation"], "Organisasjonen"):
            out["organisation"] = m
        return out

    def _validate(self) -> None:
        errors = self.errors()
        # A still empty name is only a reason to keep OK off, not an error to show yet.
        shown = {k: v for k, v in errors.items() if not (k == "name" and not self.name_edit.text())}
        show_error(self.error, " ".join(shown.values()) or None)
        theme.set_invalid(self.role_combo, "role" in errors)
        theme.set_invalid(self.name_edit, "name" in shown)
        theme.set_invalid(self.phone_edit, "phone" in errors)
        theme.set_invalid(self.org_edit, "organisation" in errors)
        self.ok_button.setEnabled(not errors)

    def accept(self) -> None:
        if not self.errors():
            super().accept()

    def value(self) -> d.ExternalContact:
        return d.ExternalContact(role=self.role_combo.currentText().strip(), name=self.name_edit.text().strip(),
                                 phone=self.phone_edit.text().strip() or None,
                                 organisation=self.org_edit.text().strip() or None)

    @classmethod
    def ask(cls, parent: QWidget | None, *, initial: d.ExternalContact | None = None) -> d.ExternalContact | None:
        dialog = cls(initial=initial, parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
