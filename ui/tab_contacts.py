"""*Kontakter*: planned and held meetings and dialogue, newest first, planned ones ahead of the
as-of date highlighted. Register a contact (Ctrl+K from the window), plan a meeting, mark a
planned meeting as held with a short summary, edit and delete."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from navoppfolging import domain as d
from navoppfolging.words import count
from . import messages, theme
from .contact_dialog import ContactDialog, SummaryDialog
from .state import AppState
from .tab_common import (
    Column,
    Index,
    ItemSortProxyModel,
    ItemTableModel,
    ItemTableView,
    fit_columns,
    fmt_date,
    fmt_time,
    with_shortcut,
)

COLUMNS = ("Dato", "Tid", "Kanal", "Status", "Tolk bestilt", "Sted", "Referat")


class ContactsModel(ItemTableModel[d.Contact]):
    """The case's contacts; ``as_of`` decides which planned meetings are still ahead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.as_of = dt.date.today()
        self.needs_interpreter = False
        planned_bg = QColor(theme.STATUS_COLORS["upcoming"].background)
        stale_bg = QColor(theme.STATUS_COLORS["due_soon"].background)

        def background(k: d.Contact) -> QColor | None:
            if k.status is not d.ContactStatus.PLANLAGT:
                return None
            # A planned meeting whose day has passed without an outcome needs attention.
            return planned_bg if k.date >= self.as_of else stale_bg

        def status_text(k: d.Contact) -> str:
            label = d.CONTACT_STATUS_LABELS[k.status]
            if k.status is d.ContactStatus.PLANLAGT and k.date < self.as_of:
                return f"{label} (utfall ikke registrert)"
            return label

        def interpreter_text(k: d.Contact) -> str:
            if k.interpreter_booked:
                return "Ja"
            # Only a coming meeting with someone who needs an interpreter is missing one.
            if self.needs_interpreter and k.status is d.ContactStatus.PLANLAGT and k.date >= self.as_of:
                return "Nei, må bestilles"
            return ""

        columns = [
            Column[d.Contact]("Dato", lambda k: fmt_date(k.date),
                              sort=lambda k: (k.date.isoformat(), fmt_time(k.time)), background=background),
            Column[d.Contact]("Tid", lambda k: fmt_time(k.time), background=background),
            Column[d.Contact]("Kanal", lambda k: d.CHANNEL_LABELS[k.channel],
                              decoration=lambda k: theme.icon(theme.CHANNEL_ICONS[k.channel.value]), background=background),
            Column[d.Contact]("Status", status_text, tooltip=status_text, background=background),
            Column[d.Contact]("Tolk bestilt", interpreter_text, tooltip=interpreter_text, background=background,
                              foreground=lambda k: QColor(theme.DANGER_TEXT) if interpreter_text(k).startswith("Nei") else None),
            Column[d.Contact]("Sted", lambda k: k.place or "", tooltip=lambda k: k.place or "", background=background),
            Column[d.Contact]("Referat", lambda k: " ".join(k.summary.split()), tooltip=lambda k: k.summary,
                              background=background),
        ]
        super().__init__(columns, key=lambda k: k.id, parent=parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.row() < self.rowCount():
            k = self.item(index.row())
            if k.status is d.ContactStatus.PLANLAGT and k.date >= self.as_of:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class ContactsTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsTab")
        self.state = state
        self.case: d.Case | None = None

        self.model = ContactsModel(self)
        self.proxy = ItemSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = ItemTableView("Kontakter og møter", self)
        self.table.setModel(self.proxy)
        self.table.set_empty_text("Ingen kontakter eller møter registrert ennå")
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        # «Referat» (free text) takes what the others leave; it was cut to nothing while Status
        # and Sted had 230 and 240 px. A long status («… (utfall ikke registrert)») or place is
        # in the tooltip, as «Nei, må bestilles» under «Tolk bestilt». Coming meetings are bold.
        fit_columns(self.table, {0: "00.00.0000", 1: "00:00", 2: "Digital dialog", 3: "Gjennomført",
                                 4: "Ja", 5: 110}, icons={2}, stretch=6, bold=True)
        self.table.activated.connect(lambda _i: self.edit_current())
        self.table.delete_requested.connect(self.delete_current)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

        self.register_button = QPushButton(theme.icon(theme.ACTION_ICONS["register_contact"], theme.TEXT_ON_ACTION),
                                           "Registrer kontakt")
        self.register_button.setToolTip("Registrer en gjennomført kontakt (Ctrl+K)")
        theme.set_variant(self.register_button, "primary")
        self.plan_button = QPushButton(theme.icon("Calendar", theme.TEXT_ACTION), "Planlegg møte")
        with_shortcut(self.plan_button, "Ins", "Planlegg et møte eller en samtale")
        self.held_button = QPushButton(theme.icon("CheckmarkCircle", theme.TEXT_ACTION), "Marker som gjennomført")
        self.edit_button = QPushButton(theme.icon(theme.ACTION_ICONS["edit"], theme.TEXT_ACTION), "Endre")
        self.edit_button.setToolTip("Endre valgt kontakt (Enter)")
        self.delete_button = QPushButton(theme.icon(theme.ACTION_ICONS["delete"], theme.TEXT_ACTION), "Slett")
        self.delete_button.setToolTip("Slett valgt kontakt (Del)")
        for button in (self.plan_button, self.held_button, self.edit_button, self.delete_button):
            theme.set_variant(button, "secondary")
        self.register_button.clicked.connect(self.register_contact)
        self.plan_button.clicked.connect(self.plan_meeting)
        self.held_button.clicked.connect(self.mark_held)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)

        buttons = QHBoxLayout()
        for b in (self.register_button, self.plan_button, self.held_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        self.summary_label = QLabel()
        self.summary_label.setProperty("subtle", "true")
        legend = QLabel("Planlagte møter framover er uthevet i blått; gule er planlagte møter der utfallet ikke er registrert.")
        legend.setProperty("subtle", "true")
        legend.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self.setTabOrder(self.register_button, self.plan_button)
        self.setTabOrder(self.plan_button, self.held_button)
        self.setTabOrder(self.held_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.table)
        self._update_buttons()

    # --- showing -------------------------------------------------------------------------------

    def set_case(self, case: d.Case | None) -> None:
        self.case = case
        self.model.as_of = self.state.as_of
        self.model.needs_interpreter = bool(case and case.needs_interpreter)
        self.model.set_items(case.contacts if case else ())
        held = sum(1 for k in (case.contacts if case else ()) if k.status is d.ContactStatus.GJENNOMFORT)
        planned = sum(1 for k in (case.contacts if case else ())
                      if k.status is d.ContactStatus.PLANLAGT and k.date >= self.state.as_of)
        self.summary_label.setText(f"{count(held, 'gjennomført', 'gjennomførte')}, "
                                   f"{count(planned, 'planlagt', 'planlagte')} framover." if case else "")
        self._update_buttons()

    def current(self) -> d.Contact | None:
        item = self.table.current_item()
        return item if isinstance(item, d.Contact) else None

    def select(self, contact_id: str) -> None:
        row = self.model.row_of(contact_id)
        if row >= 0:
            self.table.select_row(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def _update_buttons(self) -> None:
        current = self.current()
        enabled = self.case is not None
        for b in (self.register_button, self.plan_button):
            b.setEnabled(enabled)
        self.edit_button.setEnabled(current is not None)
        self.delete_button.setEnabled(current is not None)
        self.held_button.setEnabled(current is not None and current.status is d.ContactStatus.PLANLAGT)

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        if menu.actions():
            menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        current = self.current()
        if current is not None:
            if current.status is d.ContactStatus.PLANLAGT:
                menu.addAction("Marker som gjennomført …", self.mark_held)
            menu.addAction("Endre …", self.edit_current)
            menu.addAction("Slett …", self.delete_current)
            menu.addSeparator()
        menu.addAction("Registrer kontakt …", self.register_contact)
        menu.addAction("Planlegg møte …", self.plan_meeting)
        return menu

    # --- actions -------------------------------------------------------------------------------

    def register_contact(self) -> None:
        """A held contact today, by oppmøte: the dialog is filled in so Enter registers it."""
        self._add_contact("Registrer kontakt", self.state.as_of, d.ContactStatus.GJENNOMFORT)

    def plan_meeting(self) -> None:
        self._add_contact("Planlegg møte", self.state.as_of + dt.timedelta(days=7), d.ContactStatus.PLANLAGT)

    def _add_contact(self, title: str, day: dt.date, status: d.ContactStatus) -> None:
        case = self.case
        if case is None:
            return
        value = ContactDialog.ask(self, title=title, today=day, status=status, needs_interpreter=case.needs_interpreter)
        if value is None:
            return
        self.state.write(self, lambda: self.state.cases.add_contact(
            case.ref, expected_version=case.version, date=value.date, channel=value.channel, status=value.status,
            summary=value.summary, interpreter_booked=value.interpreter_booked, time=value.time, place=value.place),
            ref=case.ref)

    def mark_held(self) -> None:
        case, contact = self.case, self.current()
        if case is None or contact is None or contact.status is not d.ContactStatus.PLANLAGT:
            return
        summary = SummaryDialog.ask(self, contact=contact)
        if summary is None:
            return
        held = dataclasses.replace(contact, status=d.ContactStatus.GJENNOMFORT, summary=summary)
        self.state.write(self, lambda: self.state.cases.replace_item(case.ref, expected_version=case.version, item=held),
                         ref=case.ref)

    def book_interpreter(self, contact_id: str) -> None:
        """INTERPRETER-BOOK's action: the interpreter for this planned meeting is booked."""
        case = self.case
        contact = next((k for k in case.contacts if k.id == contact_id), None) if case else None
        if case is None or contact is None:
            return
        booked = dataclasses.replace(contact, interpreter_booked=True)
        self.state.write(self, lambda: self.state.cases.replace_item(case.ref, expected_version=case.version, item=booked),
                         ref=case.ref)

    def edit_current(self) -> None:
        case, contact = self.case, self.current()
        if case is None or contact is None:
            return
        value = ContactDialog.ask(self, title="Endre kontakt", today=self.state.as_of, initial=contact,
                                  needs_interpreter=case.needs_interpreter)
        if value is None:
            return
        changed = dataclasses.replace(contact, date=value.date, channel=value.channel, status=value.status,
                                      summary=value.summary, interpreter_booked=value.interpreter_booked,
                                      time=value.time, place=value.place)
        self.state.write(self, lambda: self.state.cases.replace_item(case.ref, expected_version=case.version, item=changed),
                         ref=case.ref)

    def delete_current(self) -> None:
        case, contact = self.case, self.current()
        if case is None or contact is None:
            return
        what = f"{d.CONTACT_STATUS_LABELS[contact.status].lower()} kontakt {fmt_date(contact.date)}"
        if not messages.confirm(self, "Slette kontakt?", f"Vil du slette {what}? Dette kan ikke angres.", ok_text="Slett"):
            return
        self.state.write(self, lambda: self.state.cases.remove_item(case.ref, expected_version=case.version, item=contact),
                         ref=case.ref)
