"""*Oversikt*: the young person's details, benefits, flags, the contact person, external
contacts and «Mitt mål», editable with inline validation.

Each form field is bound to one part of the case. A field is *changed* when it differs from the
value the case had when the field was last loaded; saving writes only changed fields onto the
newest case, so a refresh after somebody else's save (or our own save of an external contact)
never turns an untouched field back. Nothing is saved while any field is invalid.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX, validate_fnr
from navoppfolging.rules.facts import age_at
from . import messages, theme
from .external_contact_dialog import ExternalContactDialog
from .flow_layout import FlowLayout
from .state import AppState
from .tab_common import (
    Column,
    DateField,
    ItemTableModel,
    ItemTableView,
    char_count,
    error_label,
    show_error,
    with_shortcut,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+ ()\-]*$")


def _optional(text: str) -> str | None:
    return text.strip() or None


@dataclass
class Binding:
    """One form field bound to the case: how to read it from the case, from the widget, how to
    write it to the widget and onto the case, and what is wrong with the widget's value."""

    name: str
    widget: QWidget
    from_case: Callable[[d.Case], Any]
    read: Callable[[], Any]
    write: Callable[[Any], None]
    apply: Callable[[d.Case, Any], d.Case]
    error: Callable[[], str | None]
    error_label: QLabel | None = None
    base: Any = None

    def changed(self) -> bool:
        if self.error() is not None:
            return True
        return bool(self.read() != self.base)


def _benefit(case: d.Case, part: str, field: str, value: Any) -> d.Case:
    benefits = case.benefits
    inner = dataclasses.replace(getattr(benefits, part), **{field: value})
    return dataclasses.replace(case, benefits=dataclasses.replace(benefits, **{part: inner}))


class ExternalContactsModel(ItemTableModel[d.ExternalContact]):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column[d.ExternalContact]("Rolle", lambda x: x.role),
            Column[d.ExternalContact]("Navn", lambda x: x.name, tooltip=lambda x: x.name),
            Column[d.ExternalContact]("Telefon", lambda x: x.phone or ""),
            Column[d.ExternalContact]("Organisasjon", lambda x: x.organisation or "",
                                      tooltip=lambda x: x.organisation or ""),
        ]
        # No ids in the format: a contact is itself (positions are how the service matches them).
        super().__init__(columns, key=lambda x: (x.role, x.name, x.phone, x.organisation), parent=parent)


