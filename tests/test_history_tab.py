"""The «Historikk» tab and the passphrase dialog, through real signals (pytest-qt)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from navoppfolging import domain as d
from navoppfolging.services import AuditEntry, AuditService, CaseService
from navoppfolging.ui.history_tab import COLUMNS, HistoryModel, HistoryTab
from navoppfolging.ui.passphrase_dialog import PassphraseDialog
from tests.conftest import TODAY


def _entries() -> list[AuditEntry]:
    return [
        AuditEntry(at=dt.datetime(2024, 6, 3, 10, 15), actor="Z990001", case_ref="U-0001", entity="contact",
                   entity_key="k3", action="insert",
                   changes={"channel": (None, "VIDEO"), "date": (None, "2024-06-03"), "summary": (None, "Møte om CV")}),
        AuditEntry(at=dt.datetime(2024, 6, 1, 9, 0), actor="Z990002", case_ref="U-0001", entity="case",
                   entity_key="U-0001", action="update",
                   changes={"fnr": (None, "17050412345"), "needs_interpreter": (False, True)}),
    ]


def test_model_passes_qtmodeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HistoryModel()
    model.set_entries(_entries())
    qtmodeltester.check(model)
    model.set_entries([])
    qtmodeltester.check(model)


def test_rows_are_labelled_in_bokmal_and_mask_the_fnr(qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = HistoryTab()
    qtbot.addWidget(tab)
    assert tab.empty_label.isVisibleTo(tab)
    tab.set_entries(_entries())
    assert not tab.empty_label.isVisibleTo(tab)
    proxy = tab.proxy
    assert [proxy.headerData(i, Qt.Orientation.Horizontal) for i in range(proxy.columnCount())] == list(COLUMNS)
    assert proxy.rowCount() == 5  # one row per changed field
    rows = [[proxy.index(r, c).data() for c in range(6)] for r in range(proxy.rowCount())]
    # Newest first.
    assert rows[0][0].startswith("03.06.2024 10:15")
    assert ["03.06.2024 10:15", "Z990001", "Kontakt 03.06.2024, video (lagt til)", "Kanal", "", "Video"] in rows
    assert ["03.06.2024 10:15", "Z990001", "Kontakt 03.06.2024, video (lagt til)", "Dato", "", "03.06.2024"] in rows
    assert ["01.06.2024 09:00", "Z990002", "Sak (endret)", "Behov for tolk", "Nei", "Ja"] in rows
    fnr_row = next(r for r in rows if r[3] == "Fødselsnummer")
    assert "12345" not in fnr_row[5] and fnr_row[5].startswith("170504")


def _activity_entries() -> list[AuditEntry]:
    """An activity added, then moved on, then deleted; newest first as the service gives them."""
    at = dt.datetime(2024, 6, 3, 9, 0)
    return [
        AuditEntry(at=at + dt.timedelta(hours=2), actor="Z990001", case_ref="U-0001", entity="activity",
                   entity_key="a3", action="delete",
                   changes={"ext_id": ("a3", None), "title": ("Jobbsøkerkurs", None), "status": ("GJENNOMFORES", None)}),
        AuditEntry(at=at + dt.timedelta(hours=1), actor="Z990001", case_ref="U-0001", entity="activity",
                   entity_key="a3", action="update", changes={"status": ("PLANLAGT", "GJENNOMFORES")}),
        AuditEntry(at=at, actor="Z990001", case_ref="U-0001", entity="activity", entity_key="a3", action="insert",
                   changes={"ext_id": (None, "a3"), "title": (None, "Jobbsøkerkurs"), "category": (None, "TILTAK"),
                            "start": (None, "2024-06-10")}),
        AuditEntry(at=at, actor="Z990001", case_ref="U-0001", entity="reminder", entity_key="h2", action="insert",
                   changes={"ext_id": (None, "h2"), "date": (None, "2024-06-12"), "text": (None, "Ring OT")}),
        AuditEntry(at=at, actor="Z990001", case_ref="U-0001", entity="contact", entity_key="k4", action="update",
                   changes={"time": ("09:30:00", "10:00:00")}),
        AuditEntry(at=at - dt.timedelta(days=1), actor="Z990001", case_ref="U-0001", entity="contact",
                   entity_key="k4", action="insert",
                   changes={"ext_id": (None, "k4"), "date": (None, "2024-06-12"), "channel": (None, "OPPMOTE")}),
        AuditEntry(at=at - dt.timedelta(days=2), actor="z990003", case_ref="U-0001", entity="case",
                   entity_key="U-0001", action="handover", changes={"advisor": ("Z990003", "Z990001")}),
        AuditEntry(at=at - dt.timedelta(days=2), actor="Z990002", case_ref="U-0001", entity="case",
                   entity_key="U-0001", action="update", changes={"fnr": ("17050412345", "17050412346")}),
    ]


def test_items_by_what_the_advisor_knows_not_by_internal_ids(qtbot) -> None:  # type: ignore[no-untyped-def]
    """An activity is named by its title in every row (also the status change, which does not
    carry the title), a contact by date and channel, a reminder by its date; no «Id» field and
    no internal id anywhere; a hand-over is «overført»; times without seconds; fnr masked."""
    tab = HistoryTab()
    qtbot.addWidget(tab)
    tab.set_entries(_activity_entries())
    rows = [[tab.proxy.index(r, c).data() for c in range(6)] for r in range(tab.proxy.rowCount())]
    what = {r[2] for r in rows}
    assert {"Aktivitet «Jobbsøkerkurs» (slettet)", "Aktivitet «Jobbsøkerkurs» (endret)",
            "Aktivitet «Jobbsøkerkurs» (lagt til)", "Huskelapp 12.06.2024 (lagt til)",
            "Kontakt 12.06.2024, oppmøte (endret)", "Sak (overført)"} <= what
    assert [r[3:] for r in rows if r[2] == "Aktivitet «Jobbsøkerkurs» (endret)"] == [["Status", "Planlagt", "Gjennomføres"]]
    assert ["Klokkeslett", "09:30", "10:00"] in [r[3:] for r in rows]
    assert ["Veileder", "Z990003", "Z990001"] in [r[3:] for r in rows]
    cells = [str(c) for r in rows for c in r]
    assert "Id" not in cells
    for internal in ("a3", "h2", "k4"):
        assert not any(internal in c.split() or f" {internal} " in f" {c} " for c in cells), internal
    fnr_row = next(r for r in rows if r[3] == "Fødselsnummer")
    assert "12345" not in fnr_row[4] and "12346" not in fnr_row[5] and fnr_row[5].startswith("170504")


def test_filter_and_sort_through_the_widgets(qtbot) -> None:  # type: ignore[no-untyped-def]
    tab = HistoryTab()
    qtbot.addWidget(tab)
    tab.set_entries(_entries())
    qtbot.keyClicks(tab.filter_edit, "z990002")
    assert tab.proxy.rowCount() == 2
    assert {tab.proxy.index(r, 1).data() for r in range(2)} == {"Z990002"}
    tab.filter_edit.clear()
    assert tab.proxy.rowCount() == 5
    # Click the «Tidspunkt» header: oldest first.
    tab.resize(900, 400)
    tab.show()
    qtbot.waitExposed(tab)
    header = tab.view.horizontalHeader()
    assert tab.proxy.index(0, 0).data().startswith("03.06.2024")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2))
    assert tab.proxy.index(0, 0).data().startswith("01.06.2024")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(3) + 5, header.height() // 2))
    assert {tab.proxy.index(0, 3).data(), tab.proxy.index(4, 3).data()} == {"Behov for tolk", "Referat"}


def test_history_of_a_real_case_after_a_change(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    service = CaseService(demo_db)
    case = service.list()[0]
    service.add_contact(case.ref, expected_version=case.version, date=TODAY, channel=d.Channel.TELEFON,
                        status=d.ContactStatus.GJENNOMFORT, summary="Ringte om praksisplass")
    service.save(dataclasses.replace(service.get(case.ref), goal="Nytt mål"))
    tab = HistoryTab()
    qtbot.addWidget(tab)
    tab.set_entries(AuditService(demo_db).history(case.ref))
    texts = {tab.proxy.index(r, c).data() for r in range(tab.proxy.rowCount()) for c in range(6)}
    assert "Telefon" in texts and "Ringte om praksisplass" in texts
    assert "Mitt mål" in texts and "Nytt mål" in texts
    assert "Z990001" in texts


def test_history_of_a_real_activity_and_advisor(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    """Through the services: the activity's title (not «a…»), the advisor's NAV-ident (not the
    database's row id) and no «Id» rows."""
    service = CaseService(demo_db)
    case = service.list()[0]
    activity = d.Activity(id=d.ItemId(""), title="Søknad om læreplass hos testfirma", category=d.ActivityCategory.TILTAK,
                          status=d.ActivityStatus.PLANLAGT)
    case = service.add_activity(case.ref, expected_version=case.version, activity=activity)
    added = next(a for a in case.activities if a.title == "Søknad om læreplass hos testfirma")
    service.replace_item(case.ref, expected_version=case.version,
                         item=dataclasses.replace(added, status=d.ActivityStatus.GJENNOMFORES))
    tab = HistoryTab()
    qtbot.addWidget(tab)
    tab.set_entries(AuditService(demo_db).history(case.ref))
    rows = [[tab.proxy.index(r, c).data() for c in range(6)] for r in range(tab.proxy.rowCount())]
    assert ["Status", "Planlagt", "Gjennomføres"] in [r[3:] for r in rows if r[2] == "Aktivitet «Søknad om læreplass hos testfirma» (endret)"]
    assert not any(added.id in str(c).split() for r in rows for c in r)
    assert "Id" not in {r[3] for r in rows}
    assert [r[5] for r in rows if r[2] == "Sak (lagt til)" and r[3] == "Veileder"] == [case.advisor]


@pytest.mark.parametrize("first_time", [True, False])
def test_passphrase_dialog_validates_inline(qtbot, first_time: bool) -> None:  # type: ignore[no-untyped-def]
    dlg = PassphraseDialog(first_time=first_time)
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dlg.error.text() == ""
    assert "nøkkelring" in dlg.explanation.text()
    qtbot.keyClicks(dlg.passphrase, "kort")
    if first_time:
        assert not ok.isEnabled() and "minst 12 tegn" in dlg.error.text()
        qtbot.keyClicks(dlg.passphrase, " men nå langt nok")
        assert not ok.isEnabled() and "ikke like" in dlg.error.text()
        qtbot.keyClicks(dlg.repeat, "kort men nå langt nok")
        assert dlg.repeat.isVisibleTo(dlg)
    else:
        assert not dlg.repeat.isVisibleTo(dlg)
        qtbot.keyClicks(dlg.passphrase, " men nå langt nok")
    assert ok.isEnabled() and dlg.error.text() == ""
    with qtbot.waitSignal(dlg.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dlg.value() == "kort men nå langt nok"


def test_passphrase_dialog_ask_and_open(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The start-up wiring: Database.open asks through the provider when no keyring is secure."""
    import keyring
    from keyring.backends import fail

    from navoppfolging.db import Database

    keyring.set_keyring(fail.Keyring())
    calls: list[bool] = []

    def fake_ask(cls, parent, *, first_time: bool) -> str:  # type: ignore[no-untyped-def]
        calls.append(first_time)
        return "et langt nok passord"

    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(fake_ask))
    db = Database.open(passphrase_provider=lambda first: PassphraseDialog.ask(None, first_time=first))
    assert db.encrypted
    db.close()
    assert calls == [True]


def test_passphrase_dialog_ask_returns_none_on_cancel(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    def cancel() -> None:
        from PySide6.QtWidgets import QApplication

        for w in QApplication.topLevelWidgets():
            if isinstance(w, PassphraseDialog) and w.isVisible():
                w.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(50, cancel)
    assert PassphraseDialog.ask(None, first_time=False) is None


def test_language_shown_by_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Før/Etter «Norsk (bokmål)» → «Ukrainsk», not «nb» → «uk»."""
    tab = HistoryTab()
    qtbot.addWidget(tab)
    tab.set_entries([AuditEntry(at=dt.datetime(2024, 6, 1, 9, 0), actor="Z990001", case_ref="U-0001", entity="case",
                                entity_key="U-0001", action="update", changes={"language": ("nb", "uk")})])
    row = [tab.proxy.index(0, c).data() for c in range(6)]
    assert row[3:] == ["Språk", "Norsk (bokmål)", "Ukrainsk"]


def test_who_by_name_with_the_ident(qtbot) -> None:  # type: ignore[no-untyped-def]
    """«Hvem» says «Kari Veileder (Z990001)», not «Z990001» — also for the lower-case login a
    team database records; a hand-over names both advisors; an unknown ident stays as it is."""
    tab = HistoryTab()
    qtbot.addWidget(tab)
    tab.set_entries(_activity_entries(), {"Z990001": "Kari Veileder", "Z990003": "Ola Kollega"})
    rows = [[tab.proxy.index(r, c).data() for c in range(6)] for r in range(tab.proxy.rowCount())]
    actors = {r[1] for r in rows}
    assert {"Kari Veileder (Z990001)", "Ola Kollega (Z990003)", "Z990002"} == actors
    assert ["Veileder", "Ola Kollega (Z990003)", "Kari Veileder (Z990001)"] in [r[3:] for r in rows]
    qtbot.keyClicks(tab.filter_edit, "kari")
    assert tab.proxy.rowCount() > 0


def test_case_view_gives_the_history_the_advisors_names(qtbot, demo_db) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.ui.case_view import CaseView
    from navoppfolging.ui.state import AppState

    state = AppState(demo_db, today=TODAY)
    view = CaseView(state)
    qtbot.addWidget(view)
    ref = state.case_list()[0].ref
    view.show_case(ref, "historikk")
    me = state.advisor("Z990001")
    assert me is not None and view.history.proxy.rowCount() > 0
    actors = {view.history.proxy.index(r, 1).data() for r in range(view.history.proxy.rowCount())}
    assert f"{me.name} (Z990001)" in actors and "Z990001" not in actors
