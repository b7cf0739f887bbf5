"""«Ny sak» and «Avslutt sak» driven through their widgets: inline errors in bokmål beside the
field, shown only once the field is touched or saving is tried; the save button disabled while
anything is invalid; no prefilled birth date; the fnr masked once entered; and a save that goes
through the services (the case is in the database afterwards)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from navoppfolging import domain as d
from navoppfolging.ui.case_dialogs import CloseCaseDialog, NewCaseDialog
from navoppfolging.ui.state import AppState
from tests.conftest import TODAY

VALID_FNR = "17050456862"  # synthetic, born 17.05.2004


@pytest.fixture
def state(demo_db):  # type: ignore[no-untyped-def]
    return AppState(demo_db, today=TODAY)


def _error(dialog: QWidget, field: QWidget) -> str:
    label = dialog.findChild(QLabel, f"{field.objectName()}Error")
    assert label is not None
    return label.text() if label.isVisibleTo(dialog) else ""


@pytest.fixture
def new_dialog(qtbot, state):  # type: ignore[no-untyped-def]
    dialog = NewCaseDialog(state)
    qtbot.addWidget(dialog)
    dialog.show()
    # Focus (and so leaving a field, and Tab) needs the active window, also offscreen.
    # (qtbot.waitActive is a context manager: called bare it waited for nothing.)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _leave(qtbot, field: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Tab out of ``field`` as the user would (a text field's error shows once it is left)."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def _type_date(qtbot, dlg: NewCaseDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    dlg.birth_edit.clear()
    qtbot.keyClicks(dlg.birth_edit, text)
    _leave(qtbot, dlg.birth_edit)


def test_new_case_validates_inline_and_saves_through_the_services(new_dialog, state, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = new_dialog
    assert not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.name_edit, "Ola Nordmann")
    assert _error(dlg, dlg.name_edit) == ""
    assert not dlg.ok_button.isEnabled()  # the birth date is still empty

    _type_date(qtbot, dlg, "17.05.2004")
    assert dlg.ok_button.isEnabled() and _error(dlg, dlg.birth_edit) == ""
    qtbot.keyClicks(dlg.fnr_edit, "17050456863")  # wrong check digit
    assert not dlg.ok_button.isEnabled()
    assert _error(dlg, dlg.fnr_edit) == ""  # not while typing …
    _leave(qtbot, dlg.fnr_edit)
    assert "kontrollsifrene" in _error(dlg, dlg.fnr_edit)  # … but once the field is left
    assert not dlg.ok_button.isEnabled()
    assert dlg.fnr_edit.property("invalid") == "true"
    dlg.fnr_edit.clear()
    qtbot.keyClicks(dlg.fnr_edit, VALID_FNR)
    assert _error(dlg, dlg.fnr_edit) == ""
    dlg.fnr_edit.setFocus()
    qtbot.keyClick(dlg.fnr_edit, Qt.Key.Key_Tab)  # leaving the field masks it
    assert dlg.fnr_edit.text() == "170504 *****"
    assert dlg.fnr_value == VALID_FNR

    qtbot.keyClicks(dlg.phone_edit, "abc")
    _leave(qtbot, dlg.phone_edit)
    assert "sifre" in _error(dlg, dlg.phone_edit) and not dlg.ok_button.isEnabled()
    dlg.phone_edit.clear()
    qtbot.keyClicks(dlg.phone_edit, "+47 400 00 000")
    assert _error(dlg, dlg.phone_edit) == ""  # a shown error goes as soon as the text is right
    qtbot.keyClicks(dlg.email_edit, "ola@")
    _leave(qtbot, dlg.email_edit)
    assert "@" in _error(dlg, dlg.email_edit) and not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.email_edit, "example.no")
    assert dlg.ok_button.isEnabled() and _error(dlg, dlg.email_edit) == ""

    dlg.group_combo.setCurrentIndex(dlg.group_combo.findData(d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS.value))
    dlg.hovedmal_combo.setCurrentIndex(dlg.hovedmal_combo.findData(d.Hovedmal.SKAFFE_ARBEID.value))
    dlg.language_combo.setCurrentIndex(dlg.language_combo.findData("uk"))
    qtbot.mouseClick(dlg.interpreter_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.flag_boxes[d.Flag.UKRAINA], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dlg.goal_edit, "Jobbe i barnehage")

    ref = dlg.ref
    with qtbot.waitSignal(state.data_changed), qtbot.waitSignal(dlg.accepted):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    stored = state.cases.get(ref)
    assert dlg.created == stored
    assert (stored.name, stored.birth_date, stored.fnr) == ("Ola Nordmann", dt.date(2004, 5, 17), VALID_FNR)
    assert (stored.phone, stored.email, stored.language) == ("+47 400 00 000", "ola@example.no", "uk")
    assert stored.needs_interpreter and stored.flags == (d.Flag.UKRAINA,)
    assert stored.assessments == (d.Assessment(TODAY, d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS, "§ 14 a-vedtak"),)
    assert stored.hovedmal is d.Hovedmal.SKAFFE_ARBEID and stored.goal == "Jobbe i barnehage"
    assert stored.registered_on == TODAY and stored.advisor == "Z990001"


def test_fnr_must_match_the_birth_date_and_goal_is_limited(new_dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = new_dialog
    qtbot.keyClicks(dlg.name_edit, "Kari")
    _type_date(qtbot, dlg, "18.05.2004")
    qtbot.keyClicks(dlg.fnr_edit, VALID_FNR)
    _leave(qtbot, dlg.fnr_edit)
    assert _error(dlg, dlg.fnr_edit) == "Fødselsnummeret passer ikke med fødselsdatoen."
    assert not dlg.ok_button.isEnabled()
    _type_date(qtbot, dlg, "17.05.2004")
    assert dlg.ok_button.isEnabled() and _error(dlg, dlg.fnr_edit) == ""
    dlg.goal_edit.setFocus()
    dlg.goal_edit.setPlainText("x" * 501)
    assert not dlg.ok_button.isEnabled() and dlg.goal_count.text() == "501 av 500 tegn"
    _leave(qtbot, dlg.goal_edit)
    assert "høyst 500 tegn" in _error(dlg, dlg.goal_edit)


def test_no_error_before_the_user_has_touched_a_field(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    """A new dialog shows no red text (it did: «Fyll inn navnet …» before anything was typed);
    a field's error shows once the user has typed in it and left it; trying to save — Enter, or
    a click on the disabled «Lagre» — shows every field's error and puts focus on the first."""
    dlg = NewCaseDialog(AppState(db, today=TODAY))  # an empty database: the advisor fields too
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    fields = (dlg.ident_edit, dlg.advisor_name_edit, dlg.name_edit, dlg.birth_edit)
    assert not dlg.ok_button.isEnabled()
    assert [_error(dlg, f) for f in fields] == ["", "", "", ""]
    assert all(f.property("invalid") != "true" for f in fields)
    assert not [label for label in dlg.findChildren(QLabel) if label.objectName().endswith("Error")
                and label.isVisibleTo(dlg)]

    qtbot.keyClicks(dlg.name_edit, "x")
    qtbot.keyClick(dlg.name_edit, Qt.Key.Key_Backspace)
    assert _error(dlg, dlg.name_edit) == ""  # still in the field
    _leave(qtbot, dlg.name_edit)
    assert _error(dlg, dlg.name_edit) == "Fyll inn navnet til den unge."
    assert _error(dlg, dlg.ident_edit) == ""  # the other untouched fields stay quiet

    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)  # disabled: an attempt to save
    assert _error(dlg, dlg.ident_edit) == "Fyll inn NAV-identen din."
    assert _error(dlg, dlg.advisor_name_edit) == "Fyll inn navnet ditt."
    assert _error(dlg, dlg.birth_edit) == "Fyll inn fødselsdatoen."
    assert QApplication.focusWidget() is dlg.ident_edit
    assert dlg.isVisible() and dlg.created is None


