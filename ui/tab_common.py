"""Pieces the case view's tabs share: a generic table model over frozen domain items, a table
view with the keyboard the advisors expect (Enter opens, Del deletes), an optional-date field
with inline validation, Aksel tags, and date helpers (dd.mm.yyyy everywhere).

Models here hold domain objects only, never widgets; writes are done by the tabs through
``AppState.write``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from navoppfolging.dates import fmt, parse_iso
from . import theme


def with_shortcut(button: QAbstractButton, key: str | QKeySequence.StandardKey, tip: str) -> QAbstractButton:
    """A tab's main button with a keyboard shortcut, named in its tooltip. Only the shown tab's
    buttons are visible, and Qt only fires a visible button's shortcut, so one key (Ins) can add
    in every tab without clashing."""
    sequence = QKeySequence(key)
    button.setShortcut(sequence)
    button.setToolTip(f"{tip} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})")
    return button

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

# Custom roles: the domain object of a row, and a value that sorts correctly (dates as ISO).
ItemRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2


def fmt_date(day: dt.date | None) -> str:
    return fmt(day) if day else ""


def fmt_time(t: dt.time | None) -> str:
    return t.strftime("%H:%M") if t else ""


def parse_date(text: str) -> dt.date:
    """dd.mm.yyyy (also d.m.yyyy, and ISO yyyy-mm-dd pasted from elsewhere); ValueError otherwise."""
    text = text.strip()
    if len(text) == 10 and text[4] == "-":
        return parse_iso(text)
    parts = text.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        raise ValueError(text)
    return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))


def sort_date(day: dt.date | None) -> str:
    # Empty dates sort first; ISO strings sort like dates.
    return day.isoformat() if day else ""


# Not slotted: ``Column[T](...)`` sets ``__orig_class__``, which a slotted frozen class refuses.
def sort_value(value: Any) -> Any:
    """A value the proxy can compare: Qt cannot order Python tuples, so a tuple becomes one
    string whose parts sort like the tuple (numbers zero-padded, booleans as 0/1)."""
    if not isinstance(value, tuple):
        return value
    parts = []
    for part in value:
        if isinstance(part, bool):
            parts.append("1" if part else "0")
        elif isinstance(part, int):
            parts.append(f"{part:012d}")
        else:
            parts.append(str(part))
    return "\x1f".join(parts)


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a :class:`ItemTableModel`: header, displayed text and sort value."""

    header: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    tooltip: Callable[[T], str] | None = None
    decoration: Callable[[T], Any] | None = None
    background: Callable[[T], QColor | None] | None = None
    foreground: Callable[[T], QColor | None] | None = None


