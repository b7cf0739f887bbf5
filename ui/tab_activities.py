"""*Aktivitetsplan*: the goal in the young person's own words, then the activities — as a
board with one column per status (drag a card to change its status, or use its menu) and as a
table edited in place. Both are views of one ``ActivitiesModel``; each board column is a
``QListView`` over an ``ActivityStatusProxyModel`` that keeps one status.

Models never write: an edit or a drop becomes ``change_requested(activity)``, and the tab saves
it through ``AppState.write``; the case comes back from the service and refreshes the model. An
edit the model refuses (no title, not a date, til before fra) becomes ``edit_rejected(message)``:
the tab shows why in red under the table, and nothing is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from navoppfolging import domain as d
from navoppfolging.exchange import MAX
from . import messages, theme
from .activity_dialog import ActivityDialog
from .state import AppState
from .tab_common import (
    Column,
    DateField,
    error_label,
    ItemRole,
    ItemSortProxyModel,
    ItemTableModel,
    ItemTableView,
    fmt_date,
    length_error,
    parse_date,
    show_error,
    sort_date,
    with_shortcut,
)

Index = QModelIndex | QPersistentModelIndex
MIME_TYPE = "application/x-navoppfolging-activity-ids"
BOARD_STATUSES: tuple[d.ActivityStatus, ...] = tuple(d.ActivityStatus)

# Table columns, by position.
COL_TITLE, COL_CATEGORY, COL_STATUS, COL_RESPONSIBLE, COL_START, COL_END, COL_DESCRIPTION = range(7)


def is_expired(a: d.Activity, as_of: dt.date) -> bool:
    """ACTIVITY-EXPIRED's condition: still planned or going on, and the end date has passed."""
    return a.status in (d.ActivityStatus.PLANLAGT, d.ActivityStatus.GJENNOMFORES) and a.end is not None and a.end < as_of


class ActivitiesModel(ItemTableModel[d.Activity]):
    """The plan's activities, editable in place; drags carry activity ids."""

    change_requested = Signal(object)  # the edited d.Activity
    edit_rejected = Signal(str)  # why an edit was not accepted (bokmål, for the user)

    def __init__(self, parent: Any = None) -> None:
        self.as_of = dt.date.today()
        columns = [
            Column[d.Activity]("Aktivitet", lambda a: a.title, tooltip=lambda a: a.description,
                               foreground=lambda a: QColor(theme.DANGER_TEXT) if is_expired(a, self.as_of) else None),
            Column[d.Activity]("Kategori", lambda a: d.CATEGORY_LABELS[a.category]),
            Column[d.Activity]("Status", lambda a: d.ACTIVITY_STATUS_LABELS[a.status],
                               sort=lambda a: list(d.ActivityStatus).index(a.status)),
            Column[d.Activity]("Ansvarlig", lambda a: d.responsible_label(a.responsible)),
            Column[d.Activity]("Fra", lambda a: fmt_date(a.start), sort=lambda a: sort_date(a.start)),
            Column[d.Activity]("Til", lambda a: fmt_date(a.end) + (" (utløpt)" if is_expired(a, self.as_of) else ""),
                               sort=lambda a: sort_date(a.end),
                               foreground=lambda a: QColor(theme.DANGER_TEXT) if is_expired(a, self.as_of) else None),
            Column[d.Activity]("Beskrivelse", lambda a: " ".join(a.description.split()), tooltip=lambda a: a.description),
        ]
        super().__init__(columns, key=lambda a: a.id, parent=parent)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() and index.row() < self.rowCount():
            a = self.item(index.row())
            return {
                COL_TITLE: a.title,
                COL_CATEGORY: a.category.value,
                COL_STATUS: a.status.value,
                COL_RESPONSIBLE: a.responsible.value if a.responsible else "",
                COL_START: fmt_date(a.start),
                COL_END: fmt_date(a.end),
                COL_DESCRIPTION: a.description,
            }.get(index.column())
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Validates like the dialog; a valid change is handed to the tab to save, a refused one
        is reported through ``edit_rejected``."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.row() >= self.rowCount():
            return False
        a = self.item(index.row())
        try:
            changed = _with_column(a, index.column(), value)
        except EditRefused as exc:
            self.edit_rejected.emit(f"{exc} Endringen ble ikke lagret.")
            return False
        except ValueError:  # a code no combo offers: nothing the user typed
            return False
        if changed == a:
            return False
        self.change_requested.emit(changed)
        return True

    # --- drag and drop -------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = sorted({self.item(i.row()).id for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(json.dumps(ids).encode("utf-8")))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def request_status(self, ids: Sequence[str], status: d.ActivityStatus) -> int:
        """Ask for each activity in ``ids`` to get ``status``; returns how many change."""
        count = 0
        for activity_id in ids:
            row = self.row_of(activity_id)
            if row < 0:
                continue
            a = self.item(row)
            if a.status is not status:
                self.change_requested.emit(_replace(a, status=status))
                count += 1
        return count


