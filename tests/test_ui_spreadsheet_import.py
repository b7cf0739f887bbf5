"""The spreadsheet import dialog, driven through real signals: a file is read and previewed,
changing a column's field in its combo box re-validates, the import button counts the valid
rows and imports them in one call, the report of rejected rows is saved; the preview model
passes qtmodeltester and highlights rejected rows in Aksel's danger colours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from navoppfolging import domain as d
from navoppfolging.services import AdvisorService, CaseService, PortfolioService
from navoppfolging.tabular import Field
from navoppfolging.ui import messages, theme
from navoppfolging.ui.spreadsheet_import_dialog import PreviewModel, SpreadsheetImportDialog
from tests.conftest import TODAY


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "liste.csv"
    path.write_bytes((
        "Navn;Født;Kommentar;Siste møte\r\n"
        "Åse Ødegård;17.05.2004;Trenger veiledning;01.05.2024\r\n"
        "Per Ås;03.04.2005;Gode muligheter;\r\n"
        "Kari Feil;31.02.2004;Trenger veiledning;\r\n"
        ";01.01.2004;Ukjent gruppe;\r\n"
    ).encode("cp1252"))
    return path


@pytest.fixture
def dialog(qtbot, demo_db):  # type: ignore[no-untyped-def]
    calls: list[d.Portfolio] = []
    portfolio = PortfolioService(demo_db)

    def do_import(p: d.Portfolio) -> Any:
        calls.append(p)
        return portfolio.import_portfolio(p)

    cases = CaseService(demo_db)
    dlg = SpreadsheetImportDialog(advisors=AdvisorService(demo_db).list(), default_advisor="Z990001",
                                  existing=cases.list, next_ref=cases.new_ref, import_portfolio=do_import, as_of=TODAY)
    qtbot.addWidget(dlg)
    dlg.calls = calls  # type: ignore[attr-defined]
    return dlg


def test_choose_file_preview_and_mapping_change_revalidates(dialog, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Choosing the file shows the preview; giving «Kommentar» the field Innsatsgruppe re-validates:
    the unknown group in row 5 becomes a problem and the valid rows get an assessment."""
    path = _file(tmp_path)
    monkeypatch.setattr(SpreadsheetImportDialog, "ask_open_path", classmethod(lambda cls, parent: str(path)))
    with qtbot.waitSignal(dialog.previewUpdated) as blocker:
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [2, 2]
    assert dialog.import_button.text() == "Importer 2 gyldige rader"
    assert dialog.summary_label.text() == "2 nye saker, 0 oppdateres, 2 avviste"
    assert dialog.mapping_combo(2).currentData() is None  # «Kommentar» is not recognised
    assert dialog.preview.cases[0].assessments == ()
    with qtbot.waitSignals([dialog.mappingChanged, dialog.previewUpdated]):
        combo = dialog.mapping_combo(2)
        combo.setCurrentIndex(combo.findData(Field.INNSATSGRUPPE.value))
    assert dialog.preview.cases[0].assessments[0].innsatsgruppe is d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS
    problems = {r.row: r.problem_text() for r in dialog.preview.rejected}
    assert problems[4].startswith("Født (B): datoen finnes ikke")
    assert "navn mangler" in problems[5] and "ukjent innsatsgruppe" in problems[5]
    # A field belongs to one column: choosing «Navn» for column C releases column A.
    dialog.set_mapping(2, Field.NAME)
    assert dialog.mapping_combo(0).currentData() is None
    assert dialog.preview.cases[0].name == "Trenger veiledning"  # now read from column C
    assert dialog.import_button.text() == "Importer 3 gyldige rader"
    assert dialog.summary_label.text() == "3 nye saker, 0 oppdateres, 1 avvist"
    assert dialog.mapping_label.text() == ""  # a name column exists (C), so no mapping problem
    dialog.set_mapping(2, None)
    assert "navn" in dialog.mapping_label.text().lower()
    assert dialog.import_button.text() == "Importer 0 gyldige rader" and not dialog.import_button.isEnabled()


