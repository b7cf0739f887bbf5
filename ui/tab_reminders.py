"""*Huskelapp*: the advisor's own reminders with a date; add, edit, mark done, delete. Open
reminders come first, the oldest date at the top; done ones are greyed."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from navoppfolging import domain as d
from . import messages, theme
from .reminder_dialog import ReminderDialog
from .state import AppState
from .tab_common import Column, ItemSortProxyModel, ItemTableModel, ItemTableView, fmt_date, with_shortcut


class RemindersModel(ItemTableModel[d.Reminder]):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.as_of: dt.date | None = None

        def fg(h: d.Reminder) -> QColor | None:
            if h.done:
                return QColor(theme.TEXT_DECORATION)
            if self.as_of is not None and h.date <= self.as_of:
                return QColor(theme.DANGER_TEXT)
            return None

        columns = [
            Column[d.Reminder]("Ferdig", lambda h: "", sort=lambda h: (h.done, h.date.isoformat()),
                               foreground=fg),
            Column[d.Reminder]("Dato", lambda h: fmt_date(h.date), sort=lambda h: (h.done, h.date.isoformat()), foreground=fg),
            Column[d.Reminder]("Huskelapp", lambda h: " ".join(h.text.split()), tooltip=lambda h: h.text, foreground=fg),
        ]
        super().__init__(columns, key=lambda h: h.id, parent=parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0 and index.row() < self.rowCount():
            return Qt.CheckState.Checked if self.item(index.row()).done else Qt.CheckState.Unchecked
        return super().data(index, role)


class RemindersTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remindersTab")
        self.state = state
        self.case: d.Case | None = None
        self.model = RemindersModel(self)
        self.proxy = ItemSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = ItemTableView("Huskelapper", self)
        self.table.setModel(self.proxy)
        self.table.set_empty_text("Ingen huskelapper ennå")
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().resizeSection(0, 90)
        self.table.horizontalHeader().resizeSection(1, 110)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.edit_current())
        self.table.delete_requested.connect(self.delete_current)
        self.table.clicked.connect(self._on_clicked)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        self.add_button = QPushButton(theme.icon(theme.ACTION_ICONS["reminder"], theme.TEXT_ON_ACTION), "Ny huskelapp")
        with_shortcut(self.add_button, "Ins", "Skriv en ny huskelapp")
        theme.set_variant(self.add_button, "primary")
        self.done_button = QPushButton(theme.icon("CheckmarkCircle", theme.TEXT_ACTION), "Marker som ferdig")
        self.done_button.setToolTip("Marker valgt huskelapp som ferdig (mellomrom)")
        self.edit_button = QPushButton(theme.icon(theme.ACTION_ICONS["edit"], theme.TEXT_ACTION), "Endre")
        self.edit_button.setToolTip("Endre valgt huskelapp (Enter)")
        self.delete_button = QPushButton(theme.icon(theme.ACTION_ICONS["delete"], theme.TEXT_ACTION), "Slett")
        self.delete_button.setToolTip("Slett valgt huskelapp (Del)")
        self.add_button.clicked.connect(self.add_reminder)
        self.done_button.clicked.connect(self.toggle_done)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.done_button)
        bar.addStretch(1)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        hint = QLabel("Huskelapper med dato i dag eller tidligere står i rødt til de er ferdige.")
        hint.setProperty("subtle", "true")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self._update_buttons()

    def set_case(self, case: d.Case | None) -> None:
        self.case = case
        self.model.as_of = self.state.as_of
        self.model.set_items(case.reminders if case else ())
        self._update_buttons()

    def current(self) -> d.Reminder | None:
        item = self.table.current_item()
        return item if isinstance(item, d.Reminder) else None

    def _update_buttons(self) -> None:
        current = self.current()
        self.add_button.setEnabled(self.case is not None)
        for b in (self.done_button, self.edit_button, self.delete_button):
            b.setEnabled(current is not None)
        self.done_button.setText("Marker som ikke ferdig" if current is not None and current.done else "Marker som ferdig")

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Space and self.table.hasFocus():
            self.toggle_done()
            return
        super().keyPressEvent(event)

    def _on_clicked(self, index) -> None:  # type: ignore[no-untyped-def]
        if index.column() == 0:
            self.toggle_done()

    def _write(self, action) -> None:  # type: ignore[no-untyped-def]
        if self.case is not None:
            self.state.write(self, action, ref=self.case.ref)

    def add_reminder(self) -> None:
        case = self.case
        if case is None:
            return
        value = ReminderDialog.ask(self, today=self.state.as_of)
        if value is not None:
            self._write(lambda: self.state.cases.add_reminder(case.ref, expected_version=case.version, date=value.date,
                                                              text=value.text))

    def toggle_done(self) -> None:
        case, h = self.case, self.current()
        if case is None or h is None:
            return
        changed = dataclasses.replace(h, done=not h.done)
        self._write(lambda: self.state.cases.replace_item(case.ref, expected_version=case.version, item=changed))

    def edit_current(self) -> None:
        case, h = self.case, self.current()
        if case is None or h is None:
            return
        changed = ReminderDialog.ask(self, today=self.state.as_of, initial=h)
        if changed is not None and changed != h:
            self._write(lambda: self.state.cases.replace_item(case.ref, expected_version=case.version, item=changed))

    def delete_current(self) -> None:
        case, h = self.case, self.current()
        if case is None or h is None:
            return
        if messages.confirm(self, "Slette huskelapp?", f"Vil du slette huskelappen «{h.text[:60]}»?", ok_text="Slett"):
            self._write(lambda: self.state.cases.remove_item(case.ref, expected_version=case.version, item=h))
