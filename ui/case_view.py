"""The case view: one young person's case with a header and seven tabs (Oversikt, Vurderinger,
Kontakter, Aktivitetsplan, Oppfølging, Huskelapp, Historikk).

The main window hosts it::

    view = CaseView(state, parent)
    view.show_case("U-0001", "oppfolging")   # tab ids: see TAB_IDS
    view.register_contact()                  # the window's Ctrl+K
    view.current_ref                         # the case shown, or None
    view.closed.connect(window.show_list)    # «Tilbake til porteføljen» / Esc

The view reads the case from ``AppState``'s cache and refreshes itself on ``data_changed``;
each tab writes through ``AppState.write``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from navoppfolging import domain as d
from navoppfolging.errors import NotFoundError
from navoppfolging.rules import DueItem, Status
from navoppfolging.rules.facts import age_at, in_ug_target_group, last_meeting, latest_assessment, next_planned_contact
from . import messages, theme
from .history_tab import HistoryTab
from .state import AppState
from .tab_activities import ActivitiesTab
from .tab_assessments import AssessmentsTab
from .tab_common import clear_layout, fmt_date, fmt_time, tag
from .tab_contacts import ContactsTab
from .tab_followup import FollowUpTab
from .tab_overview import OverviewTab
from .tab_reminders import RemindersTab

TAB_IDS: tuple[str, ...] = ("oversikt", "vurderinger", "kontakter", "aktivitetsplan", "oppfolging", "huskelapp", "historikk")
TAB_TITLES: dict[str, str] = {
    "oversikt": "&Oversikt", "vurderinger": "&Vurderinger", "kontakter": "&Kontakter", "aktivitetsplan": "&Aktivitetsplan",
    "oppfolging": "O&ppfølging", "huskelapp": "&Huskelapp", "historikk": "H&istorikk",
}


class CaseHeader(QWidget):
    """Name, age, ref, innsatsgruppe, the youth-guarantee badge, flags, «ny for deg», the last
    meeting and the next planned one (always visible, product.md §2)."""

    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseHeader")
        self.back_button = QPushButton(theme.icon(theme.ACTION_ICONS["previous"], theme.TEXT_ACTION), "Tilbake til porteføljen")
        self.back_button.setObjectName("backButton")
        self.back_button.setToolTip("Tilbake til porteføljen (Esc)")
        theme.set_variant(self.back_button, "tertiary")
        self.back_button.clicked.connect(self.back_requested)
        self.name_label = QLabel()
        self.name_label.setObjectName("caseName")
        self.name_label.setProperty("heading", "large")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("caseFacts")
        self.meetings_label = QLabel()
        self.meetings_label.setObjectName("caseMeetings")
        self.meetings_label.setProperty("subtle", "true")
        self.tags = QHBoxLayout()
        self.tags.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(self.name_label)
        top.addSpacing(12)
        top.addLayout(self.tags)
        top.addStretch(1)
        top.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.meetings_label)
        self.tag_texts: list[str] = []

    def show_case(self, case: d.Case, *, as_of: dt.date, items: tuple[DueItem, ...], is_new: bool) -> None:
        self.name_label.setText(case.name)
        latest = latest_assessment(case, as_of)
        # Without an assessment the header names the field, as «Hovedmål:» is named.
        group = (d.INNSATSGRUPPE_LABELS[latest.innsatsgruppe] if latest
                 else f"Innsatsgruppe: {d.INNSATSGRUPPE_UNSET_LABEL.lower()}")
        parts = [f"{age_at(case.birth_date, as_of)} år", f"Sak {case.ref}", group]
        if case.hovedmal:
            parts.append(f"Hovedmål: {d.HOVEDMAL_LABELS[case.hovedmal]}")
        if case.needs_interpreter:
            language = d.language_label(case.language)
            # In running text a language is lower case: «Trenger tolk (ukrainsk)».
            parts.append("Trenger tolk" + (f" ({language[:1].lower()}{language[1:]})" if language else ""))
        if case.closed_on and case.closed_on <= as_of:
            parts.append(f"Avsluttet {fmt_date(case.closed_on)}")
        self.facts_label.setText("  ·  ".join(parts))
        meeting = last_meeting(case, as_of)
        planned = next_planned_contact(case, as_of)
        next_text = "ingen planlagt"
        if planned is not None:
            next_text = fmt_date(planned.date) + (f" kl. {fmt_time(planned.time)}" if planned.time else "")
            next_text += f" ({d.CHANNEL_LABELS[planned.channel].lower()})"
        overdue = sum(1 for i in items if i.status is Status.OVERDUE)
        soon = sum(1 for i in items if i.status is Status.DUE_SOON)
        due_text = f"{overdue} forfalt, {soon} forfaller snart" if items else "ingen frister"
        self.meetings_label.setText(
            f"Siste møte: {fmt_date(meeting.date) if meeting else 'ingen'}  ·  Neste møte: {next_text}"
            f"  ·  Frister: {due_text}")
        # Tags: UG, flags, ny for deg.
        clear_layout(self.tags)
        self.tag_texts = []
        if in_ug_target_group(case, as_of):
            self._add_tag("Ungdomsgarantien", "youth_guarantee", "I målgruppen for ungdomsgarantien (MDB-2024 §2.1.1)")
        for flag in case.flags:
            self._add_tag(d.FLAG_LABELS[flag], "flag", "Prioritert gruppe / markering")
        if is_new:
            self._add_tag("Ny for deg", "upcoming", "Saken er nylig overført til deg")

    def _add_tag(self, text: str, kind: str, tip: str) -> None:
        self.tags.addWidget(tag(text, kind, tooltip=tip))
        self.tag_texts.append(text)


class CaseView(QWidget):
    closed = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.setAccessibleName("Sak")
        self.state = state
        self._ref: str | None = None
        self._new_for_me = False

        self.header = CaseHeader(self)
        self.header.back_requested.connect(self.close_case)
        self.overview = OverviewTab(state, self)
        self.assessments = AssessmentsTab(state, self)
        self.contacts = ContactsTab(state, self)
        self.activities = ActivitiesTab(state, self)
        self.followup = FollowUpTab(state, self)
        self.reminders = RemindersTab(state, self)
        self.history = HistoryTab(self)
        self.followup.action_requested.connect(self._on_followup_action)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("caseTabs")
        self.tabs.setAccessibleName("Faner i saken")
        self.tabs.setDocumentMode(True)
        self._pages: dict[str, QWidget] = {
            "oversikt": self.overview, "vurderinger": self.assessments, "kontakter": self.contacts,
            "aktivitetsplan": self.activities, "oppfolging": self.followup, "huskelapp": self.reminders,
            "historikk": self.history,
        }
        for tab_id in TAB_IDS:
            page = self._pages[tab_id]
            page.setAccessibleName(TAB_TITLES[tab_id].replace("&", ""))
            self.tabs.addTab(page, TAB_TITLES[tab_id])
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.setTabOrder(self.header.back_button, self.tabs)
        state.data_changed.connect(self.refresh)

    # --- the API the main window uses -------------------------------------------------------

    @property
    def current_ref(self) -> str | None:
        return self._ref

    def show_case(self, ref: str, tab: str | None = None) -> bool:
        """Show case ``ref`` (on ``tab`` when given). Unsaved edits in Oversikt of another
        case are offered for saving first; False when the advisor chose to stay on it."""
        if tab is not None and tab not in self._pages:
            raise ValueError(f"unknown tab {tab!r}; expected one of {', '.join(TAB_IDS)}")
        case = self.state.case(ref)
        if ref != self._ref:
            if not self.may_leave():
                return False
            self._ref = ref
            self._new_for_me = self.state.is_new_for_me(ref)
            self._show(case, new_case=True)
            if self._new_for_me:
                # Opened by the receiving advisor: no longer «ny for deg» in the portfolio. The
                # badge stays in this header for this visit so the advisor sees why.
                self.state.cases.mark_opened(ref)
                self.state.reload()
        if tab is not None:
            self.show_tab(tab)
        return True

    def register_contact(self) -> None:
        """Open «Registrer kontakt» for the shown case (the window's Ctrl+K)."""
        if self._ref is not None:
            self.contacts.register_contact()

    # --- tabs ------------------------------------------------------------------------------------

    def show_tab(self, tab: str) -> None:
        self.tabs.setCurrentWidget(self._pages[tab])

    def current_tab(self) -> str:
        page = self.tabs.currentWidget()
        return next(k for k, v in self._pages.items() if v is page)

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.history and self._ref is not None:
            self._load_history()

    def _load_history(self) -> None:
        if self._ref is not None:
            self.history.set_entries(self.state.audit.history(self._ref), self.state.advisor_names())

    # --- refresh ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._ref is None:
            return
        try:
            case = self.state.case(self._ref)
        except NotFoundError:
            self._ref = None
            self.closed.emit()
            return
        self._show(case, new_case=False)

    def _show(self, case: d.Case, *, new_case: bool) -> None:
        items = self.state.evaluation().items_for(case.ref)
        self.header.show_case(case, as_of=self.state.as_of, items=items, is_new=self._new_for_me)
        self.overview.set_case(case, new_case=new_case)
        self.assessments.set_case(case)
        self.contacts.set_case(case)
        self.activities.set_case(case)
        self.followup.set_case(case)
        self.reminders.set_case(case)
        self.tabs.setTabText(self.tabs.indexOf(self.followup),
                             f"O&ppfølging ({len(items)})" if items else TAB_TITLES["oppfolging"])
        open_reminders = sum(1 for h in case.reminders if not h.done)
        self.tabs.setTabText(self.tabs.indexOf(self.reminders),
                             f"&Huskelapp ({open_reminders})" if open_reminders else TAB_TITLES["huskelapp"])
        if self.tabs.currentWidget() is self.history:
            self._load_history()

    # --- leaving ---------------------------------------------------------------------------------

    def may_leave(self) -> bool:
        """Never drop an entry silently: unsaved changes in Oversikt are offered for saving
        («Lagre», «Ikke lagre», «Avbryt»). False when the advisor stays (Avbryt, or a save that
        was refused); the Oversikt tab is shown then."""
        if self._ref is None or not self.overview.is_dirty():
            return True
        if self.overview.errors():
            if messages.confirm(self, "Endringene kan ikke lagres",
                                "Noen felt i Oversikt er ugyldige, så endringene kan ikke lagres. "
                                "Vil du forkaste endringene?", ok_text="Forkast endringene"):
                self.overview.revert()
                return True
        else:
            answer = messages.ask_save(self, "Lagre endringene?",
                                       "Du har endringer i Oversikt som ikke er lagret. Vil du lagre dem?")
            if answer == "discard":
                self.overview.revert()
                return True
            if answer == "save" and self.overview.save() and not self.overview.is_dirty():
                return True
        self.show_tab("oversikt")
        return False

    def close_case(self) -> None:
        if self.may_leave():
            self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc reaches the view only when no editor, popup or dialog took it first.
        if event.key() == Qt.Key.Key_Escape:
            self.close_case()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- the Oppfølging tab's buttons --------------------------------------------------------------

    def _on_followup_action(self, action: str, item: Any) -> None:
        activity = item.activity if isinstance(item, DueItem) else None
        contact = item.contact if isinstance(item, DueItem) else None
        if action == "register_contact":
            self.contacts.register_contact()
        elif action == "plan_meeting":
            self.contacts.plan_meeting()
        elif action == "register_assessment":
            self.assessments.add_assessment()
        elif action == "add_activity":
            self.activities.add_activity()
        elif action == "open_plan":
            self.show_tab("aktivitetsplan")
        elif action == "show_activity" and activity:
            self.show_tab("aktivitetsplan")
            self.activities.select(activity)
        elif action == "complete_activity" and activity:
            self.activities.set_status(activity, d.ActivityStatus.FULLFORT)
        elif action == "book_interpreter" and contact:
            self.contacts.book_interpreter(contact)
        elif action == "show_contact" and contact:
            self.show_tab("kontakter")
            self.contacts.select(contact)
        elif action == "edit_aap":
            self.show_tab("oversikt")
            self.overview.focus_field("aap_decided_on")