def test_summary_agrees_in_number(dialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """«1 ny sak … 0 avviste» (it said «1 nye saker … 0 avvist»)."""
    path = tmp_path / "en.csv"
    path.write_text("Navn;Født\r\nÅse Ødegård;17.05.2004\r\n", encoding="utf-8")
    assert dialog.load_file(path)
    assert dialog.summary_label.text() == "1 ny sak, 0 oppdateres, 0 avviste"


def test_open_shortcut_chooses_a_file(dialog, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The platform's «Open» key (Ctrl+O) in the dialog asks for a file, as the button does."""
    path = _file(tmp_path)
    monkeypatch.setattr(SpreadsheetImportDialog, "ask_open_path", classmethod(lambda cls, parent: str(path)))
    dialog.show()
    qtbot.waitExposed(dialog)
    # Window shortcuts go to the active window, also offscreen (waitActive can return before
    # the dialog is the active window; wait for that itself).
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.fileLoaded) as blocker:
        qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [str(path)]


def test_import_button_imports_the_valid_rows_in_one_call(dialog, qtbot, tmp_path: Path, demo_db) -> None:  # type: ignore[no-untyped-def]
    assert dialog.load_file(_file(tmp_path))
    with qtbot.waitSignal(dialog.imported) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert len(dialog.calls) == 1 and len(dialog.calls[0].cases) == 2
    assert blocker.args[0].cases_created == 2
    assert dialog.preview is not None
    assert CaseService(demo_db).get("U-0051").name == "Åse Ødegård"
    assert dialog.preview.cases[0].contacts[0].status is d.ContactStatus.GJENNOMFORT


def test_report_is_saved(dialog, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog.load_file(_file(tmp_path))
    target = tmp_path / "avviste.csv"
    monkeypatch.setattr(SpreadsheetImportDialog, "ask_report_path", classmethod(lambda cls, parent, suggested: str(target)))
    assert dialog.report_button.isEnabled()
    with qtbot.waitSignal(dialog.reportSaved) as blocker:
        qtbot.mouseClick(dialog.report_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [str(target)]
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "Rad;Kolonne;Feil"
    assert lines[1].startswith("4;Født (B);datoen finnes ikke")
    assert "Kari" not in target.read_text(encoding="utf-8-sig")


def test_unreadable_file_shows_an_error(dialog, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[tuple[str, str, Any]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text, details=(): shown.append((title, text, details)))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    assert not dialog.load_file(bad)
    assert shown and shown[0][0] == "Kan ikke lese filen"
    assert not dialog.import_button.isEnabled()


def test_preview_model_passes_modeltester_and_marks_rejected_rows(dialog, qtmodeltester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.load_file(_file(tmp_path))
    model = dialog.model
    qtmodeltester.check(model)
    qtmodeltester.check(dialog.proxy)
    rows = {model.index(r, PreviewModel.ROW).data(): r for r in range(model.rowCount())}
    bad = model.index(rows["4"], PreviewModel.PROBLEMS)
    assert bad.data(Qt.ItemDataRole.BackgroundRole) == QColor(theme.DANGER_SUBTLE)
    assert "datoen finnes ikke" in bad.data()
    good = model.index(rows["2"], PreviewModel.RESULT)
    assert good.data() == "Ny sak" and good.data(Qt.ItemDataRole.BackgroundRole) is None
    dialog.only_rejected.setChecked(True)
    assert dialog.proxy.rowCount() == 2
    dialog.only_rejected.setChecked(False)
    dialog.view.sortByColumn(PreviewModel.ROW, Qt.SortOrder.DescendingOrder)
    assert dialog.proxy.index(0, PreviewModel.ROW).data() == "5"


def test_ask_entry_returns_none_when_cancelled(qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(SpreadsheetImportDialog, "exec", lambda self: 0)
    result = SpreadsheetImportDialog.ask(None, advisors=[d.Advisor(d.AdvisorIdent("Z990001"), "Kari")],
                                         default_advisor="Z990001", existing=lambda: (), next_ref=lambda: "U-0001",
                                         import_portfolio=lambda p: pytest.fail("must not import"), as_of=dt.date(2024, 6, 3),
                                         path=_file(tmp_path))
    assert result is None


def test_a_refused_import_is_told_and_nothing_is_written(dialog, qtbot, tmp_path: Path, monkeypatch, demo_db) -> None:  # type: ignore[no-untyped-def]
    """The import runs off the UI thread; when the service refuses it (here: the database says
    the file's case conflicts), the problems come back as a message and the dialog stays."""
    from navoppfolging.errors import Problem, ValidationError

    shown: list[tuple[str, str, Any]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text, details=(): shown.append((title, text, details)))

    def refuse(p: d.Portfolio) -> Any:
        raise ValidationError([Problem("cases[0].ref", "finnes allerede")])

    dialog._import = refuse
    assert dialog.load_file(_file(tmp_path))
    before = len(CaseService(demo_db).list())
    with qtbot.assertNotEmitted(dialog.imported, wait=300):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0][0] == "Importen ble ikke gjort" and shown[0][2] == ["cases[0].ref: finnes allerede"]
    assert dialog.import_button.isEnabled() and len(CaseService(demo_db).list()) == before