def test_enter_with_something_missing_shows_the_errors(new_dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = new_dialog
    qtbot.keyClicks(dlg.name_edit, "Ola Nordmann")
    qtbot.keyClick(dlg.name_edit, Qt.Key.Key_Return)
    assert _error(dlg, dlg.birth_edit) == "Fyll inn fødselsdatoen."
    assert QApplication.focusWidget() is dlg.birth_edit
    assert dlg.isVisible() and dlg.created is None


def test_birth_date_starts_empty_and_must_be_a_real_date(new_dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    """No prefilled birth date (01.01.2004 was easy to save by mistake): the field is empty,
    saving is refused until a date is typed, and a wrong or future date is told."""
    dlg = new_dialog
    assert dlg.birth_edit.text() == "" and dlg.birth_edit.placeholderText() == "dd.mm.åååå"
    qtbot.keyClicks(dlg.name_edit, "Ola Nordmann")
    assert not dlg.ok_button.isEnabled()
    with pytest.raises(ValueError):
        dlg.case()
    qtbot.keyClicks(dlg.birth_edit, "17.0")  # half typed: no red border yet
    assert dlg.birth_edit.property("invalid") != "true" and _error(dlg, dlg.birth_edit) == ""
    _type_date(qtbot, dlg, "31.02.2004")
    assert _error(dlg, dlg.birth_edit) == "Skriv fødselsdatoen som dd.mm.åååå." and not dlg.ok_button.isEnabled()
    tomorrow = TODAY + dt.timedelta(days=1)
    _type_date(qtbot, dlg, tomorrow.strftime("%d.%m.%Y"))
    assert _error(dlg, dlg.birth_edit) == "Fødselsdatoen er fram i tid." and not dlg.ok_button.isEnabled()
    _type_date(qtbot, dlg, "01.01.2015")
    assert "sjekk datoen" in _error(dlg, dlg.birth_edit)
    _type_date(qtbot, dlg, "17.5.2004")
    assert dlg.ok_button.isEnabled() and dlg.case().birth_date == dt.date(2004, 5, 17)


def test_labels_end_with_a_colon_as_in_the_other_forms(new_dialog, qtbot, state) -> None:  # type: ignore[no-untyped-def]
    close = CloseCaseDialog(state, state.case_list()[0].ref)
    qtbot.addWidget(close)
    for dlg in (new_dialog, close):
        captions = [label.text() for label in dlg.findChildren(QLabel) if label.buddy() is not None and label.text()]
        assert captions and all(text.endswith(":") for text in captions), captions
    captions = [label.text() for label in new_dialog.findChildren(QLabel) if label.buddy() is not None]
    assert "&Navn *:" in captions and "&Fødselsdato *:" in captions and "Markeringer:" in captions


def test_every_input_has_an_accessible_name_and_tab_follows_the_form(new_dialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = new_dialog
    for edit in dlg.findChildren(QLineEdit):
        if edit.parent() is not None and edit.parent().inherits("QAbstractSpinBox"):
            continue  # the date edits' inner line edits: the date edit carries the name
        if edit.isVisibleTo(dlg):
            assert edit.accessibleName(), edit.objectName()
    # Real Tab presses walk the form from top to bottom.
    order = [dlg.name_edit, dlg.birth_edit, dlg.fnr_edit, dlg.phone_edit, dlg.email_edit, dlg.language_combo,
             dlg.interpreter_box, dlg.registered_edit, dlg.group_combo]
    dlg.name_edit.setFocus()
    for expected in order[1:]:
        before = QApplication.focusWidget()
        # Tab in a date edit first walks its day/month/year sections (Qt's own behaviour).
        for _ in range(3):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is not before:
                break
        focused = QApplication.focusWidget()
        assert focused is expected or expected.isAncestorOf(focused), expected.objectName()


def test_first_case_in_an_empty_database_names_the_advisor(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    state = AppState(db, today=TODAY)
    dlg = NewCaseDialog(state)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.ident_edit.isVisibleTo(dlg)
    qtbot.keyClicks(dlg.name_edit, "Første Ungdom")
    qtbot.keyClicks(dlg.birth_edit, "17.05.2004")
    assert not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.ident_edit, "Z123456")
    qtbot.keyClicks(dlg.advisor_name_edit, "Vera Veileder")
    assert dlg.ok_button.isEnabled()
    with qtbot.waitSignal(dlg.accepted):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.created is not None and dlg.created.ref == "U-0001"
    assert state.me is not None and state.me.ident == "Z123456"


def test_close_case_requires_a_reason_and_closes(qtbot, state) -> None:  # type: ignore[no-untyped-def]
    ref = state.case_list()[0].ref
    dlg = CloseCaseDialog(state, ref)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert not dlg.ok_button.isEnabled()
    assert _error(dlg, dlg.reason_combo) == ""  # nothing said before the user has done anything
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)  # disabled: an attempt to save
    assert _error(dlg, dlg.reason_combo) == "Oppgi hvorfor saken avsluttes."
    assert dlg.isVisible() and dlg.closed is None
    # The dialog grew for the new line (it was drawn over the buttons).
    assert dlg.height() >= dlg.layout().totalHeightForWidth(dlg.width())
    registered = state.case(ref).registered_on
    dlg.date_edit.setDate(QDate(registered.year, registered.month, registered.day).addDays(-1))
    assert "før den ble registrert" in _error(dlg, dlg.date_edit)
    dlg.date_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    qtbot.keyClicks(dlg.reason_combo.lineEdit(), "Over i arbeid")
    assert dlg.ok_button.isEnabled()
    with qtbot.waitSignal(state.case_written) as written, qtbot.waitSignal(dlg.accepted):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert written.args == [ref]
    stored = state.cases.get(ref)
    assert (stored.closed_on, stored.closed_reason) == (TODAY, "Over i arbeid")
    assert ref not in {c.ref for c in state.case_list()}
    assert ref not in {i.case for i in state.evaluation().items}
