"""Qt's own standard strings in bokmål (pytest-qt, offscreen): the confirm and error boxes of
``ui/messages.py``, standard buttons of the app's dialogs, the team password prompt, text-field and
date-field context menus, the non-native file dialog, the print dialog and key names. The
translation comes from ``resources/translations/qtbase_nb.ts``, compiled to the ``.qm`` next to it;
``create_application`` installs it (``bokmal_qt`` does the same for a test). Every test that looks
at Qt's texts fails without the translator — Qt shows «Cancel», «Show Details...», «&Copy» then,
which the last two tests check is what stock Qt does."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QTreeView,
    QWidget,
)

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "qtbase_nb.ts"
QM = TS.with_suffix(".qm")

# Translations that are the same word in bokmål, on purpose (see resources/translations/README.md):
# key-cap names printed on Norwegian keyboards, «OK», and names/units that are not English words.
SAME_IN_BOKMAL = {
    "OK", "&OK", "Type", "Type:", "Alias", "Standard", "LTR",
    "Ctrl", "Shift", "Alt", "Meta", "+", "Del", "Ins", "Backspace", "Home", "End", "PgUp", "PgDown", "Esc", "Tab",
    "Return", "Enter", "F%1",
}


def _messages() -> list[tuple[str, str, str, str]]:
    """(context, source, disambiguation, translation) of every message in the .ts."""
    rows = []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            rows.append((name, message.findtext("source") or "", message.findtext("comment") or "",
                         translation.text or ""))
    return rows


def test_committed_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    """The .ts is the source; the committed .qm must be exactly what lrelease makes of it."""
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        pytest.fail("pyside6-lrelease mangler i test-miljøet (følger med PySide6-Essentials)")
    compiled = tmp_path / "qtbase_nb.qm"
    result = subprocess.run([lrelease, "-fail-on-unfinished", "-fail-on-invalid", str(TS), "-qm", str(compiled)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert compiled.read_bytes() == QM.read_bytes(), (
        "resources/translations/qtbase_nb.qm er ikke kompilert fra qtbase_nb.ts — kjør "
        ".venv/bin/pyside6-lrelease resources/translations/qtbase_nb.ts (se README.md der)")


def test_ts_is_bokmal_and_complete() -> None:
    rows = _messages()
    assert len(rows) > 300
    keys = [(c, s, d) for c, s, d, _t in rows]
    assert len(keys) == len(set(keys)), "the same message twice"
    for context, source, _d, translation in rows:
        assert translation.strip(), (context, source)
        if translation == source:
            assert source in SAME_IN_BOKMAL, f"{context}: «{source}» is left in English"
        # Qt fills in %1, %2 …: a translation must keep every place marker.
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", translation)), (context, source)
        assert translation.count("&") - translation.count("&&") <= 1, (context, translation)


def test_create_application_installs_it_once() -> None:
    """The real start-up path, in a fresh process (create_application themes the application)."""
    code = (
        "from navoppfolging.ui.app import create_application, install_qt_translation; "
        "app = create_application(); first = install_qt_translation(app); "
        "from PySide6.QtCore import QTranslator; from PySide6.QtWidgets import QMessageBox; "
        "box = QMessageBox(QMessageBox.Icon.Question, 't', 'x', QMessageBox.StandardButton.Cancel); "
        "print(box.buttons()[0].text(), len(app.findChildren(QTranslator)), first is install_qt_translation(app))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Avbryt", "1", "True"]


def _while_modal(act: Callable[[QWidget], None]) -> list[str]:
    """Run ``act`` on the modal dialog that the next blocking call opens (``act`` closes it the
    way a user would). Returns the problems seen — empty when all went well; the dialog is closed
    in any case, so a failing check cannot leave the test blocked in ``exec``."""
    problems: list[str] = []
    tries = [0]

    def poke() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            tries[0] += 1
            if tries[0] < 500:
                QTimer.singleShot(10, poke)
            else:
                problems.append("no modal dialog appeared")
            return
        try:
            act(widget)
        except Exception as exc:  # noqa: BLE001 - reported by the test, after exec has returned
            problems.append(repr(exc))
        finally:
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.done(0)

    QTimer.singleShot(0, poke)
    return problems


def _texts(buttons: list[QAbstractButton]) -> list[str]:
    return [b.text() for b in buttons]


def test_confirm_box_cancel_is_avbryt(bokmal_qt: QApplication) -> None:
    from navoppfolging.ui import messages

    seen: list[str] = []

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.extend(_texts(box.buttons()))
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        cancel.click()

    problems = _while_modal(act)
    confirmed = messages.confirm(None, "Slett aktivitet", "Vil du slette aktiviteten?", ok_text="Slett")
    assert not problems
    assert confirmed is False
    assert sorted(seen) == ["Avbryt", "Slett"]


def test_error_box_details_button_is_bokmal(bokmal_qt: QApplication) -> None:
    from navoppfolging.ui import messages

    seen: list[str] = []

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        details = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole)
        seen.append(details.text())
        details.click()  # the Norwegian list of problems is shown
        seen.append(details.text())
        seen.append(box.findChild(QTextEdit).toPlainText())
        box.button(QMessageBox.StandardButton.Ok).click()

    # A short list is shown in the box itself; a long one keeps the whole list under the button.
    details = [f"cases[{i}].fnr: fødselsnummer mangler" for i in range(messages.SHOWN_DETAILS + 1)]
    problems = _while_modal(act)
    messages.show_error(None, "Kan ikke lagre", "Saken har feil.", details=details)
    assert not problems
    assert seen == ["Vis detaljer …", "Skjul detaljer …", "\n".join(details)]


def test_standard_buttons_of_the_apps_dialogs(bokmal_qt: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    """«Lukk» in Teamoversikt, «Avbryt» in «Overfør saker», and Qt's standard buttons in general."""
    from navoppfolging.handover import HandoverPreview
    from navoppfolging.ui.handover_dialog import HandoverDialog
    from navoppfolging.ui.workload_view import WorkloadDialog
    from navoppfolging.workload import compute_workload
    from tests.conftest import TODAY
    from tests.team_data import A, B, team_portfolio

    def load(as_of: dt.date):  # type: ignore[no-untyped-def]
        return compute_workload(team_portfolio(TODAY), as_of, advisors=[A, B])

    workload = WorkloadDialog(load, as_of=TODAY)
    qtbot.addWidget(workload)
    box = workload.findChild(QDialogButtonBox)
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "Lukk"
    handover = HandoverDialog(receivers=[(B, "Ola")], case_count=1, preview=lambda ident: HandoverPreview(
        receiver=ident, cases=1, ug_moving=1, receiver_ug_before=10, cap=50))
    qtbot.addWidget(handover)
    assert handover.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Avbryt"
    S = QDialogButtonBox.StandardButton
    every = QDialogButtonBox(S.Ok | S.Save | S.SaveAll | S.Open | S.Yes | S.YesToAll | S.No | S.NoToAll | S.Abort
                             | S.Retry | S.Ignore | S.Close | S.Cancel | S.Discard | S.Help | S.Apply | S.Reset
                             | S.RestoreDefaults)
    qtbot.addWidget(every)
    assert sorted(_texts(every.buttons())) == sorted([
        "OK", "Lagre", "Lagre alle", "Åpne", "&Ja", "Ja til &alle", "&Nei", "N&ei til alle", "Stopp", "Prøv igjen",
        "Ignorer", "Lukk", "Avbryt", "Forkast", "Hjelp", "Bruk", "Tilbakestill", "Gjenopprett standardverdier"])


