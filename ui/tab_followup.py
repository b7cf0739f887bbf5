"""*Oppfølging*: this case's due follow-ups with the whole «why» — the explanation, the quoted
sentence from the letter, what satisfies it, exceptions recorded against it, whether it rests on
a local setting or is not a letter rule at all — and buttons that do what satisfies it.
Below: the case's flags with their source, and every exception and attempt recorded.

The tab writes only what is its own (offer date, exceptions); the other actions are asked of
the case view through ``action_requested`` so each is done by the tab that owns it.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.rules import STATUS_LABELS, DueItem, FlagItem, latest_letter_year, practice_note
from navoppfolging.words import span
from . import messages, theme
from .exception_dialog import ExceptionDialog
from .flow_layout import FlowLayout
from .qdates import from_qdate, to_qdate
from .state import AppState
from .tab_common import (
    Column,
    ItemRole,
    clear_layout,
    ItemSortProxyModel,
    ItemTableModel,
    ItemTableView,
    fit_columns,
    fmt_date,
    sort_date,
    style_tag,
    tag,
)

# What the buttons under an item do, per rule: (action id, button text). The first is primary.
# Action ids are handled by the case view (CaseView._on_followup_action) or by this tab.
RULE_ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "UG-OFFER-8W": (("record_offer", "Registrer tilbud"),),
    "CONTACT-30D": (("register_contact", "Registrer kontakt"), ("plan_meeting", "Planlegg møte")),
    "DP-26W-LEFT": (("register_contact", "Registrer kontakt"), ("plan_meeting", "Planlegg møte")),
    "UG-STANDARD-REASSESS-8W": (("register_assessment", "Registrer vurdering"), ("add_activity", "Ny aktivitet")),
    "LONGTERM-REASSESS-6M": (("register_assessment", "Registrer vurdering"),),
    "AAP-END-INFO": (("register_assessment", "Registrer vurdering"),),
    "SICK-NO-EMPLOYER-12W": (("register_assessment", "Registrer vurdering"),),
    "OMSTILLING-6M": (("register_assessment", "Registrer vurdering"), ("add_activity", "Ny aktivitet")),
    "PLAN-MISSING": (("add_activity", "Ny aktivitet"), ("open_plan", "Gå til aktivitetsplanen")),
    "AAP-ACTIVITY-26W": (("add_activity", "Ny aktivitet"), ("open_plan", "Gå til aktivitetsplanen")),
    "ACTIVITY-EXPIRED": (("show_activity", "Vis aktiviteten"), ("complete_activity", "Marker som fullført")),
    "INTERPRETER-BOOK": (("book_interpreter", "Tolk er bestilt"), ("show_contact", "Vis møtet")),
    "AAP-APPLICATION-5W": (("edit_aap", "Registrer vedtaksdato for AAP"),),
    "UG-AGE-OUT": (("plan_meeting", "Planlegg møte om overgangen"),),
}
ACTION_ICON = {
    "record_offer": theme.ACTION_ICONS["record_offer"],
    "register_contact": theme.ACTION_ICONS["register_contact"],
    "plan_meeting": "Calendar",
    "register_assessment": theme.ACTION_ICONS["register_assessment"],
    "add_activity": "Plus",
    "open_plan": theme.ACTION_ICONS["activity_plan"],
    "show_activity": theme.ACTION_ICONS["activity_plan"],
    "complete_activity": "CheckmarkCircle",
    "book_interpreter": theme.ACTION_ICONS["interpreter"],
    "show_contact": "Calendar",
    "edit_aap": theme.ACTION_ICONS["edit"],
    "record_exception": theme.ACTION_ICONS["record_exception"],
}


def days_text(due: dt.date, as_of: dt.date) -> str:
    """«om 12 dager», «frist i dag», «3 dager over fristen»; long spans in months and years
    («om 11 år og 5 måneder»)."""
    left = (due - as_of).days
    if left < 0:
        return f"{span(-left)} over fristen"
    if left == 0:
        return "frist i dag"
    return f"om {span(left)}"


class DueItemsModel(ItemTableModel[DueItem]):
    """One row per due item: status (coloured), due date, title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.as_of = dt.date.today()

        def bg(i: DueItem) -> QColor:
            return theme.status_colors(i.status.value)[0]

        def fg(i: DueItem) -> QColor:
            return theme.status_colors(i.status.value)[1]

        columns = [
            Column[DueItem]("Status", lambda i: STATUS_LABELS[i.status], sort=lambda i: (i.due.isoformat(), i.rule),
                            background=bg, foreground=fg,
                            decoration=lambda i: theme.icon(theme.STATUS_ICONS[i.status.value], theme.STATUS_COLORS[i.status.value].strong)),
            Column[DueItem]("Frist", lambda i: fmt_date(i.due), sort=lambda i: (i.due.isoformat(), i.rule),
                            tooltip=lambda i: days_text(i.due, self.as_of)),
            Column[DueItem]("Oppfølging", self.title_of, tooltip=lambda i: i.explanation),
        ]
        # Names of the case's activities and contacts, so the per-activity items
        # («Aktivitet utløpt») say which activity they are about.
        self.activity_titles: dict[str, str] = {}
        self.contact_dates: dict[str, str] = {}
        super().__init__(columns, key=lambda i: i.key, parent=parent)

    def title_of(self, i: DueItem) -> str:
        if i.activity and i.activity in self.activity_titles:
            return f"{i.title}: {self.activity_titles[i.activity]}"
        if i.contact and i.contact in self.contact_dates:
            return f"{i.title} ({self.contact_dates[i.contact]})"
        return i.title


