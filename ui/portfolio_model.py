"""The portfolio table: one row per open case, its due status and the filter chips' counts.

``build_rows`` turns the cached cases and the rule evaluation into plain ``PortfolioRow``s (no
Qt, so it is cheap to test and to time). ``PortfolioModel`` shows them with custom roles for
sorting, status colouring and filtering; ``PortfolioProxyModel`` filters on those roles only,
so what a chip counts and what it shows cannot drift apart (Picard's model/proxy split).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from navoppfolging import domain as d
from navoppfolging.rules import DueItem, Evaluation, FlagItem, Status
from navoppfolging.rules import facts
from navoppfolging.rules.facts import fmt
from . import theme

_Index = QModelIndex | QPersistentModelIndex

# Custom roles: the proxy and the views read these, never the display text.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # int (dates as ordinals) or casefolded str
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # "overdue" / "due_soon" / "upcoming" or None
FILTERS_ROLE = Qt.ItemDataRole.UserRole + 3  # frozenset of filter keys the row matches
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4  # casefolded "name ref"
REF_ROLE = Qt.ItemDataRole.UserRole + 5  # the case ref

# A missing date sorts after every real date in ascending order ("nothing due" comes last).
_NO_DATE = dt.date.max.toordinal() + 1


class Column(IntEnum):
    NAME = 0
    AGE = 1
    INNSATSGRUPPE = 2
    UG = 3
    LAST_MEETING = 4
    LAST_CONTACT = 5
    NEXT_MEETING = 6
    NEXT_DUE = 7
    FLAGS = 8


HEADERS: dict[Column, str] = {
    Column.NAME: "Navn",
    Column.AGE: "Alder",
    Column.INNSATSGRUPPE: "Innsatsgruppe",
    Column.UG: "UG",
    Column.LAST_MEETING: "Siste møte",
    Column.LAST_CONTACT: "Siste kontakt",
    Column.NEXT_MEETING: "Neste møte",
    Column.NEXT_DUE: "Neste frist",
    Column.FLAGS: "Markeringer",
}
HEADER_TIPS: dict[Column, str] = {
    Column.INNSATSGRUPPE: "Innsatsgruppe etter siste § 14 a-vedtak",
    Column.UG: "Ungdomsgarantien: i målgruppen (16–29 år, registrert, innsatsgruppe "
               f"«{d.INNSATSGRUPPE_LABELS[d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS]}» eller "
               f"«{d.INNSATSGRUPPE_LABELS[d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS]}»)",
    Column.LAST_MEETING: "Siste gjennomførte møte (oppmøte, video eller telefon)",
    Column.LAST_CONTACT: "Siste gjennomførte kontakt, også digital dialog",
    Column.NEXT_MEETING: "Neste planlagte møte eller dialog",
    Column.NEXT_DUE: "Første oppfølging som forfaller, farget etter status",
    Column.FLAGS: "Prioriterte grupper og merker på saken",
}

# Short texts for the flags column; the tooltip carries the ruleset's full title and source.
FLAG_SHORT: dict[str, str] = {
    "PRIORITY-LONGTERM": "Langtidsledig",
    "PRIORITY-DP-END": "Dagpenger slutter",
    **{flag.value: label for flag, label in d.FLAG_LABELS.items()},
}


@dataclass(frozen=True, slots=True)
class FilterDef:
    key: str
    label: str
    tooltip: str


# The chips, in the order they are shown. Keys are stable: the window remembers the last one.
FILTERS: tuple[FilterDef, ...] = (
    FilterDef("all", "Alle", "Alle åpne saker"),
    FilterDef("overdue", "Forfalt", "Saker med minst én oppfølging der fristen er passert"),
    FilterDef("due_soon", "Forfaller snart", "Saker med en frist de neste 7 dagene"),
    FilterDef("no_contact_30", "Ingen kontakt siste 30 dager",
              "Ungdomsgarantien: ingen gjennomført kontakt siste 30 dager (CONTACT-30D er forfalt)"),
    FilterDef("plan_missing", "Mangler aktivitetsplan", "Aktivitetsplan mangler (PLAN-MISSING)"),
    FilterDef("ug", "Ungdomsgarantien", "I målgruppen for ungdomsgarantien"),
    FilterDef("activity_expired", "Utløpte aktiviteter",
              "Aktiviteter med passert til-dato som ikke er fullført eller avbrutt (praksis, ikke fra brevet)"),
    FilterDef("reminder", "Huskelapp", "Huskelapper med dato i dag eller tidligere som ikke er utført"),
    *(FilterDef(f"flag:{flag.value}", label, f"Merket «{label}» på saken") for flag, label in d.FLAG_LABELS.items()),
)
FILTER_KEYS: tuple[str, ...] = tuple(f.key for f in FILTERS)


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """Everything one table row shows, computed once per evaluation."""

    ref: str
    name: str
    age: int
    innsatsgruppe: d.Innsatsgruppe | None
    in_ug: bool
    new_for_me: bool
    last_meeting: dt.date | None
    last_contact: dt.date | None
    next_meeting: dt.date | None
    next_due: DueItem | None
    flags: tuple[FlagItem, ...]
    filters: frozenset[str]


def row_filters(case: d.Case, items: Sequence[DueItem], flags: Sequence[FlagItem], in_ug: bool,
                as_of: dt.date) -> frozenset[str]:
    """The filter keys a case matches, read off the rule engine's items and flags."""
    keys = {"all"}
    for item in items:
        if item.status is Status.OVERDUE:
            keys.add("overdue")
        elif item.status is Status.DUE_SOON:
            keys.add("due_soon")
        if item.rule == "CONTACT-30D" and item.status is Status.OVERDUE:
            keys.add("no_contact_30")
        elif item.rule == "PLAN-MISSING":
            keys.add("plan_missing")
        elif item.rule == "ACTIVITY-EXPIRED" and item.status is Status.OVERDUE:
            keys.add("activity_expired")
    if in_ug:
        keys.add("ug")
    if any(not r.done and r.date <= as_of for r in case.reminders):
        keys.add("reminder")
    for flag in flags:
        keys.add(f"flag:{flag.flag}")
    return frozenset(keys)