def test_team_password_prompt(bokmal_qt: QApplication) -> None:
    from navoppfolging.ui.app import _team_password

    seen: list[str] = []

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        seen.extend(_texts(dialog.findChild(QDialogButtonBox).buttons()))
        dialog.reject()

    problems = _while_modal(act)
    password = _team_password("teamet")
    assert not problems
    assert password is None
    assert sorted(seen) == ["Avbryt", "OK"]


def _mnemonics(texts: list[str]) -> list[str]:
    return [m.group(1).lower() for t in texts if (m := re.search(r"&([^&])", t))]


def _dialog_mnemonics(dialog: QWidget) -> list[str]:
    """The accelerators of a dialog's labels and buttons (on every tab)."""
    texts = [w.text() for w in dialog.findChildren(QWidget) if isinstance(w, (QLabel, QAbstractButton))]
    return _mnemonics(texts)


def _unique(keys: list[str]) -> bool:
    return len(keys) == len(set(keys)) > 0


def test_text_field_context_menus(bokmal_qt: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    expected = ["&Angre", "&Gjør om", "Klipp &ut", "&Kopier", "&Lim inn", "Slett", "Merk alt"]
    for edit in (QLineEdit("tekst"), QPlainTextEdit("notat")):
        qtbot.addWidget(edit)
        menu = edit.createStandardContextMenu()
        texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]  # «\tCtrl+C»
        menu.deleteLater()
        assert texts == expected, type(edit).__name__
        assert _unique(_mnemonics(texts))


