"""«Ny sak» and «Avslutt sak»: forms with inline validation in bokmål.

Each field says what is wrong right beside it, and the save button stays disabled while any
field is invalid, so nothing is sent to the services that they would refuse. A field's error
shows only once the user has dealt with it — left a text field after typing in it, picked a
value — or has tried to save (Enter, or a click on the disabled save button): a dialog that
opens full of red text for fields nobody has touched yet reads as a reprimand. The services
validate again (the same rules as the import); a refusal still comes back as a message through
``AppState.write`` and the dialog stays open.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX, validate_fnr
from navoppfolging.rules.facts import age_at, fmt
from . import theme
from .qdates import from_qdate, to_qdate
from .state import ME_SETTING, AppState
from .tab_common import DateField, char_count, grow_to_fit

CLOSE_REASONS: tuple[str, ...] = (
    "Over i arbeid", "Over i utdanning", "Flyttet til et annet NAV-kontor", "Fylt 30 år",
    "Ønsker ikke videre oppfølging", "Over til annen oppfølging",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ]{8,}$")


def date_edit(day: dt.date, name: str, accessible: str) -> QDateEdit:
    edit = QDateEdit(to_qdate(day))
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setCalendarPopup(True)
    edit.setMinimumWidth(130)
    return edit


def fnr_matches_birth_date(fnr: str, birth: dt.date) -> bool:
    """The first six digits are the birth date (D-nummer: day + 40; H-nummer: month + 40)."""
    day, month, year = int(fnr[0:2]), int(fnr[2:4]), int(fnr[4:6])
    if day > 40:
        day -= 40
    if month > 40:
        month -= 40
    return (day, month, year) == (birth.day, birth.month, birth.year % 100)


class _Form(QDialog):
    """Shared plumbing: one error label per field, re-validated on every edit; ``save`` runs
    when the user presses «Lagre».

    Validity (and so the save button) always follows every field; a field's error is *shown*
    once the field is touched: a text field when the user leaves it after typing, a choice
    (date, list) when it changes, every field when the user tries to save."""

    def __init__(self, parent: QWidget | None, *, save: Callable[[], None]) -> None:
        super().__init__(parent)
        self._checks: list[tuple[QWidget, Callable[[], bool]]] = []
        self._touched: set[QWidget] = set()
        self._typed: set[QWidget] = set()  # text fields edited since they were last left
        self._left: dict[QObject, QWidget] = {}  # widget whose focus-out means leaving → its field
        self._show_all = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = QPushButton("Lagre")
        self.ok_button.setObjectName("okButton")
        theme.set_variant(self.ok_button, "primary")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        self.buttons.accepted.connect(save)
        self.buttons.rejected.connect(self.reject)
        # A click on the disabled save button still reaches an event filter: it is the user's
        # «why can't I save?», answered by showing every field's error.
        self.ok_button.installEventFilter(self)

    def add_field(self, label: str, field: QWidget, check: Callable[[], str | None] | None = None,
                  *, hint: str = "") -> QLabel:
        """Add a row with an error label under the field; ``check`` returns the problem or None.
        ``label`` is the caption without its colon (added here, as in the other forms)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        error = QLabel()
        error.setObjectName(f"{field.objectName()}Error")
        error.setStyleSheet(f"color: {theme.DANGER_TEXT};")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setProperty("subtle", "true")
            hint_label.setWordWrap(True)
            column.addWidget(hint_label)
        caption = QLabel(f"{label}:" if label else "")
        caption.setBuddy(field)
        self.form.addRow(caption, box)
        if check is not None:
            def run() -> bool:
                problem = check()
                shown = problem if self._show_all or field in self._touched else None
                error.setText(shown or "")
                error.setVisible(bool(shown))
                theme.set_invalid(field, bool(shown))
                field.setToolTip(shown or "")
                return problem is None
            self._checks.append((field, run))
            self._watch(field)
        return error

    def _watch(self, field: QWidget) -> None:
        """Mark ``field`` touched the way its kind of input is finished with."""
        line = field.lineEdit() if isinstance(field, QComboBox) and field.isEditable() else field
        if isinstance(line, (QLineEdit, QPlainTextEdit)):
            # Typed text: judged when the user leaves it (focus out — editingFinished is not
            # sent when the text ends as it began), not at the first keystroke.
            if isinstance(line, QLineEdit):
                line.textEdited.connect(lambda _text: self._typed.add(field))
            else:
                line.textChanged.connect(lambda: self._typed.add(field))
            for widget in {line, field}:
                self._left[widget] = field
                widget.installEventFilter(self)
            if isinstance(field, QComboBox):
                field.activated.connect(lambda _index: self._touch(field))
        elif isinstance(field, QDateEdit):
            field.dateChanged.connect(lambda _date: self._touch(field))
        elif isinstance(field, QComboBox):
            field.currentIndexChanged.connect(lambda _index: self._touch(field))

    def _leave(self, field: QWidget) -> None:
        if field in self._typed:
            self._typed.discard(field)
            self._touch(field)

    def _touch(self, field: QWidget) -> None:
        if field not in self._touched:
            self._touched.add(field)
            self.validate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.ok_button and event.type() == QEvent.Type.MouseButtonRelease \
                and not self.ok_button.isEnabled():
            self.show_all_errors()
        elif event.type() == QEvent.Type.FocusOut and watched in self._left:
            self._leave(self._left[watched])
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter with the save button disabled is an attempt to save: say what is missing.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.ok_button.isEnabled():
            self.show_all_errors()
            event.accept()
            return
        super().keyPressEvent(event)

    def show_all_errors(self) -> None:
        """What trying to save does: every field's error shows, focus goes to the first one."""
        self._show_all = True
        self.validate()
        first = next((field for field, run in self._checks if field.property("invalid") == "true"), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def validate(self) -> bool:
        ok = all([run() for _field, run in self._checks])  # every check runs: every shown field updates
        self.ok_button.setEnabled(ok)
        grow_to_fit(self)
        return ok


class NewCaseDialog(_Form):
    """«Ny sak»: the young person, the first § 14 a assessment, the goal and the flags."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent, save=self._save)
        self.setWindowTitle("Ny sak")
        self.setObjectName("newCaseDialog")
        self.state = state
        self.created: d.Case | None = None
        self.ref = state.cases.new_ref()
        self._fnr_value: str | None = None  # the full number once entered and masked
        today = state.today

        intro = QLabel(f"Saken får referansen <b>{self.ref}</b>. Felt merket * må fylles ut.")
        intro.setObjectName("refLabel")

        # Without any advisor in the database (a fresh install) the user names themself here.
        self.me = state.me
        self.ident_edit = QLineEdit()
        self.ident_edit.setObjectName("identEdit")
        self.ident_edit.setAccessibleName("Din NAV-ident")
        self.ident_edit.setPlaceholderText("f.eks. Z990001")
        self.advisor_name_edit = QLineEdit()
        self.advisor_name_edit.setObjectName("advisorNameEdit")
        self.advisor_name_edit.setAccessibleName("Ditt navn")

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setAccessibleName("Navn")
        self.name_edit.setMaxLength(MAX["name"])
        # Empty, not a guess: a prefilled date (it was 01.01. twenty years back) was easy to save
        # by mistake, and every age-based rule would then run on it.
        self.birth_edit = DateField("Fødselsdato", required=True, mark_invalid=False)
        self.birth_edit.setObjectName("birthEdit")
        self.fnr_edit = QLineEdit()
        self.fnr_edit.setObjectName("fnrEdit")
        self.fnr_edit.setAccessibleName("Fødselsnummer eller D-nummer")
        self.fnr_edit.setPlaceholderText("11 sifre (valgfritt)")
        self.fnr_edit.setMaxLength(14)  # room for the masked «170504 *****»; the check wants 11 digits
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phoneEdit")
        self.phone_edit.setAccessibleName("Telefon")
        self.phone_edit.setMaxLength(MAX["phone"])
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("emailEdit")
        self.email_edit.setAccessibleName("E-post")
        self.email_edit.setMaxLength(MAX["email"])
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.setAccessibleName("Språk")
        for code, label in d.LANGUAGE_LABELS.items():  # the one list, shared with Oversikt
            self.language_combo.addItem(label, code)
        self.interpreter_box = QCheckBox("Trenger tolk")
        self.interpreter_box.setObjectName("interpreterBox")
        self.registered_edit = date_edit(today, "registeredEdit", "Registrert dato")
        self.registered_edit.setMaximumDate(to_qdate(today))
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupCombo")
        self.group_combo.setAccessibleName("Innsatsgruppe")
        self.group_combo.addItem(d.INNSATSGRUPPE_UNSET_LABEL, None)
        for group, label in d.INNSATSGRUPPE_LABELS.items():
            self.group_combo.addItem(f"{label} ({d.INNSATSGRUPPE_SHORT[group].lower()} innsats)", group.value)
        self.assessed_edit = date_edit(today, "assessedEdit", "Dato for § 14 a-vedtaket")
        self.hovedmal_combo = QComboBox()
        self.hovedmal_combo.setObjectName("hovedmalCombo")
        self.hovedmal_combo.setAccessibleName("Hovedmål")
        self.hovedmal_combo.addItem("Ikke satt", None)
        for goal, label in d.HOVEDMAL_LABELS.items():
            self.hovedmal_combo.addItem(label, goal.value)
        self.goal_edit = QPlainTextEdit()
        self.goal_edit.setObjectName("goalEdit")
        self.goal_edit.setAccessibleName("Mitt mål, med den unges egne ord")
        self.goal_edit.setTabChangesFocus(True)
        self.goal_edit.setFixedHeight(70)
        self.goal_count = QLabel()
        self.goal_count.setProperty("subtle", "true")
        self.flag_boxes: dict[d.Flag, QCheckBox] = {}
        flags_row = QWidget()
        flags_layout = QHBoxLayout(flags_row)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        for flag, label in d.FLAG_LABELS.items():
            box = QCheckBox(label)
            box.setObjectName(f"flag_{flag.value}")
            self.flag_boxes[flag] = box
            flags_layout.addWidget(box)
        flags_layout.addStretch(1)

        if self.me is None:
            self.add_field("Din NAV-ident *", self.ident_edit, self._check_ident,
                           hint="Ingen veileder er registrert ennå: du blir kontaktperson for saken.")
            self.add_field("Ditt navn *", self.advisor_name_edit, self._check_advisor_name)
        self.add_field("&Navn *", self.name_edit, self._check_name)
        self.add_field("&Fødselsdato *", self.birth_edit, self._check_birth)
        self.add_field("Fødsels&nummer", self.fnr_edit, self._check_fnr,
                       hint="Vises maskert når det er fylt ut; skriv på nytt for å endre.")
        self.add_field("&Telefon", self.phone_edit, self._check_phone)
        self.add_field("&E-post", self.email_edit, self._check_email)
        self.add_field("&Språk", self.language_combo)
        self.add_field("", self.interpreter_box)
        self.add_field("&Registrert *", self.registered_edit, self._check_registered)
        self.add_field("&Innsatsgruppe", self.group_combo)
        self.add_field("&Vedtaksdato (§ 14 a)", self.assessed_edit, self._check_assessed)
        self.add_field("&Hovedmål", self.hovedmal_combo)
        self.add_field("&Mitt mål", self.goal_edit, self._check_goal)
        self.form.addRow("", self.goal_count)
        self.add_field("Markeringer", flags_row)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

        # Every edit re-validates; the fnr is masked once it is complete and valid.
        for edit in (self.ident_edit, self.advisor_name_edit, self.name_edit, self.birth_edit, self.phone_edit,
                     self.email_edit):
            edit.textChanged.connect(self.validate)
        self.fnr_edit.textEdited.connect(self._fnr_edited)
        self.fnr_edit.editingFinished.connect(self._mask_fnr)
        for date in (self.registered_edit, self.assessed_edit):
            date.dateChanged.connect(self.validate)
        self.group_combo.currentIndexChanged.connect(self.validate)
        self.goal_edit.textChanged.connect(self.validate)
        # Tab order follows the form from top to bottom, then the buttons.
        chain: list[QWidget] = [self.ident_edit, self.advisor_name_edit] if self.me is None else []
        chain += [self.name_edit, self.birth_edit, self.fnr_edit, self.phone_edit, self.email_edit,
                  self.language_combo, self.interpreter_box, self.registered_edit, self.group_combo,
                  self.assessed_edit, self.hovedmal_combo, self.goal_edit, *self.flag_boxes.values(),
                  self.ok_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.validate()
        (self.ident_edit if self.me is None else self.name_edit).setFocus()

    # --- field checks (None = fine) --------------------------------------------------------

    def _check_ident(self) -> str | None:
        text = self.ident_edit.text().strip()
        if not text:
            return "Fyll inn NAV-identen din."
        if len(text) > MAX["ident"]:
            return f"Identen kan ha høyst {MAX['ident']} tegn."
        return None

    def _check_advisor_name(self) -> str | None:
        return None if self.advisor_name_edit.text().strip() else "Fyll inn navnet ditt."

    def _check_name(self) -> str | None:
        return None if self.name_edit.text().strip() else "Fyll inn navnet til den unge."

    def _birth(self) -> dt.date | None:
        """The birth date typed, or None while it is empty or not a date."""
        try:
            return self.birth_edit.date()
        except ValueError:
            return None

    def _check_birth(self) -> str | None:
        if not self.birth_edit.text().strip():
            return "Fyll inn fødselsdatoen."
        birth = self._birth()
        if birth is None:
            return "Skriv fødselsdatoen som dd.mm.åååå."
        if birth > self.state.today:
            return "Fødselsdatoen er fram i tid."
        age = age_at(birth, self.state.today)
        if age < 14:
            return f"Fødselsdatoen gir alder {age} år: sjekk datoen."
        return None

    def _check_fnr(self) -> str | None:
        fnr = self.fnr_value
        if not fnr:
            return None
        problem = validate_fnr(fnr)
        if problem:
            return problem[0].upper() + problem[1:] + "."
        birth = self._birth()
        if birth is not None and not fnr_matches_birth_date(fnr, birth):
            return "Fødselsnummeret passer ikke med fødselsdatoen."
        return None

    def _check_phone(self) -> str | None:
        text = self.phone_edit.text().strip()
        if text and not _PHONE.match(text):
            return "Telefonnummeret kan bare ha sifre, mellomrom og + foran (minst 8 sifre)."
        return None

    def _check_email(self) -> str | None:
        text = self.email_edit.text().strip()
        if text and not _EMAIL.match(text):
            return "E-postadressen er ikke gyldig (mangler @ eller domene)."
        return None

    def _check_registered(self) -> str | None:
        birth = self._birth()
        if birth is not None and from_qdate(self.registered_edit.date()) < birth:
            return "Registreringsdatoen er før fødselsdatoen."
        return None

    def _check_assessed(self) -> str | None:
        self.assessed_edit.setEnabled(self.group_combo.currentData() is not None)
        if self.group_combo.currentData() is None:
            return None
        birth = self._birth()
        if birth is not None and from_qdate(self.assessed_edit.date()) < birth:
            return "Vedtaksdatoen er før fødselsdatoen."
        return None

    def _check_goal(self) -> str | None:
        # Counted as saved (without leading and trailing blanks), as Oversikt counts it.
        length = len(self.goal_edit.toPlainText().strip())
        self.goal_count.setText(char_count(length, MAX["goal"]))
        if length > MAX["goal"]:
            return f"Målet kan ha høyst {MAX['goal']} tegn (nå {length})."
        return None

    # --- fødselsnummer masking -------------------------------------------------------------

    @property
    def fnr_value(self) -> str | None:
        if self._fnr_value is not None:
            return self._fnr_value
        return self.fnr_edit.text().strip() or None

    def _fnr_edited(self, _text: str) -> None:
        # Editing the masked text starts a new number: the hidden digits are never shown again.
        if self._fnr_value is not None:
            self._fnr_value = None
            self.fnr_edit.blockSignals(True)
            self.fnr_edit.clear()
            self.fnr_edit.blockSignals(False)
        self.validate()

    def _mask_fnr(self) -> None:
        text = self.fnr_edit.text().strip()
        if self._fnr_value is None and text and self._check_fnr() is None:
            self._fnr_value = text
            self.fnr_edit.blockSignals(True)
            self.fnr_edit.setText(d.mask_fnr(text))
            self.fnr_edit.blockSignals(False)
        self.validate()

    # --- saving ----------------------------------------------------------------------------

    def case(self) -> d.Case:
        group_code = self.group_combo.currentData()
        hovedmal = self.hovedmal_combo.currentData()
        assessments: tuple[d.Assessment, ...] = ()
        if group_code is not None:
            assessments = (d.Assessment(date=from_qdate(self.assessed_edit.date()),
                                        innsatsgruppe=d.Innsatsgruppe(group_code), note="§ 14 a-vedtak"),)
        advisor = self.me.ident if self.me is not None else d.AdvisorIdent(self.ident_edit.text().strip())
        birth = self._birth()
        if birth is None:  # _save validates first; a caller that does not gets no invented date
            raise ValueError("Fødselsdatoen er ikke fylt inn.")
        return d.Case(
            ref=self.ref,
            advisor=advisor,
            name=self.name_edit.text().strip(),
            birth_date=birth,
            fnr=self.fnr_value,
            phone=self.phone_edit.text().strip() or None,
            email=self.email_edit.text().strip() or None,
            language=self.language_combo.currentData(),
            needs_interpreter=self.interpreter_box.isChecked(),
            flags=tuple(flag for flag, box in self.flag_boxes.items() if box.isChecked()),
            registered_on=from_qdate(self.registered_edit.date()),
            goal=self.goal_edit.toPlainText().strip() or None,
            hovedmal=d.Hovedmal(hovedmal) if hovedmal else None,
            assessments=assessments,
        )

    def _save(self) -> None:
        if not self.validate():
            return
        case = self.case()
        state = self.state
        me = self.me
        new_advisor = None
        if me is None:
            new_advisor = d.Advisor(ident=case.advisor, name=self.advisor_name_edit.text().strip(),
                                    role=d.Role.VEILEDER)

        def create() -> d.Case:
            if new_advisor is not None:
                state.advisors.save(new_advisor)
                state.settings.set(ME_SETTING, new_advisor.ident)
            return state.cases.create(case)

        created = state.write(self, create, ref=case.ref)
        if created is not None:
            self.created = created
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, state: AppState) -> d.Case | None:
        dialog = cls(state, parent)
        dialog.exec()
        return dialog.created


class CloseCaseDialog(_Form):
    """«Avslutt sak»: the date and the reason (required)."""

    def __init__(self, state: AppState, ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, save=self._save)
        self.state = state
        self.case = state.case(ref)
        self.closed: d.Case | None = None
        self.setWindowTitle(f"Avslutt sak {ref}")
        self.setObjectName("closeCaseDialog")
        self.ok_button.setText("Avslutt saken")
        theme.set_variant(self.ok_button, "danger")

        self.date_edit = date_edit(state.today, "closedOnEdit", "Avsluttet dato")
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reasonCombo")
        self.reason_combo.setAccessibleName("Årsak")
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(CLOSE_REASONS)
        self.reason_combo.setCurrentIndex(-1)
        reason_edit = self.reason_combo.lineEdit()
        assert reason_edit is not None  # an editable combo box always has its line edit
        reason_edit.setPlaceholderText("Velg eller skriv en årsak")
        reason_edit.setMaxLength(MAX["closed_reason"])

        intro = QLabel(f"Saken til <b>{self.case.name}</b> ({ref}) avsluttes. Den får ingen frister "
                       "etter avslutningsdatoen.")
        intro.setWordWrap(True)
        self.add_field("&Dato *", self.date_edit, self._check_date)
        self.add_field("&Årsak *", self.reason_combo, self._check_reason)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.date_edit.dateChanged.connect(self.validate)
        self.reason_combo.editTextChanged.connect(self.validate)
        self.validate()
        self.reason_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def reason(self) -> str:
        return self.reason_combo.currentText().strip()

    def _check_date(self) -> str | None:
        closed = from_qdate(self.date_edit.date())
        registered = self.case.registered_on
        if registered is not None and closed < registered:
            return f"Saken kan ikke avsluttes før den ble registrert ({fmt(registered)})."
        return None

    def _check_reason(self) -> str | None:
        return None if self.reason else "Oppgi hvorfor saken avsluttes."

    def _save(self) -> None:
        if not self.validate():
            return
        case = self.case
        closed_on = from_qdate(self.date_edit.date())
        reason = self.reason
        result = self.state.write(
            self,
            lambda: self.state.cases.close(case.ref, expected_version=case.version, closed_on=closed_on, reason=reason),
            ref=case.ref,
        )
        if result is not None:
            self.closed = result
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, state: AppState, ref: str) -> d.Case | None:
        dialog = cls(state, ref, parent)
        dialog.exec()
        return dialog.closed

