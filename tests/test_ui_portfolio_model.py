"""The portfolio model and its proxy: every chip counts exactly what the rule engine says,
the proxy shows exactly the rows a chip counts, dates sort as dates, search finds name and ref."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from navoppfolging.rules import Status, evaluate
from navoppfolging.rules import facts
from navoppfolging.ui import theme
from navoppfolging.ui.portfolio_model import (
    FILTER_KEYS,
    FILTERS_ROLE,
    REF_ROLE,
    SORT_ROLE,
    STATUS_ROLE,
    Column,
    PortfolioModel,
    PortfolioProxyModel,
    build_rows,
)
from tests.conftest import TODAY


def engine_refs(cases, as_of: dt.date) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """What each chip must contain, computed straight from the engine and the facts."""
    ev = evaluate(cases, as_of)
    open_cases = [c for c in cases if facts.is_open(c, as_of)]
    items = ev.items
    refs: dict[str, set[str]] = {
        "all": {c.ref for c in open_cases},
        "overdue": {i.case for i in items if i.status is Status.OVERDUE},
        "due_soon": {i.case for i in items if i.status is Status.DUE_SOON},
        "no_contact_30": {i.case for i in items if i.rule == "CONTACT-30D" and i.status is Status.OVERDUE},
        "plan_missing": {i.case for i in items if i.rule == "PLAN-MISSING"},
        "ug": {c.ref for c in open_cases if facts.in_ug_target_group(c, as_of)},
        "activity_expired": {i.case for i in items if i.rule == "ACTIVITY-EXPIRED" and i.status is Status.OVERDUE},
        "reminder": {c.ref for c in open_cases if any(not r.done and r.date <= as_of for r in c.reminders)},
    }
    for flag in ("LANDGRUPPE-3", "UKRAINA", "KVP", "IPS", "AMS"):
        refs[f"flag:{flag}"] = {f.case for f in ev.flags if f.flag == flag}
    return refs


@pytest.fixture
def cases(demo_portfolio):  # type: ignore[no-untyped-def]
    return demo_portfolio.cases


@pytest.fixture
def proxy(qtbot, cases):  # type: ignore[no-untyped-def]
    model = PortfolioModel()
    model.set_rows(build_rows(cases, evaluate(cases, TODAY), new_for_me={"U-0002"}))
    proxy = PortfolioProxyModel()
    proxy.setSourceModel(model)
    return proxy


def test_models_pass_qtmodeltester(qtmodeltester, proxy) -> None:  # type: ignore[no-untyped-def]
    """Both the table model and the proxy keep Qt's model contract."""
    qtmodeltester.check(proxy.sourceModel())
    qtmodeltester.check(proxy)


@pytest.mark.parametrize("as_of", [TODAY, TODAY + dt.timedelta(days=21), dt.date(2023, 11, 1)])
def test_every_chip_counts_and_shows_what_the_engine_says(proxy, cases, as_of) -> None:  # type: ignore[no-untyped-def]
    """For each chip, the count and the rows the proxy lets through are the engine's set of cases."""
    model = proxy.sourceModel()
    model.set_rows(build_rows(cases, evaluate(cases, as_of)))
    expected = engine_refs(cases, as_of)
    counts = model.counts()
    assert set(counts) == set(FILTER_KEYS)
    assert counts["all"] == len(expected["all"]) > 0
    for key in FILTER_KEYS:
        proxy.set_filter_key(key)
        shown = {proxy.data(proxy.index(r, 0), REF_ROLE) for r in range(proxy.rowCount())}
        assert counts[key] == len(expected[key]), key
        assert shown == expected[key], key
    # The demo portfolio exercises the interesting chips (a count of 0 proves little).
    assert all(counts[k] > 0 for k in ("overdue", "due_soon", "plan_missing", "ug", "activity_expired"))


def test_dates_sort_as_dates_with_missing_last(proxy) -> None:  # type: ignore[no-untyped-def]
    """«Siste møte» sorts by the date, not the dd.mm.yyyy text; rows without a meeting come last."""
    proxy.sort(Column.LAST_MEETING, Qt.SortOrder.AscendingOrder)
    model = proxy.sourceModel()
    dates = [model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).last_meeting for r in range(proxy.rowCount())]
    present = [d for d in dates if d is not None]
    assert present == sorted(present)
    assert dates[len(present):] == [None] * (len(dates) - len(present))
    # Text order would differ: 01.02.2024 sorts before 31.12.2023 as text.
    texts = [proxy.index(r, Column.LAST_MEETING).data() for r in range(len(present))]
    assert texts != sorted(texts)


def test_search_on_name_and_ref_combines_with_the_chip(proxy) -> None:  # type: ignore[no-untyped-def]
    model = proxy.sourceModel()
    target = model.row_at(0)
    proxy.set_search_text(target.ref.lower())
    assert [proxy.data(proxy.index(r, 0), REF_ROLE) for r in range(proxy.rowCount())] == [target.ref]
    last_name = target.name.split()[-1].upper()
    proxy.set_search_text(last_name)
    shown = [model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())]
    assert target in shown and all(last_name.casefold() in r.name.casefold() for r in shown)
    proxy.set_filter_key("ug")
    assert all("ug" in proxy.index(r, 0).data(FILTERS_ROLE) for r in range(proxy.rowCount()))
    proxy.set_search_text("ingen-slik-person")
    assert proxy.rowCount() == 0


def test_ug_header_names_the_innsatsgrupper_as_the_cells_do(proxy) -> None:  # type: ignore[no-untyped-def]
    """The UG column's tooltip names the target group's innsatsgrupper by the same labels as the
    «Innsatsgruppe» cells (domain.INNSATSGRUPPE_LABELS), not the letters' «situasjonsbestemt»."""
    from navoppfolging import domain as d

    tip = proxy.sourceModel().headerData(Column.UG, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    sit = d.INNSATSGRUPPE_LABELS[d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS]
    spes = d.INNSATSGRUPPE_LABELS[d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS]
    assert f"«{sit}» eller «{spes}»" in tip
    assert "situasjonsbestemt" not in tip.lower() and "spesielt tilpasset" not in tip.lower()


def test_cells_show_nav_words_status_colours_and_new_marker(proxy) -> None:  # type: ignore[no-untyped-def]
    model = proxy.sourceModel()
    new_row = model.row_of("U-0002")
    assert "ny for deg" in model.index(new_row, Column.NAME).data()
    assert model.index(new_row, Column.NAME).data(Qt.ItemDataRole.FontRole).bold()
    for row in range(model.rowCount()):
        r = model.row_at(row)
        due = model.index(row, Column.NEXT_DUE)
        if r.next_due is None:
            assert due.data() == "–"
            continue
        assert due.data().startswith(f"{r.next_due.due:%d.%m.%Y}")
        assert due.data(STATUS_ROLE) == r.next_due.status.value
        assert due.data(Qt.ItemDataRole.BackgroundRole) == theme.status_colors(r.next_due.status.value)[0]
        assert due.data(SORT_ROLE) == r.next_due.due.toordinal()
    labels = {model.index(row, Column.INNSATSGRUPPE).data() for row in range(model.rowCount())}
    assert "Trenger veiledning" in labels and "Gode muligheter" in labels
    flags = " ".join(model.index(row, Column.FLAGS).data() for row in range(model.rowCount()))
    assert "Ukraina" in flags
