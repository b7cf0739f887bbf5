"""Every model of the case view passes Qt's model tester with real demo data, the proxies sort
dates as dates, the board proxies split the plan by status, and the activity model turns
edits and drops into change requests without writing anything itself."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt

from navoppfolging import domain as d
from navoppfolging.demo import generate
from navoppfolging.rules import evaluate
from navoppfolging.ui.tab_activities import (
    COL_END,
    COL_START,
    COL_STATUS,
    COL_TITLE,
    ActivitiesModel,
    ActivityStatusProxyModel,
)
from navoppfolging.ui.tab_assessments import AssessmentsModel
from navoppfolging.ui.tab_common import ItemRole, ItemSortProxyModel, SortRole, parse_date, sort_value
from navoppfolging.ui.tab_contacts import ContactsModel
from navoppfolging.ui.tab_followup import DueItemsModel, ExceptionsModel, days_text
from navoppfolging.ui.tab_overview import ExternalContactsModel
from navoppfolging.ui.tab_reminders import RemindersModel
from tests.conftest import TODAY

PORTFOLIO = generate(TODAY)


def _all(attr: str) -> list:  # type: ignore[type-arg]
    return [x for c in PORTFOLIO.cases for x in getattr(c, attr)]


def _activities(n: int = 50) -> list[d.Activity]:
    """A plan of ``n`` activities with unique ids (the demo's, renumbered)."""
    source = _all("activities")
    return [dataclasses.replace(source[i % len(source)], id=d.ItemId(f"a{i + 1}")) for i in range(n)]


def _contacts() -> list[d.Contact]:
    return [dataclasses.replace(k, id=d.ItemId(f"k{i + 1}")) for i, k in enumerate(_all("contacts")[:40])]


def test_every_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    contacts = ContactsModel()
    contacts.as_of = TODAY
    contacts.set_items(_contacts())
    activities = ActivitiesModel()
    activities.set_items(_activities())
    due = DueItemsModel()
    due.set_items(evaluate(PORTFOLIO.cases, TODAY).items)
    exceptions = ExceptionsModel()
    exceptions.set_items([e for e in _all("exceptions")][:1])
    assessments = AssessmentsModel()
    assessments.set_items(list(enumerate(_all("assessments")[:10])))
    assessments.current_position = 3
    reminders = RemindersModel()
    reminders.set_items([r for r in _all("reminders")][:1])
    external = ExternalContactsModel()
    external.set_items(_all("external_contacts")[:1])
    for model in (contacts, activities, due, exceptions, assessments, reminders, external):
        assert model.rowCount() > 0, type(model).__name__
        qtmodeltester.check(model)
        proxy = ItemSortProxyModel()
        proxy.setSourceModel(model)
        proxy.sort(0, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(proxy)
    for status in d.ActivityStatus:
        column = ActivityStatusProxyModel(status)
        column.setSourceModel(activities)
        column.sort(0)
        qtmodeltester.check(column)


def test_empty_models_pass_too(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for model in (ContactsModel(), ActivitiesModel(), DueItemsModel(), ExceptionsModel(), AssessmentsModel(),
                  RemindersModel(), ExternalContactsModel()):
        qtmodeltester.check(model)


def test_dates_sort_as_dates_not_as_text() -> None:
    """31.01 sorts before 01.02 (as text it would not), newest first when descending."""
    model = ContactsModel()
    model.set_items([
        d.Contact(id=d.ItemId("k1"), date=dt.date(2024, 2, 1), channel=d.Channel.VIDEO, status=d.ContactStatus.GJENNOMFORT),
        d.Contact(id=d.ItemId("k2"), date=dt.date(2024, 1, 31), channel=d.Channel.VIDEO, status=d.ContactStatus.GJENNOMFORT),
        d.Contact(id=d.ItemId("k3"), date=dt.date(2023, 12, 31), channel=d.Channel.VIDEO, status=d.ContactStatus.GJENNOMFORT,
                  time=dt.time(9, 0)),
        d.Contact(id=d.ItemId("k4"), date=dt.date(2023, 12, 31), channel=d.Channel.VIDEO, status=d.ContactStatus.GJENNOMFORT,
                  time=dt.time(14, 30)),
    ])
    proxy = ItemSortProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data(ItemRole).id for r in range(4)] == ["k1", "k2", "k4", "k3"]
    assert isinstance(model.index(0, 0).data(SortRole), str)
    assert sort_value((True, 9, "b")) < sort_value((True, 10, "a"))


def test_planned_future_contacts_are_highlighted() -> None:
    model = ContactsModel()
    model.as_of = TODAY
    model.set_items([
        d.Contact(id=d.ItemId("k1"), date=TODAY + dt.timedelta(days=3), channel=d.Channel.OPPMOTE, status=d.ContactStatus.PLANLAGT),
        d.Contact(id=d.ItemId("k2"), date=TODAY - dt.timedelta(days=3), channel=d.Channel.OPPMOTE, status=d.ContactStatus.PLANLAGT),
        d.Contact(id=d.ItemId("k3"), date=TODAY - dt.timedelta(days=9), channel=d.Channel.OPPMOTE, status=d.ContactStatus.GJENNOMFORT),
    ])
    bg = [model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) for r in range(3)]
    assert bg[0] is not None and bg[1] is not None and bg[0] != bg[1] and bg[2] is None
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert "utfall ikke registrert" in model.index(1, 3).data()
    assert model.index(0, 0).data() == (TODAY + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    assert model.index(0, 4).data() == ""
    model.needs_interpreter = True  # a coming meeting without a booked interpreter says so
    assert model.index(0, 4).data() == "Nei, må bestilles" and model.index(1, 4).data() == ""


def test_board_columns_split_the_plan_by_status() -> None:
    model = ActivitiesModel()
    plan = _activities(50)
    model.set_items(plan)
    counts = {}
    for status in d.ActivityStatus:
        column = ActivityStatusProxyModel(status)
        column.setSourceModel(model)
        counts[status] = column.rowCount()
        assert all(column.index(r, 0).data(ItemRole).status is status for r in range(column.rowCount()))
    assert sum(counts.values()) == 50
    assert counts == {s: sum(1 for a in plan if a.status is s) for s in d.ActivityStatus}


def test_edits_and_drops_become_change_requests(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = ActivitiesModel()
    plan = _activities(6)
    model.set_items(plan)
    asked: list[d.Activity] = []
    refused: list[str] = []
    model.change_requested.connect(asked.append)
    model.edit_rejected.connect(refused.append)
    assert model.flags(model.index(0, COL_TITLE)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(0, COL_TITLE), "Ny tittel")
    assert asked[-1].title == "Ny tittel" and asked[-1].id == plan[0].id and refused == []
    n = len(asked)
    # Refused, each with the reason in bokmål (as the dialog says it), and no change requested.
    assert not model.setData(model.index(0, COL_TITLE), "x" * 101)
    assert refused[-1] == "Tittelen kan ha høyst 100 tegn (nå 101). Endringen ble ikke lagret."
    assert not model.setData(model.index(0, COL_TITLE), "   ")
    assert refused[-1] == "Aktiviteten må ha en tittel. Endringen ble ikke lagret."
    assert not model.setData(model.index(0, COL_END), "31.02.2024")
    assert refused[-1] == ("Til-datoen «31.02.2024» er ikke en dato. Skriv datoen som dd.mm.åååå. "
                           "Endringen ble ikke lagret.")
    assert not model.setData(model.index(0, COL_START), "1.1")
    assert refused[-1].startswith("Fra-datoen «1.1» er ikke en dato.")
    start = plan[0].start
    assert start is not None
    before = f"{start - dt.timedelta(days=1):%d.%m.%Y}"
    assert not model.setData(model.index(0, COL_END), before)
    assert refused[-1] == f"Til-datoen ({before}) er før fra-datoen ({start:%d.%m.%Y}). Endringen ble ikke lagret."
    assert len(asked) == n and len(refused) == 5
    assert model.setData(model.index(0, COL_END), "")  # clears the date
    assert asked[-1].end is None
    other = next(st for st in d.ActivityStatus if st is not plan[0].status)
    assert model.setData(model.index(0, COL_STATUS), other.value)
    assert asked[-1].status is other
    assert not model.setData(model.index(0, COL_STATUS), plan[0].status.value)  # no change, no request
    assert model.item(0) == plan[0]  # the model itself is unchanged until the case comes back
    # A drop on a column asks for that column's status (after the drag has finished).
    target = next(s for s in d.ActivityStatus if s is not plan[1].status)
    column = ActivityStatusProxyModel(target)
    column.setSourceModel(model)
    mime = model.mimeData([model.index(1, 0)])
    assert column.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    n = len(asked)
    assert column.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    qtbot.waitUntil(lambda: len(asked) == n + 1, timeout=1000)
    assert asked[-1].id == plan[1].id and asked[-1].status is target


def test_set_items_keeps_rows_when_only_values_change(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A write that changes one value updates in place (selections and editors survive)."""
    model = ActivitiesModel()
    plan = _activities(3)
    model.set_items(plan)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_items([dataclasses.replace(plan[0], title="Endret"), *plan[1:]])
    with qtbot.waitSignal(model.modelReset):
        model.set_items(plan[:2])


@pytest.mark.parametrize("text,expected", [("03.06.2024", dt.date(2024, 6, 3)), ("3.6.2024", dt.date(2024, 6, 3)),
                                           ("2024-06-03", dt.date(2024, 6, 3))])
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "03.06.24", "32.01.2024", "abc", "03-06-2024", "2024-W23-1"])
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(("days", "expected"), [
    (0, "frist i dag"), (1, "om 1 dag"), (2, "om 2 dager"), (60, "om 60 dager"),  # days up to 60
    (61, "om 2 måneder"), (76, "om 2 måneder"), (77, "om 3 måneder"),  # then the nearest month
    (350, "om 11 måneder"), (365, "om 1 år"), (396, "om 1 år og 1 måned"), (730, "om 2 år"),
    (4184, "om 11 år og 5 måneder"),  # it said «om 4184 dager»
    (-1, "1 dag over fristen"), (-60, "60 dager over fristen"), (-61, "2 måneder over fristen"),
    (-800, "2 år og 2 måneder over fristen"),
])
def test_days_text_in_days_then_months_and_years(days: int, expected: str) -> None:
    assert days_text(TODAY + dt.timedelta(days=days), TODAY) == expected
