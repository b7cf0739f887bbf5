"""The case view's dialogs validate inline: OK stays disabled (and Enter does nothing) while a
field is invalid, the error is said in bokmål next to the field, and a valid form returns
exactly what was typed. Each dialog is driven through its widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from navoppfolging import domain as d
from navoppfolging.ui.activity_dialog import ActivityDialog
from navoppfolging.ui.assessment_dialog import AssessmentDialog
from navoppfolging.ui.contact_dialog import ContactDialog, SummaryDialog
from navoppfolging.ui.exception_dialog import ExceptionDialog
from navoppfolging.ui.external_contact_dialog import ExternalContactDialog
from navoppfolging.ui.reminder_dialog import ReminderDialog
from navoppfolging.ui.tab_common import DateField
from tests.conftest import TODAY


@pytest.fixture
def show(qtbot):  # type: ignore[no-untyped-def]
    def _show(dialog: QDialog) -> QDialog:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog
    return _show


def test_contact_dialog_defaults_to_a_held_oppmote_today(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ContactDialog(title="Registrer kontakt", today=TODAY))
    assert dialog.ok_button.isDefault()
    value = dialog.value()
    assert (value.date, value.channel, value.status, value.time) == (TODAY, d.Channel.OPPMOTE,
                                                                     d.ContactStatus.GJENNOMFORT, None)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)


def test_contact_dialog_refuses_a_too_long_summary(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ContactDialog(title="Planlegg møte", today=TODAY, status=d.ContactStatus.PLANLAGT))
    assert dialog.time_box.isChecked()  # a planned meeting has a time
    dialog.summary_edit.setPlainText("x" * 5001)
    assert not dialog.ok_button.isEnabled()
    assert "5000" in dialog.summary_error.text()
    with qtbot.assertNotEmitted(dialog.accepted):
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Return)
    dialog.summary_edit.setPlainText("Kort referat")
    assert dialog.ok_button.isEnabled()


def test_contact_dialog_labels_have_colons_and_their_own_alt_keys(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    """«Klokkeslett» sits in the label column like «Dato:»: with a colon and an Alt key (it had
    neither); every Alt key in the dialog is different, and Alt+L ticks the time."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    dialog = show(ContactDialog(title="Registrer kontakt", today=TODAY))
    assert dialog.time_box.text() == "K&lokkeslett:"
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton) if "&" in w.text()]
    keys = [t[t.index("&") + 1].lower() for t in texts]
    assert len(keys) == len(set(keys)), texts
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert not dialog.time_box.isChecked() and not dialog.time_edit.isEnabled()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.time_box.isChecked)  # a mnemonic «animates» the click: it lands a moment later
    assert dialog.time_edit.isEnabled()


def test_contact_dialog_edits_an_existing_contact(show) -> None:  # type: ignore[no-untyped-def]
    contact = d.Contact(id=d.ItemId("k2"), date=dt.date(2024, 6, 10), channel=d.Channel.VIDEO,
                        status=d.ContactStatus.PLANLAGT, time=dt.time(13, 30), place="Teams")
    dialog = show(ContactDialog(title="Endre kontakt", today=TODAY, initial=contact))
    dialog.interpreter_box.setChecked(True)
    value = dialog.value()
    assert (value.date, value.channel, value.status, value.time, value.place, value.interpreter_booked) == (
        contact.date, contact.channel, contact.status, contact.time, "Teams", True)


def test_summary_dialog(show) -> None:  # type: ignore[no-untyped-def]
    contact = d.Contact(id=d.ItemId("k1"), date=TODAY, channel=d.Channel.OPPMOTE, status=d.ContactStatus.PLANLAGT)
    dialog = show(SummaryDialog(contact=contact))
    dialog.summary_edit.setPlainText("x" * 5001)
    assert not dialog.ok_button.isEnabled()
    dialog.summary_edit.setPlainText("  Møtte  ")
    assert dialog.ok_button.isEnabled() and dialog.value() == "Møtte"


def test_activity_dialog_validates_title_dates_and_description(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ActivityDialog(today=TODAY))
    assert not dialog.ok_button.isEnabled()  # no title
    qtbot.keyClicks(dialog.title_edit, "x" * 101)
    assert not dialog.ok_button.isEnabled() and "100" in dialog.title_error.text()
    dialog.title_edit.setText("Søke læreplass")
    assert dialog.ok_button.isEnabled()
    dialog.end_edit.setText("31.13.2024")
    assert not dialog.ok_button.isEnabled() and "dd.mm.åååå" in dialog.dates_error.text()
    dialog.end_edit.setText("01.01.2024")  # before «fra» (today)
    assert not dialog.ok_button.isEnabled() and "før" in dialog.dates_error.text()
    dialog.end_edit.setText("30.09.2024")
    dialog.description_edit.setPlainText("y" * 5001)
    assert not dialog.ok_button.isEnabled()
    dialog.description_edit.setPlainText("Minst fem søknader")
    dialog.responsible_combo.setCurrentIndex(dialog.responsible_combo.findData("BEGGE"))
    assert dialog.ok_button.isEnabled()
    value = dialog.value()
    assert (value.title, value.start, value.end, value.responsible, value.description) == (
        "Søke læreplass", TODAY, dt.date(2024, 9, 30), d.Responsible.BEGGE, "Minst fem søknader")
    dialog.start_edit.setText("")
    assert dialog.ok_button.isEnabled() and dialog.value().start is None  # dates are optional


