"""«Innstillinger»: the local settings (numbers the letters leave open) and who «meg» is.

Each number is labelled as a local setting, not the letter's: the rules.md contract says the
product must not pretend a letter gives a number it does not. Saved through ``AppState.write``,
which reloads, so every view re-evaluates with the new values at once.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.rules import LocalSettingDefinition, LocalSettings
from . import theme
from .state import ME_SETTING, AppState


class SettingsDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Innstillinger")
        self.setObjectName("settingsDialog")
        self.state = state
        self.saved = False
        self.definitions: tuple[LocalSettingDefinition, ...] = LocalSettings.definitions()
        self.spins: dict[str, QSpinBox] = {}

        intro = QLabel("Brevene sier «i god tid» uten å gi et tall. Disse tallene er <b>lokale "
                       "innstillinger</b> for kontoret, ikke krav fra mål- og disponeringsbrevet.")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.me_combo = QComboBox()
        self.me_combo.setObjectName("meCombo")
        self.me_combo.setAccessibleName("Veilederen som bruker denne databasen")
        me = state.me
        for advisor in state.advisor_list():
            self.me_combo.addItem(f"{advisor.name} ({advisor.ident})", advisor.ident)
        if me is not None:
            self.me_combo.setCurrentIndex(max(0, self.me_combo.findData(me.ident)))
        if self.me_combo.count():
            form.addRow("&Jeg er", self.me_combo)
        local = state.local_settings
        for definition in self.definitions:
            spin = QSpinBox()
            spin.setObjectName(f"setting_{definition.key}")
            spin.setRange(definition.minimum, definition.maximum)
            spin.setSuffix(f" {definition.unit}")
            value = local.get(definition.key)
            spin.setValue(definition.default if value is None else value)
            spin.setAccessibleName(definition.label)
            spin.setToolTip(f"Standard: {definition.default} {definition.unit} (lokal innstilling)")
            theme.pad_spin_box(spin)
            label = QLabel(definition.label)
            label.setWordWrap(True)
            label.setBuddy(spin)
            form.addRow(label, spin)
            self.spins[definition.key] = spin

        self.defaults_button = QPushButton("Tilbakestill til standard")
        self.defaults_button.setObjectName("defaultsButton")
        theme.set_variant(self.defaults_button, "tertiary")
        self.defaults_button.clicked.connect(self.reset_defaults)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lagre")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        theme.set_variant(buttons.button(QDialogButtonBox.StandardButton.Save), "primary")
        buttons.addButton(self.defaults_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def reset_defaults(self) -> None:
        for definition in self.definitions:
            self.spins[definition.key].setValue(definition.default)

    def _save(self) -> None:
        state = self.state
        values = {d.key: (self.spins[d.key].value(), d.default) for d in self.definitions}
        me = self.me_combo.currentData() if self.me_combo.count() else None

        def store() -> bool:  # True, as write() returns None only when the call was refused
            for key, (value, default) in values.items():
                # Only what differs from the ruleset's default is stored, so a later letter's
                # default still applies to everything the office never changed.
                if value == default:
                    state.settings.delete(key)
                else:
                    state.settings.set(key, str(value))
            if me:
                state.settings.set(ME_SETTING, str(me))
            return True

        if state.write(self, store) is not None:
            self.saved = True
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, state: AppState) -> bool:
        dialog = cls(state, parent)
        dialog.exec()
        return dialog.saved
