"""«Teamoversikt» and «Overfør saker» (pytest-qt): models pass qtmodeltester, the bar turns red
over 50, sorting keeps the team row last, exports are written through the buttons, and the
hand-over dialog shows the over-50 warning before it lets the user confirm."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from navoppfolging.demo import generate
from navoppfolging.handover import HandoverPreview
from navoppfolging.rules.facts import in_ug_target_group
from navoppfolging.ui.handover_dialog import HandoverDialog
from navoppfolging.ui.workload_view import (
    SORT_ROLE,
    UG_COLUMN,
    WorkloadDialog,
    WorkloadProxyModel,
    WorkloadTableModel,
)
from navoppfolging.workload import Workload, compute_workload
from tests.conftest import TODAY
from tests.team_data import A, B, team_portfolio


def _over_cap_workload(as_of: dt.date) -> Workload:
    base = team_portfolio(as_of)
    many = generate(as_of, n=200, advisor=A)
    ug = tuple(c for c in many.cases if in_ug_target_group(c, as_of))[:52]
    rest = tuple(c for c in base.cases if c.advisor == B)
    return compute_workload(dataclasses.replace(base, cases=ug + rest), as_of, advisors=[A, B])


def test_models_pass_qtmodeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = WorkloadTableModel()
    model.set_workload(_over_cap_workload(TODAY))
    qtmodeltester.check(model)
    proxy = WorkloadProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)


def test_sorting_keeps_team_row_last(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = WorkloadDialog(_over_cap_workload, as_of=TODAY)
    qtbot.addWidget(dialog)
    proxy = dialog.proxy
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        dialog.table.sortByColumn(UG_COLUMN, order)
        last = proxy.rowCount() - 1
        assert proxy.index(last, 0).data() == "Teamet"
        values = [proxy.index(r, UG_COLUMN).data(SORT_ROLE) for r in range(last)]
        assert values == sorted(values, reverse=order == Qt.SortOrder.DescendingOrder)


def test_bar_is_red_over_the_cap(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The painted bar of the advisor with 52 UG cases contains the danger colour; 25 does not."""
    from navoppfolging.ui import theme

    dialog = WorkloadDialog(_over_cap_workload, as_of=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.table.viewport().grab().toImage()
    danger = theme.DANGER.lower()

    def row_has(row: int, color: str) -> bool:
        source_row = next(r for r in range(dialog.proxy.rowCount()) if dialog.proxy.index(r, 0).data() == row)
        rect = dialog.table.visualRect(dialog.proxy.index(source_row, UG_COLUMN))
        return any(image.pixelColor(x, rect.center().y()).name() == color for x in range(rect.left(), rect.right()))

    assert row_has(A, danger)  # type: ignore[arg-type]
    assert not row_has(B, danger)  # type: ignore[arg-type]
    assert dialog.model.index(0, UG_COLUMN).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_as_of_change_reloads_and_deadlines_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    asked: list[dt.date] = []

    def load(as_of: dt.date) -> Workload:
        asked.append(as_of)
        return compute_workload(team_portfolio(TODAY), as_of, advisors=[A, B])

    dialog = WorkloadDialog(load, as_of=TODAY)
    qtbot.addWidget(dialog)
    assert "Saksgjennomgang i kvalitetssystemet: unge under 30 år — frist 31.10.2024, 150 dager igjen" in dialog.summary.text()
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(1))
    assert asked == [TODAY, TODAY + dt.timedelta(days=1)]
    assert "149 dager igjen" in dialog.summary.text()


