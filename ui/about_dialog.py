"""«Om navoppfolging»: version, the ruleset in force for the as-of date, the database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from navoppfolging import __version__
from navoppfolging.errors import NavOppfolgingError
from navoppfolging.rules import latest_letter_year, ruleset_for
from navoppfolging.rules.facts import fmt
from .state import AppState

def about_text(state: AppState) -> str:
    as_of: dt.date = state.as_of
    try:
        ruleset = ruleset_for(as_of)
        rules = f"{ruleset.id} — {ruleset.title}"
    except NavOppfolgingError as exc:
        rules = str(exc)
    return (
        f"<h3>NAV oppfølging {__version__}</h3>"
        "<p>Oppfølging av unge under ungdomsgarantien: frister etter mål- og disponeringsbrevet, "
        "aktivitetsplan og kontakter.</p>"
        f"<p><b>Regelsett for {fmt(as_of)}:</b> {rules}<br>"
        f"Siste kjente brev: {latest_letter_year()}</p>"
        f"<p><b>Database:</b> {state.display_name}</p>"
        "<p>Ikoner og farger: NAVs designsystem Aksel (MIT-lisens).</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Om navoppfolging")
        self.setObjectName("aboutDialog")
        self.text = QLabel(about_text(state))
        self.text.setObjectName("aboutText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Lukk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    @classmethod
    def ask(cls, parent: QWidget | None, state: AppState) -> None:
        cls(state, parent).exec()