class OverviewTab(QWidget):
    dirty_changed = Signal(bool)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewTab")
        self.state = state
        self.case: d.Case | None = None
        self._loading = False
        self._fnr_shown = False
        self._fnr_value: str | None = None
        self.bindings: dict[str, Binding] = {}

        # --- Personalia ------------------------------------------------------------------------
        self.name_edit = QLineEdit()
        self.birth_edit = DateField("Fødselsdato", required=True)
        self.fnr_edit = QLineEdit()
        self.fnr_edit.setAccessibleName("Fødselsnummer")
        self.fnr_edit.setMaximumWidth(160)
        self.fnr_button = QPushButton(theme.icon(theme.ACTION_ICONS["show_fnr"], theme.TEXT_ACTION), "Vis")
        self.fnr_button.setObjectName("showFnrButton")
        self.fnr_button.setCheckable(True)
        theme.set_variant(self.fnr_button, "tertiary")
        self.fnr_button.setToolTip("Vis hele fødselsnummeret (skjules igjen når du bytter sak)")
        self.fnr_button.toggled.connect(self.set_fnr_shown)
        self.phone_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.language_combo = QComboBox()
        self.language_combo.setEditable(True)
        self.language_combo.setAccessibleName("Språk")
        # The language by name (the code is what is stored); the list is the one «Ny sak» offers,
        # and any other language may be typed.
        for code, label in d.LANGUAGE_LABELS.items():
            self.language_combo.addItem(label, code)
        self.interpreter_box = QCheckBox("Har behov for tolk")
        self.interpreter_box.setAccessibleName("Behov for tolk")
        self.age_label = QLabel()
        self.age_label.setProperty("subtle", "true")

        personal = QGroupBox("Personopplysninger")
        pf = QFormLayout(personal)
        self._row(pf, "&Navn:", self.name_edit, "name", lambda c: c.name, self.name_edit.text, self.name_edit.setText,
                  lambda c, v: dataclasses.replace(c, name=v.strip()), self._name_error, accessible="Navn")
        birth_row = QHBoxLayout()
        birth_row.addWidget(self.birth_edit)
        birth_row.addWidget(self.age_label)
        birth_row.addStretch(1)
        self._row(pf, "&Fødselsdato:", birth_row, "birth_date", lambda c: c.birth_date, self._read_date(self.birth_edit),
                  self.birth_edit.set_date, lambda c, v: dataclasses.replace(c, birth_date=v), self.birth_edit.error,
                  widget=self.birth_edit)
        fnr_row = QHBoxLayout()
        fnr_row.addWidget(self.fnr_edit)
        fnr_row.addWidget(self.fnr_button)
        fnr_row.addStretch(1)
        self._row(pf, "Fødsels&nummer:", fnr_row, "fnr", lambda c: c.fnr, self._read_fnr, self._write_fnr,
                  lambda c, v: dataclasses.replace(c, fnr=v), self._fnr_error, widget=self.fnr_edit)
        self._row(pf, "&Telefon:", self.phone_edit, "phone", lambda c: c.phone, lambda: _optional(self.phone_edit.text()),
                  lambda v: self.phone_edit.setText(v or ""), lambda c, v: dataclasses.replace(c, phone=v),
                  self._phone_error, accessible="Telefon")
        self._row(pf, "&E-post:", self.email_edit, "email", lambda c: c.email, lambda: _optional(self.email_edit.text()),
                  lambda v: self.email_edit.setText(v or ""), lambda c, v: dataclasses.replace(c, email=v),
                  self._email_error, accessible="E-post")
        self._row(pf, "S&pråk:", self.language_combo, "language", lambda c: d.language_code(c.language), self._read_language,
                  self._write_language, lambda c, v: dataclasses.replace(c, language=v), self._language_error)
        self._row(pf, "", self.interpreter_box, "needs_interpreter", lambda c: c.needs_interpreter,
                  self.interpreter_box.isChecked, self.interpreter_box.setChecked,
                  lambda c, v: dataclasses.replace(c, needs_interpreter=v), lambda: None)

        # --- Oppfølging ------------------------------------------------------------------------
        self.registered_edit = DateField("Registreringsdato")
        self.offered_edit = DateField("Dato tilbud om oppfølging ble gitt")
        follow = QGroupBox("Oppfølging")
        ff = QFormLayout(follow)
        self._date_row(ff, "&Registrert:", self.registered_edit, "registered_on", lambda c: c.registered_on,
                       lambda c, v: dataclasses.replace(c, registered_on=v))
        self._date_row(ff, "Tilbud om &oppfølging gitt:", self.offered_edit, "follow_up_offered_on",
                       lambda c: c.follow_up_offered_on, lambda c, v: dataclasses.replace(c, follow_up_offered_on=v))
        self.flag_boxes: dict[d.Flag, QCheckBox] = {}
        # The flags flow onto as many lines as the box's width needs (a fixed three a row made
        # the form wider than the case view beside the due list at 1400 px: it scrolled sideways).
        flags_widget = QWidget()
        flags_row = FlowLayout(flags_widget, spacing=12)
        flags_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        for flag, label in d.FLAG_LABELS.items():
            box = QCheckBox(label)
            box.setAccessibleName(f"Markering {label}")
            self.flag_boxes[flag] = box
            flags_row.addWidget(box)
        self._row(ff, "Markeringer:", flags_widget, "flags", lambda c: tuple(c.flags), self._read_flags,
                  self._write_flags, lambda c, v: dataclasses.replace(c, flags=v), lambda: None)

        # --- Ytelser ---------------------------------------------------------------------------
        benefits = QGroupBox("Ytelser")
        bf = QFormLayout(benefits)
        self.dp_end = DateField("Dagpenger slutt")
        self.aap_applied = DateField("AAP søkt")
        self.aap_decided = DateField("AAP vedtak")
        self.aap_start = DateField("AAP start")
        self.aap_end = DateField("AAP slutt")
        self.omst_death = DateField("Omstillingsstønad dødsdato")
        self.sick_start = DateField("Sykmeldt uten arbeidsgiver fra")
        self._date_row(bf, "Dagpenger, siste dag:", self.dp_end, "dagpenger_end", lambda c: c.benefits.dagpenger.end,
                       lambda c, v: _benefit(c, "dagpenger", "end", v))
        self._date_row(bf, "AAP søkt:", self.aap_applied, "aap_applied_on", lambda c: c.benefits.aap.applied_on,
                       lambda c, v: _benefit(c, "aap", "applied_on", v))
        self._date_row(bf, "AAP vedtak:", self.aap_decided, "aap_decided_on", lambda c: c.benefits.aap.decided_on,
                       lambda c, v: _benefit(c, "aap", "decided_on", v))
        self._date_row(bf, "AAP fra:", self.aap_start, "aap_start", lambda c: c.benefits.aap.start,
                       lambda c, v: _benefit(c, "aap", "start", v))
        self._date_row(bf, "AAP til:", self.aap_end, "aap_end", lambda c: c.benefits.aap.end,
                       lambda c, v: _benefit(c, "aap", "end", v))
        self._date_row(bf, "Omstillingsstønad, dødsfall:", self.omst_death, "omstilling_death",
                       lambda c: c.benefits.omstillingsstonad.death_date,
                       lambda c, v: _benefit(c, "omstillingsstonad", "death_date", v))
        self._date_row(bf, "Sykmeldt uten arbeidsgiver fra:", self.sick_start, "sick_leave_start",
                       lambda c: c.sick_leave_start, lambda c, v: dataclasses.replace(c, sick_leave_start=v))

        # --- Mitt mål --------------------------------------------------------------------------
        goal_box = QGroupBox("Mitt mål (med den unges egne ord)")
        gl = QVBoxLayout(goal_box)
        self.goal_edit = QPlainTextEdit()
        self.goal_edit.setAccessibleName("Mitt mål")
        self.goal_edit.setTabChangesFocus(True)
        self.goal_edit.setFixedHeight(64)
        self.goal_edit.setPlaceholderText("For eksempel: «Fullføre vg3 og få læreplass som elektriker»")
        self.goal_count = QLabel()
        self.goal_count.setProperty("subtle", "true")
        self.goal_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        goal_error = error_label()
        gl.addWidget(self.goal_edit)
        gl.addWidget(self.goal_count)
        gl.addWidget(goal_error)
        self._bind("goal", self.goal_edit, lambda c: c.goal, lambda: _optional(self.goal_edit.toPlainText()),
                   lambda v: self.goal_edit.setPlainText(v or ""), lambda c, v: dataclasses.replace(c, goal=v),
                   self._goal_error, goal_error)
        self.goal_edit.textChanged.connect(self._on_edited)

        # --- Kontaktperson ---------------------------------------------------------------------
        advisor_box = QGroupBox("Fast kontaktperson i NAV")
        # Name, phone and e-mail on one line where it fits, else on more (one line was wider
        # than the case view's half at 1400 px).
        advisor_row = QWidget(advisor_box)
        af = FlowLayout(advisor_row, spacing=16)
        QVBoxLayout(advisor_box).addWidget(advisor_row)
        self.advisor_name = QLabel()
        self.advisor_phone = QLabel()
        self.advisor_email = QLabel()
        for value_label in (self.advisor_name, self.advisor_phone, self.advisor_email):
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advisor_name.setAccessibleName("Veileder")
        self.advisor_phone.setAccessibleName("Veileders telefon")
        self.advisor_email.setAccessibleName("Veileders e-post")
        af.addWidget(self.advisor_name)
        for caption, value_label in (("Telefon:", self.advisor_phone), ("E-post:", self.advisor_email)):
            pair = QWidget(advisor_row)
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            pair_layout.addWidget(QLabel(caption, pair))
            pair_layout.addWidget(value_label)
            af.addWidget(pair)

        # --- Eksterne kontakter ----------------------------------------------------------------
        external_box = QGroupBox("Eksterne kontakter")
        el = QVBoxLayout(external_box)
        self.external_model = ExternalContactsModel(self)
        self.external_table = ItemTableView("Eksterne kontakter", self)
        self.external_table.setSortingEnabled(False)
        self.external_table.setModel(self.external_model)
        self.external_table.set_empty_text("Ingen eksterne kontakter registrert")
        self.external_table.setMinimumHeight(120)
        # Rolle and Telefon as wide as they are; Navn and Organisasjon (free text) share the rest
        # (all to contents, «Organisasjon» was cut to «Organ…» under a scroll bar).
        external_header = self.external_table.horizontalHeader()
        external_header.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch)):
            external_header.setSectionResizeMode(column, mode)
        external_header.setTextElideMode(Qt.TextElideMode.ElideRight)  # «Organis…», not clipped
        self.external_table.activated.connect(lambda _i: self.edit_external())
        self.external_table.delete_requested.connect(self.remove_external)
        self.external_add = QPushButton(theme.icon("Plus", theme.TEXT_ACTION), "Legg til")
        self.external_edit = QPushButton(theme.icon(theme.ACTION_ICONS["edit"], theme.TEXT_ACTION), "Endre")
        self.external_remove = QPushButton(theme.icon(theme.ACTION_ICONS["delete"], theme.TEXT_ACTION), "Fjern")
        self.external_add.setAccessibleName("Legg til ekstern kontakt")
        self.external_edit.setAccessibleName("Endre ekstern kontakt")
        self.external_remove.setAccessibleName("Fjern ekstern kontakt")
        self.external_add.clicked.connect(self.add_external)
        self.external_edit.clicked.connect(self.edit_external)
        self.external_remove.clicked.connect(self.remove_external)
        eb = QHBoxLayout()
        eb.addWidget(self.external_add)
        eb.addWidget(self.external_edit)
        eb.addWidget(self.external_remove)
        eb.addStretch(1)
        el.addWidget(self.external_table, 1)
        el.addLayout(eb)

        # --- Save bar --------------------------------------------------------------------------
        self.save_button = QPushButton(theme.icon(theme.ACTION_ICONS["save"], theme.TEXT_ON_ACTION), "Lagre endringer")
        self.save_button.setObjectName("saveOverview")
        theme.set_variant(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        with_shortcut(self.save_button, QKeySequence.StandardKey.Save, "Lagre endringene i Oversikt")
        self.revert_button = QPushButton("Angre endringer")
        theme.set_variant(self.revert_button, "tertiary")
        self.revert_button.clicked.connect(self.revert)
        self.save_state = QLabel()
        self.save_state.setProperty("subtle", "true")
        bar = QHBoxLayout()
        bar.addWidget(self.save_button)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_state, 1)

        for form in (pf, ff, bf):
            form.setVerticalSpacing(4)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        # «Mitt mål» across the top: it is the young person's own words and what the plan is for.
        left_bottom = QVBoxLayout()
        left_bottom.setSpacing(10)
        left_bottom.addWidget(follow)
        left_bottom.addWidget(advisor_box)
        left_bottom.addStretch(1)
        grid.addWidget(goal_box, 0, 0, 1, 2)
        grid.addWidget(personal, 1, 0)
        grid.addWidget(benefits, 1, 1)
        grid.addLayout(left_bottom, 2, 0)
        grid.addWidget(external_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        content = QWidget()
        content.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)
        # Tab follows the reading order: the goal first (it sits on top), then each box.
        chain: list[QWidget] = [
            self.goal_edit, self.name_edit, self.birth_edit, self.fnr_edit, self.fnr_button, self.phone_edit,
            self.email_edit, self.language_combo, self.interpreter_box, self.registered_edit, self.offered_edit,
            *self.flag_boxes.values(), self.dp_end, self.aap_applied, self.aap_decided, self.aap_start, self.aap_end,
            self.omst_death, self.sick_start, self.external_table, self.external_add, self.external_edit,
            self.external_remove, self.save_button, self.revert_button,
        ]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self._update_state()

    # --- building the form ---------------------------------------------------------------------

    def _bind(self, name: str, widget: QWidget, from_case: Callable[[d.Case], Any], read: Callable[[], Any],
              write: Callable[[Any], None], apply: Callable[[d.Case, Any], d.Case], error: Callable[[], str | None],
              label: QLabel | None) -> Binding:
        binding = Binding(name, widget, from_case, read, write, apply, error, label)
        self.bindings[name] = binding
        return binding

    def _row(self, form: QFormLayout, text: str, field: Any, name: str, from_case: Callable[[d.Case], Any],
             read: Callable[[], Any], write: Callable[[Any], None], apply: Callable[[d.Case, Any], d.Case],
             error: Callable[[], str | None], *, widget: QWidget | None = None, accessible: str | None = None) -> None:
        target = widget or field
        if accessible:
            target.setAccessibleName(accessible)
        # The error line sits under its field in one cell, so a hidden one takes no room.
        label = error_label()
        cell = QWidget()
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(0, 0, 0, 0)
        cell_layout.setSpacing(2)
        if isinstance(field, QWidget):
            cell_layout.addWidget(field)
        else:
            cell_layout.addLayout(field)
        cell_layout.addWidget(label)
        form.addRow(text, cell)
        buddy = form.labelForField(cell)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(target)
        self._bind(name, target, from_case, read, write, apply, error, label)
        for signal_name in ("textChanged", "toggled", "currentTextChanged"):
            signal = getattr(target, signal_name, None)
            if signal is not None:
                signal.connect(self._on_edited)
        if name == "flags":
            for box in self.flag_boxes.values():
                box.toggled.connect(self._on_edited)

    def _date_row(self, form: QFormLayout, text: str, field: DateField, name: str,
                  from_case: Callable[[d.Case], Any], apply: Callable[[d.Case, Any], d.Case]) -> None:
        self._row(form, text, field, name, from_case, self._read_date(field), field.set_date, apply, field.error)

    @staticmethod
    def _read_date(field: DateField) -> Callable[[], Any]:
        def read() -> Any:
            try:
                return field.date()
            except ValueError:
                return field.text()
        return read

    # --- field readers, writers and checks ------------------------------------------------------

    def _name_error(self) -> str | None:
        name = self.name_edit.text().strip()
        if not name:
            return "Navnet må fylles ut."
        if len(name) > MAX["name"]:
            return f"Navnet kan ha høyst {MAX['name']} tegn (nå {len(name)})."
        return None

    def _phone_error(self) -> str | None:
        phone = self.phone_edit.text().strip()
        if len(phone) > MAX["phone"]:
            return f"Telefonnummeret kan ha høyst {MAX['phone']} tegn."
        if not _PHONE.match(phone):
            return "Telefonnummeret kan bare ha sifre, mellomrom, +, - og parenteser."
        return None

    def _email_error(self) -> str | None:
        email = self.email_edit.text().strip()
        if len(email) > MAX["email"]:
            return f"E-postadressen kan ha høyst {MAX['email']} tegn."
        if email and not _EMAIL.match(email):
            return "Skriv en gyldig e-postadresse (navn@eksempel.no)."
        return None

    def _goal_error(self) -> str | None:
        n = len(self.goal_edit.toPlainText().strip())
        if n > MAX["goal"]:
            return f"Målet kan ha høyst {MAX['goal']} tegn (nå {n}). Kort det ned."
        return None

    def _read_language(self) -> str | None:
        # A listed name (typed in any case) is its code; anything else is stored as typed.
        index = self.language_combo.findText(self.language_combo.currentText().strip(), Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.language_combo.itemData(index))
        return _optional(self.language_combo.currentText())

    def _write_language(self, code: str | None) -> None:
        index = self.language_combo.findData(code) if code else -1
        if index >= 0:
            self.language_combo.setCurrentIndex(index)
        else:
            self.language_combo.setCurrentText(d.language_label(code))

    def _language_error(self) -> str | None:
        value = self._read_language() or ""
        if len(value) > MAX["language"]:
            return f"Språket kan ha høyst {MAX['language']} tegn."
        return None

    def _read_flags(self) -> tuple[d.Flag, ...]:
        return tuple(flag for flag in d.Flag if self.flag_boxes[flag].isChecked())

    def _write_flags(self, flags: tuple[d.Flag, ...]) -> None:
        for flag, box in self.flag_boxes.items():
            box.setChecked(flag in flags)

    def _read_fnr(self) -> str | None:
        if self._fnr_editable():
            return _optional(self.fnr_edit.text())
        return self._fnr_value

    def _write_fnr(self, fnr: str | None) -> None:
        self._fnr_value = fnr
        self._show_fnr_text()

    def _fnr_editable(self) -> bool:
        # With no number stored there is nothing to hide: the field takes a new one directly.
        return self._fnr_shown or not self._fnr_value

    def _show_fnr_text(self) -> None:
        was = self._loading
        self._loading = True
        try:
            if self._fnr_editable():
                self.fnr_edit.setReadOnly(False)
                self.fnr_edit.setText(self._fnr_value or "")
                self.fnr_edit.setPlaceholderText("11 sifre")
            else:
                self.fnr_edit.setReadOnly(True)
                self.fnr_edit.setText(d.mask_fnr(self._fnr_value))
        finally:
            self._loading = was
        self.fnr_button.setVisible(bool(self._fnr_value))

    def _fnr_error(self) -> str | None:
        value = self._read_fnr()
        if not value:
            return None
        return validate_fnr(value)

    def set_fnr_shown(self, shown: bool) -> None:
        """«Vis»: the whole number, only on request; «Skjul» masks it again."""
        if not shown and self._fnr_editable():
            # Keep what was typed; it is masked again from now on.
            typed = _optional(self.fnr_edit.text())
            if typed and validate_fnr(typed) is not None:
                # An invalid number is not hidden: the advisor must see what to correct.
                self.fnr_button.blockSignals(True)
                self.fnr_button.setChecked(True)
                self.fnr_button.blockSignals(False)
                return
            self._fnr_value = typed
        self._fnr_shown = shown
        self.fnr_button.blockSignals(True)
        self.fnr_button.setChecked(shown)
        self.fnr_button.blockSignals(False)
        self.fnr_button.setText("Skjul" if shown else "Vis")
        self.fnr_button.setIcon(theme.icon(theme.ACTION_ICONS["hide_fnr" if shown else "show_fnr"], theme.TEXT_ACTION))
        self._show_fnr_text()
        self._update_state()

    # --- showing -------------------------------------------------------------------------------

    def set_case(self, case: d.Case | None, *, new_case: bool = False) -> None:
        """Show ``case``. ``new_case``: another case than before (unsaved edits are dropped and
        the fødselsnummer is masked again); otherwise changed fields keep their edits."""
        self.case = case
        self._loading = True
        try:
            if new_case:
                self._fnr_shown = False
                self.fnr_button.blockSignals(True)
                self.fnr_button.setChecked(False)
                self.fnr_button.blockSignals(False)
                self.fnr_button.setText("Vis")
                self.fnr_button.setIcon(theme.icon(theme.ACTION_ICONS["show_fnr"], theme.TEXT_ACTION))
            for b in self.bindings.values():
                if case is None:
                    continue
                new_base = b.from_case(case)
                if new_case or not b.changed():
                    b.write(new_base)
                b.base = new_base
        finally:
            self._loading = False
        if case is not None:
            self.age_label.setText(f"{_age(case, self.state.as_of)} år")
            advisor = self.state.advisor(case.advisor)
            self.advisor_name.setText(f"<b>{html.escape(advisor.name if advisor else case.advisor)}</b>")
            self.advisor_phone.setText((advisor.phone or "–") if advisor else "–")
            self.advisor_email.setText((advisor.email or "–") if advisor else "–")
            self.external_model.set_items(case.external_contacts)
        else:
            self.external_model.set_items(())
        self._show_fnr_text()
        self._update_state()

    def is_dirty(self) -> bool:
        return any(b.changed() for b in self.bindings.values())

    def errors(self) -> dict[str, str]:
        return {name: msg for name, b in self.bindings.items() if (msg := b.error())}

    def _on_edited(self, *_: Any) -> None:
        if not self._loading:
            self._update_state()

    def _update_state(self) -> None:
        errors = self.errors()
        for name, b in self.bindings.items():
            if b.error_label is not None:
                show_error(b.error_label, errors.get(name))
            if not isinstance(b.widget, DateField) and name not in ("flags", "needs_interpreter"):
                theme.set_invalid(b.widget, name in errors)
        n = len(self.goal_edit.toPlainText().strip())
        self.goal_count.setText(char_count(n, MAX["goal"]))
        dirty = self.case is not None and self.is_dirty()
        self.save_button.setEnabled(dirty and not errors)
        self.revert_button.setEnabled(dirty)
        self.revert_button.setVisible(dirty)
        if errors:
            self.save_state.setText(f"Rett opp {len(errors)} felt før du kan lagre.")
        elif dirty:
            self.save_state.setText("Du har endringer som ikke er lagret.")
        else:
            self.save_state.setText("")
        self.dirty_changed.emit(dirty)

    # --- saving --------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the changed fields onto the newest case. Refused (False) while a field is
        invalid; conflicts and service refusals are told by ``AppState.write``."""
        if self.case is None or self.errors():
            self._update_state()
            return False
        ref = self.case.ref
        case = self.state.case(ref)
        changed = [b for b in self.bindings.values() if b.changed()]
        if not changed:
            return True
        new = case
        for b in changed:
            new = b.apply(new, b.read())
        result = self.state.write(self, lambda: self.state.cases.save(new), ref=ref)
        return result is not None

    def revert(self) -> None:
        if self.case is not None:
            self._loading = True
            try:
                for b in self.bindings.values():
                    b.write(b.base)
            finally:
                self._loading = False
            self._show_fnr_text()
        self._update_state()

    def focus_field(self, name: str) -> None:
        b = self.bindings.get(name)
        if b is not None:
            b.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- external contacts ---------------------------------------------------------------------

    def _save_external(self, contacts: tuple[d.ExternalContact, ...]) -> None:
        if self.case is None:
            return
        ref = self.case.ref
        case = self.state.case(ref)
        self.state.write(self, lambda: self.state.cases.save(dataclasses.replace(case, external_contacts=contacts)), ref=ref)

    def add_external(self) -> None:
        if self.case is None:
            return
        contact = ExternalContactDialog.ask(self)
        if contact is not None:
            self._save_external((*self.state.case(self.case.ref).external_contacts, contact))

    def _current_external_row(self) -> int:
        index = self.external_table.currentIndex()
        return index.row() if index.isValid() else -1

    def edit_external(self) -> None:
        row = self._current_external_row()
        if self.case is None or row < 0:
            return
        current = self.external_model.item(row)
        changed = ExternalContactDialog.ask(self, initial=current)
        if changed is None or changed == current:
            return
        contacts = list(self.state.case(self.case.ref).external_contacts)
        contacts[row] = changed
        self._save_external(tuple(contacts))

    def remove_external(self) -> None:
        row = self._current_external_row()
        if self.case is None or row < 0:
            return
        current = self.external_model.item(row)
        if not messages.confirm(self, "Fjerne ekstern kontakt?", f"Vil du fjerne {current.name} ({current.role})?",
                                ok_text="Fjern"):
            return
        contacts = list(self.state.case(self.case.ref).external_contacts)
        del contacts[row]
        self._save_external(tuple(contacts))


def _age(case: d.Case, as_of: Any) -> int:
    return age_at(case.birth_date, as_of)
