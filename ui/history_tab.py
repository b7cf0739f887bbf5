"""«Historikk»: the audit trail of one case — who changed what, when, from what to what.

One table row per changed field (an entry that changed three fields gives three rows), newest
first. The case view hosts the tab and feeds it ``AuditService(db).history(ref)`` through
``set_entries``; the tab never reads the database itself.

What the advisor reads, not the database: an activity by its title («Aktivitet «Jobbsøkerkurs»»,
the newest title the trail knows), a contact by date and channel, a reminder or exception by
its date; field names as the case view labels them; internal ids are not shown; an advisor
(«Hvem», and the case's «Veileder») by name with the NAV-ident, «Kari Veileder (Z990001)», when
the name is known. The fødselsnummer stays masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from navoppfolging import domain as d
from navoppfolging.audit import SCRUBBED
from navoppfolging.dates import parse_iso
from navoppfolging.services import AuditEntry

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Tidspunkt", "Hvem", "Hva", "Felt", "Før", "Etter")
# The widest «Hva», «Felt» and «Før» may be: so many average characters, or that share of a
# wider table.
HISTORY_WIDTHS_AT_MOST: dict[int, tuple[int, float]] = {2: (28, 0.24), 3: (16, 0.15), 4: (22, 0.2)}

ENTITY_LABELS = {
    "case": "Sak", "advisor": "Veileder", "flag": "Markering", "assessment": "Vurdering (§ 14 a)",
    "contact": "Kontakt", "activity": "Aktivitet", "reminder": "Huskelapp", "exception": "Unntak",
    "external_contact": "Ekstern kontakt", "delegation": "Stedfortreder", "setting": "Innstilling",
}
ACTION_LABELS = {"insert": "lagt til", "update": "endret", "delete": "slettet", "handover": "overført"}
FIELD_LABELS = {
    "ref": "Referanse", "advisor_id": "Veileder", "advisor": "Veileder", "name": "Navn", "birth_date": "Fødselsdato",
    "fnr": "Fødselsnummer", "phone": "Telefon", "email": "E-post", "language": "Språk",
    "needs_interpreter": "Behov for tolk", "registered_on": "Registrert", "follow_up_offered_on": "Oppfølging tilbudt",
    "goal": "Mitt mål", "hovedmal": "Hovedmål", "dagpenger_end": "Dagpenger til", "aap_applied_on": "AAP søkt",
    "aap_decided_on": "AAP vedtatt", "aap_start": "AAP fra", "aap_end": "AAP til",
    "omstilling_death_date": "Dødsdato (omstillingsstønad)", "sick_leave_start": "Sykmeldt fra",
    "closed_on": "Avsluttet", "closed_reason": "Årsak til avslutning", "new_for_advisor": "Ny for veileder",
    "flag": "Markering", "date": "Dato", "time": "Klokkeslett", "innsatsgruppe": "Innsatsgruppe",
    "note": "Notat", "channel": "Kanal", "status": "Status", "summary": "Referat",
    "interpreter_booked": "Tolk bestilt", "place": "Sted", "title": "Tittel", "category": "Kategori",
    "start": "Fra dato", "end": "Til dato", "responsible": "Ansvarlig", "description": "Beskrivelse",
    "text": "Tekst", "done": "Utført", "kind": "Type", "role": "Rolle", "organisation": "Organisasjon",
    "until": "Til", "key": "Innstilling", "value": "Verdi", "unit": "Enhet",
}
_CODE_LABELS: dict[str, str] = {}
for _labels in (d.INNSATSGRUPPE_LABELS, d.HOVEDMAL_LABELS, d.CHANNEL_LABELS, d.CONTACT_STATUS_LABELS,
                d.CATEGORY_LABELS, d.ACTIVITY_STATUS_LABELS, d.RESPONSIBLE_LABELS, d.EXCEPTION_LABELS,
                d.FLAG_LABELS, d.ROLE_LABELS):
    for _code, _label in _labels.items():
        _CODE_LABELS.setdefault(str(_code.value), _label)
_ENUM_FIELDS = frozenset({"innsatsgruppe", "hovedmal", "channel", "status", "category", "responsible", "kind", "flag"})
# Internal identifiers: the row's «what» names the item instead.
HIDDEN_FIELDS = frozenset({"ext_id"})
_TIME = re.compile(r"(\d{2}:\d{2}):\d{2}")


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: dt.datetime
    actor: str
    what: str
    field: str
    old: str
    new: str
    order: int  # position in the input (newest first) — the tie-breaker for equal times


def show_value(field: str, value: Any) -> str:
    """A stored value as the user reads it: codes as NAV's labels, dates as dd.mm.åååå, the
    fødselsnummer masked."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if field == "fnr" and isinstance(value, str) and value.isdigit():
        return d.mask_fnr(value)
    if field in _ENUM_FIELDS and isinstance(value, str):
        return _CODE_LABELS.get(value, value)
    if field == "language" and isinstance(value, str):
        return d.language_label(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return parse_iso(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if isinstance(value, str) and (time := _TIME.fullmatch(value)):
        return time.group(1)
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


Known = dict[tuple[str, str], dict[str, Any]]


def _usable(value: Any) -> bool:
    return value not in (None, "", SCRUBBED)


def known_values(entries: Sequence[AuditEntry]) -> Known:
    """Per item (entity, key): the newest value of each field the trail has (entries come newest
    first), leaving out values removed under the retention rules."""
    known: Known = {}
    for entry in entries:
        if not entry.entity_key:
            continue
        fields = known.setdefault((entry.entity, entry.entity_key), {})
        for field, (old, new) in entry.changes.items():
            if field not in fields:
                value = new if _usable(new) else old
                if _usable(value):
                    fields[field] = value
    return known


def describe(entry: AuditEntry, known: Known) -> str:
    """«Aktivitet «Jobbsøkerkurs»», «Kontakt 03.06.2024, video», «Markering Landgruppe 3» …
    (without the action): the item as the advisor knows it, never its internal id."""
    label = ENTITY_LABELS.get(entry.entity, entry.entity)
    key = entry.entity_key
    item = known.get((entry.entity, key), {}) if key else {}

    def value(field: str) -> Any:
        old, new = entry.changes.get(field, (None, None))
        for v in (new, old):
            if _usable(v):
                return v
        return item.get(field)

    if entry.entity == "activity":
        title = value("title")
        return f"{label} «{title}»" if title else label
    if entry.entity == "flag" and key:
        return f"{label} {_CODE_LABELS.get(key, key)}"
    details: list[str] = []
    if entry.entity in ("contact", "reminder", "exception", "assessment"):
        if (day := value("date")) is not None:
            details.append(show_value("date", day))
    if entry.entity == "contact" and (channel := value("channel")) is not None:
        details.append(show_value("channel", channel).lower())
    if entry.entity == "exception" and (kind := value("kind")) is not None:
        details.append(show_value("kind", kind).lower())
    if entry.entity == "assessment" and (group := value("innsatsgruppe")) is not None:
        details.append(show_value("innsatsgruppe", group))
    if entry.entity == "external_contact" and (role := value("role")) is not None:
        details.append(str(role))
    details = [x for x in details if x]
    return f"{label} {', '.join(details)}" if details else label


def _visible(changes: Mapping[str, tuple[Any, Any]]) -> list[tuple[str, tuple[Any, Any]]]:
    return sorted((k, v) for k, v in changes.items() if k not in HIDDEN_FIELDS)


def advisor_namer(names: Mapping[str, str]) -> Callable[[str], str]:
    """«Kari Veileder (Z990001)» for a known ident (also the lower-case login name a team
    database records as the actor), the text as it is otherwise."""
    by_ident = {ident.upper(): name for ident, name in names.items()}

    def who(ident: str) -> str:
        name = by_ident.get(ident.upper())
        return f"{name} ({ident.upper()})" if name else ident
    return who


def rows_for(entries: Sequence[AuditEntry], names: Mapping[str, str] | None = None) -> list[HistoryRow]:
    """The table's rows; ``names`` maps NAV-idents to the advisors' names (colleagues only)."""
    rows: list[HistoryRow] = []
    known = known_values(entries)
    who = advisor_namer(names or {})

    def shown(field: str, value: Any) -> str:
        if field == "advisor" and isinstance(value, str):
            return who(value)
        return show_value(field, value)

    for entry in entries:
        what = f"{describe(entry, known)} ({ACTION_LABELS.get(entry.action, entry.action)})"
        fields = _visible(entry.changes) or [("", (None, None))]
        for field, (old, new) in fields:
            rows.append(HistoryRow(at=entry.at, actor=who(entry.actor), what=what,
                                   field=FIELD_LABELS.get(field, field), old=shown(field, old),
                                   new=shown(field, new), order=len(rows)))
    return rows


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_entries(self, entries: Sequence[AuditEntry], names: Mapping[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = rows_for(entries, names)
        self.endResetModel()

    def row(self, row: int) -> HistoryRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (r.at.strftime("%d.%m.%Y %H:%M"), r.actor, r.what, r.field, r.old, r.new)[col]
        if role == Qt.ItemDataRole.UserRole:
            # Sort key: time sorts by time, newest-first ties keep their order.
            return (r.at.isoformat(), -r.order) if col == 0 else (r.actor, r.what, r.field, r.old, r.new)[col - 1].lower()
        return None


class HistoryProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)  # the filter looks at every column

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        a, b = left.data(Qt.ItemDataRole.UserRole), right.data(Qt.ItemDataRole.UserRole)
        return bool(a < b) if a is not None and b is not None else False


class HistoryTab(QWidget):
    """The «Historikk» tab: ``set_entries(AuditService(db).history(ref), names)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyTab")
        self.model = HistoryModel(self)
        self.proxy = HistoryProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filtrer historikken (hvem, felt, verdi …)")
        self.filter_edit.setAccessibleName("Filtrer historikken")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)

        self.view = QTableView()
        self.view.setAccessibleName("Historikk")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        self.empty_label = QLabel("Ingen endringer registrert for denne saken ennå.")
        self.empty_label.setObjectName("historyEmpty")

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)
        layout.addWidget(self.empty_label)
        self.set_entries(())

    def set_entries(self, entries: Sequence[AuditEntry], names: Mapping[str, str] | None = None) -> None:
        """``names``: the advisors' names by NAV-ident, for «Hvem» and the case's «Veileder»."""
        self.model.set_entries(entries, names)
        self.empty_label.setVisible(self.model.rowCount() == 0)
        self.view.resizeColumnsToContents()
        # «Hva» (an activity's whole title) and «Før» may not crowd «Etter» out: they are capped
        # (the tooltip has the whole text) and «Etter», the last column, takes the rest.
        characters = self.view.fontMetrics().averageCharWidth()
        viewport = self.view.viewport().width()
        for column, (most, share) in HISTORY_WIDTHS_AT_MOST.items():
            cap = max(most * characters, int(viewport * share))
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), cap))
