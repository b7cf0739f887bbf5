"""The case view driven as an advisor drives it: through keys, clicks, menus and drops, with
the real services underneath. Every write is checked in the database (a fresh ``CaseService``),
and the effect on the rule engine's items is checked in the Oppfølging tab."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget

from navoppfolging import domain as d
from navoppfolging.services import CaseService
from navoppfolging.ui import messages
from navoppfolging.ui.case_view import TAB_IDS, CaseView
from navoppfolging.ui.contact_dialog import ContactDialog, SummaryDialog
from navoppfolging.ui.exception_dialog import ExceptionDialog, ExceptionInput
from navoppfolging.ui.state import AppState
from navoppfolging.ui.tab_activities import COL_STATUS, ActivityDialog
from navoppfolging.ui.tab_followup import OfferDialog
from tests.conftest import TODAY


@pytest.fixture
def state(demo_db) -> AppState:  # type: ignore[no-untyped-def]
    return AppState(demo_db, today=TODAY)


@pytest.fixture
def view(qtbot, state: AppState) -> CaseView:  # type: ignore[no-untyped-def]
    widget = CaseView(state)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ref_with(state: AppState, rule: str, extra: Callable[[d.Case], bool] = lambda c: True) -> str:
    for item in state.evaluation().items:
        if item.rule == rule and extra(state.case(item.case)):
            return item.case
    raise AssertionError(f"the demo portfolio has no case with {rule}")


def stored(state: AppState, ref: str) -> d.Case:
    return CaseService(state.db).get(ref)


def rules_shown(view: CaseView) -> list[str]:
    model = view.followup.model
    return [model.item(r).rule for r in range(model.rowCount())]


def on_next_dialog(qtbot, act: Callable[[QWidget], None]) -> None:  # type: ignore[no-untyped-def]
    """Run ``act`` on the modal dialog that is about to open (exec() blocks the test)."""

    def poll(tries: int = 300) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries:  # give up after ~3 s so a dialog that never opens cannot haunt later tests
                QTimer.singleShot(10, lambda: poll(tries - 1))
            return
        act(dialog)

    QTimer.singleShot(0, poll)


def test_tab_leaves_every_table_of_the_case_view(view: CaseView, state: AppState, qtbot) -> None:  # type: ignore[no-untyped-def]
    """No table or list in the case view keeps Tab to walk its cells (Historikk's did): Tab
    moves focus on to the next control, as in a form."""
    from PySide6.QtWidgets import QAbstractItemView

    view.show_case(ref_with(state, "ACTIVITY-EXPIRED"), "historikk")
    views = view.findChildren(QAbstractItemView)
    assert view.history.view in views
    trapping = [v.accessibleName() or v.objectName() or type(v).__name__ for v in views
                if v.tabKeyNavigation() and not isinstance(v.parent(), QComboBox)]
    assert trapping == []
    view.activateWindow()
    qtbot.waitActive(view)
    view.history.view.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: view.history.view.hasFocus())
    qtbot.keyClick(view.history.view, Qt.Key.Key_Tab)
    assert not view.history.view.hasFocus()


def test_kanban_cards_wrap_instead_of_cutting_in_a_narrow_board(view: CaseView, state: AppState, qtbot) -> None:  # type: ignore[no-untyped-def]
    """At the board's narrowest (a 1280–1400 px window) a card shows its category, «Ansvar: …»,
    both dates and «utløpt» whole, on more lines (they were cut with «…»), and the card is
    tall enough for them; a wide board keeps the three-line card."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyleOptionViewItem

    from navoppfolging.ui.tab_activities import ItemRole

    ref = ref_with(state, "ACTIVITY-EXPIRED")
    view.show_case(ref, "aktivitetsplan")
    column = view.activities.columns[d.ActivityStatus.GJENNOMFORES]
    delegate = column.view.itemDelegate()

    def card(width: int) -> tuple[list[str], int, int]:
        view.resize(width, 900)
        qtbot.wait(20)
        index = next(column.proxy.index(r, 0) for r in range(column.proxy.rowCount())
                     if delegate.as_of > column.proxy.index(r, 0).data(ItemRole).end)
        option = QStyleOptionViewItem()
        column.view.initViewItemOption(option)
        activity = index.data(ItemRole)
        metrics = QFontMetrics(option.font)
        inner = column.view.viewport().width() - 26
        meta, dates = delegate._lines(activity, metrics, inner)
        for line in meta + dates:
            assert metrics.horizontalAdvance(line) <= inner and "…" not in line.replace("… –", "")
        text = " ".join(meta + dates)
        assert d.CATEGORY_LABELS[activity.category] in text and "Ansvar: " in text and "utløpt" in text
        assert activity.end.strftime("%d.%m.%Y") in text and activity.start.strftime("%d.%m.%Y") in text
        lines = 1 + len(meta) + len(dates)
        height = delegate.sizeHint(option, index).height()
        assert height >= lines * metrics.height() + 2 * delegate.PADDING
        return meta + dates, lines, height

    _, narrow_lines, narrow_height = card(view.minimumSizeHint().width())
    _, wide_lines, wide_height = card(1800)
    assert narrow_lines > 3 and wide_lines == 3 and narrow_height > wide_height


def test_case_view_fits_beside_the_due_list_at_1400_px(view: CaseView, state: AppState) -> None:
    """The board's five columns may be narrow (cards wrap), so the whole case view fits beside
    the due list's default width in a 1400 px window: opening a case no longer pushes the due
    list narrower (the board wanted 962 px)."""
    from PySide6.QtGui import QFontMetrics

    from navoppfolging.ui.main_window import MainWindow
    from navoppfolging.ui.tab_activities import pack_lines

    view.show_case(ref_with(state, "ACTIVITY-EXPIRED"), "aktivitetsplan")
    assert view.minimumSizeHint().width() <= MainWindow.default_splitter_sizes(1400)[0] - 6
    metrics = QFontMetrics(view.font())
    width = metrics.horizontalAdvance("Tiltak gjennom") + 3
    assert pack_lines([("", "Tiltak gjennom NAV"), (" · ", "Ansvar: Annen")], metrics, width, 3) == [
        "Tiltak gjennom", "NAV", "Ansvar: Annen"]
    wide = metrics.horizontalAdvance("Tiltak gjennom NAV · Ansvar: Annen") + 2
    assert pack_lines([("", "Tiltak gjennom NAV"), (" · ", "Ansvar: Annen")], metrics, wide, 3) == [
        "Tiltak gjennom NAV · Ansvar: Annen"]


def test_case_tables_fit_and_give_the_free_text_the_room(view: CaseView, state: AppState, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Beside the due list in a 1400 px window no table of the case view scrolls sideways and the
    free text has room: «Referat» (was cut while Status and Sted were wide), «Etter» (while
    «Hva» was wide), the note of «Registrerte unntak og forsøk» (a scroll bar under an empty
    table) and «Eksterne kontakter» («Organ…» under a scroll bar); the Oversikt form and the
    Oppfølging tab fit too (a long flag title and the contact person's line made them wider)."""
    from PySide6.QtWidgets import QScrollArea

    from navoppfolging.ui.main_window import MainWindow

    view.resize(MainWindow.default_splitter_sizes(1400)[0] - 6, 900)
    with_external = next(c.ref for c in state.case_list() if c.external_contacts)
    with_flag = next(c.ref for c in state.case_list() if state.evaluation().flags_for(c.ref))
    checks = [
        (with_flag, "kontakter", view.contacts.table, 6),
        (with_flag, "historikk", view.history.view, 5),
        (with_flag, "oppfolging", view.followup.exceptions_table, 2),
        (with_external, "oversikt", view.overview.external_table, 3),
    ]
    for ref, tab, table, free in checks:
        view.show_case(ref, tab)
        qtbot.wait(20)
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width(), (tab, header.length(), table.viewport().width())
        assert not table.horizontalScrollBar().isVisible(), tab
        assert table.columnWidth(free) >= 60 if tab in ("oppfolging", "oversikt") else table.columnWidth(free) >= 150, (
            tab, table.columnWidth(free))
    assert view.minimumSizeHint().width() <= view.width()
    view.show_case(with_external, "oversikt")
    qtbot.wait(20)
    scroll = view.overview.findChild(QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible()


def test_each_tab_renders_for_a_demo_case(view: CaseView, state: AppState) -> None:
    """A demo case opens with its header, and every tab shows its part of the case."""
    ref = ref_with(state, "ACTIVITY-EXPIRED")
    case = state.case(ref)
    view.show_case(ref)
    assert view.current_ref == ref
    assert view.header.name_label.text() == case.name
    assert ref in view.header.facts_label.text()
    assert "Siste møte" in view.header.meetings_label.text()
    for tab in TAB_IDS:
        view.show_case(ref, tab)
        assert view.current_tab() == tab
        assert not view.grab().isNull()
    assert view.contacts.model.rowCount() == len(case.contacts)
    assert view.activities.model.rowCount() == len(case.activities)
    board_total = sum(c.proxy.rowCount() for c in view.activities.columns.values())
    assert board_total == len(case.activities)
    assert view.assessments.model.rowCount() == len(case.assessments)
    assert view.reminders.model.rowCount() == len(case.reminders)
    assert rules_shown(view) == [i.rule for i in state.evaluation().items_for(ref)]
    assert view.history.model.rowCount() > 0  # the import is in the audit trail
    with pytest.raises(ValueError):
        view.show_case(ref, "ukjent")


def test_ctrl_k_then_enter_registers_a_held_contact(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """Two keystrokes: the window's Ctrl+K opens the prefilled dialog, Enter saves a held
    oppmøte today; CONTACT-30D moves to today + 30 days."""
    ref = ref_with(state, "CONTACT-30D")
    view.show_case(ref, "oppfolging")
    before = next(i for i in state.evaluation().items_for(ref) if i.rule == "CONTACT-30D")
    assert before.due != TODAY + dt.timedelta(days=30)
    # The main window owns Ctrl+K (a window shortcut calling register_contact()); the same
    # shortcut on the view's own window stands in for it here.
    QShortcut(QKeySequence("Ctrl+K"), view, view.register_contact)
    view.activateWindow()
    qtbot.waitActive(view)
    view.followup.table.setFocus()
    seen: dict[str, object] = {}

    def press_enter(dialog: QWidget) -> None:
        assert isinstance(dialog, ContactDialog)
        seen["focus"] = dialog.focusWidget()
        seen["value"] = dialog.value()
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

    on_next_dialog(qtbot, press_enter)
    qtbot.keyClick(view.followup.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert seen, "Ctrl+K did not open the dialog"
    assert seen["focus"] is not None and seen["focus"].accessibleName() == "Dato"  # type: ignore[attr-defined]
    saved = stored(state, ref)
    new = [k for k in saved.contacts if k.date == TODAY and k.status is d.ContactStatus.GJENNOMFORT]
    assert len(new) == 1 and new[0].channel is d.Channel.OPPMOTE
    after = [view.followup.model.item(r) for r in range(view.followup.model.rowCount())]
    contact30 = [i for i in after if i.rule == "CONTACT-30D"]
    assert contact30 and contact30[0].due == TODAY + dt.timedelta(days=30)
    assert view.contacts.model.rowCount() == len(saved.contacts)


def test_planned_meeting_marked_as_held(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """A planned meeting becomes a held one with the summary the advisor typed."""
    case = next(c for c in state.case_list() if any(k.status is d.ContactStatus.PLANLAGT for k in c.contacts))
    planned = next(k for k in case.contacts if k.status is d.ContactStatus.PLANLAGT)
    view.show_case(case.ref, "kontakter")
    view.contacts.select(planned.id)
    assert view.contacts.held_button.isEnabled()

    def write_summary(dialog: QWidget) -> None:
        assert isinstance(dialog, SummaryDialog)
        qtbot.keyClicks(dialog.summary_edit, "Møtte opp, avtalte praksisplass")
        dialog.ok_button.click()

    on_next_dialog(qtbot, write_summary)
    qtbot.mouseClick(view.contacts.held_button, Qt.MouseButton.LeftButton)
    held = next(k for k in stored(state, case.ref).contacts if k.id == planned.id)
    assert held.status is d.ContactStatus.GJENNOMFORT
    assert held.summary == "Møtte opp, avtalte praksisplass"
    assert held.date == planned.date


def test_delete_contact_with_del_asks_first(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Del asks; «Avbryt» keeps the contact, «Slett» removes it."""
    case = next(c for c in state.case_list() if len(c.contacts) >= 2)
    view.show_case(case.ref, "kontakter")
    view.contacts.table.select_row(0)
    victim = view.contacts.current()
    answers = iter([False, True])
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: next(answers))
    view.contacts.table.setFocus()
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_Delete)
    assert any(k.id == victim.id for k in stored(state, case.ref).contacts)
    view.contacts.select(victim.id)
    qtbot.keyClick(view.contacts.table, Qt.Key.Key_Delete)
    assert not any(k.id == victim.id for k in stored(state, case.ref).contacts)


def test_add_activity_makes_plan_missing_disappear(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """Ny aktivitet through the real dialog: PLAN-MISSING leaves the Oppfølging tab."""
    ref = ref_with(state, "PLAN-MISSING")
    view.show_case(ref, "oppfolging")
    assert "PLAN-MISSING" in rules_shown(view)
    assert view.followup.select_rule("PLAN-MISSING")

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ActivityDialog)
        assert not dialog.ok_button.isEnabled()  # no title yet
        qtbot.keyClicks(dialog.title_edit, "Søke læreplass")
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("GJENNOMFORES"))
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()

    on_next_dialog(qtbot, fill)
    # The item's own button («Ny aktivitet») is what the advisor presses.
    qtbot.mouseClick(view.followup.detail.buttons["add_activity"], Qt.MouseButton.LeftButton)
    saved = stored(state, ref)
    assert [a.title for a in saved.activities] == ["Søke læreplass"]
    assert saved.activities[0].status is d.ActivityStatus.GJENNOMFORES
    assert "PLAN-MISSING" not in rules_shown(view)
    assert view.activities.columns[d.ActivityStatus.GJENNOMFORES].proxy.rowCount() == 1


def _case_with_activity(state: AppState, status: d.ActivityStatus) -> tuple[d.Case, d.Activity]:
    for case in state.case_list():
        for a in case.activities:
            if a.status is status:
                return case, a
    raise AssertionError(status)


@pytest.mark.filterwarnings("ignore:Function.*QDrag(Enter|Move)Event:DeprecationWarning")
def test_drag_a_card_to_another_column_saves_its_status(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """A drop on the Fullført column (a real QDropEvent on its viewport) saves FULLFORT."""
    case, activity = _case_with_activity(state, d.ActivityStatus.GJENNOMFORES)
    view.show_case(case.ref, "aktivitetsplan")
    source = view.activities.columns[d.ActivityStatus.GJENNOMFORES]
    target = view.activities.columns[d.ActivityStatus.FULLFORT]
    row = next(r for r in range(source.proxy.rowCount()) if source.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).id == activity.id)
    mime = source.proxy.mimeData([source.proxy.index(row, 0)])
    assert isinstance(mime, QMimeData)
    viewport = target.view.viewport()
    pos = QPointF(viewport.width() / 2, viewport.height() - 5)
    # What QDrag delivers to the column under the mouse: enter, move, drop. (Qt 6 has no QPointF
    # constructor for the enter/move events yet; PySide flags the QPoint one as deprecated.)
    for cls in (QDragEnterEvent, QDragMoveEvent):
        QApplication.sendEvent(viewport, cls(pos.toPoint(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                                             Qt.KeyboardModifier.NoModifier))
    drop = QDropEvent(pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: next(a for a in stored(state, case.ref).activities if a.id == activity.id).status
                    is d.ActivityStatus.FULLFORT, timeout=2000)
    qtbot.waitUntil(lambda: any(target.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).id == activity.id
                                for r in range(target.proxy.rowCount())), timeout=2000)
    assert "Fullført (" in target.heading.text()


def test_status_change_from_the_card_menu(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """«Flytt til → Avbrutt» in a card's menu saves the status and moves the card."""
    case, activity = _case_with_activity(state, d.ActivityStatus.PLANLAGT)
    view.show_case(case.ref, "aktivitetsplan")
    view.activities.select(activity.id)
    menu = view.activities.card_menu()
    move = next(a for a in menu.actions() if a.menu() is not None).menu()
    labels = {a.text(): a for a in move.actions()}
    assert not labels["Planlagt"].isEnabled()  # where it already is
    labels["Avbrutt"].trigger()
    assert next(a for a in stored(state, case.ref).activities if a.id == activity.id).status is d.ActivityStatus.AVBRUTT
    menu.deleteLater()


def test_activity_edited_in_place_in_the_table(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """F2 on the status cell opens a combo; choosing Fullført and Enter saves it."""
    case, activity = _case_with_activity(state, d.ActivityStatus.PLANLAGT)
    view.show_case(case.ref, "aktivitetsplan")
    tab = view.activities
    qtbot.mouseClick(tab.table_button, Qt.MouseButton.LeftButton)
    assert tab.stack.currentIndex() == 1
    source_row = tab.model.row_of(activity.id)
    index = tab.proxy.mapFromSource(tab.model.index(source_row, COL_STATUS))
    tab.table.setFocus()
    tab.table.setCurrentIndex(index)
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    editor = tab.table.findChild(QComboBox)
    assert editor is not None and editor.accessibleName() == "Status"
    editor.setCurrentIndex(editor.findData("FULLFORT"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: next(a for a in stored(state, case.ref).activities if a.id == activity.id).status
                    is d.ActivityStatus.FULLFORT, timeout=2000)
    assert tab.model.item(tab.model.row_of(activity.id)).status is d.ActivityStatus.FULLFORT


def _edit_cell(qtbot, tab, activity_id: str, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """F2 on a table cell, replace its text by typing, Enter — as the advisor does."""
    index = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(activity_id), column))
    tab.table.setFocus()
    tab.table.setCurrentIndex(index)
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.parent() is tab.table.viewport()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_invalid_in_place_edits_say_why_and_write_nothing(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """A date that is not a date, or an emptied title, typed into the table: the tab says why
    in bokmål under the table, the cell keeps its value and the case is not written. A valid
    edit then saves and takes the message away."""
    from navoppfolging.ui.tab_activities import COL_END, COL_TITLE

    case, activity = _case_with_activity(state, d.ActivityStatus.PLANLAGT)
    view.show_case(case.ref, "aktivitetsplan")
    tab = view.activities
    qtbot.mouseClick(tab.table_button, Qt.MouseButton.LeftButton)
    version = stored(state, case.ref).version
    assert not tab.edit_error.isVisibleTo(tab)

    _edit_cell(qtbot, tab, activity.id, COL_END, "31.02.2024")
    qtbot.waitUntil(lambda: tab.edit_error.isVisibleTo(tab), timeout=2000)
    assert tab.edit_error.text() == ("Til-datoen «31.02.2024» er ikke en dato. Skriv datoen som dd.mm.åååå. "
                                     "Endringen ble ikke lagret.")
    _edit_cell(qtbot, tab, activity.id, COL_TITLE, "")
    qtbot.waitUntil(lambda: tab.edit_error.text().startswith("Aktiviteten må ha en tittel."), timeout=2000)
    assert stored(state, case.ref).version == version
    assert next(a for a in stored(state, case.ref).activities if a.id == activity.id) == activity
    assert tab.model.item(tab.model.row_of(activity.id)).title == activity.title

    _edit_cell(qtbot, tab, activity.id, COL_TITLE, "Ny tittel på aktiviteten")
    qtbot.waitUntil(lambda: next(a for a in stored(state, case.ref).activities if a.id == activity.id).title
                    == "Ny tittel på aktiviteten", timeout=2000)
    assert not tab.edit_error.isVisibleTo(tab)


def test_expired_activity_item_jumps_to_the_card(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """ACTIVITY-EXPIRED's «Vis aktiviteten» opens Aktivitetsplan with that card selected;
    «Marker som fullført» satisfies the item."""
    ref = ref_with(state, "ACTIVITY-EXPIRED")
    item = next(i for i in state.evaluation().items_for(ref) if i.rule == "ACTIVITY-EXPIRED")
    view.show_case(ref, "oppfolging")
    row = view.followup.model.row_of(item.key)
    view.followup.table.select_row(view.followup.proxy.mapFromSource(view.followup.model.index(row, 0)).row())
    assert view.followup.detail.item == item
    qtbot.mouseClick(view.followup.detail.buttons["show_activity"], Qt.MouseButton.LeftButton)
    assert view.current_tab() == "aktivitetsplan"
    assert view.activities.current().id == item.activity
    view.show_tab("oppfolging")
    view.followup.table.select_row(view.followup.proxy.mapFromSource(view.followup.model.index(view.followup.model.row_of(item.key), 0)).row())
    qtbot.mouseClick(view.followup.detail.buttons["complete_activity"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: item.key not in [view.followup.model.item(r).key for r in range(view.followup.model.rowCount())],
                    timeout=2000)


def test_record_offer_removes_ug_offer(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """«Registrer tilbud» with a date: UG-OFFER-8W is satisfied and gone."""
    ref = ref_with(state, "UG-OFFER-8W")
    view.show_case(ref, "oppfolging")
    assert view.followup.select_rule("UG-OFFER-8W")
    monkeypatch.setattr(OfferDialog, "ask", classmethod(lambda cls, parent, *, today: today - dt.timedelta(days=1)))
    qtbot.mouseClick(view.followup.detail.buttons["record_offer"], Qt.MouseButton.LeftButton)
    assert stored(state, ref).follow_up_offered_on == TODAY - dt.timedelta(days=1)
    assert "UG-OFFER-8W" not in rules_shown(view)


def test_record_exception_is_shown_with_the_item_that_stays(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """«Ikke oppnådd kontakt» is shown under CONTACT-30D and in the list; the item stays."""
    ref = ref_with(state, "CONTACT-30D")
    view.show_case(ref, "oppfolging")
    assert view.followup.select_rule("CONTACT-30D")
    asked: dict[str, object] = {}

    def fake(cls, parent, *, today, kind, about):  # type: ignore[no-untyped-def]
        asked.update(kind=kind, about=about)
        return ExceptionInput(date=today, kind=d.ExceptionKind.IKKE_OPPNADD_KONTAKT, note="Ringt 03.06 kl. 10 og 14")

    monkeypatch.setattr(ExceptionDialog, "ask", classmethod(fake))
    qtbot.mouseClick(view.followup.detail.buttons["record_exception"], Qt.MouseButton.LeftButton)
    assert asked["kind"] is d.ExceptionKind.IKKE_OPPNADD_KONTAKT
    assert any(e.note == "Ringt 03.06 kl. 10 og 14" for e in stored(state, ref).exceptions)
    assert "CONTACT-30D" in rules_shown(view)
    assert view.followup.detail.item.rule == "CONTACT-30D"
    assert any(e.note == "Ringt 03.06 kl. 10 og 14" for e in view.followup.detail.item.exceptions)
    assert "Ringt 03.06 kl. 10 og 14" in view.followup.detail.exceptions.text()
    assert view.followup.detail.exceptions.isVisibleTo(view.followup)
    notes = [view.followup.exceptions_model.item(r).note for r in range(view.followup.exceptions_model.rowCount())]
    assert "Ringt 03.06 kl. 10 og 14" in notes


def test_register_assessment_from_the_item(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """LONGTERM-REASSESS-6M's «Registrer vurdering» through the real dialog: the new
    assessment and hovedmål are saved and the item is satisfied."""
    ref = ref_with(state, "LONGTERM-REASSESS-6M")
    view.show_case(ref, "oppfolging")
    assert view.followup.select_rule("LONGTERM-REASSESS-6M")
    before = len(stored(state, ref).assessments)

    def fill(dialog: QWidget) -> None:
        dialog.hovedmal_combo.setCurrentIndex(dialog.hovedmal_combo.findData("OKE_DELTAKELSE"))  # type: ignore[attr-defined]
        dialog.ok_button.click()  # type: ignore[attr-defined]

    on_next_dialog(qtbot, fill)
    qtbot.mouseClick(view.followup.detail.buttons["register_assessment"], Qt.MouseButton.LeftButton)
    saved = stored(state, ref)
    assert len(saved.assessments) == before + 1 and saved.assessments[-1].date == TODAY
    assert saved.hovedmal is d.Hovedmal.OKE_DELTAKELSE
    assert "LONGTERM-REASSESS-6M" not in rules_shown(view)
    assert view.assessments.model.rowCount() == before + 1


def test_reminders_add_done_delete(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ref = state.case_list()[0].ref
    view.show_case(ref, "huskelapp")
    from navoppfolging.ui.reminder_dialog import ReminderDialog

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ReminderDialog)
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.text_edit, "Ring OT om skoleplass")
        dialog.ok_button.click()

    on_next_dialog(qtbot, fill)
    qtbot.mouseClick(view.reminders.add_button, Qt.MouseButton.LeftButton)
    reminder = next(h for h in stored(state, ref).reminders if h.text == "Ring OT om skoleplass")
    assert not reminder.done
    row = view.reminders.model.row_of(reminder.id)
    view.reminders.table.select_row(view.reminders.proxy.mapFromSource(view.reminders.model.index(row, 0)).row())
    qtbot.mouseClick(view.reminders.done_button, Qt.MouseButton.LeftButton)
    assert next(h for h in stored(state, ref).reminders if h.id == reminder.id).done
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    row = view.reminders.model.row_of(reminder.id)
    view.reminders.table.select_row(view.reminders.proxy.mapFromSource(view.reminders.model.index(row, 0)).row())
    qtbot.keyClick(view.reminders.table, Qt.Key.Key_Delete)
    assert all(h.id != reminder.id for h in stored(state, ref).reminders)


def test_overview_saves_changed_fields_and_external_contact(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Typing in Oversikt enables «Lagre endringer»; the save writes what was changed, and an
    external contact added meanwhile does not drop the other unsaved edit."""
    case = state.case_list()[1]
    view.show_case(case.ref, "oversikt")
    ov = view.overview
    assert not ov.save_button.isEnabled()
    ov.email_edit.clear()
    qtbot.keyClicks(ov.email_edit, "ung@eksempel.no")
    ov.flag_boxes[d.Flag.KVP].setChecked(True)
    assert ov.save_button.isEnabled()
    from navoppfolging.ui.external_contact_dialog import ExternalContactDialog

    monkeypatch.setattr(ExternalContactDialog, "ask", classmethod(
        lambda cls, parent, *, initial=None: d.ExternalContact(role="OT", name="Line Rådgiver", phone="+47 900 11 222")))
    qtbot.mouseClick(ov.external_add, Qt.MouseButton.LeftButton)
    assert ov.email_edit.text() == "ung@eksempel.no"  # the refresh kept the edit
    qtbot.mouseClick(ov.save_button, Qt.MouseButton.LeftButton)
    saved = stored(state, case.ref)
    assert saved.email == "ung@eksempel.no"
    assert d.Flag.KVP in saved.flags
    assert saved.external_contacts[-1].name == "Line Rådgiver"
    assert saved.name == case.name and saved.goal == case.goal
    assert not ov.save_button.isEnabled()


def test_too_long_goal_disables_save_and_writes_nothing(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    case = state.case_list()[0]
    view.show_case(case.ref, "oversikt")
    ov = view.overview
    ov.goal_edit.setPlainText("x" * 501)
    assert not ov.save_button.isEnabled()
    assert ov.bindings["goal"].error_label.isVisibleTo(ov)
    assert "500" in ov.bindings["goal"].error_label.text()
    assert ov.save() is False
    assert stored(state, case.ref).goal == case.goal
    ov.goal_edit.setPlainText("Bli tømrer")
    assert ov.save_button.isEnabled()


def test_bad_fnr_disables_save_and_writes_nothing(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    case = next(c for c in state.case_list() if c.fnr is None)
    view.show_case(case.ref, "oversikt")
    ov = view.overview
    assert not ov.fnr_edit.isReadOnly()  # nothing stored: the field takes a number directly
    qtbot.keyClicks(ov.fnr_edit, "12345678901")
    assert not ov.save_button.isEnabled()
    assert "fødselsnummer" in ov.bindings["fnr"].error_label.text().lower()
    qtbot.mouseClick(ov.save_button, Qt.MouseButton.LeftButton)
    assert ov.save() is False
    assert stored(state, case.ref).fnr is None


def test_fnr_masked_until_vis_and_again_after_changing_case(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    with_fnr = [c for c in state.case_list() if c.fnr]
    case, other = with_fnr[0], with_fnr[1]
    view.show_case(case.ref, "oversikt")
    ov = view.overview
    assert ov.fnr_edit.text() == d.mask_fnr(case.fnr)
    assert case.fnr not in ov.fnr_edit.text() and ov.fnr_edit.isReadOnly()
    qtbot.mouseClick(ov.fnr_button, Qt.MouseButton.LeftButton)
    assert ov.fnr_edit.text() == case.fnr and ov.fnr_button.text() == "Skjul"
    assert not ov.save_button.isEnabled()  # showing is not a change
    view.show_case(other.ref)
    assert ov.fnr_edit.text() == d.mask_fnr(other.fnr) and ov.fnr_button.text() == "Vis"
    view.show_case(case.ref)
    assert ov.fnr_edit.text() == d.mask_fnr(case.fnr)


def test_stale_save_asks_to_reload(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Somebody saves the case elsewhere; our save is refused with «last inn på nytt»,
    nothing of ours is written, and after reloading the edit can be saved."""
    case = state.case_list()[2]
    view.show_case(case.ref, "oversikt")
    other = CaseService(state.db)
    other.save(dataclasses.replace(other.get(case.ref), language="en"))
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_reload", lambda parent, text: asked.append(text) or True)
    ov = view.overview
    ov.phone_edit.clear()
    qtbot.keyClicks(ov.phone_edit, "+47 912 34 567")
    qtbot.mouseClick(ov.save_button, Qt.MouseButton.LeftButton)
    assert asked and "endret" in asked[0]
    assert stored(state, case.ref).phone == case.phone
    # Reloaded: the other save is shown, our edit is kept and now saves on the new version.
    assert ov.phone_edit.text() == "+47 912 34 567"
    assert ov._read_language() == "en"
    qtbot.mouseClick(ov.save_button, Qt.MouseButton.LeftButton)
    saved = stored(state, case.ref)
    assert saved.phone == "+47 912 34 567" and saved.language == "en"


def test_stale_contact_registration_asks_to_reload(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    case = state.case_list()[3]
    view.show_case(case.ref, "kontakter")
    other = CaseService(state.db)
    other.save(dataclasses.replace(other.get(case.ref), language="en"))
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_reload", lambda parent, text: asked.append(text) or False)
    monkeypatch.setattr(ContactDialog, "ask", classmethod(lambda cls, parent, **kw: ContactDialog(**kw).value()))
    view.register_contact()
    assert asked
    assert len(stored(state, case.ref).contacts) == len(case.contacts)


def test_new_for_me_badge_and_mark_opened(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.handover import HandoverService

    case = state.case_list()[4]
    state.advisors.save(d.Advisor(ident=d.AdvisorIdent("Z990003"), name="Ola Veileder"))
    HandoverService(state.db).hand_over([case.ref], to="Z990003", expected_versions={case.ref: case.version})
    state.reload()
    assert state.is_new_for_me(case.ref)
    view.show_case(case.ref)
    assert "Ny for deg" in view.header.tag_texts
    assert not state.is_new_for_me(case.ref)
    assert case.ref not in CaseService(state.db).new_for_advisor()


def test_back_button_and_escape_close(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    view.show_case(state.case_list()[0].ref, "kontakter")
    with qtbot.waitSignal(view.closed, timeout=1000):
        qtbot.mouseClick(view.header.back_button, Qt.MouseButton.LeftButton)
    view.contacts.table.setFocus()
    with qtbot.waitSignal(view.closed, timeout=1000):
        qtbot.keyClick(view.contacts.table, Qt.Key.Key_Escape)


def test_changing_case_offers_to_save_edits(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Never lose an entry: opening another case with unsaved Oversikt edits asks to save."""
    first, second = state.case_list()[5], state.case_list()[6]
    view.show_case(first.ref, "oversikt")
    view.overview.goal_edit.setPlainText("Bli kokk")
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_save", lambda parent, title, text: asked.append(title) or "save")
    assert view.show_case(second.ref)
    assert asked == ["Lagre endringene?"]
    assert stored(state, first.ref).goal == "Bli kokk"
    assert view.overview.goal_edit.toPlainText() == (second.goal or "")


def test_keyboard_tab_order_and_accessible_names(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    view.show_case(state.case_list()[0].ref, "kontakter")
    for widget in (view.contacts.table, view.activities.table, view.followup.table, view.reminders.table,
                   view.assessments.table, view.overview.external_table, view.overview.goal_edit,
                   view.overview.fnr_edit, view.tabs):
        assert widget.accessibleName(), widget
    assert view.contacts.register_button.nextInFocusChain() is view.contacts.plan_button
    # In Oversikt Tab follows the reading order: «Mitt mål» on top, then Navn …
    view.show_tab("oversikt")
    view.activateWindow()
    qtbot.waitActive(view)
    ov = view.overview
    ov.goal_edit.setFocus()
    qtbot.keyClick(ov.goal_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ov.name_edit
    ov.sick_start.setFocus()
    qtbot.keyClick(ov.sick_start, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ov.external_table
    for column in view.activities.columns.values():
        assert column.view.accessibleName().startswith("Aktiviteter med status")



def test_enter_on_a_follow_up_does_its_main_action(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Keyboard only: select UG-OFFER-8W and press Enter → «Registrer tilbud»."""
    ref = ref_with(state, "UG-OFFER-8W")
    view.show_case(ref, "oppfolging")
    assert view.followup.select_rule("UG-OFFER-8W")
    asked: list[dt.date] = []
    monkeypatch.setattr(OfferDialog, "ask", classmethod(lambda cls, parent, *, today: asked.append(today) or None))
    view.followup.table.setFocus()
    qtbot.keyClick(view.followup.table, Qt.Key.Key_Return)
    assert asked == [TODAY]
    assert stored(state, ref).follow_up_offered_on is None  # cancelled: nothing written


def test_assessment_edit_with_enter_and_delete_with_del(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    case = next(c for c in state.case_list() if c.assessments)
    view.show_case(case.ref, "vurderinger")
    table = view.assessments.table
    table.select_row(0)
    table.setFocus()

    def change_note(dialog: QWidget) -> None:
        dialog.note_edit.setPlainText("Rettet dato og notat")  # type: ignore[attr-defined]
        dialog.ok_button.click()  # type: ignore[attr-defined]

    on_next_dialog(qtbot, change_note)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert stored(state, case.ref).assessments[-1].note == "Rettet dato og notat"
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    table.select_row(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(stored(state, case.ref).assessments) == len(case.assessments) - 1


def test_exception_edited_with_enter(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    case = next(c for c in state.case_list() if c.exceptions)
    view.show_case(case.ref, "oppfolging")
    table = view.followup.exceptions_table
    table.select_row(0)
    table.setFocus()
    seen: dict[str, object] = {}

    def fake(cls, parent, *, today, initial, **kw):  # type: ignore[no-untyped-def]
        seen["initial"] = initial
        return ExceptionInput(date=initial.date, kind=d.ExceptionKind.ANNET, note=initial.note + "; møtte ikke 03.06")

    monkeypatch.setattr(ExceptionDialog, "ask", classmethod(fake))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert seen["initial"] == case.exceptions[0]
    saved = stored(state, case.ref).exceptions[0]
    assert saved.kind is d.ExceptionKind.ANNET and saved.note.endswith("møtte ikke 03.06") and saved.id == case.exceptions[0].id


def test_caveats_and_source_are_shown_with_the_item(view: CaseView, state: AppState) -> None:
    """«Ikke et krav i brevet» on practice rules, «Lokal innstilling» where a local number is
    used, and the quoted sentence with letter and section on every item."""
    practice = next(i for i in state.evaluation().items if not i.letter_rule)
    view.show_case(practice.case, "oppfolging")
    assert view.followup.select_rule(practice.rule)
    detail = view.followup.detail
    assert detail.letter_tag.isVisibleTo(detail) and not detail.local_tag.isVisibleTo(detail)
    # The source says it is practice once, not «Praksis (ikke regel i brevet) … (praksis, ikke brevets krav)».
    source = detail.quote.text()
    assert source.count("ikke regel i brevet") == 1 and source.lower().count("praksis") == 1
    assert "brevets krav" not in source
    local = next(i for i in state.evaluation().items if i.local_setting)
    view.show_case(local.case, "oppfolging")
    assert view.followup.select_rule(local.rule)
    assert detail.local_tag.isVisibleTo(detail)
    assert detail.local_tag.text().startswith("Lokal innstilling") and detail.local_tag.text().count("Lokal") == 1
    assert detail.item is not None
    assert detail.item.source.quote in detail.quote.text() and detail.item.source.letter in detail.quote.text()
    assert detail.explanation.text() == detail.item.explanation
    assert detail.satisfied.text() == detail.item.satisfied_by


def test_heading_names_the_ruleset_in_force_and_the_newest_letter(view: CaseView, state: AppState) -> None:
    """rules.md: the ruleset is chosen by as_of, and the UI says which letter is the newest we
    have («siste kjente brev: 2024») — also when an earlier letter is in force."""
    ref = state.evaluation().items[0].case
    state.set_as_of(dt.date(2023, 6, 1))
    view.show_case(ref, "oppfolging")
    heading = view.followup.heading.text()
    assert "etter MDB-2023" in heading
    assert "siste kjente brev: 2024" in heading
    state.set_as_of(dt.date(2024, 6, 1))
    view.show_case(ref, "oppfolging")
    assert "etter MDB-2024" in view.followup.heading.text()
    assert "siste kjente brev: 2024" in view.followup.heading.text()


def test_leaving_with_edits_can_be_cancelled_or_discarded(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """«Avbryt» keeps the advisor on the case with the edits (on Oversikt); «Ikke lagre» leaves
    and writes nothing; invalid fields can only be discarded, or the advisor stays."""
    first, second = state.case_list()[5], state.case_list()[6]
    view.show_case(first.ref, "kontakter")
    view.overview.goal_edit.setPlainText("Bli snekker")
    answers = iter(["cancel", "discard"])
    monkeypatch.setattr(messages, "ask_save", lambda *a: next(answers))
    assert not view.show_case(second.ref)
    assert view.current_ref == first.ref and view.current_tab() == "oversikt"
    assert view.overview.goal_edit.toPlainText() == "Bli snekker"
    with qtbot.waitSignal(view.closed, timeout=1000):
        view.close_case()
    assert stored(state, first.ref).goal == first.goal
    assert not view.overview.is_dirty()

    view.show_case(second.ref, "oversikt")
    view.overview.goal_edit.setPlainText("x" * 501)  # over «Mitt mål»'s 500 characters
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, **k: asked.append(title) or False)
    with qtbot.assertNotEmitted(view.closed):
        view.close_case()
    assert asked == ["Endringene kan ikke lagres"] and view.overview.is_dirty()
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    with qtbot.waitSignal(view.closed, timeout=1000):
        view.close_case()
    assert stored(state, second.ref).goal == second.goal


def test_keyboard_shortcuts_of_the_tabs(qtbot, view: CaseView, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+S saves Oversikt; Ins adds in the shown tab only (activity, assessment, meeting,
    reminder) — the hidden tabs' buttons do not fire."""
    ref = state.case_list()[2].ref
    view.show_case(ref, "oversikt")
    view.activateWindow()
    qtbot.waitActive(view)
    view.overview.goal_edit.setFocus()
    view.overview.goal_edit.setPlainText("Førerkort klasse B")
    qtbot.keyClick(view.overview.goal_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # A button's shortcut clicks it the way animateClick does: released a moment later.
    qtbot.waitUntil(lambda: stored(state, ref).goal == "Førerkort klasse B", timeout=2000)
    opened: list[str] = []
    for tab, button in (("aktivitetsplan", view.activities.add_button), ("vurderinger", view.assessments.add_button),
                        ("kontakter", view.contacts.plan_button), ("huskelapp", view.reminders.add_button)):
        button.clicked.disconnect()  # the dialogs would block: record which button fired instead
        button.clicked.connect(lambda _checked=False, tab=tab: opened.append(tab))
    for tab in ("aktivitetsplan", "vurderinger", "kontakter", "huskelapp"):
        view.show_tab(tab)
        qtbot.keyClick(view.tabs.currentWidget(), Qt.Key.Key_Insert)
        qtbot.waitUntil(lambda tab=tab: opened[-1:] == [tab], timeout=2000)
    qtbot.wait(300)
    assert len(opened) == 4  # one click per key press: the hidden tabs' buttons did not fire
    assert "(Ins)" in view.activities.add_button.toolTip()


def test_the_follow_up_detail_fits_a_narrow_pane(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """The why/source/what-satisfies texts wrap to the pane and the action buttons wrap onto more
    lines: nothing is cut off or hidden behind a sideways scroll bar."""
    ref = ref_with(state, "ACTIVITY-EXPIRED")
    view.show_case(ref, "oppfolging")
    view.resize(900, 900)
    tab = view.followup
    tab.splitter.setSizes([430, 330])
    qtbot.wait(50)
    detail = tab.detail
    viewport = detail.parentWidget()
    assert detail.width() <= viewport.width()
    assert len(detail.buttons) >= 3
    for button in detail.buttons.values():
        right = button.mapTo(detail, button.rect().topRight()).x()
        assert button.isVisible() and right <= detail.width(), button.text()
    rows = {button.mapTo(detail, button.rect().topLeft()).y() for button in detail.buttons.values()}
    assert len(rows) > 1  # wrapped onto more than one line


def test_contacts_summary_agrees_in_number(view: CaseView, state: AppState) -> None:
    """«3 gjennomførte, 2 planlagte framover» (it said «3 gjennomført»); the singular after 1."""
    case = state.case_list()[0]

    def contact(n: int, status: d.ContactStatus, days: int) -> d.Contact:
        return d.Contact(id=d.ItemId(f"k{n}"), date=TODAY + dt.timedelta(days=days), channel=d.Channel.OPPMOTE,
                         status=status)

    held = [contact(n, d.ContactStatus.GJENNOMFORT, -n - 1) for n in range(3)]
    planned = [contact(n + 10, d.ContactStatus.PLANLAGT, n + 1) for n in range(2)]
    view.contacts.set_case(dataclasses.replace(case, contacts=tuple(held + planned)))
    assert view.contacts.summary_label.text() == "3 gjennomførte, 2 planlagte framover."
    view.contacts.set_case(dataclasses.replace(case, contacts=(held[0], planned[0])))
    assert view.contacts.summary_label.text() == "1 gjennomført, 1 planlagt framover."
    view.contacts.set_case(dataclasses.replace(case, contacts=()))
    assert view.contacts.summary_label.text() == "0 gjennomførte, 0 planlagte framover."


def test_languages_by_name_from_one_list(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """The header says «Trenger tolk (ukrainsk)» (it said «(uk)»); Oversikt lists the languages
    by name (it said «Norsk (bokmål) (nb)») from the same list as «Ny sak» (the two differed);
    a name typed in any case is stored as its code, another language as typed; an earlier
    version's «fa-AF» shows as Dari without counting as an edit."""
    from navoppfolging.ui.case_dialogs import NewCaseDialog

    case = state.case_list()[0]
    other = CaseService(state.db)
    other.save(dataclasses.replace(other.get(case.ref), language="uk", needs_interpreter=True))
    state.reload()
    view.show_case(case.ref, "oversikt")
    assert "Trenger tolk (ukrainsk)" in view.header.facts_label.text()
    assert "(uk)" not in view.header.facts_label.text()
    ov = view.overview
    combo = ov.language_combo
    items = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
    assert items == list(d.LANGUAGE_LABELS.items())
    assert combo.currentText() == "Ukrainsk" and not ov.is_dirty()
    new_case = NewCaseDialog(state)
    qtbot.addWidget(new_case)
    nc = new_case.language_combo
    assert [(nc.itemData(i), nc.itemText(i)) for i in range(nc.count())] == items
    assert {"Dari", "Persisk (farsi)", "Fransk"} <= {text for _code, text in items}

    other.save(dataclasses.replace(other.get(case.ref), language="fa-AF"))
    state.reload()
    assert combo.currentText() == "Dari" and not ov.is_dirty()
    assert "Trenger tolk (dari)" in view.header.facts_label.text()

    combo.setCurrentText("engelsk")
    assert ov._read_language() == "en"
    combo.setCurrentText("Tamil")
    assert ov._read_language() == "Tamil"


def test_empty_tables_say_so(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """An empty Huskelapp table and an empty «Eksterne kontakter» say «Ingen huskelapper ennå» /
    «Ingen eksterne kontakter registrert» (they were blank white boxes); the line goes as soon as
    there is a row, and comes back when the last one goes."""
    case = dataclasses.replace(state.case_list()[0], reminders=(), external_contacts=(), contacts=(), assessments=())
    view.show_case(case.ref, "huskelapp")
    tables = {"reminders": (view.reminders, view.reminders.table, "Ingen huskelapper ennå"),
              "contacts": (view.contacts, view.contacts.table, "Ingen kontakter eller møter registrert ennå"),
              "assessments": (view.assessments, view.assessments.table, "Ingen vurderinger registrert ennå"),
              "external": (view.overview, view.overview.external_table, "Ingen eksterne kontakter registrert")}
    for tab, table, text in tables.values():
        tab.set_case(case)
        assert table.model().rowCount() == 0
        assert table.empty_label.text() == text and table.empty_label.isVisibleTo(table)
    reminders = view.reminders.table
    assert reminders.empty_label.isVisible()  # the shown tab: really on screen, inside the table
    assert reminders.viewport().rect().contains(reminders.empty_label.geometry())
    full = dataclasses.replace(case, reminders=(d.Reminder(id=d.ItemId("h1"), date=TODAY, text="Ring OT"),),
                               external_contacts=(d.ExternalContact(role="Lærer", name="Per Lærer"),))
    view.reminders.set_case(full)
    view.overview.set_case(full, new_case=True)
    assert not reminders.empty_label.isVisibleTo(reminders)
    assert not view.overview.external_table.empty_label.isVisibleTo(view.overview.external_table)
    view.reminders.set_case(case)
    assert reminders.empty_label.isVisibleTo(reminders)


def test_header_says_neste_mote_as_the_table_and_the_plan(view: CaseView, state: AppState) -> None:
    """«Neste møte», as the portfolio's column and the printed plan say (the header said
    «Neste treffpunkt»)."""
    view.show_case(state.case_list()[0].ref)
    text = view.header.meetings_label.text()
    assert "Neste møte: " in text and "treffpunkt" not in text.lower()


def test_no_assessment_is_said_the_same_way_everywhere(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """«Ikke vurdert» in the portfolio, «Innsatsgruppe: ikke vurdert» in the header and
    «Ikke vurdert» in «Ny sak» (they were «Ikke vurdert», «Innsatsgruppe ikke vurdert» and
    «Ikke vurdert ennå»)."""
    from navoppfolging.rules import evaluate
    from navoppfolging.ui.case_dialogs import NewCaseDialog
    from navoppfolging.ui.portfolio_model import Column, PortfolioModel, build_rows

    assert d.INNSATSGRUPPE_UNSET_LABEL == "Ikke vurdert"
    case = dataclasses.replace(state.case_list()[0], assessments=())
    model = PortfolioModel()
    model.set_rows(build_rows([case], evaluate([case], TODAY)))
    assert model.index(0, Column.INNSATSGRUPPE).data() == "Ikke vurdert"
    view.header.show_case(case, as_of=TODAY, items=(), is_new=False)
    assert "Innsatsgruppe: ikke vurdert" in view.header.facts_label.text()
    dialog = NewCaseDialog(state)
    qtbot.addWidget(dialog)
    assert dialog.group_combo.itemText(0) == "Ikke vurdert" and dialog.group_combo.itemData(0) is None


def test_character_counters_have_one_form(qtbot, view: CaseView, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """«34 av 500 tegn» in Oversikt as in «Ny sak» (Oversikt said «34 / 500 tegn»), both
    counting the goal as it is saved (without blanks at the ends)."""
    from navoppfolging.ui.case_dialogs import NewCaseDialog

    case = dataclasses.replace(state.case_list()[0], goal="Ta førerkort og få jobb som sjåfør")
    view.overview.set_case(case, new_case=True)
    assert view.overview.goal_count.text() == "34 av 500 tegn"
    dialog = NewCaseDialog(state)
    qtbot.addWidget(dialog)
    assert dialog.goal_count.text() == "0 av 500 tegn"
    dialog.goal_edit.setPlainText("  Ta førerkort og få jobb som sjåfør\n")
    assert dialog.goal_count.text() == "34 av 500 tegn"