class ExceptionsModel(ItemTableModel[d.RecordedException]):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column[d.RecordedException]("Dato", lambda e: fmt_date(e.date), sort=lambda e: (sort_date(e.date), e.id)),
            Column[d.RecordedException]("Type", lambda e: d.EXCEPTION_LABELS[e.kind],
                                        tooltip=lambda e: d.EXCEPTION_LABELS[e.kind]),
            Column[d.RecordedException]("Notat", lambda e: " ".join(e.note.split()), tooltip=lambda e: e.note),
        ]
        super().__init__(columns, key=lambda e: e.id, parent=parent)


class OfferDialog(QDialog):
    """«Registrer tilbud»: the date the young person was offered follow-up (UG-OFFER-8W)."""

    def __init__(self, *, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Registrer tilbud om oppfølging")
        self.setObjectName("offerDialog")
        self.date_edit = QDateEdit(to_qdate(today))
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Dato tilbudet ble gitt")
        intro = QLabel("Datoen den unge fikk tilbud om individuelt tilpasset oppfølging (ungdomsgarantien):")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(intro)
        form.addRow("&Tilbudt:", self.date_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Registrer tilbud")
        theme.set_variant(ok, "primary")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.date_edit.setFocus()

    def value(self) -> dt.date:
        return from_qdate(self.date_edit.date())

    @classmethod
    def ask(cls, parent: QWidget | None, *, today: dt.date) -> dt.date | None:
        dialog = cls(today=today, parent=parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setProperty("heading", "small")
    return label


def _text(text: str = "", *, subtle: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    if subtle:
        label.setProperty("subtle", "true")
    return label


class DueItemDetail(QFrame):
    """Everything about one due item, and what to do about it."""

    action_requested = Signal(str, object)  # action id, DueItem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dueItemDetail")
        self.item: DueItem | None = None
        self.title = QLabel()
        self.title.setProperty("heading", "medium")
        self.title.setWordWrap(True)
        self.status_tag = tag("", "upcoming")
        self.due_label = QLabel()
        self.letter_tag = tag("Ikke et krav i brevet", "neutral",
                              tooltip="Praksis i NAV, ikke en regel fra mål- og disponeringsbrevet.")
        self.local_tag = tag("Lokal innstilling", "neutral",
                             tooltip="Brevet gir ikke noe tall; fristen bygger på en innstilling ved kontoret.")
        tags = QHBoxLayout()
        tags.addWidget(self.status_tag)
        tags.addWidget(self.due_label)
        tags.addStretch(1)
        # The «not a letter rule» and «local setting» labels get their own line: they are the
        # caveats an advisor must not miss, and can be long.
        caveats = QHBoxLayout()
        caveats.addWidget(self.letter_tag)
        caveats.addWidget(self.local_tag)
        caveats.addStretch(1)
        self.explanation = _text()
        self.explanation.setAccessibleName("Forklaring")
        self.quote = _text()
        self.quote.setAccessibleName("Kilde")
        self.quote.setTextFormat(Qt.TextFormat.RichText)
        self.satisfied = _text()
        self.satisfied.setAccessibleName("Dette oppfyller fristen")
        self.exceptions_heading = _section("Registrerte unntak for denne fristen")
        self.exceptions = _text()
        self.exceptions.setAccessibleName("Registrerte unntak for denne fristen")
        # The actions wrap onto more lines in a narrow pane rather than widen it (the texts above
        # are wrapped to the pane's width, never scrolled sideways).
        self.buttons_row = FlowLayout(spacing=8)
        self.buttons: dict[str, QPushButton] = {}
        self.empty = _text("Velg en frist i listen for å se hvorfor den gjelder og hva som oppfyller den.", subtle=True)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addLayout(tags)
        body.addLayout(caveats)
        for heading, widget in (("Hvorfor", self.explanation), ("Kilde", self.quote),
                                ("Dette oppfyller fristen", self.satisfied)):
            body.addSpacing(8)
            body.addWidget(_section(heading))
            body.addWidget(widget)
        body.addSpacing(8)
        body.addWidget(self.exceptions_heading)
        body.addWidget(self.exceptions)
        body.addSpacing(8)
        body.addLayout(self.buttons_row)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)
        self.show_item(None, dt.date.today())

    def show_item(self, item: DueItem | None, as_of: dt.date, title: str = "") -> None:
        self.item = item
        self.empty.setVisible(item is None)
        self.body.setVisible(item is not None)
        if item is None:
            return
        self.title.setText(title or item.title)
        self.status_tag.setText(STATUS_LABELS[item.status])
        style_tag(self.status_tag, item.status.value)
        self.due_label.setText(f"Frist {fmt_date(item.due)} ({days_text(item.due, as_of)})")
        self.due_label.setToolTip(f"Regel {item.rule}")
        self.letter_tag.setVisible(not item.letter_rule)
        self.local_tag.setVisible(item.local_setting is not None)
        if item.local_setting:
            # The engine's label already says «Lokal innstilling: …».
            text = item.local_setting
            self.local_tag.setText(text if text.lower().startswith("lokal") else f"Lokal innstilling: {text}")
        self.explanation.setText(item.explanation)
        src = item.source
        where = html.escape(f"{src.letter} {src.section}".strip())
        # Said once: a practice citation says «ikke regel i brevet» itself (and the tag above).
        note = html.escape(practice_note(src, item.letter_rule))
        self.quote.setText(f"<i>«{html.escape(src.quote)}»</i><br><span style='color:{theme.TEXT_SUBTLE}'>{where}"
                           f"{note}</span>")
        self.satisfied.setText(item.satisfied_by or "—")
        has_exceptions = bool(item.exceptions)
        self.exceptions_heading.setVisible(has_exceptions)
        self.exceptions.setVisible(has_exceptions)
        self.exceptions.setText("\n".join(
            f"{fmt_date(e.date)}  {d.EXCEPTION_LABELS[e.kind]}" + (f": {e.note}" if e.note else "") for e in item.exceptions))
        # Rebuild the buttons for this rule.
        clear_layout(self.buttons_row)
        self.buttons = {}
        actions = list(RULE_ACTIONS.get(item.rule, ())) + [("record_exception", "Registrer unntak")]
        for n, (action, text) in enumerate(actions):
            primary = n == 0 and action != "record_exception"
            button = QPushButton(theme.icon(ACTION_ICON[action], theme.TEXT_ON_ACTION if primary else theme.TEXT_ACTION), text)
            button.setObjectName(f"action_{action}")
            theme.set_variant(button, "primary" if primary else "secondary")
            button.clicked.connect(lambda _c=False, a=action: self.action_requested.emit(a, self.item))
            self.buttons[action] = button
            self.buttons_row.addWidget(button)


class FollowUpTab(QWidget):
    action_requested = Signal(str, object)  # action id, DueItem (for the case view)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followupTab")
        self.state = state
        self.case: d.Case | None = None

        self.heading = QLabel()
        self.heading.setProperty("subtle", "true")
        self.heading.setWordWrap(True)
        self.model = DueItemsModel(self)
        self.proxy = ItemSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = ItemTableView("Frister for saken", self)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().resizeSection(0, 130)
        self.table.horizontalHeader().resizeSection(1, 100)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        # Enter on a follow-up does its main action (the first button under it).
        self.table.activated.connect(lambda _i: self.run_primary_action())
        self.none_label = _text("Ingen frister for denne saken per denne datoen.", subtle=True)
        self.detail = DueItemDetail(self)
        self.detail.action_requested.connect(self._on_action)
        detail_scroll = QScrollArea()
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail_scroll.setWidget(self.detail)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.none_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(detail_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        # Flags with their source.
        self.flags_box = QGroupBox("Markeringer")
        self.flags_layout = QVBoxLayout(self.flags_box)

        # Every exception and attempt recorded on the case.
        self.exceptions_model = ExceptionsModel(self)
        self.exceptions_proxy = ItemSortProxyModel(self)
        self.exceptions_proxy.setSourceModel(self.exceptions_model)
        self.exceptions_table = ItemTableView("Registrerte unntak og forsøk", self)
        self.exceptions_table.setModel(self.exceptions_proxy)
        self.exceptions_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        # The note takes what the date and the type leave (they were 100 and 160 px in a box
        # often narrower than that: a scroll bar under an empty table).
        fit_columns(self.exceptions_table, {0: "00.00.0000", 1: "Tilbud avslått"}, stretch=2)
        self.exceptions_table.delete_requested.connect(self.delete_exception)
        self.exceptions_table.activated.connect(lambda _i: self.edit_exception())
        self.add_exception_button = QPushButton(theme.icon(theme.ACTION_ICONS["record_exception"], theme.TEXT_ACTION),
                                                "Registrer unntak")
        self.add_exception_button.clicked.connect(lambda: self.record_exception(None))
        self.delete_exception_button = QPushButton(theme.icon(theme.ACTION_ICONS["delete"], theme.TEXT_ACTION), "Slett")
        self.delete_exception_button.setToolTip("Slett valgt unntak (Del)")
        self.delete_exception_button.clicked.connect(self.delete_exception)
        exceptions_box = QGroupBox("Registrerte unntak og forsøk")
        ex_layout = QVBoxLayout(exceptions_box)
        ex_buttons = QHBoxLayout()
        ex_buttons.addWidget(self.add_exception_button)
        ex_buttons.addWidget(self.delete_exception_button)
        ex_buttons.addStretch(1)
        ex_layout.addLayout(ex_buttons)
        ex_layout.addWidget(self.exceptions_table, 1)

        bottom = QHBoxLayout()
        bottom.addWidget(self.flags_box, 2)
        bottom.addWidget(exceptions_box, 3)
        bottom_widget = QWidget()
        bottom_widget.setLayout(bottom)
        bottom.setContentsMargins(0, 0, 0, 0)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(self.splitter)
        outer.addWidget(bottom_widget)
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 1)
        outer.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(outer, 1)

    # --- showing -------------------------------------------------------------------------------

    def set_case(self, case: d.Case | None) -> None:
        self.case = case
        as_of = self.state.as_of
        self.model.as_of = as_of
        previous = self.detail.item.key if self.detail.item else None
        evaluation = self.state.evaluation()
        items = evaluation.items_for(case.ref) if case else ()
        self.model.activity_titles = {a.id: a.title for a in case.activities} if case else {}
        self.model.contact_dates = {k.id: fmt_date(k.date) for k in case.contacts} if case else {}
        self.model.set_items(items)
        self.none_label.setVisible(case is not None and not items)
        ruleset = evaluation.ruleset
        # «Siste kjente brev» is the newest letter we have (rules.md), not the one in force: a
        # date in 2023 is evaluated by MDB-2023 while the 2024 letter is still the newest.
        self.heading.setText(
            f"Frister per {fmt_date(as_of)} etter {ruleset.id} ({ruleset.title}); "
            f"siste kjente brev: {latest_letter_year()}. "
            "Velg en frist for å se hvorfor den gjelder, kilden og hva som oppfyller den.")
        # Keep the same item selected after a write when it is still there, else the first.
        row = self.model.row_of(previous) if previous else -1
        if row < 0 and items:
            row = 0
        if row >= 0:
            self.table.select_row(self.proxy.mapFromSource(self.model.index(row, 0)).row())
            self.detail.show_item(self.model.item(row), as_of, self.model.title_of(self.model.item(row)))
        else:
            self.detail.show_item(None, as_of)
        self._show_flags(evaluation.flags_for(case.ref) if case else ())
        self.exceptions_model.set_items(case.exceptions if case else ())
        self.add_exception_button.setEnabled(case is not None)
        self.delete_exception_button.setEnabled(bool(case and case.exceptions))

    def _show_flags(self, flags: tuple[FlagItem, ...]) -> None:
        clear_layout(self.flags_layout)
        if not flags:
            self.flags_layout.addWidget(_text("Ingen markeringer.", subtle=True))
        for flag in flags:
            row = QWidget()
            row_layout = QVBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 4)
            row_layout.setSpacing(2)
            head = QHBoxLayout()
            # A long title wraps (on one line, «IPS: kontaktpersonen dekker bare behov utenfor
            # jobbspesialistens oppgaver» made the case view wider than its pane at 1400 px).
            title = tag(flag.title, "flag")
            title.setWordWrap(True)
            head.addWidget(title)
            head.addStretch(1)
            row_layout.addLayout(head)
            row_layout.addWidget(_text(str(flag.source), subtle=True))
            self.flags_layout.addWidget(row)
        self.flags_layout.addStretch(1)

    def current(self) -> DueItem | None:
        item = self.table.current_item()
        return item if isinstance(item, DueItem) else None

    def select_rule(self, rule: str) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.item(row).rule == rule:
                self.table.select_row(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                return True
        return False

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ItemRole) if current.isValid() else None
        due = item if isinstance(item, DueItem) else None
        self.detail.show_item(due, self.state.as_of, self.model.title_of(due) if due else "")

    # --- actions -------------------------------------------------------------------------------

    def _on_action(self, action: str, item: DueItem | None) -> None:
        if action == "record_offer":
            self.record_offer()
        elif action == "record_exception":
            self.record_exception(item)
        else:
            self.action_requested.emit(action, item)

    def record_offer(self) -> None:
        case = self.case
        if case is None:
            return
        day = OfferDialog.ask(self, today=self.state.as_of)
        if day is None:
            return
        self.state.write(self, lambda: self.state.cases.record_offer(case.ref, expected_version=case.version, offered_on=day),
                         ref=case.ref)

    def record_exception(self, item: DueItem | None) -> None:
        case = self.case
        if case is None:
            return
        kind = d.ExceptionKind.TILBUD_AVSLATT if item is not None and item.rule == "UG-OFFER-8W" else d.ExceptionKind.IKKE_OPPNADD_KONTAKT
        value = ExceptionDialog.ask(self, today=self.state.as_of, kind=kind, about=item.title if item else "")
        if value is None:
            return
        self.state.write(self, lambda: self.state.cases.add_exception(case.ref, expected_version=case.version,
                                                                       date=value.date, kind=value.kind, note=value.note),
                         ref=case.ref)

    def run_primary_action(self) -> None:
        item = self.current()
        if item is None:
            return
        actions = RULE_ACTIONS.get(item.rule, ())
        self._on_action(actions[0][0] if actions else "record_exception", item)

    def edit_exception(self) -> None:
        case = self.case
        exc = self.exceptions_table.current_item()
        if case is None or not isinstance(exc, d.RecordedException):
            return
        value = ExceptionDialog.ask(self, today=self.state.as_of, initial=exc)
        if value is None:
            return
        changed = d.RecordedException(id=exc.id, date=value.date, kind=value.kind, note=value.note)
        if changed != exc:
            self.state.write(self, lambda: self.state.cases.replace_item(case.ref, expected_version=case.version, item=changed),
                             ref=case.ref)

    def delete_exception(self) -> None:
        case = self.case
        exc = self.exceptions_table.current_item()
        if case is None or not isinstance(exc, d.RecordedException):
            return
        if not messages.confirm(self, "Slette unntak?",
                                f"Vil du slette unntaket «{d.EXCEPTION_LABELS[exc.kind]}» fra {fmt_date(exc.date)}?",
                                ok_text="Slett"):
            return
        self.state.write(self, lambda: self.state.cases.remove_item(case.ref, expected_version=case.version, item=exc),
                         ref=case.ref)