def build_rows(cases: Iterable[d.Case], evaluation: Evaluation, *, new_for_me: Iterable[str] = ()) -> list[PortfolioRow]:
    """One row per case open on the evaluation's date, in the order given."""
    as_of = evaluation.as_of
    tg = evaluation.ruleset.target_group
    items_by_case = evaluation.by_case()
    flags_by_case: dict[str, list[FlagItem]] = {}
    for flag in evaluation.flags:
        flags_by_case.setdefault(flag.case, []).append(flag)
    new = frozenset(new_for_me)
    rows: list[PortfolioRow] = []
    for case in cases:
        if not facts.is_open(case, as_of):
            continue
        items = items_by_case.get(case.ref, ())
        flags = tuple(flags_by_case.get(case.ref, ()))
        in_ug = facts.in_ug_target_group(case, as_of, min_age=tg.min_age, max_age_exclusive=tg.max_age_exclusive,
                                         innsatsgrupper=tg.innsatsgrupper)
        meeting = facts.last_meeting(case, as_of)
        contact = facts.last_contact(case, as_of)
        planned = facts.next_planned_contact(case, as_of)
        rows.append(PortfolioRow(
            ref=case.ref,
            name=case.name,
            age=facts.age(case, as_of),
            innsatsgruppe=facts.current_innsatsgruppe(case, as_of),
            in_ug=in_ug,
            new_for_me=case.ref in new,
            last_meeting=meeting.date if meeting else None,
            last_contact=contact.date if contact else None,
            next_meeting=planned.date if planned else None,
            # The engine sorts items by due date, so the first one is the next deadline.
            next_due=items[0] if items else None,
            flags=flags,
            filters=row_filters(case, items, flags, in_ug, as_of),
        ))
    return rows