def _replace(a: d.Activity, **changes: Any) -> d.Activity:
    return dataclasses.replace(a, **changes)


class EditRefused(ValueError):
    """A table cell's new value is not acceptable; the message says why, as the dialog would."""


def _with_column(a: d.Activity, column: int, value: Any) -> d.Activity:
    """The activity with one table cell changed; ``EditRefused`` (with the reason in bokmål)
    when the value is not acceptable — the same checks as ``ActivityDialog``."""
    text = "" if value is None else str(value)
    if column == COL_TITLE:
        title = text.strip()
        if not title:
            raise EditRefused("Aktiviteten må ha en tittel.")
        if message := length_error(title, MAX["title"], "Tittelen"):
            raise EditRefused(message)
        return _replace(a, title=title)
    if column == COL_CATEGORY:
        return _replace(a, category=d.ActivityCategory(text))
    if column == COL_STATUS:
        return _replace(a, status=d.ActivityStatus(text))
    if column == COL_RESPONSIBLE:
        return _replace(a, responsible=d.Responsible(text) if text else None)
    if column in (COL_START, COL_END):
        which = "Fra-datoen" if column == COL_START else "Til-datoen"
        try:
            day = parse_date(text) if text.strip() else None
        except ValueError:
            raise EditRefused(f"{which} «{text.strip()}» er ikke en dato. Skriv datoen som dd.mm.åååå.") from None
        changed = _replace(a, start=day) if column == COL_START else _replace(a, end=day)
        if changed.start and changed.end and changed.end < changed.start:
            raise EditRefused(f"Til-datoen ({fmt_date(changed.end)}) er før fra-datoen ({fmt_date(changed.start)}).")
        return changed
    if column == COL_DESCRIPTION:
        if message := length_error(text, MAX["description"], "Beskrivelsen"):
            raise EditRefused(message)
        return _replace(a, description=text.strip())
    raise ValueError(column)