def test_date_field_context_menu(bokmal_qt: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A date field's menu (built in contextMenuEvent and shown with exec) adds «Ett steg opp/ned»."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    qtbot.addWidget(edit)
    edit.show()
    seen: list[str] = []

    def grab() -> None:
        popup = QApplication.activePopupWidget()
        if not isinstance(popup, QMenu):
            QTimer.singleShot(10, grab)
            return
        seen.extend(a.text().split("\t")[0] for a in popup.actions() if not a.isSeparator())
        popup.close()

    QTimer.singleShot(0, grab)
    QApplication.sendEvent(edit, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(4, 4),
                                                   edit.mapToGlobal(QPoint(4, 4))))
    assert "&Kopier" in seen and "Ett steg &opp" in seen and "Ett steg &ned" in seen, seen
    assert _unique(_mnemonics(seen)), seen


def test_file_dialog_without_native_dialog(bokmal_qt, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "Importer porteføljefil", str(tmp_path), "JSON-filer (*.json)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)

    def label(name: str) -> str:
        return dialog.findChild(QLabel, name).text()

    assert (label("lookInLabel"), label("fileNameLabel"), label("fileTypeLabel")) == ("&Se i:", "Fil&navn:",
                                                                                      "Fil&type:")
    buttons = dialog.findChild(QDialogButtonBox)
    assert sorted(_texts(buttons.buttons())) == ["&Åpne", "Avbryt"]
    assert _unique(_dialog_mnemonics(dialog))
    assert dialog.findChild(QToolButton, "backButton").toolTip() == "Tilbake"
    assert dialog.findChild(QToolButton, "toParentButton").toolTip() == "Overordnet mappe"
    model = dialog.findChild(QTreeView, "treeView").model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
    assert headers == ["Navn", "Størrelse", "Type", "Sist endret"]
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    assert "&Lagre" in _texts(buttons.buttons())


def test_print_dialog(bokmal_qt: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    texts = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"&Skriv ut", "Avbryt", "&Valg >>", "&Egenskaper"} <= texts, texts
    labels = {lbl.text() for lbl in dialog.findChildren(QLabel)}
    assert {"&Navn:", "Plassering:", "Antall kopier:"} <= labels, labels
    assert _unique(_dialog_mnemonics(dialog))
    seen: list[str] = []

    def act(properties: QWidget) -> None:  # «Egenskaper»: paper, orientation, margins, CUPS job options
        seen.append(properties.windowTitle())
        tabs = properties.findChild(QTabWidget)
        seen.extend(tabs.tabText(i) for i in range(tabs.count()))
        seen.append(str(_unique(_dialog_mnemonics(properties))))
        properties.reject()  # type: ignore[attr-defined]

    problems = _while_modal(act)
    dialog.show()
    dialog.findChild(QPushButton, "properties").click()
    assert not problems
    assert seen[:2] == ["Skriveregenskaper", "Side"] and seen[-1] == "True", seen


def test_key_names_in_shortcuts(bokmal_qt: QApplication) -> None:
    """Modifiers and key-cap abbreviations stay as on the keyboard; direction words are bokmål.
    Shortcuts written in code («Alt+Left») still parse."""
    native = QKeySequence.SequenceFormat.NativeText
    assert QKeySequence("Alt+Left").toString(native) == "Alt+Venstre"
    assert QKeySequence("Ctrl+Shift+T").toString(native) == "Ctrl+Shift+T"
    assert QKeySequence("Ctrl+Space").toString(native) == "Ctrl+Mellomrom"
    assert QKeySequence("Del").toString(native) == "Del"
    assert QKeySequence("Alt+Venstre") == QKeySequence("Alt+Left")


def test_removing_gives_stock_qt_back(qapp: QApplication) -> None:
    """Other tests see Qt's own English (the checks above would fail without the translator)."""
    from navoppfolging.ui.app import install_qt_translation, remove_qt_translation

    def cancel_text() -> str:
        box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Cancel)
        text = box.buttons()[0].text()
        box.deleteLater()
        return text

    assert cancel_text() == "Cancel"
    install_qt_translation(qapp)
    assert cancel_text() == "Avbryt"
    remove_qt_translation(qapp)
    assert cancel_text() == "Cancel"


def test_missing_file_leaves_english_and_is_logged(qapp: QApplication, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    """A broken install (no .qm) still starts; Qt's English texts are shown and the log says why."""
    from navoppfolging.ui import app

    monkeypatch.setattr(app, "qt_translation_file", lambda: str(tmp_path / "finnes-ikke.qm"))
    with caplog.at_level("WARNING", logger=app.__name__):
        assert app.install_qt_translation(qapp) is None
    assert "bokmålsoversettelse" in caplog.text
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "Cancel"
    box.deleteLater()
