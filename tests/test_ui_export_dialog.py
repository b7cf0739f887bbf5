"""The export dialog, driven through its controls: the options follow the format, and each
format writes the file the command line writes (no fnr unless ticked, initials unless ticked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from navoppfolging.services import PortfolioService
from navoppfolging.ui.export_dialog import ExportDialog
from tests.conftest import TODAY


@pytest.fixture
def dialog(qtbot, demo_db):  # type: ignore[no-untyped-def]
    dlg = ExportDialog(load=PortfolioService(demo_db).load, as_of=TODAY)
    qtbot.addWidget(dlg)
    return dlg


def _choose(dialog: ExportDialog, fmt: str) -> None:
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))


def _export(dialog, qtbot, monkeypatch, target: Path) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ExportDialog, "ask_save_path", classmethod(lambda cls, parent, suggested, f: str(target)))
    with qtbot.waitSignal(dialog.exported) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return str(blocker.args[0])


def test_options_follow_the_format(dialog) -> None:  # type: ignore[no-untyped-def]
    _choose(dialog, "ics")
    assert dialog.with_names.isEnabled() and dialog.horizon.isEnabled() and not dialog.with_fnr.isEnabled()
    _choose(dialog, "csv")
    assert dialog.with_fnr.isEnabled() and not dialog.with_names.isEnabled() and not dialog.horizon.isEnabled()
    dialog.with_names.setChecked(True)
    assert dialog.options().with_names is False  # an option of another format never leaks in


def test_xlsx_without_and_csv_with_fnr(dialog, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    _choose(dialog, "xlsx")
    written = _export(dialog, qtbot, monkeypatch, tmp_path / "liste")  # the extension is added
    assert written.endswith("liste.xlsx")
    headers = [c.value for c in load_workbook(written).active[1]]
    assert "Fødselsnummer" not in headers and headers[:2] == ["Ref", "Navn"]
    assert dialog.message.startswith("Eksportert 50 saker")
    _choose(dialog, "csv")
    dialog.with_fnr.setChecked(True)
    written = _export(dialog, qtbot, monkeypatch, tmp_path / "f.csv")
    assert "Fødselsnummer" in Path(written).read_bytes().decode("utf-8-sig").splitlines()[0]


def test_calendar_with_horizon(dialog, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _choose(dialog, "ics")
    dialog.horizon.setValue(7)
    written = _export(dialog, qtbot, monkeypatch, tmp_path / "k.ics")
    data = Path(written).read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" in data
    assert dialog.message.startswith("Eksportert ") and "hendelser" in dialog.message


def test_a_file_that_cannot_be_written_is_told_and_the_dialog_stays(dialog, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The export runs off the UI thread; a failure comes back as a message, nothing is
    written, and the dialog stays open with its button usable again."""
    from navoppfolging.ui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(ExportDialog, "ask_save_path",
                        classmethod(lambda cls, parent, suggested, f: str(tmp_path / "finnes-ikke" / "x.csv")))
    _choose(dialog, "csv")
    dialog.show()
    with qtbot.assertNotEmitted(dialog.exported, wait=300):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0].startswith("Filen ble ikke skrevet")
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert not (tmp_path / "finnes-ikke").exists()