class ItemTableModel(QAbstractTableModel, Generic[T]):
    """Rows of frozen domain items. ``set_items`` keeps selections and open editors when only
    values changed (same keys in the same order) and resets otherwise: after a write the
    whole case comes back from the service, and most writes change one value."""

    def __init__(self, columns: Sequence[Column[T]], key: Callable[[T], Hashable], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._items: list[T] = []

    # --- data ----------------------------------------------------------------------------------

    def set_items(self, items: Sequence[T]) -> None:
        new = list(items)
        if [self._key(x) for x in new] == [self._key(x) for x in self._items]:
            if new != self._items:
                self._items = new
                if new:
                    self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self._columns) - 1))
            return
        self.beginResetModel()
        self._items = new
        self.endResetModel()

    def items(self) -> list[T]:
        return list(self._items)

    def item(self, row: int) -> T:
        return self._items[row]

    def row_of(self, key: Hashable) -> int:
        for row, x in enumerate(self._items):
            if self._key(x) == key:
                return row
        return -1

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._columns):
            return self._columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items) or not 0 <= index.column() < len(self._columns):
            return None
        item = self._items[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == ItemRole:
            return item
        if role == SortRole:
            return sort_value(column.sort(item) if column.sort else column.text(item))
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(item) or None
        if role == Qt.ItemDataRole.DecorationRole and column.decoration:
            return column.decoration(item)
        if role == Qt.ItemDataRole.BackgroundRole and column.background:
            return column.background(item)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            return column.foreground(item)
        return None


class ItemSortProxyModel(QSortFilterProxyModel):
    """Sorts on :data:`SortRole` so dates sort as dates, not as dd.mm.yyyy text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


CELL_PADDING = theme.CELL_PADDING  # what a cell's text needs beside it (ui/theme.py)
ICON_WIDTH = 22  # a decoration icon and its gap


def fit_columns(view: QTableView, samples: Mapping[int, str | int], *, stretch: int | None = None,
                icons: Collection[int] = (), bold: bool = False) -> None:
    """Give each column in ``samples`` the width of its sample text in the view's font (``bold``:
    some rows are bold; or that many pixels; ``icons``: columns with an icon before the text),
    never narrower than its header; ``stretch`` (the free text: a summary, a note) takes the
    rest of the width."""
    header = view.horizontalHeader()
    font = QFont(view.font())
    font.setBold(bold)
    metrics = QFontMetrics(font)
    for column, sample in samples.items():
        width = sample if isinstance(sample, int) else metrics.horizontalAdvance(sample) + CELL_PADDING
        width += ICON_WIDTH if column in icons else 0
        # sectionSizeHint() reserves room for the sort arrow; a header may lose a few pixels of it.
        view.setColumnWidth(column, max(width, header.sectionSizeHint(column) - 18))
    if stretch is not None:
        # A stretched last section never gets narrower than it was when it was set (Qt keeps
        # that as its floor): give it its header's width first, or it stays at the default
        # 100 px and a narrow table scrolls sideways.
        view.setColumnWidth(stretch, header.sectionSizeHint(stretch) - 18)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class ItemTableView(QTableView):
    """A read-mostly table: whole rows selected, Enter opens (``activated``), Del asks to
    delete (``delete_requested``), sortable headers, no row numbers."""

    delete_requested = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        # A short line on the empty table («Ingen huskelapper ennå»): a blank white box reads as
        # «still loading» or «broken». Shown only while the model has no rows; see set_empty_text.
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName("emptyTableLabel")
        self.empty_label.setProperty("subtle", "true")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_label.hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def set_empty_text(self, text: str) -> None:
        """What the table says while it has no rows (nothing by default)."""
        self.empty_label.setText(text)
        self._update_empty()

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            for signal in (old.rowsInserted, old.rowsRemoved, old.modelReset, old.layoutChanged):
                signal.disconnect(self._update_empty)
        super().setModel(model)
        if model is not None:
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
                signal.connect(self._update_empty)
        self._update_empty()

    def _update_empty(self, *_args: Any) -> None:
        model = self.model()
        empty = bool(self.empty_label.text()) and (model is None or model.rowCount() == 0)
        self.empty_label.setVisible(empty)
        if empty:
            self._place_empty()

    def _place_empty(self) -> None:
        # Across the top of the empty viewport, where the first row would be.
        viewport = self.viewport().rect()
        self.empty_label.setGeometry(viewport.x() + 12, viewport.y() + 12, max(0, viewport.width() - 24),
                                     self.empty_label.heightForWidth(max(0, viewport.width() - 24)) or 24)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.empty_label.isVisible():
            self._place_empty()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            if self.currentIndex().isValid():
                self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def current_item(self) -> Any:
        index = self.currentIndex()
        if not index.isValid():
            rows = self.selectionModel().selectedRows() if self.selectionModel() else []
            if not rows:
                return None
            index = rows[0]
        return index.data(ItemRole)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model().rowCount():
            self.setCurrentIndex(self.model().index(row, 0))
            self.selectRow(row)


class DateField(QLineEdit):
    """An optional date typed as dd.mm.yyyy; empty means «not set». Marked invalid inline
    (Aksel's red border) while the text is not a date."""

    validity_changed = Signal(bool)

    def __init__(self, accessible_name: str, *, required: bool = False, mark_invalid: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText("dd.mm.åååå")
        self.setMaximumWidth(140)
        self._required = required
        # False: a form that shows errors only once a field is touched marks the field itself.
        self._mark_invalid = mark_invalid
        self._valid = True
        self.textChanged.connect(self._check)

    def set_date(self, day: dt.date | None) -> None:
        self.setText(fmt_date(day))
        self._check()

    def date(self) -> dt.date | None:
        """The date, or None when empty. Raises ValueError when the text is not a date."""
        text = self.text().strip()
        if not text:
            if self._required:
                raise ValueError("påkrevd")
            return None
        return parse_date(text)

    def error(self) -> str | None:
        text = self.text().strip()
        if not text:
            return "Datoen må fylles ut." if self._required else None
        try:
            parse_date(text)
        except ValueError:
            return "Skriv datoen som dd.mm.åååå."
        return None

    def is_valid(self) -> bool:
        return self.error() is None

    def _check(self) -> None:
        valid = self.is_valid()
        if self._mark_invalid:
            theme.set_invalid(self, not valid)
            self.setToolTip(self.error() or "")
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)


def save_buttons(dialog: QDialog, ok_text: str = "Lagre") -> tuple[QDialogButtonBox, QPushButton]:
    """The dialogs' «Lagre»/«Avbryt» row: OK as Aksel's primary button, wired to accept/reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok_button.setText(ok_text)
    theme.set_variant(ok_button, "primary")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok_button


def tag(text: str, kind: str, *, tooltip: str = "") -> QLabel:
    """An Aksel tag: small, rounded, tinted by ``kind`` (a key of ``theme.STATUS_COLORS``)."""
    label = QLabel(text)
    style_tag(label, kind)
    if tooltip:
        label.setToolTip(tooltip)
    label.setAccessibleName(text)
    return label


def style_tag(label: QLabel, kind: str) -> None:
    c = theme.STATUS_COLORS[kind]
    label.setStyleSheet(
        f"QLabel {{ background: {c.background}; color: {c.foreground}; border: 1px solid {c.border};"
        f" border-radius: {theme.RADIUS_SMALL}px; padding: 1px 8px; font-weight: 600; }}"
    )


def error_label() -> QLabel:
    """The red line under a field that says what is wrong (empty when nothing is)."""
    label = QLabel()
    label.setStyleSheet(f"QLabel {{ color: {theme.DANGER_TEXT}; }}")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def show_error(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))


def char_count(length: int, limit: int) -> str:
    """The counter under a limited text field, one form everywhere: «34 av 500 tegn»."""
    return f"{length} av {limit} tegn"


def length_error(text: str, limit: int, what: str) -> str | None:
    if len(text) > limit:
        return f"{what} kan ha høyst {limit} tegn (nå {len(text)})."
    return None


def check_length(edit: QLineEdit | QPlainTextEdit, error: QLabel, limit: int, what: str) -> bool:
    """Show (or clear) a text field's too-long message and red border; True when it fits."""
    text = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
    message = length_error(text, limit, what)
    show_error(error, message)
    theme.set_invalid(edit, message is not None)
    return message is None


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget in ``layout`` now: a widget only taken out of a layout
    stays visible at its old place until the event loop deletes it."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        w = item.widget()
        inner = item.layout()
        if w is not None:
            w.hide()
            w.setParent(None)
            w.deleteLater()
        elif inner is not None:
            clear_layout(inner)


def grow_to_fit(dialog: QWidget) -> None:
    """Make a shown dialog tall enough for what appeared in it after it opened (an error or a
    warning line). With word-wrapped labels the layout has height-for-width, and Qt then does not
    raise a window's height by itself: the new line was drawn over the field below it, or cut."""
    layout = dialog.layout()
    if not dialog.isVisible() or layout is None:
        return
    needed = layout.totalHeightForWidth(dialog.width())
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)