def filter_counts(rows: Iterable[PortfolioRow]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(row.filters)
    return {key: counts.get(key, 0) for key in FILTER_KEYS}


def _date_text(day: dt.date | None) -> str:
    return fmt(day) if day else "–"


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else _NO_DATE


class PortfolioModel(QAbstractTableModel):
    """The open cases of the as-of date. Refilled by ``set_rows`` (a model reset)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PortfolioRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    # --- filling -------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[PortfolioRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> tuple[PortfolioRow, ...]:
        return tuple(self._rows)

    def row_at(self, row: int) -> PortfolioRow:
        return self._rows[row]

    def row_of(self, ref: str) -> int:
        for i, r in enumerate(self._rows):
            if r.ref == ref:
                return i
        return -1

    def counts(self) -> dict[str, int]:
        return filter_counts(self._rows)

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(Column):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == FILTERS_ROLE:
            return row.filters
        if role == SEARCH_ROLE:
            return f"{row.name} {row.ref}".casefold()
        if role == REF_ROLE:
            return row.ref
        if role == STATUS_ROLE:
            return row.next_due.status.value if row.next_due else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return self._colour(row, column, background=role == Qt.ItemDataRole.BackgroundRole)
        if role == Qt.ItemDataRole.FontRole and column == Column.NAME and row.new_for_me:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.AGE, Column.UG):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(row, column)}"
        return None

    # --- cell contents ---------------------------------------------------------------------

    @staticmethod
    def _display(row: PortfolioRow, column: Column) -> str:
        if column == Column.NAME:
            return f"{row.name}  · ny for deg" if row.new_for_me else row.name
        if column == Column.AGE:
            return str(row.age)
        if column == Column.INNSATSGRUPPE:
            return d.INNSATSGRUPPE_LABELS[row.innsatsgruppe] if row.innsatsgruppe else d.INNSATSGRUPPE_UNSET_LABEL
        if column == Column.UG:
            return "Ja" if row.in_ug else ""
        if column == Column.LAST_MEETING:
            return _date_text(row.last_meeting)
        if column == Column.LAST_CONTACT:
            return _date_text(row.last_contact)
        if column == Column.NEXT_MEETING:
            return _date_text(row.next_meeting)
        if column == Column.NEXT_DUE:
            if row.next_due is None:
                return "–"
            return f"{fmt(row.next_due.due)}  {short_title(row.next_due)}"
        return ", ".join(FLAG_SHORT.get(f.flag, f.flag) for f in row.flags)

    @staticmethod
    def _sort_key(row: PortfolioRow, column: Column) -> int | str:
        if column == Column.NAME:
            return row.name.casefold()
        if column == Column.AGE:
            return row.age
        if column == Column.INNSATSGRUPPE:
            return list(d.Innsatsgruppe).index(row.innsatsgruppe) if row.innsatsgruppe else len(d.Innsatsgruppe)
        if column == Column.UG:
            return 0 if row.in_ug else 1
        if column == Column.LAST_MEETING:
            return _ordinal(row.last_meeting)
        if column == Column.LAST_CONTACT:
            return _ordinal(row.last_contact)
        if column == Column.NEXT_MEETING:
            return _ordinal(row.next_meeting)
        if column == Column.NEXT_DUE:
            return _ordinal(row.next_due.due if row.next_due else None)
        return ", ".join(FLAG_SHORT.get(f.flag, f.flag) for f in row.flags).casefold() or "\uffff"

    @staticmethod
    def _tooltip(row: PortfolioRow, column: Column) -> str | None:
        if column == Column.NAME:
            tip = f"{row.name} ({row.ref})"
            return f"{tip}\nNy for deg: saken er overført til deg og ikke åpnet ennå." if row.new_for_me else tip
        if column == Column.NEXT_DUE and row.next_due is not None:
            item = row.next_due
            from navoppfolging.rules import STATUS_LABELS

            return f"{item.title}\nFrist {fmt(item.due)} ({STATUS_LABELS[item.status].lower()})\n{item.explanation}"
        if column == Column.FLAGS and row.flags:
            return "\n".join(f.title for f in row.flags)
        if column == Column.INNSATSGRUPPE and row.innsatsgruppe:
            return f"{d.INNSATSGRUPPE_LABELS[row.innsatsgruppe]} ({d.INNSATSGRUPPE_SHORT[row.innsatsgruppe].lower()} innsats)"
        if column == Column.UG and row.in_ug:
            return "I målgruppen for ungdomsgarantien"
        return None

    @staticmethod
    def _colour(row: PortfolioRow, column: Column, *, background: bool) -> QColor | None:
        key: str | None = None
        if column == Column.NEXT_DUE and row.next_due is not None:
            key = row.next_due.status.value
        elif column == Column.UG and row.in_ug:
            key = "youth_guarantee"
        elif column == Column.FLAGS and row.flags:
            key = "flag"
        if key is None:
            return None
        back, fore = theme.status_colors(key)
        return back if background else fore


# Short titles for the «Neste frist» cell; the tooltip and the due list carry the full title.
SHORT_TITLES: dict[str, str] = {
    "UG-OFFER-8W": "Tilbud om oppfølging",
    "UG-STANDARD-REASSESS-8W": "Ny vurdering (8 uker)",
    "CONTACT-30D": "Kontakt (30 dager)",
    "UG-AGE-OUT": "Fyller 30 år",
    "LONGTERM-REASSESS-6M": "Ny vurdering (langtidsledig)",
    "DP-26W-LEFT": "Dagpenger: samtale",
    "AAP-ACTIVITY-26W": "AAP: aktivitet ved 26 uker",
    "AAP-APPLICATION-5W": "AAP-søknad (5 uker)",
    "AAP-END-INFO": "AAP nær slutt",
    "SICK-NO-EMPLOYER-12W": "Sykmeldt: § 14 a-vedtak",
    "OMSTILLING-6M": "Omstillingsstønad",
    "PLAN-MISSING": "Aktivitetsplan mangler",
    "ACTIVITY-EXPIRED": "Aktivitet utløpt",
    "INTERPRETER-BOOK": "Bestill tolk",
}


def short_title(item: DueItem) -> str:
    return SHORT_TITLES.get(item.rule, item.title)


class PortfolioProxyModel(QSortFilterProxyModel):
    """Filters by one chip key (``FILTERS_ROLE``) and free text (``SEARCH_ROLE``); sorts by
    ``SORT_ROLE`` so dates sort as dates and names in Norwegian order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter_key = "all"
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)
        self.setDynamicSortFilter(True)

    @property
    def filter_key(self) -> str:
        return self._filter_key

    def set_filter_key(self, key: str) -> None:
        if key not in FILTER_KEYS:
            raise KeyError(key)
        if key != self._filter_key:
            self._refilter(lambda: setattr(self, "_filter_key", key))

    @property
    def search_text(self) -> str:
        return self._text

    def set_search_text(self, text: str) -> None:
        folded = text.strip().casefold()
        if folded != self._text:
            self._refilter(lambda: setattr(self, "_text", folded))

    def _refilter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange(); older Qt lacks them.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        keys = model.data(index, FILTERS_ROLE)
        if not keys or self._filter_key not in keys:
            return False
        if self._text:
            haystack = model.data(index, SEARCH_ROLE) or ""
            return all(word in haystack for word in self._text.split())
        return True

    def ref_at(self, row: int) -> str:
        return str(self.data(self.index(row, 0), REF_ROLE))
