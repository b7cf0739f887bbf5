"""«Overfør saker»: choose the receiving advisor; the over-50 warning shows before confirming.

    receiver = HandoverDialog.ask(parent, receivers=[("Z990003", "Ola Veileder")],
                                  preview=lambda ident: service.preview(refs, to=ident, as_of=today),
                                  case_count=len(refs))

``preview`` returns a ``navoppfolging.handover.HandoverPreview``; the dialog never touches the
database itself. The result is the receiver's ident, or None when cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.words import count
from . import theme
from .tab_common import grow_to_fit

if TYPE_CHECKING:
    from navoppfolging.handover import HandoverPreview

log = logging.getLogger(__name__)


class HandoverDialog(QDialog):
    def __init__(
        self,
        *,
        receivers: Sequence[tuple[str, str]],
        preview: Callable[[str], HandoverPreview],
        case_count: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Overfør sak" if case_count == 1 else "Overfør saker")
        # Wrapped lines need a width to wrap at: without one Qt makes the dialog narrow and
        # tall text is cut off.
        self.setMinimumWidth(560)
        self._preview = preview
        self._names = {ident: name for ident, name in receivers}
        self.current: HandoverPreview | None = None
        self.receiver_box = QComboBox()
        self.receiver_box.setAccessibleName("Mottaker")
        for ident, name in receivers:
            self.receiver_box.addItem(f"{name} ({ident})", ident)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {theme.DANGER_TEXT}; background: {theme.DANGER_SUBTLE}; "
                                   f"border: 1px solid {theme.DANGER_BORDER}; padding: 6px;")
        self.override = QCheckBox("Overfør likevel")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Overfør")
        theme.set_variant(self.ok_button, "primary")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Mottaker:", self.receiver_box)
        layout = QVBoxLayout(self)
        one = case_count == 1
        self.intro = QLabel(f"{count(case_count, 'sak', 'saker')} overføres. Mottakeren ser {'den' if one else 'dem'} "
                            "merket «ny for deg»; du mister tilgangen i teammodus.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.warning)
        layout.addWidget(self.override)
        layout.addStretch(1)  # any spare height above the buttons, not between the lines
        layout.addWidget(self.buttons)
        self.receiver_box.currentIndexChanged.connect(self._update)
        self.override.toggled.connect(self._update_button)
        self._update()

    @property
    def receiver(self) -> str | None:
        value = self.receiver_box.currentData()
        return str(value) if value is not None else None

    def _update(self) -> None:
        ident = self.receiver
        self.current = None
        if ident is None:
            self.info.setText("Ingen veiledere å overføre til.")
        else:
            try:
                self.current = self._preview(ident)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                log.warning("forhåndsvisning av overføring feilet: %s", type(exc).__name__)
                self.info.setText(f"Kunne ikke sjekke mottakeren: {exc}")
        p = self.current
        # The receiver by name: the list above shows the ident beside it.
        who = (self._names.get(p.receiver) or p.receiver) if p is not None else ""
        if p is not None:
            cap = f" av {p.cap}" if p.cap is not None else ""
            self.info.setText(f"{who} har {p.receiver_ug_before}{cap} saker i ungdomsgarantien; "
                              f"etter overføringen {p.receiver_ug_after}.")
        warning = p.warning_about(who) if p is not None else None
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        self.override.setVisible(bool(warning))
        self.override.setChecked(False)
        self._update_button()
        grow_to_fit(self)  # the warning appears after the dialog is shown

    def _update_button(self) -> None:
        p = self.current
        needs_override = p is not None and p.over_cap
        self.ok_button.setEnabled(p is not None and (not needs_override or self.override.isChecked()))
        self.ok_button.setText("Overfør likevel" if needs_override else "Overfør")

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        receivers: Sequence[tuple[str, str]],
        preview: Callable[[str], HandoverPreview],
        case_count: int,
    ) -> str | None:
        dialog = cls(receivers=receivers, preview=preview, case_count=case_count, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.receiver
