"""The passphrase for the encrypted database, asked when this computer has no secure keyring.

Start-up wiring (composition root, ``ui/app.py``)::

    Database.open(db_url, passphrase_provider=lambda first_time: PassphraseDialog.ask(None, first_time=first_time))

``Database.open`` calls the provider only when the key is not in a secure keyring; ``None``
(Avbryt) makes it raise DatabaseError («Avbrutt …»), a wrong passphrase raises DatabaseError
with the wrong-key message — show it and ask again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from navoppfolging.crypto import MIN_PASSPHRASE

EXPLANATION_FIRST = (
    "Databasen med opplysningene om ungdommene krypteres på denne maskinen. Vanligvis lagres "
    "nøkkelen i operativsystemets nøkkelring, men det finnes ingen sikker nøkkelring her. "
    "Velg derfor et passord for databasen. Du må oppgi det hver gang programmet starter.\n\n"
    "Passordet kan ikke gjenopprettes: glemmer du det, kan ingen lese databasen."
)
EXPLANATION = (
    "Databasen er kryptert, og denne maskinen har ingen sikker nøkkelring for nøkkelen. "
    "Oppgi passordet for databasen."
)


class PassphraseDialog(QDialog):
    def __init__(self, *, first_time: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_time = first_time
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("Velg passord for databasen" if first_time else "Passord for databasen")
        self.setMinimumWidth(460)

        self.explanation = QLabel(EXPLANATION_FIRST if first_time else EXPLANATION)
        self.explanation.setWordWrap(True)

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passord")
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Gjenta passordet")

        form = QFormLayout()
        form.addRow("&Passord:", self.passphrase)
        if first_time:
            form.addRow("&Gjenta passordet:", self.repeat)
        else:
            self.repeat.hide()

        self.error = QLabel("")
        self.error.setObjectName("passphraseError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C30000;")  # Aksel danger text

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Åpne" if not first_time else "Lagre passord")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.passphrase.textChanged.connect(self._validate)
        self.repeat.textChanged.connect(self._validate)
        self._validate()

    def problem(self) -> str | None:
        """None when the input can be accepted; otherwise what is wrong, in bokmål."""
        text = self.passphrase.text()
        if not text:
            return "Skriv inn passordet."
        if self.first_time:
            if len(text) < MIN_PASSPHRASE:
                return f"Passordet må ha minst {MIN_PASSPHRASE} tegn (nå {len(text)})."
            if self.repeat.text() != text:
                return "Passordene er ikke like."
        return None

    def _validate(self) -> None:
        problem = self.problem()
        # An empty field is not an error yet: no red text before the user has typed anything.
        self.error.setText(problem if problem and (self.passphrase.text() or self.repeat.text()) else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)

    def accept(self) -> None:
        if self.problem() is not None:
            return
        super().accept()

    def value(self) -> str:
        return self.passphrase.text()

    @classmethod
    def ask(cls, parent: QWidget | None, *, first_time: bool) -> str | None:
        """The passphrase, or None when the user cancelled. Tests replace this classmethod."""
        dialog = cls(first_time=first_time, parent=parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.value()
            return None
        finally:
            dialog.passphrase.clear()
            dialog.repeat.clear()
            dialog.deleteLater()