def test_buttons_speak_bokmal(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = WorkloadDialog(_over_cap_workload, as_of=TODAY)
    qtbot.addWidget(dialog)
    texts = {b.text() for b in dialog.findChildren(QDialogButtonBox)[0].buttons()}
    assert texts == {"Lukk", "Eksporter til Excel…", "Eksporter til PDF…"}


def test_export_buttons_write_files(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    dialog = WorkloadDialog(_over_cap_workload, as_of=TODAY)
    qtbot.addWidget(dialog)
    targets = iter([tmp_path / "t.xlsx", tmp_path / "t.pdf"])
    monkeypatch.setattr(WorkloadDialog, "ask_save_path", classmethod(lambda cls, *a: next(targets)))
    # Written off the UI thread: the buttons are off meanwhile, ``exported`` says when done.
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as first:
        qtbot.mouseClick(dialog.excel_button, Qt.MouseButton.LeftButton)
        assert not dialog.excel_button.isEnabled() and not dialog.pdf_button.isEnabled()
    assert first.args == [tmp_path / "t.xlsx"] and dialog.pdf_button.isEnabled()
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "t.xlsx").stat().st_size > 0
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")


def _preview(ident: str) -> HandoverPreview:
    return HandoverPreview(receiver=ident, cases=3, ug_moving=3, receiver_ug_before=49 if ident == B else 10, cap=50)


def test_handover_dialog_warns_before_confirming(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = HandoverDialog(receivers=[("Z990004", "Nina"), (B, "Ola")], preview=_preview, case_count=3)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.isEnabled() and not dialog.warning.isVisible()
    # The receiver by name (it said «Z990004 har 10 av 50 saker …»).
    assert dialog.info.text() == "Nina har 10 av 50 saker i ungdomsgarantien; etter overføringen 13."
    dialog.receiver_box.setCurrentIndex(1)  # Ola: 49 + 3 = 52 > 50
    assert dialog.warning.isVisible() and "52" in dialog.warning.text() and "PORTFOLIO-CAP-50" in dialog.warning.text()
    # Room for the wrapped lines and the warning shown after opening (it was cut off).
    assert dialog.width() >= 560 and dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width())
    assert dialog.warning.text().startswith("Ola får 52 saker") and B not in dialog.warning.text()
    assert not dialog.ok_button.isEnabled()
    dialog.override.click()  # the real clicked/toggled signals
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "Overfør likevel"
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.receiver == B


def test_handover_dialog_speaks_of_one_case_in_the_singular(qtbot) -> None:  # type: ignore[no-untyped-def]
    """One case: «Overfør sak», «… ser den» (it said «Overfør saker», «… ser dem»)."""
    one = HandoverDialog(receivers=[(B, "Ola")], preview=_preview, case_count=1)
    qtbot.addWidget(one)
    assert one.windowTitle() == "Overfør sak"
    assert one.intro.text().startswith("1 sak overføres. Mottakeren ser den merket «ny for deg»")
    three = HandoverDialog(receivers=[(B, "Ola")], preview=_preview, case_count=3)
    qtbot.addWidget(three)
    assert three.windowTitle() == "Overfør saker"
    assert three.intro.text().startswith("3 saker overføres. Mottakeren ser dem merket «ny for deg»")


def test_handover_dialog_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = HandoverDialog(receivers=[(B, "Ola")], preview=_preview, case_count=1)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rejected):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()


