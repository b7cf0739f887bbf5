"""«Slett avsluttede saker» driven as the advisor drives it (pytest-qt): the dialog lists the
closed cases past the retention period (the model passes qtmodeltester), another period is
previewed without being saved, «Slett» asks first and deletes exactly the listed cases in the
background; declining deletes nothing. The window points such cases out in the status bar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings, Qt

from navoppfolging.retention import DEFAULT_DAYS, RetentionService
from navoppfolging.services import CaseService
from navoppfolging.ui import messages
from navoppfolging.ui.main_window import MainWindow
from navoppfolging.ui.retention_dialog import RetentionDialog
from navoppfolging.ui.state import AppState
from tests.conftest import TODAY
from tests.test_retention import _close


@pytest.fixture
def state(demo_db) -> AppState:  # type: ignore[no-untyped-def]
    for ref in (c.ref for c in CaseService(demo_db).list() if c.closed_on is not None):
        _close(demo_db, ref, TODAY)  # the demo's own closed cases: recently, not due for deletion
    refs = [c.ref for c in CaseService(demo_db).list()][:2]
    _close(demo_db, refs[0], TODAY - dt.timedelta(days=DEFAULT_DAYS))       # due (on the cutoff day)
    _close(demo_db, refs[1], TODAY - dt.timedelta(days=DEFAULT_DAYS - 1))   # one day short of it
    return AppState(demo_db, today=TODAY)


def test_the_dialog_lists_the_cases_past_the_period(qtbot, qtmodeltester, state: AppState) -> None:  # type: ignore[no-untyped-def]
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    due = state.case_list(include_closed=True)[0]
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 0).data() == due.ref and dialog.model.index(0, 1).data() == due.name
    assert dialog.delete_button.text() == "Slett 1 sak" and dialog.delete_button.isEnabled()
    dialog.days_spin.setValue(DEFAULT_DAYS - 1)
    assert dialog.model.rowCount() == 2 and dialog.delete_button.text() == "Slett 2 saker"
    dialog.days_spin.setValue(3650)
    assert dialog.model.rowCount() == 0 and not dialog.delete_button.isEnabled()
    assert "Ingen saker" in dialog.summary.text()
    assert RetentionService(state.db).days() == DEFAULT_DAYS  # previewing saves nothing


def test_the_intro_says_what_the_log_keeps(qtbot, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """«… logges med bare referanse, datoer og antall rader – ingen personopplysninger.» (It said
    «uten personopplysninger (referanse, datoer og antall rader)», which read as the list of
    what is left out.)"""
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    assert dialog.intro.text().endswith(
        "Slettingen logges med bare referanse, datoer og antall rader – ingen personopplysninger.")


def test_declining_deletes_nothing(qtbot, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert len(CaseService(state.db).list()) == 50


def test_delete_removes_exactly_the_listed_cases_and_saves_the_period(qtbot, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    dialog.days_spin.setValue(DEFAULT_DAYS - 1)
    listed = {c.ref for c in dialog.model.candidates()}
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, **k: asked.append(text) or True)
    with qtbot.waitSignal(dialog.deleted, timeout=10_000) as deleted:
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "2 avsluttede saker" in asked[0] and "kan ikke angres" in asked[0]
    assert {c.ref for c in deleted.args[0].deleted} == listed
    remaining = {c.ref for c in CaseService(state.db).list()}
    assert len(remaining) == 48 and not (listed & remaining)
    assert not (listed & {c.ref for c in state.case_list(include_closed=True)})  # the window's cache too
    assert RetentionService(state.db).days() == DEFAULT_DAYS - 1
    assert {r.case_ref for r in RetentionService(state.db).deletion_log()} == listed
    assert dialog.model.rowCount() == 0


def test_the_window_points_out_cases_past_the_period(qtbot, state: AppState, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(state, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert "Slett avsluttede saker…" in [a.text() for a in window.menu_tools.actions()]
    state.database_ready.emit()  # as after the first paint, when the full database has opened
    assert window.statusBar().currentMessage().startswith("1 avsluttet sak har passert oppbevaringstiden")


def test_the_period_counts_from_today_not_the_moved_window_date(qtbot, state: AppState) -> None:  # type: ignore[no-untyped-def]
    """«Vis frister per» may be moved into the future; retention must still count from today, or
    it would delete cases before their time."""
    state.set_as_of(TODAY + dt.timedelta(days=700))
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1 and dialog.cutoff() == TODAY - dt.timedelta(days=DEFAULT_DAYS)


def test_only_the_confirmed_cases_are_deleted(qtbot, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A case that comes due after the list was shown (closed elsewhere meanwhile) is not deleted
    without being shown; it is listed afterwards."""
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    shown = {c.ref for c in dialog.model.candidates()}
    late = next(c.ref for c in CaseService(state.db).list() if c.closed_on is None)
    _close(state.db, late, TODAY - dt.timedelta(days=DEFAULT_DAYS + 5))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    with qtbot.waitSignal(dialog.deleted, timeout=10_000) as deleted:
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert {c.ref for c in deleted.args[0].deleted} == shown
    assert CaseService(state.db).get(late).closed_on is not None  # still there
    assert [c.ref for c in dialog.model.candidates()] == [late]


def test_a_stored_period_is_shown_as_it_is_and_not_saved_again(qtbot, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    RetentionService(state.db).set_days(4000)
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    assert dialog.days_spin.value() == 4000 and dialog.model.rowCount() == 0
    dialog.days_spin.setValue(DEFAULT_DAYS)
    dialog.days_spin.setValue(4000)
    assert RetentionService(state.db).days() == 4000


def test_no_safety_copy_keeps_what_retention_deletes(qtbot, state: AppState, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog = RetentionDialog(state)
    qtbot.addWidget(dialog)
    backups = state.db.backups_dir
    before = set(backups.iterdir()) if backups is not None and backups.exists() else set()
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    with qtbot.waitSignal(dialog.deleted, timeout=10_000):
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    after = set(backups.iterdir()) if backups is not None and backups.exists() else set()
    assert after == before
