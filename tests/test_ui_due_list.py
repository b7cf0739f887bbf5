"""The due list: every item of the engine in its group, the holiday note beside a due date on a
holiday, and activating an item asks for the case on the tab where the follow-up is done."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from navoppfolging.rules import Status
from navoppfolging.ui.due_list import GROUPS, ITEM_ROLE, REF_ROLE, TAB_ROLE, DueListModel, DueListPanel, tab_for
from navoppfolging.ui.state import AppState
from tests.conftest import TODAY


@pytest.fixture
def state(demo_db):  # type: ignore[no-untyped-def]
    return AppState(demo_db, today=TODAY)


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    widget = DueListPanel(state)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_model_passes_qtmodeltester(qtmodeltester, panel) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(panel.model)


def test_groups_hold_every_item_by_status(panel, state) -> None:  # type: ignore[no-untyped-def]
    """Forfalt / Denne uken / Senere are the engine's overdue / due_soon / upcoming, all items."""
    items = state.evaluation().items
    model: DueListModel = panel.model
    for row, group in enumerate(GROUPS):
        parent = model.index(row, 0)
        expected = [i for i in items if i.status is group.status]
        assert model.rowCount(parent) == len(expected) > 0
        assert [model.index(r, 0, parent).data(ITEM_ROLE) for r in range(len(expected))] == expected
        assert parent.data() == f"{group.title} ({len(expected)})"
    first = model.index(0, 0, model.index(0, 0))
    item = first.data(ITEM_ROLE)
    assert first.data() == f"{item.due:%d.%m.%Y}"
    assert first.siblingAtColumn(1).data().startswith(item.case)
    assert state.case(item.case).name in first.siblingAtColumn(1).data()
    assert first.siblingAtColumn(2).data() == item.title
    assert f"{state.evaluation().count(Status.OVERDUE)} forfalt" in panel.summary.text()


def test_as_of_change_regroups(panel, state, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = panel.model.group_count(Status.OVERDUE)
    with qtbot.waitSignal(state.data_changed):
        state.set_as_of(TODAY + dt.timedelta(days=60))
    assert panel.model.group_count(Status.OVERDUE) > before
    assert "02.08.2024" in panel.summary.text()


def test_holiday_note_beside_a_due_date_on_17_mai(panel, state) -> None:  # type: ignore[no-untyped-def]
    first = state.evaluation().items[0]
    # DueItem may be a dataclass or a NamedTuple (the engine's fast path): replace either way.
    change = getattr(first, "_replace", None) or (lambda **kw: dataclasses.replace(first, **kw))
    item = change(due=dt.date(2024, 5, 17), status=Status.OVERDUE)
    panel.model.set_items([item], {item.case: "Test Testesen"})
    index = panel.model.index(0, 3, panel.model.index(0, 0))
    assert index.data() == "17. mai: senest 16. mai"
    assert not index.siblingAtColumn(0).data(Qt.ItemDataRole.DecorationRole).isNull()
    for column in range(4):
        tip = index.siblingAtColumn(column).data(Qt.ItemDataRole.ToolTipRole)
        assert "Fristen er 17. mai — planlegg senest 16. mai" in tip


def test_an_item_says_why_where_from_and_what_satisfies_it(panel, state) -> None:  # type: ignore[no-untyped-def]
    """product.md §4: for the whole portfolio, why (rule, letter, section, quoted sentence) and
    what satisfies it — in the due list's tooltip, for every item."""
    model = panel.model
    for g in range(len(GROUPS)):
        parent = model.index(g, 0)
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            item = index.data(ITEM_ROLE)
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            assert item.explanation in tip
            assert f"Kilde: {item.source.letter}" in tip and f"«{item.source.quote}»" in tip
            assert f"Oppfylles når: {item.satisfied_by}" in tip
            assert f"Regel {item.rule}" in tip


@pytest.mark.parametrize("rule,tab", [("ACTIVITY-EXPIRED", "aktivitetsplan"), ("CONTACT-30D", "kontakter"),
                                      ("PLAN-MISSING", "oppfolging"), ("UG-OFFER-8W", "oppfolging")])
def test_enter_on_an_item_asks_for_the_case_on_the_right_tab(panel, qtbot, rule, tab) -> None:  # type: ignore[no-untyped-def]
    model = panel.model
    found = None
    for g in range(len(GROUPS)):
        parent = model.index(g, 0)
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            if index.data(ITEM_ROLE).rule == rule:
                found = index
                break
        if found is not None:
            break
    assert found is not None, rule
    panel.view.expand(found.parent())
    panel.view.selectionModel().setCurrentIndex(found, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    panel.view.setFocus()
    with qtbot.waitSignal(panel.open_case_requested) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert blocker.args == [found.data(REF_ROLE), tab]
    assert found.data(TAB_ROLE) == tab == tab_for(found.data(ITEM_ROLE))


def test_enter_on_a_group_folds_it_and_the_choice_survives_a_refresh(panel, qtbot) -> None:  # type: ignore[no-untyped-def]
    later = panel.model.index(2, 0)
    assert not panel.view.isExpanded(later)
    panel.view.selectionModel().setCurrentIndex(later, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert panel.view.isExpanded(later)
    panel.refresh()
    assert panel.view.isExpanded(panel.model.index(2, 0))


def test_rows_keep_one_height_and_dates_line_up(qtbot, themed_app, state) -> None:  # type: ignore[no-untyped-def]
    """The rows are as tall at start-up as after a refresh (16 px, then 24 px: the list jumped),
    and a date without the note mark starts where a date with one does."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    widget = DueListPanel(state)
    qtbot.addWidget(widget)
    widget.resize(500, 600)
    widget.show()
    qtbot.waitExposed(widget)
    view = widget.view
    overdue = widget.model.index(0, 0)

    def row_heights() -> list[int]:
        return [view.visualRect(widget.model.index(row, 0, overdue)).height() for row in range(5)]

    at_start = row_heights()
    assert at_start[0] >= view.fontMetrics().height() + 8
    widget.refresh()
    qtbot.wait(10)
    assert row_heights() == at_start

    def text_left(row: int) -> int:
        index = widget.model.index(row, 0, overdue)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)  # as the view paints: font, decoration size …
        option.rect = view.visualRect(index)
        view.itemDelegate().initStyleOption(option, index)
        return view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view).left()

    rows = range(widget.model.group_count(Status.OVERDUE))
    with_note = [r for r in rows if widget.model.entries(Status.OVERDUE)[r].note is not None]
    without_note = [r for r in rows if widget.model.entries(Status.OVERDUE)[r].note is None]
    assert with_note and without_note
    assert text_left(with_note[0]) == text_left(without_note[0])
