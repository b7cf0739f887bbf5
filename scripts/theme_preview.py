"""Render a sample window in the Aksel theme to a PNG, to check the look after a theme change.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/theme_preview.py /tmp/theme.png

Shows buttons of each variant with icons, chips, fields, a small table with the due-status
colours and every icon in resources/icons/. The rows are made-up sample data, no real cases.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.ui import theme

_STATUS_LABELS = {"overdue": "Forfalt", "due_soon": "Forfaller snart", "upcoming": "Kommende"}
_ROWS = [
    ("Ola N.", "UG-OFFER-8W", "2024-03-01", "overdue"),
    ("Kari N.", "CONTACT-30D", "2024-03-12", "due_soon"),
    ("Per S.", "PLAN-MISSING", "2024-04-02", "upcoming"),
    ("Åse Ø.", "INTERPRETER-BOOK", "2024-03-08", "due_soon"),
]
_HEADERS = ["Navn", "Regel", "Frist", "Status"]

Index = QModelIndex | QPersistentModelIndex


class _SampleDueModel(QAbstractTableModel):
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_ROWS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = _ROWS[index.row()]
        status = row[3]
        if role == Qt.ItemDataRole.DisplayRole:
            return _STATUS_LABELS[status] if index.column() == 3 else row[index.column()]
        if index.column() == 3:
            background, foreground = theme.status_colors(status)
            if role == Qt.ItemDataRole.BackgroundRole:
                return background
            if role == Qt.ItemDataRole.ForegroundRole:
                return foreground
            if role == Qt.ItemDataRole.DecorationRole:
                return theme.icon(theme.STATUS_ICONS[status], theme.STATUS_COLORS[status].strong)
        return None


def build() -> QWidget:
    window = QWidget()
    window.setWindowTitle("NAV oppfølging — tema")
    layout = QVBoxLayout(window)

    title = QLabel("Mine oppfølginger")
    title.setProperty("heading", "large")
    subtitle = QLabel("Per 5. mars 2024 · 4 frister")
    subtitle.setProperty("subtle", "true")
    layout.addWidget(title)
    layout.addWidget(subtitle)

    buttons = QHBoxLayout()
    for text, icon_name, variant in [
        ("Ny sak", "FolderPlus", "primary"),
        ("Registrer kontakt", "ChatAdd", "secondary"),
        ("§ 14 a-vurdering", "Paragraph", "secondary"),
        ("Skriv ut plan", "PrinterSmall", "tertiary"),
        ("Slett", "Trash", "danger"),
    ]:
        button = QPushButton(text)
        colour = theme.TEXT_ON_ACTION if variant in {"primary", "danger"} else theme.TEXT_ACTION
        button.setIcon(theme.icon(icon_name, colour))
        theme.set_variant(button, variant)
        buttons.addWidget(button)
    disabled = QPushButton("Eksporter")
    disabled.setIcon(theme.icon("FileExport", theme.TEXT_ACTION))
    disabled.setEnabled(False)
    buttons.addWidget(disabled)
    buttons.addStretch()
    layout.addLayout(buttons)

    chips = QHBoxLayout()
    for text, checked in [
        ("Forfalt", True),
        ("Forfaller snart", True),
        ("Kommende", False),
        ("Ungdomsgaranti", False),
    ]:
        chip = QPushButton(text)
        theme.set_chip(chip, checked=checked)
        chips.addWidget(chip)
    tool = QToolButton()
    tool.setIcon(theme.icon("Funnel", theme.TEXT_ACTION))
    tool.setToolTip("Filter")
    chips.addWidget(tool)
    chips.addStretch()
    layout.addLayout(chips)

    fields = QHBoxLayout()
    search = QLineEdit()
    search.setPlaceholderText("Søk etter navn eller saksnummer")
    search.addAction(
        theme.icon("MagnifyingGlass", theme.TEXT_SUBTLE), QLineEdit.ActionPosition.LeadingPosition
    )
    combo = QComboBox()
    combo.addItems(["Alle innsatsgrupper", "Situasjonsbestemt", "Spesielt tilpasset"])
    invalid = QLineEdit("12345")
    theme.set_invalid(invalid, True)
    as_of = QDateEdit(QDate(2024, 3, 5))
    as_of.setCalendarPopup(True)
    fields.addWidget(search, 2)
    fields.addWidget(as_of)
    fields.addWidget(combo, 1)
    fields.addWidget(invalid, 1)
    layout.addLayout(fields)

    table = QTableView()
    table.setModel(_SampleDueModel(table))
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.selectRow(1)
    table.resizeColumnsToContents()
    table.setIconSize(QSize(18, 18))
    table.setMinimumHeight(170)
    layout.addWidget(table)

    badges = QHBoxLayout()
    badge_samples = [("youth_guarantee", "Ungdomsgaranti"), ("flag", "KVP"), ("done", "Fullført")]
    for key, text in badge_samples:
        colours = theme.STATUS_COLORS[key]
        badge = QLabel(text)
        badge.setStyleSheet(
            f"color: {colours.foreground}; background: {colours.background};"
            f" border: 1px solid {colours.border}; border-radius: 4px; padding: 2px 6px;"
        )
        badges.addWidget(badge)
    badges.addStretch()
    layout.addLayout(badges)

    box = QGroupBox("Ikoner")
    grid = QGridLayout(box)
    for i, name in enumerate(theme.available_icons()):
        label = QLabel()
        label.setPixmap(theme.icon(name).pixmap(24, 24))
        label.setToolTip(name)
        grid.addWidget(label, i // 20, i % 20)
    layout.addWidget(box)
    window.resize(900, 640)
    return window


def main() -> None:
    app = QApplication(sys.argv[:1])
    theme.apply_theme(app)
    window = build()
    window.show()
    app.processEvents()
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/theme.png"
    window.grab().save(out)
    print(out)


if __name__ == "__main__":
    main()
