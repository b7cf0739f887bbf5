"""Modal messages in one place, so tests can replace them (``monkeypatch.setattr``) and no test
ever blocks on a QMessageBox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# QMessageBox is imported where a message is shown: naming it at the top makes PySide6 build the
# class and its enums during the window's start-up, before any message is needed (issue 9).


SHOWN_DETAILS = 10


def show_error(parent: QWidget | None, title: str, text: str, details: Sequence[str] = ()) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        # What must be put right is shown, not hidden behind a details button; a long list shows
        # its first lines and keeps the whole of it under the button.
        shown = list(details[:SHOWN_DETAILS])
        if len(details) > SHOWN_DETAILS:
            shown.append(f"… og {len(details) - SHOWN_DETAILS} til (se detaljene).")
            box.setDetailedText("\n".join(details))
        box.setInformativeText("\n".join(shown))
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, *, ok_text: str = "OK") -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok


def ask_save(parent: QWidget | None, title: str, text: str) -> Literal["save", "discard", "cancel"]:
    """«Lagre» (default), «Ikke lagre» or «Avbryt» (Esc): leaving something with unsaved edits."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    save = box.addButton("Lagre", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Ikke lagre", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Avbryt", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def ask_reload(parent: QWidget | None, text: str) -> bool:
    """A save was refused because the case changed elsewhere: offer to reload it."""
    return confirm(parent, "Saken er endret", text, ok_text="Last inn på nytt")
