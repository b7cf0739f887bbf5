"""Modal messages in one place, so tests can replace them (``monkeypatch.setattr``) and no test
ever blocks on a QMessageBox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# QMessageBox is imported where a message is shown: naming it at the top makes PySide6 build the
# class and its enums during the window's start-up, before any message is needed (issue 9).


def show_error(parent: QWidget | None, title: str, text: str, details: Sequence[str] = ()) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText("\n".join(details))
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


def ask_reload(parent: QWidget | None, text: str) -> bool:
    """A save was refused because the case changed elsewhere: offer to reload it."""
    return confirm(parent, "Saken er endret", text, ok_text="Last inn på nytt")
