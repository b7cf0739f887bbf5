"""*Vurderinger*: the § 14 a history — date, innsatsgruppe in NAV's words, hovedmål, note —
newest first, and «Ny vurdering».

Hovedmål is stored once per case (the exchange format has no hovedmål per assessment), so the
table shows it on the assessment in force and says so on the older rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

import dataclasses

from navoppfolging import domain as d
from navoppfolging.rules.facts import latest_assessment
from . import messages, theme
from .assessment_dialog import AssessmentDialog
from .state import AppState
from .tab_common import Column, ItemSortProxyModel, ItemTableModel, ItemTableView, fmt_date, with_shortcut

# An assessment has no id: its position in the case's list is its identity.
Row = tuple[int, d.Assessment]


class AssessmentsModel(ItemTableModel[Row]):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.current_position: int | None = None
        self.hovedmal: d.Hovedmal | None = None

        def goal(r: Row) -> str:
            if r[0] == self.current_position:
                return d.HOVEDMAL_LABELS[self.hovedmal] if self.hovedmal else "Ikke satt"
            return "–"

        def goal_tip(r: Row) -> str:
            return "" if r[0] == self.current_position else "Hovedmål lagres bare for vurderingen som gjelder nå."

        columns = [
            Column[Row]("Dato", lambda r: fmt_date(r[1].date), sort=lambda r: (r[1].date.isoformat(), r[0])),
            Column[Row]("Innsatsgruppe", lambda r: d.INNSATSGRUPPE_LABELS[r[1].innsatsgruppe],
                        tooltip=lambda r: f"{d.INNSATSGRUPPE_SHORT[r[1].innsatsgruppe]} innsats"),
            Column[Row]("Hovedmål", goal, tooltip=goal_tip),
            Column[Row]("Gjelder", lambda r: "Gjelder nå" if r[0] == self.current_position else ""),
            Column[Row]("Notat", lambda r: " ".join((r[1].note or "").split()), tooltip=lambda r: r[1].note or ""),
        ]
        super().__init__(columns, key=lambda r: r, parent=parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.row() < self.rowCount():
            if self.item(index.row())[0] == self.current_position:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class AssessmentsTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentsTab")
        self.state = state
        self.case: d.Case | None = None
        self.model = AssessmentsModel(self)
        self.proxy = ItemSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = ItemTableView("Vurderinger av innsatsbehov (§ 14 a)", self)
        self.table.setModel(self.proxy)
        self.table.set_empty_text("Ingen vurderinger registrert ennå")
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        for col, width in enumerate((110, 340, 270, 100)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(theme.icon(theme.ACTION_ICONS["register_assessment"], theme.TEXT_ON_ACTION),
                                      "Ny vurdering")
        with_shortcut(self.add_button, "Ins", "Registrer en ny vurdering av innsatsbehov (§ 14 a)")
        theme.set_variant(self.add_button, "primary")
        self.add_button.clicked.connect(self.add_assessment)
        self.edit_button = QPushButton(theme.icon(theme.ACTION_ICONS["edit"], theme.TEXT_ACTION), "Endre")
        self.edit_button.setToolTip("Endre valgt vurdering (Enter)")
        self.delete_button = QPushButton(theme.icon(theme.ACTION_ICONS["delete"], theme.TEXT_ACTION), "Slett")
        self.delete_button.setToolTip("Slett valgt vurdering (Del)")
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.table.activated.connect(lambda _i: self.edit_current())
        self.table.delete_requested.connect(self.delete_current)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.current_label, 1)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    def set_case(self, case: d.Case | None) -> None:
        self.case = case
        rows = list(enumerate(case.assessments)) if case else []
        latest = latest_assessment(case, self.state.as_of) if case else None
        # The assessment in force: the latest dated on or before as-of (ties: the one listed last).
        position = None
        if case is not None and latest is not None:
            position = max(i for i, a in enumerate(case.assessments) if a is latest or a == latest)
        self.model.current_position = position
        self.model.hovedmal = case.hovedmal if case else None
        self.model.set_items(rows)
        if latest is not None and case is not None:
            goal = d.HOVEDMAL_LABELS[case.hovedmal] if case.hovedmal else "ikke satt"
            self.current_label.setText(
                f"Gjelder nå: <b>{d.INNSATSGRUPPE_LABELS[latest.innsatsgruppe]}</b> "
                f"(fra {fmt_date(latest.date)}), hovedmål: <b>{goal}</b>")
        else:
            self.current_label.setText("Ingen vurdering av innsatsbehov er registrert.")
        self.add_button.setEnabled(case is not None)
        self._update_buttons()

    def current(self) -> Row | None:
        row = self.table.current_item()
        return row if isinstance(row, tuple) else None

    def _update_buttons(self) -> None:
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _save_list(self, assessments: tuple[d.Assessment, ...], hovedmal: d.Hovedmal | None) -> None:
        case = self.case
        if case is None:
            return
        changed = dataclasses.replace(case, assessments=assessments, hovedmal=hovedmal)
        self.state.write(self, lambda: self.state.cases.save(changed), ref=case.ref)

    def edit_current(self) -> None:
        case, row = self.case, self.current()
        if case is None or row is None:
            return
        position, assessment = row
        value = AssessmentDialog.ask(self, today=self.state.as_of, initial=assessment, hovedmal=case.hovedmal)
        if value is None:
            return
        items = list(case.assessments)
        items[position] = value.assessment
        self._save_list(tuple(items), value.hovedmal or case.hovedmal)

    def delete_current(self) -> None:
        case, row = self.case, self.current()
        if case is None or row is None:
            return
        position, assessment = row
        text = (f"Vil du slette vurderingen fra {fmt_date(assessment.date)} "
                f"({d.INNSATSGRUPPE_LABELS[assessment.innsatsgruppe]})? Dette kan ikke angres.")
        if not messages.confirm(self, "Slette vurdering?", text, ok_text="Slett"):
            return
        items = list(case.assessments)
        del items[position]
        self._save_list(tuple(items), case.hovedmal)

    def add_assessment(self) -> None:
        case = self.case
        if case is None:
            return
        latest = latest_assessment(case, self.state.as_of)
        value = AssessmentDialog.ask(self, today=self.state.as_of,
                                     innsatsgruppe=latest.innsatsgruppe if latest else None, hovedmal=case.hovedmal)
        if value is None:
            return
        self.state.write(self, lambda: self.state.cases.add_assessment(
            case.ref, expected_version=case.version, assessment=value.assessment, hovedmal=value.hovedmal), ref=case.ref)
