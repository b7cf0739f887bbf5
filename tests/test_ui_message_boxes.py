"""The message boxes of ui/messages.py, driven as a user answers them (pytest-qt): what must be
put right is shown in the box itself, and leaving unsaved edits has three answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from navoppfolging.ui import messages


def _on_box(act: Callable[[QMessageBox], Any]) -> list[dict[str, Any]]:
    """Read the next message box and answer it with ``act``."""
    seen: list[dict[str, Any]] = []

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, poll)
            return
        seen.append({"text": box.text(), "informative": box.informativeText(), "details": box.detailedText(),
                     "buttons": [b.text() for b in box.buttons()]})
        act(box)

    QTimer.singleShot(0, poll)
    return seen


def test_problems_are_shown_in_the_box_not_behind_a_button(qtbot) -> None:  # type: ignore[no-untyped-def]
    problems = [f"cases[{i}].birth_date: ikke en gyldig dato" for i in range(3)]
    seen = _on_box(lambda box: box.accept())
    messages.show_error(None, "Ugyldig innhold", "Dette må rettes:", problems)
    assert seen[0]["informative"] == "\n".join(problems)
    assert seen[0]["details"] == ""


def test_a_long_list_shows_its_first_lines_and_keeps_all_in_the_details(qtbot) -> None:  # type: ignore[no-untyped-def]
    problems = [f"cases[{i}].name: mangler (påkrevd)" for i in range(messages.SHOWN_DETAILS + 2)]
    seen = _on_box(lambda box: box.accept())
    messages.show_error(None, "Ugyldig innhold", "Dette må rettes:", problems)
    shown = seen[0]["informative"].split("\n")
    assert shown[:-1] == problems[:messages.SHOWN_DETAILS]
    assert shown[-1] == "… og 2 til (se detaljene)."
    assert seen[0]["details"] == "\n".join(problems)


@pytest.mark.parametrize(("button", "answer"), [("Lagre", "save"), ("Ikke lagre", "discard"), ("Avbryt", "cancel")])
def test_ask_save_has_three_answers(qtbot, button: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    def click(box: QMessageBox) -> None:
        next(b for b in box.buttons() if b.text() == button).click()

    seen = _on_box(click)
    assert messages.ask_save(None, "Lagre endringene?", "Du har endringer …") == answer
    assert sorted(seen[0]["buttons"]) == ["Avbryt", "Ikke lagre", "Lagre"]


def test_escape_on_ask_save_is_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    _on_box(lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    assert messages.ask_save(None, "Lagre endringene?", "Du har endringer …") == "cancel"
