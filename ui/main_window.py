"""The advisor's main window: the portfolio, the due list, the as-of date and the menus.

Layout: a toolbar (actions and «Vis frister per»), then a splitter with a stack on the left
(the portfolio list, the empty state, the case view) and the due list on the right.

Other features add their menu entries with one line::

    window.add_tool_action("verktøy", QAction("Teamoversikt", window), toolbar=True)

or use the menus directly: ``menu_file``, ``menu_case``, ``menu_view``, ``menu_tools``,
``menu_help``. Every action with a shortcut shows up in «Hjelp → Hurtigtaster» by itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QDate, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from navoppfolging.errors import NavOppfolgingError, ValidationError
from navoppfolging.rules import latest_letter_year
from navoppfolging.words import count
from . import messages, theme
from .due_list import DueListPanel
from .flow_layout import FlowLayout
from .portfolio_model import (
    FILTER_KEYS,
    FILTERS,
    SHORT_TITLES,
    Column,
    PortfolioModel,
    PortfolioProxyModel,
    build_rows,
)
from .qdates import from_qdate, to_qdate
from .state import AppState, run_in_background

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

# Classes only dialogs use (QDialogButtonBox, QFileDialog, QMessageBox) are imported where they
# are used: naming one here makes PySide6 build it and its enums during the start-up (issue 9).

log = logging.getLogger(__name__)

# The earliest as-of date a ruleset covers (rules.md: before 2023 is an error).
FIRST_RULESET_DAY = dt.date(2023, 1, 1)
SETTINGS_GROUP = "mainwindow"
JSON_FILTER = "Porteføljefil (*.json)"

# Initial column widths (at least; _fit_headers widens a column to its header and to the dates
# and short titles in the window's font). The nine columns fit beside the due list at 1800 px:
# «Innsatsgruppe» is cut at «Trenger veiledning, nedsatt …» (the tooltip says it whole) rather
# than the dates or a scroll bar. The user's own widths replace these once saved.
COLUMN_WIDTHS: dict[Column, int] = {
    Column.NAME: 150, Column.AGE: 56, Column.INNSATSGRUPPE: 150, Column.UG: 44,
    Column.LAST_MEETING: 96, Column.LAST_CONTACT: 96, Column.NEXT_MEETING: 96,
    Column.NEXT_DUE: 270, Column.FLAGS: 155,
}
# The columns' first order on screen: what the advisor acts on (the next deadline, the flags)
# right after the name and age, so it is in view at 1280–1400 px too; the dates come last.
# (Only the view's order: the model's columns and the user's saved order are untouched.)
COLUMN_ORDER: tuple[Column, ...] = (
    Column.NAME, Column.AGE, Column.NEXT_DUE, Column.FLAGS, Column.INNSATSGRUPPE, Column.UG,
    Column.LAST_MEETING, Column.LAST_CONTACT, Column.NEXT_MEETING,
)
# The due list's share of the window: room for Frist, Sak and most of «Oppfølging» (narrower
# than this, its titles were cut to «Aktivitet utløpt (pra…»), and the portfolio keeps the rest.
DUE_PANEL_WIDTH = 560


def _failure_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "Filen har feil, og ingenting er lagret. Rett opp dette:"
    if isinstance(exc, NavOppfolgingError):
        return str(exc)
    log.error("bakgrunnsjobb feilet: %s", type(exc).__name__)
    return f"Uventet feil ({type(exc).__name__})."


def _failure_details(exc: Exception) -> list[str]:
    return [str(p) for p in exc.problems] if isinstance(exc, ValidationError) else []


class ShortcutsDialog(QDialog):
    """«Hurtigtaster»: every action of the window that has a shortcut, read from the actions
    themselves so entries added later by other features are listed too."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Hurtigtaster")
        self.setObjectName("shortcutsDialog")
        rows = window.shortcut_list()
        html = "".join(
            f"<tr><td style='padding:3px 18px 3px 0'><b>{key}</b></td><td>{text}</td></tr>" for text, key in rows
        )
        self.label = QLabel(f"<table>{html}</table>")
        self.label.setObjectName("shortcutsText")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        from PySide6.QtWidgets import QDialogButtonBox

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Lukk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Hurtigtaster i hovedvinduet:"))
        layout.addWidget(self.label)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, window: MainWindow) -> None:
        cls(window).exec()