def test_activity_dialog_keeps_an_undecided_responsible(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    """An activity imported with responsible null opens as «Ikke avklart» and stays None when
    saved unchanged; choosing a party sets it."""
    activity = d.Activity(id=d.ItemId("a1"), title="Søke læreplass", category=d.ActivityCategory.JOBBSOKING,
                          status=d.ActivityStatus.PLANLAGT, responsible=None)
    dialog = show(ActivityDialog(initial=activity, today=TODAY))
    assert dialog.responsible_combo.currentText() == "Ikke avklart"
    assert dialog.value().responsible is None
    dialog.responsible_combo.setCurrentIndex(dialog.responsible_combo.findData("NAV"))
    assert dialog.value().responsible is d.Responsible.NAV


def test_assessment_dialog(show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(AssessmentDialog(today=TODAY, innsatsgruppe=d.Innsatsgruppe.STANDARD_INNSATS,
                                   hovedmal=d.Hovedmal.SKAFFE_ARBEID))
    assert dialog.group_combo.currentText() == "Gode muligheter"  # NAV's words, not the code
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findData("SPESIELT_TILPASSET_INNSATS"))
    dialog.date_edit.setDate(QDate(2024, 5, 2))
    dialog.note_edit.setPlainText("n" * 2001)
    assert not dialog.ok_button.isEnabled()
    dialog.note_edit.setPlainText("Ny vurdering etter seks måneder")
    value = dialog.value()
    assert value.assessment == d.Assessment(date=dt.date(2024, 5, 2), innsatsgruppe=d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS,
                                            note="Ny vurdering etter seks måneder")
    assert value.hovedmal is d.Hovedmal.SKAFFE_ARBEID


def test_exception_dialog(show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ExceptionDialog(today=TODAY, kind=d.ExceptionKind.TILBUD_AVSLATT, about="Tilbud om oppfølging"))
    assert [dialog.kind_combo.itemText(i) for i in range(dialog.kind_combo.count())] == [
        "Tilbud avslått", "Ikke oppnådd kontakt", "Annet"]
    assert dialog.value().kind is d.ExceptionKind.TILBUD_AVSLATT
    dialog.note_edit.setPlainText("n" * 2001)
    assert not dialog.ok_button.isEnabled()
    dialog.note_edit.setPlainText("Ringt 03.06 og 04.06")
    assert dialog.ok_button.isEnabled() and dialog.value().note == "Ringt 03.06 og 04.06"


def test_reminder_dialog(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ReminderDialog(today=TODAY))
    assert not dialog.ok_button.isEnabled() and not dialog.text_error.isVisible()  # empty, not yet an error
    qtbot.keyClicks(dialog.text_edit, "Sjekk svar fra OT")
    assert dialog.ok_button.isEnabled()
    dialog.text_edit.setPlainText("t" * 2001)
    assert not dialog.ok_button.isEnabled() and dialog.text_error.isVisible()
    dialog.text_edit.setPlainText("Sjekk svar fra OT")
    assert dialog.value().text == "Sjekk svar fra OT" and dialog.value().date == TODAY


def test_external_contact_dialog(qtbot, show) -> None:  # type: ignore[no-untyped-def]
    dialog = show(ExternalContactDialog())
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "Per Rådgiver")
    assert dialog.ok_button.isEnabled()
    dialog.phone_edit.setText("9" * 41)
    assert not dialog.ok_button.isEnabled()
    dialog.phone_edit.setText("+47 900 00 000")
    dialog.role_combo.setCurrentText("Jobbspesialist (IPS)")
    assert dialog.value() == d.ExternalContact(role="Jobbspesialist (IPS)", name="Per Rådgiver",
                                               phone="+47 900 00 000", organisation=None)


def test_date_field(qtbot) -> None:  # type: ignore[no-untyped-def]
    field = DateField("Dato")
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.validity_changed, check_params_cb=lambda ok: ok is False):
        field.setText("32.01.2024")
    assert field.property("invalid") == "true" and field.error()
    field.setText("")
    assert field.is_valid() and field.date() is None
    required = DateField("Fødselsdato", required=True)
    qtbot.addWidget(required)
    assert required.error() == "Datoen må fylles ut."