def test_counts_first_then_per_rule_counts_from_the_background(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Team mode: the SQL counts show at once with the per-rule columns marked pending; the full
    workload (rule engine) replaces them when the background job is done."""
    full = compute_workload(team_portfolio(TODAY), TODAY, advisors=[A, B])
    pending = dataclasses.replace(full, rule_counts_pending=True)
    dialog = WorkloadDialog(lambda d: full, as_of=TODAY, load_counts=lambda d: pending)
    qtbot.addWidget(dialog)
    assert dialog.model.workload is pending
    with qtbot.waitSignal(dialog.completed, timeout=5000) as blocker:
        pass
    assert blocker.args[0] is full and dialog.model.workload is full


def test_rules_by_title_and_decimal_comma(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The summary and the tooltips name rules by the ruleset's Norwegian title (not «CONTACT-30D»)
    and write the team average as «37,5 av 50»."""
    from navoppfolging.rules import ruleset_for
    from navoppfolging.ui.workload_view import DUE_SOON_COLUMN, OVERDUE_COLUMN

    workload = _over_cap_workload(TODAY)
    assert workload.team_average == 37.5
    dialog = WorkloadDialog(lambda d: workload, as_of=TODAY)
    qtbot.addWidget(dialog)
    summary = dialog.summary.text()
    assert "Snitt UG-saker per veileder (med minst én): 37,5 av 50" in summary and "37.5" not in summary
    ids = [r.id for r in ruleset_for(TODAY).rules]
    assert not any(i in summary for i in ids)
    model = dialog.model
    team = model.rowCount() - 1
    assert model.index(team, UG_COLUMN).data(Qt.ItemDataRole.ToolTipRole).startswith("Snitt per veileder: 37,5 av 50")
    tips = [model.index(r, c).data(Qt.ItemDataRole.ToolTipRole) or ""
            for r in range(model.rowCount()) for c in (OVERDUE_COLUMN, DUE_SOON_COLUMN)]
    assert "Kontakt siste 30 dager" in "\n".join(tips)
    assert not any(i in tip for tip in tips for i in ids)


def test_an_advisor_is_told_in_bokmal_and_nothing_can_be_exported(qtbot, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    """Team mode as an advisor: the database refuses (the core raises AccessDeniedError with
    TEAM_LEAD_ONLY, tested against PostgreSQL in test_workload_sql). The view shows that message,
    no SQL or English server text, an empty table, and the exports are off; the log has the
    error's type only. A later date that loads gives figures and exports back."""
    import logging

    from navoppfolging.errors import AccessDeniedError
    from navoppfolging.workload import TEAM_LEAD_ONLY

    server_text = ("(psycopg.errors.InsufficientPrivilege) permission denied for function "
                   "navoppfolging_workload_counts [SQL: SELECT * FROM navoppfolging_workload_counts(...)]")
    full = compute_workload(team_portfolio(TODAY), TODAY, advisors=[A, B])

    def refuse(as_of: dt.date) -> Workload:
        if as_of == TODAY:
            try:
                raise RuntimeError(server_text)
            except RuntimeError as exc:
                raise AccessDeniedError(TEAM_LEAD_ONLY) from exc
        return full

    caplog.set_level(logging.WARNING, logger="navoppfolging.ui.workload_view")
    dialog = WorkloadDialog(refuse, as_of=TODAY, load_counts=refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == TEAM_LEAD_ONLY
    assert dialog.summary.text().startswith("Teamoversikten er bare for teamledere")
    assert "permission" not in dialog.summary.text() and "SQL" not in dialog.summary.text()
    assert dialog.model.rowCount() == 0 and dialog.model.workload is None
    assert not dialog.excel_button.isEnabled() and not dialog.pdf_button.isEnabled()
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "AccessDeniedError" in logged and "permission" not in logged and "teamledere" not in logged

    dialog.date_edit.setDate(dialog.date_edit.date().addDays(1))
    assert dialog.model.workload is full and dialog.excel_button.isEnabled() and dialog.pdf_button.isEnabled()
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-1))  # refused again: the old figures go
    assert dialog.model.rowCount() == 0 and not dialog.excel_button.isEnabled()


def test_an_unexpected_failure_shows_no_raw_exception_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Any other failure (here in the background step) gives a plain bokmål message, never the
    exception's own text, and the half-loaded figures are not left for export."""
    full = compute_workload(team_portfolio(TODAY), TODAY, advisors=[A, B])
    pending = dataclasses.replace(full, rule_counts_pending=True)

    def broken(as_of: dt.date) -> Workload:
        raise RuntimeError("(psycopg.OperationalError) server closed the connection [SQL: SELECT …]")

    dialog = WorkloadDialog(broken, as_of=TODAY, load_counts=lambda d: pending)
    qtbot.addWidget(dialog)
    assert dialog.model.workload is pending and not dialog.excel_button.isEnabled()  # still counting
    qtbot.waitUntil(lambda: dialog.model.workload is None, timeout=5000)
    text = dialog.summary.text()
    assert text.startswith("Kunne ikke hente tallene for teamet.")
    assert "psycopg" not in text and "SQL" not in text and "server closed" not in text
    assert not dialog.excel_button.isEnabled() and not dialog.pdf_button.isEnabled()


def test_innsatsgrupper_by_the_labels_the_case_view_uses() -> None:
    """Teamoversikt's innsatsgruppe and steering-figure columns use domain.INNSATSGRUPPE_LABELS
    («Gode muligheter», «Trenger veiledning» …), like the portfolio and the case view; none of
    the old short names («Standard», «Situasjonsbestemt» …) is shown."""
    from navoppfolging import domain as d

    model = WorkloadTableModel()
    model.set_workload(_over_cap_workload(TODAY))
    shown = [model.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ") for c in range(model.columnCount())]
    labels = [d.INNSATSGRUPPE_LABELS[g] for g in d.Innsatsgruppe]
    first = shown.index(labels[0])
    assert shown[first:first + len(labels) + 1] == [*labels, "Uten vurdering"]
    sit = d.INNSATSGRUPPE_LABELS[d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS]
    spes = d.INNSATSGRUPPE_LABELS[d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS]
    assert shown[-4:] == [f"Kontakt 30 d: {sit}", f"Kontakt 30 d: {spes}", f"Arbeidsrettet: {sit}", f"Arbeidsrettet: {spes}"]
    for old in d.INNSATSGRUPPE_SHORT.values():
        assert not any(old in h for h in shown), old


def test_advisors_are_named_and_sorted_by_name(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """With the advisors' names the first column reads «Name (ident)» and sorts by name; the
    team row stays last; without a name the ident stands alone."""
    model = WorkloadTableModel(names={B: "Anne Aas"})
    model.set_workload(_over_cap_workload(TODAY))
    qtmodeltester.check(model)
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert shown == [A, f"Anne Aas ({B})", "Teamet"]
    proxy = WorkloadProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == [f"Anne Aas ({B})", A, "Teamet"]


def test_an_export_that_cannot_be_written_is_told(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.ui import messages

    dialog = WorkloadDialog(_over_cap_workload, as_of=TODAY)
    qtbot.addWidget(dialog)
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(WorkloadDialog, "ask_save_path", classmethod(lambda cls, *a: tmp_path / "mangler" / "t.pdf"))
    with qtbot.assertNotEmitted(dialog.exported, wait=300):
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert shown[0].startswith("Kunne ikke skrive t.pdf") and dialog.pdf_button.isEnabled()