class ActivityStatusProxyModel(QSortFilterProxyModel):
    """One board column: the activities with one status, sorted by start date. A drop here
    asks for the dropped activities to get this column's status."""

    def __init__(self, status: d.ActivityStatus, parent: Any = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setSortRole(Qt.ItemDataRole.UserRole + 2)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        a = model.index(source_row, 0, source_parent).data(ItemRole)
        return isinstance(a, d.Activity) and a.status is self.status

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(ItemRole), right.data(ItemRole)
        return (sort_date(a.start) or "9999", a.title) < (sort_date(b.start) or "9999", b.title)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            # Dropping on the empty part of a column must work too.
            return Qt.ItemFlag.ItemIsDropEnabled
        return super().flags(index)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return data.hasFormat(MIME_TYPE)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not data.hasFormat(MIME_TYPE) or action == Qt.DropAction.IgnoreAction:
            return False
        ids = json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
        source = self.sourceModel()
        if not isinstance(source, ActivitiesModel):
            return False
        status = self.status
        # The save runs after the drag has finished: writing (and refreshing every view) inside
        # the drop handler would pull the dragged row from under the view that started the drag.
        QTimer.singleShot(0, lambda: source.request_status(ids, status))
        return True


def pack_lines(pieces: Sequence[tuple[str, str]], metrics: QFontMetrics, width: int, max_lines: int) -> list[str]:
    """Lay ``pieces`` ((separator, text) pairs; the first separator is ignored) out on at most
    ``max_lines`` lines of ``width`` pixels: a piece goes on the current line with its separator
    when it fits there, else it starts the next one (a piece wider than a line is broken between
    its words); what does not fit the last line is elided."""
    lines: list[str] = []
    room = width - 1  # horizontalAdvance() rounds; elidedText() would cut a line just at the width

    def add(separator: str, text: str, *, new_line: bool) -> None:
        if lines and not new_line and metrics.horizontalAdvance(lines[-1] + separator + text) <= room:
            lines[-1] += separator + text
        elif len(lines) < max_lines:
            lines.append(text)
        else:
            lines[-1] += separator + text

    for separator, text in pieces:
        if lines and metrics.horizontalAdvance(lines[-1] + separator + text) <= room:
            lines[-1] += separator + text
        elif metrics.horizontalAdvance(text) <= room:
            add(separator, text, new_line=True)
        else:
            for number, word in enumerate(text.split(" ")):
                add(separator if number == 0 else " ", word, new_line=number == 0)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


class ActivityCardDelegate(QStyledItemDelegate):
    """A compact card: title, category and who is responsible, dates. Expired activities get a
    red edge and «utløpt». In a narrow column the category, «Ansvar» and the two dates wrap onto
    more lines (they were cut with «…»); a wide column keeps three lines a card."""

    LINE_GAP = 1
    PADDING = 5  # inside the card, above and below the text
    MARGIN = 3  # between the cards
    MAX_META_LINES = 3
    MAX_DATE_LINES = 3

    def __init__(self, as_of: dt.date, parent: Any = None) -> None:
        super().__init__(parent)
        self.as_of = as_of

    @staticmethod
    def _text_width(card_width: int) -> int:
        # The card is inset 4 px from the column on each side, its text 10 px left, 8 px right.
        return max(card_width - 2 * 4 - 10 - 8, 40)

    def _lines(self, a: d.Activity, metrics: QFontMetrics, width: int) -> tuple[list[str], list[str]]:
        meta = pack_lines([("", d.CATEGORY_LABELS[a.category]), (" · ", f"Ansvar: {d.responsible_label(a.responsible)}")],
                          metrics, width, self.MAX_META_LINES)
        if a.start or a.end:
            dates: list[tuple[str, str]] = [("", f"{fmt_date(a.start) or '…'} –"), (" ", fmt_date(a.end) or "…")]
        else:
            dates = [("", "Ingen datoer")]
        if is_expired(a, self.as_of):
            dates.append(("  · ", "utløpt"))
        return meta, pack_lines(dates, metrics, width, self.MAX_DATE_LINES)

    def _card_width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        if isinstance(view, QListView):
            return view.viewport().width() - 2 * view.spacing()
        return option.rect.width()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        a = index.data(ItemRole)
        metrics = QFontMetrics(option.font)
        line = metrics.height() + self.LINE_GAP
        count = 3
        if isinstance(a, d.Activity):
            meta, dates = self._lines(a, metrics, self._text_width(self._card_width(option)))
            count = 1 + len(meta) + len(dates)
        return QSize(120, 2 * (self.MARGIN + self.PADDING) + count * line)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        a = index.data(ItemRole)
        if not isinstance(a, d.Activity):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, self.MARGIN, -4, -self.MARGIN)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        expired = is_expired(a, self.as_of)
        painter.setPen(QPen(QColor(theme.BORDER_FOCUS if focused else theme.BORDER_SUBTLE), 2 if focused else 1))
        painter.setBrush(QColor(theme.SURFACE_SELECTED if selected else theme.SURFACE_DEFAULT))
        painter.drawRoundedRect(rect, theme.RADIUS_SMALL, theme.RADIUS_SMALL)
        if expired:
            painter.fillRect(QRect(rect.left() + 1, rect.top() + 1, 4, rect.height() - 1), QColor(theme.DANGER))
        inner = rect.adjusted(10, self.PADDING, -8, -self.PADDING)
        base = QFont(option.font)
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(base)
        line = metrics.height() + self.LINE_GAP
        painter.setFont(bold)
        painter.setPen(QColor(theme.TEXT_DEFAULT))
        title = QFontMetrics(bold).elidedText(a.title, Qt.TextElideMode.ElideRight, inner.width())
        painter.drawText(QRect(inner.left(), inner.top(), inner.width(), line), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(base)
        meta, dates = self._lines(a, metrics, inner.width())
        top = inner.top() + line
        painter.setPen(QColor(theme.TEXT_SUBTLE))
        for text in meta:
            painter.drawText(QRect(inner.left(), top, inner.width(), line), Qt.AlignmentFlag.AlignLeft, text)
            top += line
        if expired:
            painter.setPen(QColor(theme.DANGER_TEXT))
        for text in dates:
            painter.drawText(QRect(inner.left(), top, inner.width(), line), Qt.AlignmentFlag.AlignLeft, text)
            top += line
        painter.restore()


class KanbanListView(QListView):
    """A board column's list: drag cards out and in, Enter opens, Del deletes, Menu key / right
    click opens the card's menu."""

    delete_requested = Signal()
    menu_requested = Signal(QPoint)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Cards are as tall as their text needs at the column's width (see ActivityCardDelegate).
        self.setUniformItemSizes(False)
        self.setSpacing(0)
        # Cards take the column's width; a long title is elided, never scrolled sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(lambda pos: self.menu_requested.emit(self.viewport().mapToGlobal(pos)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            if self.currentIndex().isValid():
                self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def current_activity(self) -> d.Activity | None:
        index = self.currentIndex()
        a = index.data(ItemRole) if index.isValid() else None
        return a if isinstance(a, d.Activity) else None


class KanbanColumn(QFrame):
    """A status heading with a count over its list of cards."""

    def __init__(self, status: d.ActivityStatus, model: ActivitiesModel, delegate: ActivityCardDelegate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setObjectName(f"kanban_{status.value}")
        self.proxy = ActivityStatusProxyModel(status, self)
        self.proxy.setSourceModel(model)
        self.proxy.sort(0)
        self.proxy.setDynamicSortFilter(True)
        self.heading = QLabel()
        self.heading.setProperty("heading", "small")
        self.view = KanbanListView(f"Aktiviteter med status {d.ACTIVITY_STATUS_LABELS[status]}", self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(delegate)
        # Cards wrap their text, so a column may be narrow: the five of them (and so the case
        # view) fit beside the due list in a 1400 px window.
        self.view.setMinimumWidth(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        model.modelReset.connect(self.update_heading)
        model.dataChanged.connect(self.update_heading)
        self.update_heading()

    def update_heading(self) -> None:
        self.heading.setText(f"{d.ACTIVITY_STATUS_LABELS[self.status]} ({self.proxy.rowCount()})")


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over one of the domain's label dicts (codes stored, labels shown)."""

    def __init__(self, labels: dict[Any, str], name: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.name = name

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.name)
        for code, label in self.labels.items():
            combo.addItem(label, code.value if code is not None else "")  # None: «Ikke avklart»
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class DateDelegate(QStyledItemDelegate):
    """dd.mm.yyyy in a :class:`DateField`; empty clears the date; invalid text goes to the model,
    which refuses it and says why (``edit_rejected``)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        field = DateField("Dato", parent=parent)
        field.setMaximumWidth(16777215)
        return field

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, DateField)
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, DateField)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class TextDelegate(QStyledItemDelegate):
    """A line edit limited to the field's maximum length (title 100, description 5,000)."""

    def __init__(self, limit: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.limit = limit

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if hasattr(editor, "setMaxLength"):
            editor.setMaxLength(self.limit)
        return editor


class ActivitiesTab(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activitiesTab")
        self.state = state
        self.case: d.Case | None = None
        self.model = ActivitiesModel(self)
        self.model.change_requested.connect(self.save_activity)
        self.model.edit_rejected.connect(self._edit_rejected)

        # Goal at the top, as on the printed plan.
        goal_heading = QLabel("Mitt mål")
        goal_heading.setProperty("heading", "small")
        self.goal_label = QLabel()
        self.goal_label.setObjectName("planGoal")
        self.goal_label.setWordWrap(True)
        self.goal_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.goal_label.setAccessibleName("Mitt mål")
        self.hovedmal_label = QLabel()
        self.hovedmal_label.setProperty("subtle", "true")
        goal_box = QFrame()
        goal_box.setObjectName("goalBox")
        goal_box.setStyleSheet(f"QFrame#goalBox {{ background: {theme.SURFACE_DEFAULT}; border: 1px solid {theme.BORDER_SUBTLE};"
                               f" border-radius: {theme.RADIUS_MEDIUM}px; }}")
        goal_layout = QVBoxLayout(goal_box)
        goal_layout.setContentsMargins(12, 8, 12, 8)
        goal_layout.addWidget(goal_heading)
        goal_layout.addWidget(self.goal_label)
        goal_layout.addWidget(self.hovedmal_label)

        self.add_button = QPushButton(theme.icon("Plus", theme.TEXT_ON_ACTION), "Ny aktivitet")
        with_shortcut(self.add_button, "Ins", "Legg til en aktivitet i planen")
        theme.set_variant(self.add_button, "primary")
        self.add_button.clicked.connect(self.add_activity)
        self.edit_button = QPushButton(theme.icon(theme.ACTION_ICONS["edit"], theme.TEXT_ACTION), "Endre")
        self.edit_button.setToolTip("Endre valgt aktivitet (Enter)")
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button = QPushButton(theme.icon(theme.ACTION_ICONS["delete"], theme.TEXT_ACTION), "Slett")
        self.delete_button.setToolTip("Slett valgt aktivitet (Del)")
        self.delete_button.clicked.connect(self.delete_current)
        self.board_button = QPushButton("Tavle")
        self.table_button = QPushButton("Tabell")
        for b in (self.board_button, self.table_button):
            theme.set_chip(b)
        self.board_button.setChecked(True)
        self.view_group = QButtonGroup(self)
        self.view_group.setExclusive(True)
        self.view_group.addButton(self.board_button, 0)
        self.view_group.addButton(self.table_button, 1)
        self.board_button.setAccessibleName("Vis som tavle")
        self.table_button.setAccessibleName("Vis som tabell")

        # The board.
        self.delegate = ActivityCardDelegate(state.as_of, self)
        self.columns: dict[d.ActivityStatus, KanbanColumn] = {}
        board = QWidget()
        board_layout = QHBoxLayout(board)
        board_layout.setContentsMargins(0, 0, 0, 0)
        board_layout.setSpacing(10)
        for status in BOARD_STATUSES:
            column = KanbanColumn(status, self.model, self.delegate, board)
            column.view.activated.connect(lambda _i: self.edit_current())
            column.view.delete_requested.connect(self.delete_current)
            column.view.menu_requested.connect(self._show_card_menu)
            column.view.selectionModel().currentChanged.connect(
                lambda current, _prev, v=column.view: self._on_card_current(v, current))
            self.columns[status] = column
            board_layout.addWidget(column, 1)
        hint = QLabel("Dra et kort til en annen kolonne for å endre status, eller høyreklikk (menytasten) på kortet.")
        hint.setProperty("subtle", "true")
        board_page = QWidget()
        board_page_layout = QVBoxLayout(board_page)
        board_page_layout.setContentsMargins(0, 0, 0, 0)
        board_page_layout.addWidget(board, 1)
        board_page_layout.addWidget(hint)

        # The table, edited in place.
        self.proxy = ItemSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = ItemTableView("Aktiviteter i planen", self)
        self.table.setModel(self.proxy)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setItemDelegateForColumn(COL_TITLE, TextDelegate(MAX["title"], self.table))
        self.table.setItemDelegateForColumn(COL_CATEGORY, ChoiceDelegate(d.CATEGORY_LABELS, "Kategori", self.table))
        self.table.setItemDelegateForColumn(COL_STATUS, ChoiceDelegate(d.ACTIVITY_STATUS_LABELS, "Status", self.table))
        self.table.setItemDelegateForColumn(COL_RESPONSIBLE, ChoiceDelegate(d.RESPONSIBLE_CHOICES, "Ansvarlig", self.table))
        self.table.setItemDelegateForColumn(COL_START, DateDelegate(self.table))
        self.table.setItemDelegateForColumn(COL_END, DateDelegate(self.table))
        self.table.setItemDelegateForColumn(COL_DESCRIPTION, TextDelegate(MAX["description"], self.table))
        self.table.sortByColumn(COL_START, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        for col, width in enumerate((240, 150, 120, 90, 100, 150)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.edit_current())
        self.table.delete_requested.connect(self.delete_current)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self._show_card_menu(self.table.viewport().mapToGlobal(pos)))
        table_hint = QLabel("Dobbeltklikk eller F2 for å endre en celle; Enter åpner hele aktiviteten.")
        table_hint.setProperty("subtle", "true")
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        # Why the last edit in the table was not saved (the cell shows the old value again).
        self.edit_error = error_label()
        self.edit_error.setObjectName("activityEditError")
        self.edit_error.setAccessibleName("Endringen ble ikke lagret")
        table_layout.addWidget(self.edit_error)
        table_layout.addWidget(table_hint)

        self.stack = QStackedWidget()
        self.stack.addWidget(board_page)
        self.stack.addWidget(table_page)
        self.view_group.idClicked.connect(self.stack.setCurrentIndex)

        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setProperty("subtle", "true")
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        show = QLabel("Vis:")
        bar.addWidget(show)
        bar.addWidget(self.board_button)
        bar.addWidget(self.table_button)

        layout = QVBoxLayout(self)
        layout.addWidget(goal_box)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self._last_view: QAbstractItemView = self.columns[d.ActivityStatus.GJENNOMFORES].view
        self._update_buttons()

    # --- showing -------------------------------------------------------------------------------

    def set_case(self, case: d.Case | None) -> None:
        if case is None or self.case is None or case.ref != self.case.ref:
            show_error(self.edit_error, None)
        self.case = case
        self.model.as_of = self.state.as_of
        self.delegate.as_of = self.state.as_of
        self.model.set_items(case.activities if case else ())
        for column in self.columns.values():
            column.update_heading()
        self.goal_label.setText(case.goal if case and case.goal else "Ikke skrevet ennå (fylles inn under Oversikt).")
        self.hovedmal_label.setText(f"Hovedmål: {d.HOVEDMAL_LABELS[case.hovedmal]}" if case and case.hovedmal else "")
        self.hovedmal_label.setVisible(bool(case and case.hovedmal))
        n = len(case.activities) if case else 0
        self.count_label.setText(f"{n} aktiviteter" if n != 1 else "1 aktivitet")
        self._update_buttons()

    def show_board(self) -> None:
        self.board_button.setChecked(True)
        self.stack.setCurrentIndex(0)

    def show_table(self) -> None:
        self.table_button.setChecked(True)
        self.stack.setCurrentIndex(1)

    def select(self, activity_id: str) -> None:
        """Show one activity (ACTIVITY-EXPIRED's «vis aktiviteten»): select its card."""
        row = self.model.row_of(activity_id)
        if row < 0:
            return
        a = self.model.item(row)
        column = self.columns[a.status]
        index = column.proxy.mapFromSource(self.model.index(row, 0))
        self.show_board()
        column.view.setCurrentIndex(index)
        column.view.scrollTo(index)
        column.view.setFocus()
        self._last_view = column.view

    def current(self) -> d.Activity | None:
        view = self._last_view
        if view is self.table or self.stack.currentIndex() == 1:
            item = self.table.current_item()
            return item if isinstance(item, d.Activity) else None
        index = view.currentIndex()
        a = index.data(ItemRole) if index.isValid() else None
        return a if isinstance(a, d.Activity) else None

    def _on_card_current(self, view: QAbstractItemView, current: QModelIndex) -> None:
        if current.isValid():
            self._last_view = view
            # One selected card on the whole board, not one per column.
            for column in self.columns.values():
                if column.view is not view:
                    column.view.clearSelection()
                    column.view.setCurrentIndex(QModelIndex())
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.case is not None)
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # --- menus ---------------------------------------------------------------------------------

    def card_menu(self) -> QMenu:
        """Status changes, edit and delete for the current activity."""
        menu = QMenu(self)
        a = self.current()
        if a is not None:
            move = menu.addMenu("Flytt til")
            for status in BOARD_STATUSES:
                action = move.addAction(d.ACTIVITY_STATUS_LABELS[status])
                action.setEnabled(status is not a.status)
                action.setData(status.value)
                action.triggered.connect(lambda _c=False, s=status, ident=a.id: self.set_status(ident, s))
            menu.addAction("Endre …", self.edit_current)
            menu.addAction("Slett …", self.delete_current)
            menu.addSeparator()
        menu.addAction("Ny aktivitet …", self.add_activity)
        return menu

    def _show_card_menu(self, global_pos: QPoint) -> None:
        sender = self.sender()
        if isinstance(sender, QAbstractItemView):
            self._last_view = sender
        menu = self.card_menu()
        menu.exec(global_pos)
        menu.deleteLater()

    # --- actions -------------------------------------------------------------------------------

    def set_status(self, activity_id: str, status: d.ActivityStatus) -> None:
        self.model.request_status([activity_id], status)

    def _edit_rejected(self, message: str) -> None:
        show_error(self.edit_error, message)

    def save_activity(self, activity: d.Activity) -> None:
        show_error(self.edit_error, None)
        case = self.case
        if case is None:
            return
        self.state.write(self, lambda: self.state.cases.replace_item(case.ref, expected_version=case.version, item=activity),
                         ref=case.ref)

    def add_activity(self) -> None:
        case = self.case
        if case is None:
            return
        activity = ActivityDialog.ask(self, today=self.state.as_of)
        if activity is None:
            return
        self.state.write(self, lambda: self.state.cases.add_activity(case.ref, expected_version=case.version,
                                                                      activity=activity), ref=case.ref)

    def edit_current(self) -> None:
        case, a = self.case, self.current()
        if case is None or a is None:
            return
        changed = ActivityDialog.ask(self, today=self.state.as_of, initial=a)
        if changed is None or changed == a:
            return
        self.save_activity(changed)

    def delete_current(self) -> None:
        case, a = self.case, self.current()
        if case is None or a is None:
            return
        if not messages.confirm(self, "Slette aktivitet?", f"Vil du slette aktiviteten «{a.title}»? Dette kan ikke angres.",
                                ok_text="Slett"):
            return
        self.state.write(self, lambda: self.state.cases.remove_item(case.ref, expected_version=case.version, item=a),
                         ref=case.ref)