class MainWindow(QMainWindow):
    """The advisor's window. ``settings`` is where the layout is remembered (a temporary
    ``QSettings`` file in tests; the user's configuration otherwise)."""

    case_opened = Signal(str, str)  # ref, tab ("" for the case view's default)
    import_finished = Signal(object)  # ImportSummary, after a file or the demo is loaded
    export_finished = Signal(str)  # path written
    refreshed = Signal()  # after the views were rebuilt from the state

    def __init__(self, state: AppState, *, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.settings = settings if settings is not None else QSettings()
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"NAV oppfølging — {state.display_name}")
        self.setWindowIcon(theme.app_icon())
        self._case_view: Any = None
        self._menus: dict[str, QMenu] = {}
        self.last_refresh_ms = 0.0
        # Background jobs (and their signal objects) must outlive the worker thread's emit.

        self._build_actions()
        self._build_menus()
        self._build_toolbar()

        # Built top-down: every widget is created under its final parent. Under the application's
        # stylesheet each re-parenting re-resolves the style of the moved widget and of all its
        # descendants: built bottom-up, this window sent 305 StyleChange events while it was
        # built, ≈ 3 per widget (start-up, issue 9).
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.setCentralWidget(self.splitter)
        self.stack = QStackedWidget(self.splitter)
        self.stack.setObjectName("mainStack")
        self._build_list_page()
        self._build_empty_page()
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.empty_page)
        self.due_panel = DueListPanel(state, self.splitter)
        self.due_panel.open_case_requested.connect(self.open_case)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.due_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.act_toggle_due.toggled.connect(self.due_panel.setVisible)

        self.ruleset_label = QLabel()
        self.ruleset_label.setObjectName("rulesetLabel")
        self.statusBar().addPermanentWidget(self.ruleset_label)

        state.data_changed.connect(self.refresh)
        state.as_of_changed.connect(self._on_as_of_changed)
        # Closed cases past the retention period are pointed out once the full database is open
        # (after the first paint, issue 9).
        state.database_ready.connect(self.check_retention)
        self._default_size()
        self.refresh()
        self._fit_headers()
        self._on_as_of_changed(state.as_of)
        self.restore_settings()
        if self.stack.currentWidget() is self.list_page:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.proxy.rowCount():
                self.table.selectRow(0)
        else:
            self.demo_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _default_size(self) -> None:
        # Nine columns and the due list want about 1800 px; smaller screens get what they have,
        # the first columns of the portfolio and the due list in view (the user's own size is
        # restored from the settings afterwards).
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1800, 1000
        if screen is not None and screen.width() > 0:
            width, height = min(width, screen.width()), min(height, screen.height())
        self.resize(width, height)
        self.splitter.setSizes(self.default_splitter_sizes(width))

    @staticmethod
    def default_splitter_sizes(width: int) -> list[int]:
        """The portfolio's and the due list's widths in a window ``width`` pixels wide."""
        due = min(DUE_PANEL_WIDTH, width * 7 // 16)
        return [width - due, due]

    # --- actions and menus -------------------------------------------------------------------

    def _action(self, text: str, slot: Any, *, icon: str | None = None, shortcut: Any = None,
                tip: str = "", name: str = "") -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(theme.icon(theme.ACTION_ICONS.get(icon, icon)))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tooltip = tip or text.replace("&", "").rstrip("…")
        action.setToolTip(f"{tooltip} ({key})" if key else tooltip)
        action.setStatusTip(tooltip)
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_new_case = a("&Ny sak…", self.new_case, icon="new_case", shortcut="Ctrl+N", name="actNewCase")
        self.act_register_contact = a("Registrer &kontakt…", self.register_contact, icon="register_contact",
                                      shortcut="Ctrl+K", name="actRegisterContact",
                                      tip="Registrer kontakt på valgt sak")
        self.act_print_plan = a("Skriv &ut aktivitetsplan…", self.print_plan, icon="print_plan",
                                shortcut=QKeySequence.StandardKey.Print, name="actPrintPlan",
                                tip="Skriv ut aktivitetsplanen for valgt sak")
        self.act_close_case = a("&Avslutt sak…", self.close_case, icon="close_case", shortcut="Ctrl+Shift+A",
                                name="actCloseCase", tip="Avslutt valgt sak")
        self.act_open_case = a("Å&pne sak", self.open_selected, icon="open_case", name="actOpenCase")
        self.act_import = a("&Importer…", self.import_file, icon="import", shortcut="Ctrl+I", name="actImport",
                            tip="Importer porteføljefil (JSON)")
        self.act_export = a("&Eksporter…", self.export_file, icon="export", shortcut="Ctrl+E", name="actExport",
                            tip="Eksporter porteføljen til fil (JSON)")
        self.act_settings = a("I&nnstillinger…", self.open_settings, icon="settings", shortcut="Ctrl+,",
                              name="actSettings", tip="Lokale innstillinger for kontoret")
        self.act_refresh = a("&Oppdater", self.reload, icon="refresh", shortcut=QKeySequence.StandardKey.Refresh,
                             name="actRefresh", tip="Les inn på nytt fra databasen")
        self.act_quit = a("&Avslutt programmet", self.close, shortcut=QKeySequence.StandardKey.Quit, name="actQuit")
        self.act_find = a("&Søk", self.focus_search, icon="search", shortcut=QKeySequence.StandardKey.Find,
                          name="actFind", tip="Søk på navn eller referanse")
        self.act_show_list = a("&Porteføljen", self.show_list, icon="previous", shortcut="Alt+Left",
                               name="actShowList", tip="Tilbake til porteføljen")
        self.act_toggle_due = a("&Frister", lambda _checked=False: None, shortcut="F9", name="actToggleDue",
                                tip="Vis eller skjul fristlisten")
        self.act_toggle_due.setCheckable(True)
        self.act_toggle_due.setChecked(True)
        self.act_today = a("Tilbake til &i dag", self.back_to_today, icon="as_of_date", shortcut="Ctrl+T",
                           name="actToday", tip="Vis frister per i dag")
        self.act_shortcuts = a("&Hurtigtaster", lambda: ShortcutsDialog.ask(self), icon="help",
                               shortcut=QKeySequence.StandardKey.HelpContents, name="actShortcuts")
        self.act_about = a("&Om navoppfolging", self.show_about, name="actAbout")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("&Fil")
        self.menu_case = bar.addMenu("&Sak")
        self.menu_view = bar.addMenu("&Vis")
        self.menu_tools = bar.addMenu("Ver&ktøy")
        self.menu_help = bar.addMenu("&Hjelp")
        self._menus = {"fil": self.menu_file, "sak": self.menu_case, "vis": self.menu_view,
                       "verktøy": self.menu_tools, "hjelp": self.menu_help}
        for menu, name in ((self.menu_file, "menuFile"), (self.menu_case, "menuCase"), (self.menu_view, "menuView"),
                           (self.menu_tools, "menuTools"), (self.menu_help, "menuHelp")):
            menu.setObjectName(name)
        self.menu_file.addActions([self.act_import, self.act_export])
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_settings)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_case.addActions([self.act_new_case, self.act_open_case, self.act_register_contact,
                                   self.act_print_plan])
        self.menu_case.addSeparator()
        self.menu_case.addAction(self.act_close_case)
        self.menu_view.addActions([self.act_show_list, self.act_find, self.act_toggle_due, self.act_today,
                                   self.act_refresh])
        self.menu_help.addActions([self.act_shortcuts, self.act_about])
        # «Verktøy» is filled by other features (Teamoversikt, regneark, kalender); hidden until then.
        self.menu_tools.menuAction().setVisible(False)
        self._build_tool_actions()

    def menu(self, name: str) -> QMenu:
        """The menu called ``name``: «fil», «sak», «vis», «verktøy» or «hjelp»."""
        try:
            return self._menus[name.casefold()]
        except KeyError:
            raise KeyError(f"ukjent meny {name!r}; finnes: {', '.join(self._menus)}") from None

    def _build_tool_actions(self) -> None:
        """Team lead's overview, spreadsheet import, export to spreadsheets/calendar, hand-over."""
        # On the team database an advisor is refused the team's counts: only a team lead (who
        # gets Teamoversikt as the window itself) or a local file offers it.
        if self.state.may_see_workload:
            self.add_tool_action("verktøy", self._action("Teamoversikt…", self.open_workload, icon="BarChart",
                                                         shortcut="Ctrl+Shift+T"))
        self.add_tool_action("verktøy", self._action("Importer fra Excel/CSV…", self.import_spreadsheet,
                                                     icon="FileImport", shortcut="Ctrl+Shift+I"))
        self.add_tool_action("verktøy", self._action("Eksporter til regneark/kalender…", self.export_other,
                                                     icon="FileExport", shortcut="Ctrl+Shift+E"))
        self.add_tool_action("verktøy", self._action("Overfør sak til annen veileder…", self.hand_over,
                                                     icon="ArrowForward", shortcut="Ctrl+Shift+O"))
        self.act_retention = self._action("Slett avsluttede saker…", self.open_retention, icon="delete",
                                          tip="Slett avsluttede saker etter oppbevaringstiden", name="actRetention")
        if self.state.is_local_file:
            # On a team server deleting is for whoever runs it (`navoppfolging retention`).
            self.add_tool_action("verktøy", self.act_retention)

    def open_workload(self) -> None:
        from .team_window import workload_loaders
        from .workload_view import WorkloadDialog

        load, load_counts = workload_loaders(self.state.db, self.state.local_settings)
        WorkloadDialog.ask(self, load=load, as_of=self.state.as_of, load_counts=load_counts,
                           names=self.state.advisor_names())

    def import_spreadsheet(self) -> None:
        from .spreadsheet_import_dialog import SpreadsheetImportDialog

        me = self.state.me
        summary = SpreadsheetImportDialog.ask(
            self, advisors=self.state.advisor_list(), default_advisor=me.ident if me else None,
            existing=self.state.cases.list, next_ref=self.state.cases.new_ref,
            import_portfolio=self.state.portfolio.import_portfolio, as_of=self.state.as_of)
        if summary is not None:
            self.state.reload()
            self.statusBar().showMessage(summary.line(), 8000)

    def export_other(self) -> None:
        from .export_dialog import ExportDialog

        text = ExportDialog.ask(self, load=self.state.portfolio.load, as_of=self.state.as_of,
                                settings=self.state.local_settings)
        if text:
            self.statusBar().showMessage(text, 8000)

    def open_retention(self) -> None:
        from .retention_dialog import RetentionDialog

        try:
            dialog = RetentionDialog(self.state, self)
        except NavOppfolgingError as exc:  # e.g. a stored period that is not a number of days
            messages.show_error(self, "Slett avsluttede saker", str(exc))
            return
        dialog.deleted.connect(lambda result: self.statusBar().showMessage(
            f"Slettet {count(len(result.deleted), 'avsluttet sak', 'avsluttede saker')} etter oppbevaringstiden.", 8000))
        dialog.exec()

    def check_retention(self) -> None:
        """Point out (in the status bar) closed cases past the retention period; deleting them
        is the advisor's decision, in «Slett avsluttede saker»."""
        if not self.state.is_local_file:
            return
        try:
            due = len(self.state.retention.preview(self.state.today))
        except NavOppfolgingError:
            return  # e.g. an invalid local setting: the dialog says so when opened
        if due:
            self.statusBar().showMessage(f"{count(due, 'avsluttet sak', 'avsluttede saker')} har passert "
                                         "oppbevaringstiden – Verktøy › Slett avsluttede saker.")

    def hand_over(self) -> None:
        from navoppfolging.handover import HandoverService
        from .handover_dialog import HandoverDialog

        ref = self.selected_ref() or (self.case_view().current_ref if self.showing_case() else None)
        if ref is None:
            messages.show_info(self, "Overfør sak", "Velg en sak i porteføljen først.")
            return
        service = HandoverService(self.state.db)
        receivers = [(a.ident, a.name) for a in service.receivers(exclude=self.state.case(ref).advisor)]
        to = HandoverDialog.ask(self, receivers=receivers,
                                preview=lambda ident: service.preview([ref], to=ident, as_of=self.state.as_of),
                                case_count=1)
        if to:
            version = self.state.case(ref).version
            self.state.write(self, lambda: service.hand_over([ref], to=to, expected_versions={ref: version}), ref=ref)

    def add_tool_action(self, menu_name: str, action: QAction, *, toolbar: bool = False) -> QAction:
        """Add ``action`` to a menu (and the toolbar); its shortcut then works in the whole window
        and is listed under Hjelp → Hurtigtaster."""
        menu = self.menu(menu_name)
        menu.addAction(action)
        menu.menuAction().setVisible(True)
        if action not in self.actions():
            self.addAction(action)
        if toolbar:
            self.toolbar.insertAction(self._toolbar_tail, action)
        return action

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(text, shortcut) of every action with a shortcut, in menu order."""
        seen: set[int] = set()
        rows: list[tuple[str, str]] = []
        actions = [act for menu in self._menus.values() for act in menu.actions()] + self.actions()
        for action in actions:
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if not key or id(action) in seen:
                continue
            seen.add(id(action))
            rows.append((action.text().replace("&", "").rstrip("…"), key))
        rows.append(("Åpne valgt sak", "Enter / dobbeltklikk"))
        return rows

    def _build_toolbar(self) -> None:
        bar = QToolBar("Verktøylinje", self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setIconSize(QSize(20, 20))
        self.addToolBar(bar)
        self.toolbar = bar
        box = QWidget(bar)
        self.as_of_label = QLabel("Vis frister &per", box)
        self.as_of_label.setObjectName("asOfLabel")
        self.as_of_edit = QDateEdit(box)
        self.as_of_edit.setObjectName("asOfEdit")
        self.as_of_edit.setAccessibleName("Vis frister per dato")
        self.as_of_edit.setDisplayFormat("dd.MM.yyyy")
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setMinimumDate(to_qdate(FIRST_RULESET_DAY))
        self.as_of_edit.setDate(to_qdate(self.state.as_of))
        self.as_of_edit.setMinimumWidth(130)
        self.as_of_label.setBuddy(self.as_of_edit)
        self.as_of_edit.dateChanged.connect(self._on_as_of_edited)
        self.as_of_note = QLabel(box)
        self.as_of_note.setObjectName("asOfNote")
        self.today_button = QPushButton("Tilbake til i dag", box)
        self.today_button.setObjectName("todayButton")
        self.today_button.setToolTip("Vis frister per i dag (Ctrl+T)")
        theme.set_variant(self.today_button, "tertiary")
        self.today_button.clicked.connect(self.back_to_today)
        row = QHBoxLayout(box)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(self.as_of_label)
        row.addWidget(self.as_of_edit)
        row.addWidget(self.as_of_note)
        row.addWidget(self.today_button)
        # The date comes first: a shifted date must stay visible however narrow the window is
        # (what does not fit in a toolbar goes into its overflow menu, from the right).
        bar.addWidget(box)
        bar.addSeparator()
        bar.addActions([self.act_new_case, self.act_register_contact, self.act_print_plan])
        self._toolbar_tail = bar.addSeparator()

    def _build_list_page(self) -> None:
        self.model = PortfolioModel(self)
        self.proxy = PortfolioProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.list_page = page = QWidget(self.stack)
        self.list_page.setObjectName("listPage")

        self.search_edit = QLineEdit(page)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setAccessibleName("Søk i porteføljen på navn eller referanse")
        self.search_edit.setPlaceholderText("Søk på navn eller referanse (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(theme.icon("MagnifyingGlass", theme.TEXT_SUBTLE),
                                   QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.textChanged.connect(self._on_search)
        self.search_edit.returnPressed.connect(self._focus_table)

        self.chip_group = QButtonGroup(self)
        self.chip_group.setExclusive(True)
        self.chips: dict[str, QPushButton] = {}
        chips_box = QWidget(page)
        chips_box.setObjectName("chipsBox")
        flow = FlowLayout(chips_box)
        for definition in FILTERS:
            chip = QPushButton(definition.label, chips_box)
            chip.setObjectName(f"chip_{definition.key}")
            chip.setToolTip(definition.tooltip)
            theme.set_chip(chip, checked=definition.key == "all")
            self.chip_group.addButton(chip)
            chip.clicked.connect(lambda _checked=False, key=definition.key: self.set_filter(key))
            flow.addWidget(chip)
            self.chips[definition.key] = chip

        self.table = QTableView(page)
        self.table.setObjectName("portfolioTable")
        self.table.setAccessibleName("Porteføljen: dine saker")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Tab leaves the table for the due list (QTableView moves cell by cell and never let go).
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        for visual, column in enumerate(COLUMN_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        self.table.sortByColumn(Column.NEXT_DUE, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_case_actions())

        self.count_label = QLabel(page)
        self.count_label.setObjectName("countLabel")
        self.count_label.setProperty("subtle", "true")
        heading = QLabel("Portefølje", page)
        heading.setProperty("heading", "medium")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.search_edit, 1)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 8, 6, 8)
        layout.addLayout(top)
        layout.addWidget(chips_box)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.search_edit, self.chips[FILTERS[0].key])
        previous: QWidget = self.chips[FILTERS[0].key]
        for definition in FILTERS[1:]:
            QWidget.setTabOrder(previous, self.chips[definition.key])
            previous = self.chips[definition.key]
        QWidget.setTabOrder(previous, self.table)

    def _build_empty_page(self) -> None:
        self.empty_page = page = QWidget(self.stack)
        self.empty_page.setObjectName("emptyPage")
        title = QLabel("Ingen saker ennå", page)
        title.setProperty("heading", "large")
        self.empty_text = text = QLabel(
            "Hent porteføljen din fra en porteføljefil (JSON), eller last inn en demo-portefølje "
            "med 50 oppdiktede unge for å prøve programmet.", page)
        text.setObjectName("emptyText")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        text.setMaximumWidth(520)
        self.empty_import_button = QPushButton("Importer fil…", page)
        self.empty_import_button.setObjectName("emptyImportButton")
        self.empty_import_button.setIcon(theme.icon(theme.ACTION_ICONS["import"], theme.TEXT_ON_ACTION))
        theme.set_variant(self.empty_import_button, "primary")
        self.empty_import_button.clicked.connect(self.import_file)
        self.demo_button = QPushButton("Last inn demo-portefølje", page)
        self.demo_button.setObjectName("demoButton")
        self.demo_button.clicked.connect(self.load_demo)
        self.empty_new_button = QPushButton("Ny sak…", page)
        self.empty_new_button.setObjectName("emptyNewButton")
        theme.set_variant(self.empty_new_button, "tertiary")
        self.empty_new_button.clicked.connect(self.new_case)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.empty_import_button, self.demo_button, self.empty_new_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        # A word-wrapped label added with an alignment flag gets its one-line size hint's height
        # (the layout does not ask heightForWidth of an aligned item): the text was cut top and
        # bottom and ran into the heading. Centred by stretches instead, it gets its full height.
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(text, 100)
        centred.addStretch(1)
        layout.addLayout(centred)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)

    # --- refreshing ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the table, the chip counts and the status line from the state's cache."""
        started = time.perf_counter()
        selected = self.selected_ref()
        state = self.state
        cases = state.case_list()
        try:
            evaluation = state.evaluation()
        except NavOppfolgingError as exc:  # an as-of date no ruleset covers
            messages.show_error(self, "Kan ikke beregne frister", str(exc))
            return
        rows = build_rows(cases, evaluation, new_for_me=[c.ref for c in cases if state.is_new_for_me(c.ref)])
        self.model.set_rows(rows)
        counts = self.model.counts()
        for definition in FILTERS:
            chip = self.chips[definition.key]
            chip.setText(f"{definition.label} ({counts[definition.key]})")
            chip.setAccessibleName(f"Filter {definition.label}: {counts[definition.key]} saker")
        self.count_label.setText(f"{self.proxy.rowCount()} av {len(rows)} saker vises")
        if selected:
            self.select_ref(selected)
        has_any = bool(state.case_list(include_closed=True))
        if self.stack.currentWidget() in (self.list_page, self.empty_page):
            self.stack.setCurrentWidget(self.list_page if has_any else self.empty_page)
        ruleset = evaluation.ruleset
        self.ruleset_label.setText(f"Regelsett {ruleset.id} (siste kjente brev: {latest_letter_year()})")
        self._update_case_actions()
        self.last_refresh_ms = (time.perf_counter() - started) * 1000
        self.refreshed.emit()

    def _fit_headers(self) -> None:
        # A column is never narrower than its bold header text, and the dates and «Neste frist»
        # never narrower than what they show, in this machine's font (fonts differ).
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        date = metrics.horizontalAdvance("00.00.0000") + theme.CELL_PADDING
        longest_title = max(SHORT_TITLES.values(), key=metrics.horizontalAdvance)
        content = {
            Column.LAST_MEETING: date, Column.LAST_CONTACT: date, Column.NEXT_MEETING: date,
            Column.NEXT_DUE: metrics.horizontalAdvance(f"00.00.0000  {longest_title}") + theme.CELL_PADDING,
        }
        for column in Column:
            # sectionSizeHint() reserves room for the sort arrow; a header may lose a few pixels
            # of that and still read whole.
            width = max(COLUMN_WIDTHS[column], header.sectionSizeHint(column) - 18, content.get(column, 0))
            self.table.setColumnWidth(column, width)

    def reload(self) -> None:
        self.state.reload()
        self.statusBar().showMessage("Oppdatert fra databasen.", 3000)

    def _update_case_actions(self) -> None:
        has_case = self.selected_ref() is not None
        for action in (self.act_register_contact, self.act_print_plan, self.act_close_case, self.act_open_case):
            action.setEnabled(has_case)

    # --- the as-of date ------------------------------------------------------------------

    def _on_as_of_edited(self, date: QDate) -> None:
        self.state.set_as_of(from_qdate(date))

    def _on_as_of_changed(self, day: dt.date) -> None:
        if from_qdate(self.as_of_edit.date()) != day:
            self.as_of_edit.blockSignals(True)
            self.as_of_edit.setDate(to_qdate(day))
            self.as_of_edit.blockSignals(False)
        shifted = day != self.state.today
        # A date other than today must be impossible to miss: Aksel's warning colours.
        if shifted:
            self.as_of_edit.setStyleSheet(
                f"QDateEdit {{ background: {theme.WARNING_SUBTLE}; border: 2px solid {theme.WARNING}; "
                f"color: {theme.WARNING_TEXT}; font-weight: 600; padding: 3px 7px; }}")
            self.as_of_label.setStyleSheet(f"color: {theme.WARNING_TEXT}; font-weight: 600;")
            days = (day - self.state.today).days
            when = f"{abs(days)} dager {'fram' if days > 0 else 'tilbake'} i tid"
            self.as_of_note.setText(f"Ikke i dag ({when})")
            self.as_of_note.setStyleSheet(
                f"color: {theme.WARNING_TEXT}; background: {theme.WARNING_SUBTLE}; "
                f"border: 1px solid {theme.WARNING_BORDER}; border-radius: 4px; padding: 2px 6px;")
        else:
            self.as_of_edit.setStyleSheet("")
            self.as_of_label.setStyleSheet("")
            self.as_of_note.setText("")
            self.as_of_note.setStyleSheet("")
        self.as_of_note.setVisible(shifted)
        self.today_button.setVisible(shifted)
        self.act_today.setEnabled(shifted)
        self.as_of_edit.setProperty("shifted", shifted)

    def set_as_of(self, day: dt.date) -> None:
        self.as_of_edit.setDate(to_qdate(day))

    def back_to_today(self) -> None:
        self.set_as_of(self.state.today)

    # --- filtering and selection -----------------------------------------------------------

    def set_filter(self, key: str) -> None:
        self.proxy.set_filter_key(key)
        self.chips[key].setChecked(True)
        self.count_label.setText(f"{self.proxy.rowCount()} av {self.model.rowCount()} saker vises")
        self._update_case_actions()

    def _on_search(self, text: str) -> None:
        self.proxy.set_search_text(text)
        self.count_label.setText(f"{self.proxy.rowCount()} av {self.model.rowCount()} saker vises")
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_case_actions()

    def focus_search(self) -> None:
        self.show_list()
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _focus_table(self) -> None:
        if self.proxy.rowCount():
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected_ref(self) -> str | None:
        """The case being shown, else the selected row's case."""
        if self._case_view is not None and self.stack.currentWidget() is self._case_view:
            ref = getattr(self._case_view, "current_ref", None)
            ref = ref() if callable(ref) else ref
            if ref:
                return str(ref)
        if not hasattr(self, "table"):
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.ref_at(rows[0].row())

    def select_ref(self, ref: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.ref_at(row) == ref:
                self.table.selectRow(row)
                return True
        return False

    def _on_activated(self, index: Any) -> None:
        self.open_case(self.proxy.ref_at(index.row()))

    def open_selected(self) -> None:
        ref = self.selected_ref()
        if ref:
            self.open_case(ref)

    # --- the case view -------------------------------------------------------------------

    def case_view(self) -> Any:
        """The case view, created on first use (it is the heaviest part of the window)."""
        if self._case_view is None:
            from .case_view import CaseView

            view = CaseView(self.state, self)
            view.closed.connect(self.show_list)
            self.stack.addWidget(view)
            self._case_view = view
        return self._case_view

    def open_case(self, ref: str, tab: str | None = None) -> None:
        try:
            self.state.case(ref)
        except NavOppfolgingError as exc:
            messages.show_error(self, "Fant ikke saken", str(exc))
            return
        view = self.case_view()
        shown = view.show_case(ref, tab)
        self.stack.setCurrentWidget(view)
        if not shown:
            return  # the advisor stayed on the shown case (unsaved edits, «Avbryt»)
        self.select_ref(ref)
        self._update_case_actions()
        self.case_opened.emit(ref, tab or "")

    def show_list(self) -> None:
        if self.showing_case() and self._case_view is not None and not self._case_view.may_leave():
            return
        has_any = bool(self.state.case_list(include_closed=True))
        self.stack.setCurrentWidget(self.list_page if has_any else self.empty_page)
        (self.table if has_any else self.demo_button).setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_case_actions()

    def showing_case(self) -> bool:
        return self._case_view is not None and self.stack.currentWidget() is self._case_view

    # --- case actions ----------------------------------------------------------------------

    # The dialogs' modules are imported when first opened, not while the window starts (issue 9).
    def new_case(self) -> None:
        from .case_dialogs import NewCaseDialog

        case = NewCaseDialog.ask(self, self.state)
        if case is not None:
            self.set_filter("all")
            self.search_edit.clear()
            self.show_list()
            self.select_ref(case.ref)
            self.statusBar().showMessage(f"Sak {case.ref} er opprettet.", 5000)

    def register_contact(self) -> None:
        ref = self.selected_ref()
        if ref is None:
            return
        self.open_case(ref, "kontakter")
        register = getattr(self._case_view, "register_contact", None)
        if callable(register):
            register()

    def print_plan(self) -> None:
        ref = self.selected_ref()
        if ref is None:
            return
        from navoppfolging import plan_pdf
        from . import plan_preview

        state = self.state
        case = state.case(ref)
        advisor = state.advisor(case.advisor)
        as_of = state.as_of

        def render(profile: plan_pdf.PlanProfile) -> bytes:
            return plan_pdf.render_plan(case, advisor, as_of=as_of, profile=profile)

        plan_preview.PlanPreviewDialog.ask(render, suggested_name=plan_pdf.plan_filename(case, as_of),
                                           as_of=as_of, parent=self)

    def close_case(self) -> None:
        ref = self.selected_ref()
        if ref is None:
            return
        from .case_dialogs import CloseCaseDialog

        closed = CloseCaseDialog.ask(self, self.state, ref)
        if closed is not None:
            self.show_list()
            self.statusBar().showMessage(f"Sak {ref} er avsluttet.", 5000)

    def show_about(self) -> None:
        from .about_dialog import AboutDialog

        AboutDialog.ask(self, self.state)

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        if SettingsDialog.ask(self, self.state):
            self.statusBar().showMessage("Innstillingene er lagret.", 3000)

    # --- import, export, demo ------------------------------------------------------------

    @classmethod
    def ask_open_path(cls, parent: QWidget) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(parent, "Importer porteføljefil", "", JSON_FILTER)
        return path or None

    @classmethod
    def ask_save_path(cls, parent: QWidget, suggested: str) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(parent, "Eksporter porteføljen", suggested, JSON_FILTER)
        return path or None

    def import_file(self) -> None:
        """Read and check the whole file first (in the background); if it would replace cases
        that exist, say so and ask; then take a safety copy of the database and import."""
        path = self.ask_open_path(self)
        if not path:
            return
        portfolio_service = self.state.portfolio

        def read() -> Any:
            from navoppfolging.exchange import read_file

            return read_file(Path(path), known_advisors=portfolio_service.advisor_idents())

        self._start(read, "Leser porteføljefilen…", lambda portfolio: self._confirm_import(portfolio, Path(path)))

    def _confirm_import(self, portfolio: Any, path: Path) -> None:
        existing = {c.ref for c in self.state.case_list(include_closed=True)}
        replaced = sum(1 for c in portfolio.cases if c.ref in existing)
        if replaced and not messages.confirm(
                self, "Importere og erstatte saker?",
                f"{path.name} har {len(portfolio.cases)} saker: {len(portfolio.cases) - replaced} nye og "
                f"{replaced} som finnes fra før.\n\nSakene som finnes fra før, erstattes med innholdet i filen: "
                "kontakter, aktiviteter og annet som er registrert etter at filen ble laget, forsvinner fra dem."
                + (" Det tas en sikkerhetskopi av databasen før importen." if self.state.is_local_file else ""),
                ok_text="Importer og erstatt"):
            return
        db, portfolio_service = self.state.db, self.state.portfolio  # on the UI thread (may open the database)

        def work() -> Any:
            # Lose nothing: the database as it was, a copy among the others (encrypted like the
            # database, rotated with them by «backup.keep»; a team server keeps its own backups).
            db.backup_file(reason="for-import", prune=False)
            return portfolio_service.import_portfolio(portfolio)

        self._start(work, "Importerer porteføljefilen…", self._after_import)

    def load_demo(self) -> None:
        portfolio_service = self.state.portfolio
        today = self.state.today

        def work() -> Any:
            from navoppfolging.demo import generate

            return portfolio_service.import_portfolio(generate(today))

        self._start(work, "Laster inn demo-porteføljen…", self._after_import)

    def _start(self, work: Callable[[], Any], label: str, on_done: Callable[[Any], None]) -> None:
        def failed(exc: Exception) -> None:
            messages.show_error(self, "Det gikk ikke", _failure_text(exc), _failure_details(exc))

        run_in_background(self, work, label=label, on_done=on_done, on_failed=failed)

    def _after_import(self, summary: Any) -> None:
        self.state.reload()
        self.show_list()
        self.statusBar().showMessage(summary.line(), 8000)
        self.import_finished.emit(summary)

    def export_file(self) -> None:
        path = self.ask_save_path(self, f"portefolje-{self.state.today.isoformat()}.json")
        if not path:
            return
        portfolio_service = self.state.portfolio

        def work() -> str:
            from navoppfolging.exchange import write_file

            write_file(portfolio_service.export(), Path(path))
            return path

        def done(written: str) -> None:
            self.statusBar().showMessage(f"Porteføljen er eksportert til {written}.", 8000)
            self.export_finished.emit(written)

        self._start(work, "Eksporterer porteføljen…", done)

    # --- remembering the layout ------------------------------------------------------------

    def save_settings(self) -> None:
        s = self.settings
        s.beginGroup(SETTINGS_GROUP)
        s.setValue("geometry", self.saveGeometry())
        s.setValue("state", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        s.setValue("columns", self.table.horizontalHeader().saveState())
        s.setValue("filter", self.proxy.filter_key)
        s.setValue("dueListVisible", self.act_toggle_due.isChecked())
        s.endGroup()
        s.sync()

    def restore_settings(self) -> None:
        s = self.settings
        s.beginGroup(SETTINGS_GROUP)
        try:
            for key, restore in (("geometry", self.restoreGeometry), ("state", self.restoreState),
                                 ("splitter", self.splitter.restoreState),
                                 ("columns", self.table.horizontalHeader().restoreState)):
                value = s.value(key)
                if isinstance(value, QByteArray) and not value.isEmpty():
                    restore(value)
            key = s.value("filter")
            if isinstance(key, str) and key in FILTER_KEYS:
                self.set_filter(key)
            visible = s.value("dueListVisible")
            if visible is not None:
                self.act_toggle_due.setChecked(str(visible).lower() in ("true", "1"))
        finally:
            s.endGroup()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Never lose an entry: unsaved edits of the shown case are offered for saving first.
        if self._case_view is not None and not self._case_view.may_leave():
            event.ignore()
            return
        self.save_settings()
        super().closeEvent(event)


__all__ = ["FlowLayout", "MainWindow", "ShortcutsDialog"]
