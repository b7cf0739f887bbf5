"""The due list: every follow-up across the portfolio, grouped Forfalt / Denne uken / Senere.

A two-level ``QAbstractItemModel`` (group rows, then items) shown in a ``QTreeView``. The groups
are the rule engine's statuses (overdue, due within 7 days, later), so the panel and the
portfolio's chips «Forfalt» and «Forfaller snart» always agree. Activating an item asks the
window to open the case on the tab where the follow-up is done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.domain import CaseRef
from navoppfolging.holidays_no import HolidayNote, day_month, deadline_note
from navoppfolging.rules import DueItem, Status
from navoppfolging.rules.facts import fmt
from . import theme
from .state import AppState

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

_Index = QModelIndex | QPersistentModelIndex

REF_ROLE = Qt.ItemDataRole.UserRole + 1  # case ref (items only)
TAB_ROLE = Qt.ItemDataRole.UserRole + 2  # the case view tab that does the follow-up
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # status value of the item or the group
ITEM_ROLE = Qt.ItemDataRole.UserRole + 4  # the DueItem itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 5  # due date ordinal

# Group rows have internal id 0; an item row's internal id is its group's number + 1.
_GROUP_ID = 0


@dataclass(frozen=True, slots=True)
class Group:
    status: Status
    title: str
    tooltip: str


GROUPS: tuple[Group, ...] = (
    Group(Status.OVERDUE, "Forfalt", "Fristen er passert"),
    Group(Status.DUE_SOON, "Denne uken", "Frist i dag eller de neste 7 dagene"),
    Group(Status.UPCOMING, "Senere", "Frist om mer enn 7 dager"),
)
COLUMNS: tuple[str, ...] = ("Frist", "Sak", "Oppfølging", "Merknad")
FOLLOW_UP_COLUMN = 2
NOTE_COLUMN = 3

# Where each follow-up is done in the case view; everything else is on «Oppfølging».
RULE_TABS: dict[str, str] = {
    "ACTIVITY-EXPIRED": "aktivitetsplan",
    "CONTACT-30D": "kontakter",
    "INTERPRETER-BOOK": "kontakter",
}


def note_short(note: HolidayNote) -> str:
    """«17. mai: senest 16. mai» for the narrow column; the tooltip has the whole sentence."""
    return f"{note.reason}: senest {day_month(note.plan_by, note.due)}"


def tab_for(item: DueItem) -> str:
    return RULE_TABS.get(item.rule, "oppfolging")


@dataclass(frozen=True, slots=True)
class DueEntry:
    item: DueItem
    name: str
    note: HolidayNote | None


class DueListModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[list[DueEntry]] = [[] for _ in GROUPS]
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(self, items: Sequence[DueItem], names: Mapping[CaseRef, str]) -> None:
        grouped: list[list[DueEntry]] = [[] for _ in GROUPS]
        order = {g.status: i for i, g in enumerate(GROUPS)}
        notes: dict[dt.date, HolidayNote | None] = {}
        for item in items:
            if item.due not in notes:
                notes[item.due] = deadline_note(item.due)
            grouped[order[item.status]].append(DueEntry(item, names.get(item.case, ""), notes[item.due]))
        self.beginResetModel()
        self._entries = grouped
        self.endResetModel()

    def group_count(self, status: Status) -> int:
        return len(self._entries[[g.status for g in GROUPS].index(status)])

    def entries(self, status: Status) -> tuple[DueEntry, ...]:
        return tuple(self._entries[[g.status for g in GROUPS].index(status)])

    def entry(self, index: _Index) -> DueEntry | None:
        if not index.isValid() or index.internalId() == _GROUP_ID:
            return None
        return self._entries[index.internalId() - 1][index.row()]

    # --- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP_ID)
        if parent.internalId() != _GROUP_ID:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP_ID:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP_ID)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(GROUPS)
        if parent.internalId() == _GROUP_ID and parent.column() == 0:
            return len(self._entries[parent.row()])
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ID:
            return self._group_data(index, role)
        entries = self._entries[index.internalId() - 1]
        if not 0 <= index.row() < len(entries):
            return None
        return self._item_data(entries[index.row()], index.column(), role)

    def _group_data(self, index: _Index, role: int) -> Any:
        group = GROUPS[index.row()]
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
            return f"{group.title} ({len(self._entries[index.row()])})"
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(theme.STATUS_COLORS[group.status.value].foreground)
        if role == Qt.ItemDataRole.ToolTipRole:
            return group.tooltip
        if role == STATUS_ROLE:
            return group.status.value
        return None

    @staticmethod
    def _item_data(entry: DueEntry, column: int, role: int) -> Any:
        item = entry.item
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return fmt(item.due)
            if column == 1:
                return f"{item.case}  {entry.name}"
            if column == 2:
                return item.title
            if column == 3:
                return note_short(entry.note) if entry.note else ""
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            # Why, from where and what satisfies it (product.md §4), as the Oppfølging tab says it.
            lines = [item.title, f"Frist {fmt(item.due)}"]
            if entry.note:
                lines.append(entry.note.text)
            lines.append(item.explanation)
            lines.append(f"Kilde: {item.source}")
            if item.satisfied_by:
                lines.append(f"Oppfylles når: {item.satisfied_by}")
            lines.append(f"Regel {item.rule}")
            return "\n".join(lines)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and column == 0:
            back, fore = theme.status_colors(item.status.value)
            return back if role == Qt.ItemDataRole.BackgroundRole else fore
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QColor(theme.WARNING_TEXT)
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and entry.note is not None:
            # The Merknad column is often scrolled out of a narrow panel: the mark on the date
            # says there is a note (in the tooltip) without taking width.
            return theme.icon("InformationSquare", theme.WARNING_TEXT)
        if role == REF_ROLE:
            return item.case
        if role == TAB_ROLE:
            return tab_for(item)
        if role == STATUS_ROLE:
            return item.status.value
        if role == ITEM_ROLE:
            return item
        if role == SORT_ROLE:
            return item.due.toordinal()
        return None


class DueRowDelegate(QStyledItemDelegate):
    """One row height for every row, whenever it is asked, and room for the note mark on every
    date, so the dates line up whether or not a row has the mark.

    The tree takes its uniform row height from the first row's size hint: asked while the panel
    was built (before the stylesheet's cell padding reached it) that was 16 px, and 24 px after
    the next refresh, so the list jumped. The height here comes from the font alone."""

    PADDING = 4  # above and below the text, as the stylesheet's item padding

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(option.fontMetrics.height(), 16) + 2 * self.PADDING)

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        if index.column() == 0 and index.parent().isValid():
            # The mark's place is kept on a date without a note (a null icon paints nothing).
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration


class DueListPanel(QWidget):
    """«Frister»: the due list beside the portfolio. Emits ``open_case_requested(ref, tab)``."""

    open_case_requested = Signal(str, str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dueListPanel")
        self.state = state
        self.model = DueListModel(self)

        # Children are created under the panel (no re-parenting under the stylesheet: see
        # MainWindow.__init__).
        self.heading = QLabel("Frister", self)
        self.heading.setProperty("heading", "small")
        self.summary = QLabel(self)
        self.summary.setProperty("subtle", "true")
        self.summary.setObjectName("dueSummary")
        self.summary.setWordWrap(True)

        self.view = QTreeView(self)
        self.view.setObjectName("dueListView")
        self.view.setAccessibleName("Frister for hele porteføljen")
        self.view.setModel(self.model)
        self.view.setItemDelegate(DueRowDelegate(self.view))
        self.view.setUniformRowHeights(True)
        self.view.setIndentation(14)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAllColumnsShowFocus(True)
        # Frist and Sak as wide as what they show (in this machine's font), «Oppfølging» takes
        # the rest; «Merknad» (a holiday note, rare) only where the panel has room for it beside
        # a readable «Oppfølging»: otherwise the ⓘ mark on the date and the tooltip tell it.
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FOLLOW_UP_COLUMN, QHeaderView.ResizeMode.Stretch)
        metrics = self.view.fontMetrics()
        cell = theme.CELL_PADDING
        # An item is indented two steps (the groups' arrows, then its level) and has its ⓘ room.
        self.view.setColumnWidth(0, 2 * self.view.indentation() + 20 + metrics.horizontalAdvance("00.00.0000") + cell)
        self.view.setColumnWidth(1, metrics.horizontalAdvance("U-0000  Noah Andreassen") + cell)
        self.view.setColumnWidth(NOTE_COLUMN, metrics.horizontalAdvance("17. mai: senest 16. mai") + cell)
        self._note_room = (self.view.columnWidth(0) + self.view.columnWidth(1) + self.view.columnWidth(NOTE_COLUMN)
                           + metrics.horizontalAdvance("Aktivitet utløpt (praksis): Deltidsjobb"))
        self.view.activated.connect(self._on_activated)
        # Overdue and this week's items are what the advisor acts on: open by default, «Senere»
        # folded; the user's choice survives refreshes.
        self._expanded = {g.status: g.status is not Status.UPCOMING for g in GROUPS}
        self.view.expanded.connect(lambda i: self._remember(i, True))
        self.view.collapsed.connect(lambda i: self._remember(i, False))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)

        state.data_changed.connect(self.refresh)
        self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The view has its new size already (the layout is resized before this handler runs).
        self.view.setColumnHidden(NOTE_COLUMN, self.view.viewport().width() < self._note_room)

    def refresh(self) -> None:
        evaluation = self.state.evaluation()
        names = {c.ref: c.name for c in self.state.case_list()}
        self.model.set_items(evaluation.items, names)
        self._restoring = True
        for row, group in enumerate(GROUPS):
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
            self.view.setExpanded(self.model.index(row, 0), self._expanded[group.status])
        self._restoring = False
        overdue = self.model.group_count(Status.OVERDUE)
        soon = self.model.group_count(Status.DUE_SOON)
        self.summary.setText(f"Per {fmt(self.state.as_of)}: {overdue} forfalt, {soon} denne uken "
                             f"(neste 7 dager), {self.model.group_count(Status.UPCOMING)} senere.")

    def _remember(self, index: QModelIndex, expanded: bool) -> None:
        if not getattr(self, "_restoring", False) and not index.parent().isValid():
            self._expanded[GROUPS[index.row()].status] = expanded

    def _on_activated(self, index: QModelIndex) -> None:
        ref = index.data(REF_ROLE)
        if ref:
            self.open_case_requested.emit(str(ref), str(index.data(TAB_ROLE)))
        else:
            self.view.setExpanded(index.siblingAtColumn(0), not self.view.isExpanded(index.siblingAtColumn(0)))
