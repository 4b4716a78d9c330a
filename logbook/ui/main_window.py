"""The main window: the incident table in the centre, the filter bar above it, the summary panel beside it."""

from __future__ import annotations

import shutil
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressDialog,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook import paths
from logbook.domain.filters import IncidentFilter
from logbook.domain.history import HistoryEntry
from logbook.domain.summary import Tallies, adjusted, summarise
from logbook.services.formats import ExportCancelled, ExportFormat, export
from logbook.store.engine import describe, is_url
from logbook.store.errors import LogbookError
from logbook.store.rows import ROW_COLUMNS, first_page
from logbook.ui import accessibility, icons
from logbook.ui.cell_tips import FullTextTips
from logbook.ui.change_watcher import ChangeWatcher
from logbook.ui.completions import Completions
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.durability import Durability, open_showing_upgrade
from logbook.ui.filter_bar import FilterBar
from logbook.ui.incident_table_model import (
    COL_DATE,
    COL_INJURED,
    COL_KILLED,
    COL_TITLE,
    PAGE_SIZE,
    IncidentTableModel,
)
from logbook.ui.numbers import count_text
from logbook.ui.preferences import NEUTRALISE_KEY, PreferencesDialog, apply_preferences, csv_bom, settings
from logbook.ui.resources import resource_path
from logbook.ui.summary_panel import SummaryPanel
from logbook.ui.trash_dialog import TrashDialog
from logbook.ui.undo_commands import CreateCommand, EditCommand, ImportCommand, TrashCommand, UndoCommands
from logbook.ui.view_state import LogbookViews
from logbook.ui.welcome import TableArea, TableState
from logbook.ui.workers import CancellableProgress, Workers

if TYPE_CHECKING:
    from logbook.store.repository import Repository


RECENT_LIMIT = 8
RECENT_TALLIES = 8  # summaries of recent filters kept, to go back to one at once
ROW_HEIGHT_PADDING = 6
# Typical widths in characters (date, country, location, event type, weapon, outcome, killed, injured,
# perpetrator, attribution, verification, title): sized once from the font, never to contents.
COLUMN_CHARACTERS = (16, 9, 14, 7, 7, 9, 5, 5, 13, 9, 10, 40)
COUNTING_AFTER_MS = 250  # a summary read quicker than this is shown without greying the one before


class MainWindow(QMainWindow):
    summary_shown = Signal()  # the summary panel shows the figures for the current filter
    export_finished = Signal(object)  # the exported file's Path, or None when it was cancelled or failed
    import_finished = Signal(object)  # the import's MappedImportReport, or None when it was cancelled or failed

    def __init__(self, repository: Repository | None, target: str | Path) -> None:
        """A window on ``repository``'s logbook at ``target``; with None, a window opening the logbook there, which
        shows its first rows at once and takes commands once attach() gives it the repository."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.repository: Repository
        if repository is not None:
            self.repository = repository
        self.target = target
        self._waiting_actions: list[QAction] | None = None  # the actions off until attach(), while opening
        self.closed = False  # the user closed the window (a logbook still opening is then let go)
        self.workers = Workers(self)
        self._summary_generation = 0
        self._total = 0
        self._recount_due = True  # see refresh_summary
        self._tallies: Tallies | None = None  # the summary's figures for the current filter, once they have come
        # figures of recent filters, so going back to one (clearing a search) shows it at once; any change empties it
        self._recent_tallies: OrderedDict[IncidentFilter, Tallies] = OrderedDict()
        self._select_after_load: int | None = None
        self._saved_before: dict[int, tuple[Any, ...] | None] = {}  # saved incidents being placed -> row before
        self.completions = Completions(self)
        self._forms: list[QWidget] = []
        self.undo_stack = QUndoStack(self)  # create, edit, delete, restore and import (see undo_commands)

        self.model = IncidentTableModel(repository, self.workers, self)
        self.filter_bar = FilterBar(self)
        self.table = self._make_table()
        self._announce_sort()
        self.summary_panel = SummaryPanel(self)
        self._counting = QTimer(self, singleShot=True)  # greys the summary when its figures take a while
        self._counting.timeout.connect(self.summary_panel.set_counting)
        # the filter bar spans the table and the summary: it filters both, and the two share the width below it
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 6, 6, 0)
        centre_layout.addWidget(self.filter_bar)
        self.table_area = TableArea(self.table, centre)  # the table, or the welcome of an empty logbook
        self.splitter = QSplitter(Qt.Orientation.Horizontal, centre)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.table_area)
        self.splitter.addWidget(self.summary_panel)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        centre_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(centre)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("incidentCount")
        self.statusBar().addPermanentWidget(self.count_label)

        self.durability = Durability(self)  # backups, read-only and damaged logbooks, network shares
        self.views = LogbookViews(self)  # each logbook's columns, splitter, sort and filter; the column chooser
        self._make_actions()
        self.table_area.add_buttons(self.new_action, self.import_action, self.open_sample_action,
                                    self.clear_filters_action)  # fmt: skip
        self.filter_bar.filter_changed.connect(self._filter_changed)
        self.model.first_page_shown.connect(self._update_count)
        self.model.loaded.connect(self._snapshot_loaded)
        self.model.placed.connect(self._incident_placed)
        self.model.load_failed.connect(self._show_error)
        for shown in (self.model.first_page_shown, self.model.loaded, self.summary_shown):
            shown.connect(self._update_table_state)
        self.model.modelReset.connect(self._update_actions)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.change_watcher = ChangeWatcher(self)
        self.change_watcher.changed.connect(self._changed_elsewhere)

        accessibility.fill_in(self)  # names and descriptions of the controls from their labels and tooltips
        apply_preferences(self)
        self._restore_layout()
        if repository is None:
            self._opening()
        else:
            self._logbook_opened()

    # ---- building the window ----------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("incidentTable")
        table.setAccessibleName(self.tr("Incidents"))
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setItemDelegate(FullTextTips(table))
        table.setSortingEnabled(True)
        header = table.horizontalHeader()
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._announce_sort)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        digit = table.fontMetrics().horizontalAdvance("0")
        header_metrics = header.fontMetrics()
        for column, characters in enumerate(COLUMN_CHARACTERS):
            title = self.model.headerData(column, Qt.Orientation.Horizontal)
            room_for_arrow = header_metrics.horizontalAdvance(title) + 3 * ROW_HEIGHT_PADDING
            header.resizeSection(column, max(characters * digit + 2 * ROW_HEIGHT_PADDING, room_for_arrow))
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never size a million rows to contents
        rows.setDefaultSectionSize(table.fontMetrics().height() + ROW_HEIGHT_PADDING)
        rows.hide()
        # Enter or double-click (single click where the desktop activates items that way) opens the form
        table.activated.connect(lambda _index: self._waiting_actions is None and self.edit_incident())
        return table

    def _announce_sort(self) -> None:
        """The table's accessible description says its order, e.g. "Sorted by Date, newest first"; Qt sends
        assistive technology a DescriptionChanged event with it, so a screen reader says the new order."""
        header = self.table.horizontalHeader()
        column, descending = header.sortIndicatorSection(), header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        if column == COL_DATE:
            direction = self.tr("newest first") if descending else self.tr("oldest first")
        elif column in (COL_KILLED, COL_INJURED):
            direction = self.tr("most first") if descending else self.tr("fewest first")
        else:
            direction = self.tr("Z to A") if descending else self.tr("A to Z")
        title = self.model.headerData(column, Qt.Orientation.Horizontal)
        self.table.setAccessibleDescription(self.tr("Sorted by {0}, {1}").format(title, direction))

    def _action(self, text: str, slot: Any, shortcut: Any = None, icon: str | None = None,
                tip: str = "") -> QAction:  # fmt: skip
        action = QAction(text, self)
        action.setObjectName(text.strip(".…").replace(" ", "_").lower())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(icons.icon(icon))
        action.setToolTip(tip or text.rstrip("…"))
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.new_logbook_action = self._action(
            self.tr("New logbook…"), self.new_logbook, None, "logbook-new",
            self.tr("Start an empty logbook in a new file and open it"),
        )  # fmt: skip
        self.open_logbook_action = self._action(
            self.tr("Open logbook…"), self.open_logbook, QKeySequence.StandardKey.Open, "document-open",
            self.tr("Open another logbook file in this window"),
        )  # fmt: skip
        self.import_action = self._action(
            self.tr("Import…"), self.import_file, "Ctrl+I", "document-import",
            self.tr("Import incidents from a CSV file: map its columns, check a preview, import"),
        )  # fmt: skip
        self.import_history_action = self._action(
            self.tr("Import history…"), self.show_import_history, None, "document-import-history",
            self.tr("Every import with its counts; remove the incidents one import added, or restore them"),
        )  # fmt: skip
        self.export_action = self._action(
            self.tr("Export…"), self.export_file, "Ctrl+Shift+E", "document-export",
            self.tr("Export the incidents that match the filter, in the table's order, as CSV, JSON, GeoJSON or XLSX"),
        )  # fmt: skip
        self.neutralise_action = QAction(self.tr("Neutralise formulas in CSV exports"), self)
        self.neutralise_action.setCheckable(True)
        self.neutralise_action.setChecked(settings().value(NEUTRALISE_KEY, True, type=bool))
        self.neutralise_action.setToolTip(
            self.tr("Prefix ' to text cells starting with = + - @ so spreadsheets do not run them as formulas")
        )
        self.neutralise_action.toggled.connect(lambda checked: settings().setValue(NEUTRALISE_KEY, checked))
        self.quit_action = self._action(self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit, "application-exit")
        self.preferences_action = self._action(
            self.tr("Preferences…"), self.show_preferences, None, "configure",
            self.tr("The logbook opened at start, the date format, CSV options and backups"),
        )  # fmt: skip
        # the platform's key (Cmd+, on macOS); where it has none, Ctrl+, as many applications use
        self.preferences_action.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) or [QKeySequence("Ctrl+,")]
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.open_read_only_action = self._action(
            self.tr("Open read-only…"), self.open_read_only, None, "document-open-read-only",
            self.tr("Open a logbook to read, search and export it, never changing the file"),
        )  # fmt: skip
        self.open_sample_action = self._action(
            self.tr("Open sample logbook"), self.open_sample, None, "logbook-sample",
            self.tr("Open a copy of a small logbook made from a news report, to try things out"),
        )  # fmt: skip
        self.back_up_action = self._action(
            self.tr("Back up now…"), self.back_up_now, None, "backup-create",
            self.tr("Copy the logbook into its backups folder now (a copy is also taken every day it is opened)"),
        )  # fmt: skip
        self.restore_action = self._action(
            self.tr("Restore from backup…"), self.show_backups, None, "backup-restore",
            self.tr("The backups of this logbook; replace it with one (a copy of it as it is is kept first)"),
        )  # fmt: skip

        self.new_action = self._action(
            self.tr("New incident"), self.new_incident, QKeySequence.StandardKey.New, "list-add",
            self.tr("Enter a new incident in the form"),
        )  # fmt: skip
        self.edit_action = self._action(
            self.tr("Edit"), self.edit_incident, "Ctrl+E", "document-edit",
            self.tr("Open the selected incident in the form (or press Enter on it)"),
        )  # fmt: skip
        self.delete_action = self._action(
            self.tr("Delete"), self.delete_incidents, QKeySequence.StandardKey.Delete, "edit-delete",
            self.tr("Move the selected incidents to the trash"),
        )  # fmt: skip
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addAction(self.delete_action)
        self.trash_action = self._action(
            self.tr("Trash…"), self.show_trash, None, "user-trash",
            self.tr("The deleted incidents: restore them, or delete them for good"),
        )  # fmt: skip
        self.history_action = self._action(
            self.tr("History…"), self.show_history, "Ctrl+H", "view-history",
            self.tr("Every change to the selected incident; restore an earlier version"),
        )  # fmt: skip
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("Undo"))
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("Redo"))
        for action, name, key, icon in (
            (self.undo_action, "undo", QKeySequence.StandardKey.Undo, "edit-undo"),
            (self.redo_action, "redo", QKeySequence.StandardKey.Redo, "edit-redo"),
        ):
            action.setObjectName(name)
            action.setIcon(icons.icon(icon))
            keys = QKeySequence.keyBindings(key)
            if name == "redo":  # Ctrl+Shift+Z shown and first everywhere; the desktop's own (Ctrl+Y) works too
                keys = [QKeySequence("Ctrl+Shift+Z"), *(each for each in keys if each != QKeySequence("Ctrl+Shift+Z"))]
            action.setShortcuts(keys)
        find_action = self._action(
            self.tr("Find"), self.focus_search, QKeySequence.StandardKey.Find, "edit-find",
            self.tr("Go to the search field above the table"),
        )  # fmt: skip
        self.clear_filters_action = self._action(
            self.tr("Clear filters"), self.filter_bar.clear, "Ctrl+Shift+L", "filter-clear",
            self.tr("Show every incident again"),
        )  # fmt: skip

        menus = self.menuBar()
        file_menu = menus.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_logbook_action, self.open_logbook_action, self.open_read_only_action])
        self.recent_menu = file_menu.addMenu(self.tr("Open recent"))
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.setIcon(icons.icon("document-open-recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.open_sample_action)
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.import_history_action])
        file_menu.addSeparator()
        file_menu.addActions([self.export_action, self.neutralise_action])
        file_menu.addSeparator()
        file_menu.addActions([self.back_up_action, self.restore_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu(self.tr("&Edit"))
        edit_menu.setObjectName("editMenu")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.new_action, self.edit_action, self.delete_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.history_action, self.trash_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        view_menu = menus.addMenu(self.tr("&View"))
        view_menu.addActions([find_action, self.clear_filters_action])
        view_menu.addSeparator()
        columns_menu = view_menu.addMenu(self.tr("Columns"))
        columns_menu.setObjectName("columnsMenu")
        columns_menu.setIcon(icons.icon("view-columns"))
        columns_menu.aboutToShow.connect(lambda: self.views.fill_column_menu(columns_menu))
        self.help_menu = menus.addMenu(self.tr("&Help"))  # the last menu; others may add to it
        self.help_menu.setObjectName("helpMenu")
        self.shortcuts_action = self._action(
            self.tr("Keyboard shortcuts"), self.show_shortcuts, None, "input-keyboard",
            self.tr("Every keyboard shortcut of the window, the form and the table"),
        )  # fmt: skip
        # Ctrl+/ as many applications list their shortcuts; F1 (the desktop's help key) too: this is the help
        self.shortcuts_action.setShortcuts(
            [QKeySequence("Ctrl+/"), *QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents)]
        )
        self.about_action = self._action(
            self.tr("About Incident Logbook"), self.show_about, None, "help-about",
            self.tr("The version, the licence and where the logbooks, backups and settings are kept"),
        )  # fmt: skip
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addActions([self.shortcuts_action, self.about_action])

        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.new_action, self.edit_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.import_action, self.export_action])
        toolbar.addSeparator()
        toolbar.addActions([self.open_logbook_action, self.new_logbook_action])
        self.setWindowIcon(icons.app_icon())

    # ---- the logbook ------------------------------------------------------------------------------------

    def open_logbook(self) -> None:
        path = Ask.open_logbook(self, self._folder())
        if path is not None:
            self.switch_to(path)

    def new_logbook(self) -> None:
        path = Ask.new_logbook(self, self._folder())
        if path is None:
            return
        if path.exists():
            Tell.error(self, self.tr("New logbook"), self.tr("{0} already exists; open it instead.").format(path))
            return
        self.switch_to(path)

    def open_read_only(self) -> None:
        path = Ask.open_logbook(self, self._folder())
        if path is not None:
            self.switch_to(path, read_only=True)

    def open_sample(self) -> bool:
        """Open the user's copy of the sample logbook that ships with the app, so the original stays clean. A copy
        that is there already may hold their edits: they choose to open it or to start again from a fresh one."""
        copy = paths.sample_copy()
        fresh = not copy.exists()
        if not fresh:
            answer = Ask.sample_copy(self, copy)
            if answer is None:
                return False
            fresh = answer == "fresh"
        if fresh:
            try:
                self._copy_sample(copy)
            except OSError as error:
                self._show_error(error)
                return False
        return self.switch_to(copy)

    def _copy_sample(self, copy: Path) -> None:
        """Put a fresh copy of the sample at ``copy``, first letting go of it if this window has it open (its
        connections would otherwise write their journal into the new file)."""
        if not is_url(self.target) and Path(self.target).resolve() == copy.resolve():
            self.workers.wait()
            self.change_watcher.stop()
            self.repository.engine.dispose()
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial = copy.with_name(copy.name + ".new")
        shutil.copyfile(resource_path("sample-logbook.sqlite3"), partial)  # the file's data, not its read-only mode
        for suffix in ("-wal", "-shm"):
            copy.with_name(copy.name + suffix).unlink(missing_ok=True)
        partial.replace(copy)

    def back_up_now(self) -> QProgressDialog | None:
        return self.durability.back_up_now()

    def show_backups(self) -> QWidget | None:
        return self.durability.show_backups()

    def switch_to(self, target: str | Path, read_only: bool = False) -> bool:
        """Open another logbook in this window; on failure say why (or, for a damaged one, offer its newest
        backup) and keep the current one."""
        try:
            repository = open_showing_upgrade(self, target, read_only=read_only)
        except LogbookError as error:
            if not self.durability.offer_restore(error, target):
                Tell.error(self, self.tr("Cannot open logbook"), str(error))
            return False
        self.workers.wait()
        old_engine = self.repository.engine
        self.repository = repository
        self.views.remember()  # the view of the logbook left, before the window shows the other's
        self.target = target
        self.model.set_repository(self.repository)
        self._recent_tallies.clear()
        self.undo_stack.clear()  # its steps are the old logbook's
        self.change_watcher.stop()  # its connection is the old engine's
        old_engine.dispose()
        self._logbook_opened()
        return True

    def _opening(self) -> None:
        """Until attach(): the logbook's first rows, read with sqlite3 while SQLAlchemy loads (store/rows.py),
        under its remembered view, in a window whose commands, filters and sorting wait for the repository."""
        self.setWindowTitle(self.tr("{0} — Incident Logbook").format(describe(self.target)))
        always = (self.quit_action, self.about_action, self.shortcuts_action)
        self._waiting_actions = [
            action for action in self.findChildren(QAction) if action.isEnabled() and action not in always
        ]
        for action in self._waiting_actions:
            action.setEnabled(False)
        self.filter_bar.setEnabled(False)
        self.table.horizontalHeader().setSectionsClickable(False)
        order = self.views.restore()
        self.model.set_query(self.filter_bar.current_filter(), order)  # read once the repository is there
        rows = first_page(self.target, self.filter_bar.current_filter(), order, PAGE_SIZE)
        if rows:
            self.model.show_early_rows(rows)
        self.statusBar().showMessage(self.tr("Opening {0}…").format(describe(self.target)))

    def attach(self, repository: Repository, target: str | Path | None = None) -> bool:
        """The logbook opened (at ``target``, when the user chose another one): the window takes commands.
        False when the window was closed meanwhile: the logbook is let go."""
        if self.closed:
            repository.engine.dispose()
            return False
        self.repository = repository
        same_view = target is None or target == self.target
        self.target = self.target if target is None else target
        for action in self._waiting_actions or ():
            action.setEnabled(True)
        self._waiting_actions = None
        self.filter_bar.setEnabled(True)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.statusBar().clearMessage()
        self.model.set_repository(repository)
        self._logbook_opened(view_restored=same_view)
        self._update_actions()
        return True

    def _logbook_opened(self, view_restored: bool = False) -> None:
        """``view_restored``: the logbook's view is in place and its query set (by _opening)."""
        self.repository.interactive_thread = threading.get_ident()  # saves give up quickly on a busy logbook
        self.setWindowTitle(self.tr("{0} — Incident Logbook").format(describe(self.target)))
        self._remember_recent(self.target)
        self.durability.logbook_opened()
        if not view_restored:
            order = self.views.restore()  # before the first query: read once, in the remembered order and filter
            self.model.set_query(self.filter_bar.current_filter(), order)
        self.refresh_summary()
        self.change_watcher.watch(self.repository)

    def _folder(self) -> Path:
        return Path(self.target).parent if not str(self.target).count("://") else paths.data_dir()

    def _remember_recent(self, target: str | Path) -> None:
        entry = str(Path(target).resolve()) if "://" not in str(target) else str(target)
        store = settings()
        recent = [item for item in (store.value("recent", [], type=list) or []) if item != entry]
        store.setValue("recent", [entry, *recent][:RECENT_LIMIT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = settings().value("recent", [], type=list) or []
        for entry in recent:
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _checked=False, target=entry: self.switch_to(target))
        if not recent:
            self.recent_menu.addAction(self.tr("No recent logbooks")).setEnabled(False)

    # ---- filtering, the summary and the status bar -------------------------------------------------------

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def _filter_changed(self, incident_filter: IncidentFilter) -> None:
        self.model.set_query(incident_filter)
        self.refresh_summary(recount=False)

    def refresh(self, select_id: int | None = None) -> None:
        """Re-read the table and the summary after a change, keeping (or moving to) the selected incident."""
        self._select_after_load = select_id if select_id is not None else self.current_id()
        self.model.reload()
        self._recent_tallies.clear()
        self.refresh_summary()

    def _changed_elsewhere(self) -> None:
        """Another window or program saved to this logbook: show it, keeping the selection (a reload keeps the
        scroll position)."""
        self.completions.repository = None  # their new names to complete from, once a form opens
        self.refresh()

    def refresh_summary(self, recount: bool = True) -> None:
        """Read the summary's figures for the current filter and, with ``recount``, the logbook's total again (a
        filter change leaves the total as it is, and a COUNT of a million incidents costs 30-40 ms). A recount
        stays due until a read that made one is shown: a newer read may have overtaken it."""
        self._summary_generation += 1
        self._tallies = None
        self._recount_due = recount = self._recount_due or recount
        generation = self._summary_generation
        repository, incident_filter = self.repository, self.model.incident_filter
        if incident_filter in self._recent_tallies and not recount:
            self._recent_tallies.move_to_end(incident_filter)
            self._show_summary(self._recent_tallies[incident_filter])
            return

        def work() -> tuple[Tallies, int | None]:
            return repository.tallies(incident_filter), repository.count() if recount else None

        self.workers.submit(
            work,
            lambda result: self._tallies_read(generation, *result),
            lambda error: self._summary_failed(generation, error),
            foreground=True,
        )
        self._counting.start(COUNTING_AFTER_MS)

    def _tallies_read(self, generation: int, tallies: Tallies, total: int | None) -> None:
        if generation == self._summary_generation:
            if total is not None:
                self._total, self._recount_due = total, False
            self._show_summary(tallies)

    def _summary_failed(self, generation: int, error: Exception) -> None:
        if generation != self._summary_generation:
            return  # a read for a filter no longer set
        self._counting.stop()
        self.summary_panel.stop_counting()
        self._show_error(error)

    def _show_summary(self, tallies: Tallies) -> None:
        self._counting.stop()
        self._tallies = tallies
        incident_filter = self.model.incident_filter
        self._recent_tallies[incident_filter] = tallies
        while len(self._recent_tallies) > RECENT_TALLIES:
            self._recent_tallies.popitem(last=False)
        summary = summarise(tallies, incident_filter.date_from, incident_filter.date_to)
        self.summary_panel.show_summary(summary, filtered=not incident_filter.is_empty)
        self._update_count()
        self.summary_shown.emit()

    def _snapshot_loaded(self) -> None:
        self._update_count()
        target = self._select_after_load
        self._select_after_load = None
        row = self.model.row_of(target) if target is not None else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _update_table_state(self) -> None:
        """The table, or in its place the welcome of an empty logbook or the note of a filter that matches
        nothing, from what the model and the summary already know (no count of its own on a million rows): no
        change while the rows, or under a filter the logbook's total, are still being read."""
        if self.model.rowCount() > 0:
            self.table_area.show_state(TableState.ROWS)
        elif not self.model.complete:
            return
        elif self.model.incident_filter.is_empty:  # nothing typed in the filter bar to keep the focus from
            self.table_area.show_state(TableState.EMPTY_LOGBOOK, take_focus=True)
        elif self._tallies is not None:  # then _total is this logbook's, read with the tallies or adjusted since
            state = TableState.EMPTY_LOGBOOK if self._total == 0 else TableState.NO_MATCH
            self.table_area.show_state(state, self._total)

    def _update_count(self) -> None:
        """While only the first page is in, the matching count is the summary's (or not known yet)."""
        if self._waiting_actions is not None:
            return  # the logbook is still opening: nothing is counted yet
        if self.model.complete:
            shown = count_text(self.model.rowCount())
        else:
            shown = "…" if self._tallies is None else count_text(sum(tally[0] for tally in self._tallies.values()))
        self.count_label.setText(self.tr("{0} of {1} incidents").format(shown, count_text(self._total)))

    # ---- incidents --------------------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            index = rows[0]
        return self.model.incident_id(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        return [self.model.incident_id(index.row()) for index in self.table.selectionModel().selectedRows()]

    def new_incident(self) -> None:
        self._open_form(None)

    def edit_incident(self) -> None:
        incident_id = self.current_id()
        if incident_id is not None:
            self._open_form(incident_id)

    def _open_form(self, incident_id: int | None) -> None:
        from logbook.ui.incident_form import IncidentForm  # the form is only built when someone enters data

        if self.completions.repository is not self.repository:
            self.completions.load_in(self.workers, self.repository, self._show_error)
        try:
            form = IncidentForm(self.repository, incident_id, self, self.completions, self.neighbour_of)
            before = None if incident_id is None else self.repository.fetch_rows([incident_id]).get(incident_id)
        except LogbookError as error:  # deleted for good by someone else since the table was read
            self._show_error(error)
            self.refresh()
            return
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.durability.protect_form(form)
        # the incidents the form has shown (next and previous move it on), each with its row as the table counts
        # it (see _version_restored); a saved incident not among them is a new one
        rows = {incident_id: before}
        form.incident_saved.connect(
            lambda saved_id: self._incident_saved(saved_id, rows.get(saved_id), stale=form.saved_over_conflict)
        )
        form.incident_saved.connect(lambda saved_id: self._push_save(saved_id, created=saved_id not in rows))
        form.version_restored.connect(lambda entry: self._version_restored(entry, rows))
        form.moved.connect(lambda moved_id: self._form_moved(form, moved_id, rows))
        form.destroyed.connect(lambda: self._forms.remove(form) if form in self._forms else None)
        self._forms.append(form)
        form.open()

    def neighbour_of(self, incident_id: int, step: int) -> int | None:
        """The incident ``step`` rows from ``incident_id`` in the table's order (the form's next and previous);
        None past either end, or when the filter hides ``incident_id``."""
        row = self.model.row_of(incident_id)
        if row is None or not 0 <= row + step < self.model.rowCount():
            return None
        return self.model.incident_id(row + step)

    def _form_moved(self, form: QWidget, incident_id: int, rows: dict[int | None, tuple[Any, ...] | None]) -> None:
        """A form went on to another incident: the table selects it too, and its row is the one a save of it
        starts from."""
        rows[incident_id] = self.repository.fetch_rows([incident_id]).get(incident_id)
        self.durability.protect_form(form)  # its title again says when the logbook is read-only
        row = self.model.row_of(incident_id)
        if row is not None:  # this row alone, whatever keys are held (selectRow adds to the selection with Ctrl)
            index = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag
            self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
            self.table.scrollTo(index)

    def _push_save(self, incident_id: int, created: bool) -> None:
        """A form's save as an undo step: a new incident, or the change this save made (none when it changed
        nothing, or kept someone else's version over a conflict)."""
        change = self.repository.take_change(incident_id)
        if created:
            self.undo_stack.push(CreateCommand(self, incident_id, self._title_of(incident_id)))
        elif change is not None:
            self.undo_stack.push(EditCommand(self, change, self._title_of(incident_id)))

    def _version_restored(
        self, entry: HistoryEntry, rows: dict[int | None, tuple[Any, ...] | None] | None = None
    ) -> None:
        """An earlier version restored from a history view: an undo step, and the table and summary read again.
        ``rows`` is an open form's record of the incident's row, which a later save of that form starts from."""
        title = self._title_of(entry.incident_id)
        self.undo_stack.push(EditCommand(self, entry, title, self.tr("Restore an earlier version of {0}")))
        if rows is not None:
            rows[entry.incident_id] = self.repository.fetch_rows([entry.incident_id]).get(entry.incident_id)
        self.refresh(select_id=entry.incident_id)

    def _title_of(self, incident_id: int) -> str | None:
        row = self.repository.fetch_rows([incident_id]).get(incident_id)
        return None if row is None else row[ROW_COLUMNS.index("title")]

    def show_history(self) -> QWidget | None:
        """The selected incident's history (Edit › History…), where an earlier version can be restored."""
        from logbook.ui.history_view import HistoryDialog

        incident_id = self.current_id()
        if incident_id is None:
            return None
        dialog = HistoryDialog(self.repository, incident_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self._version_restored)
        dialog.open()
        return dialog

    def _incident_saved(self, incident_id: int, before: tuple[Any, ...] | None, stale: bool = False) -> None:
        """Show a saved incident at once: placed into the table's snapshot and its figures moved in the summary,
        instead of reading a million incidents again (refresh() does that while either is still loading).
        ``before`` is its row as the form opened it, None for a new one; ``stale`` when someone else saved it
        meanwhile (the summary may count their row or that one: read it again)."""
        if stale or not self.model.complete or self._tallies is None:
            self.refresh(select_id=incident_id)
            return
        self._saved_before[incident_id] = before
        current = self.table.currentIndex()
        self.model.place(incident_id, current.row() if current.isValid() else None, new=before is None)

    def _incident_placed(self, incident_id: int, was_shown: bool, row: tuple[Any, ...] | None, position: int) -> None:
        before = self._saved_before.pop(incident_id, None)
        if before is None:
            self._total += 1
        self._recent_tallies.clear()  # _show_summary keeps the adjusted figures of the current filter
        if self._tallies is None:  # the filter changed meanwhile: its own summary is on the way
            return
        removed = dict(zip(ROW_COLUMNS, before, strict=True)) if was_shown and before is not None else None
        added = dict(zip(ROW_COLUMNS, row, strict=True)) if row is not None else None
        self._show_summary(adjusted(self._tallies, removed, added))
        if row is not None:
            self._select_after_load = None
            self.table.selectRow(position)
            self.table.scrollTo(self.model.index(position, 0))

    def delete_incidents(self) -> None:
        ids = self.selected_ids()
        if not ids or not Ask.confirm_delete(self, len(ids)):
            return
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        try:
            self.repository.delete(ids)
        except LogbookError as error:
            self._show_error(error)
            return
        self.undo_stack.push(TrashCommand(self, ids, to_trash=True))
        # keep the user's place: select the row after the deleted ones, or the one before them at the end
        after, before = rows[-1] + 1, rows[0] - 1
        next_id = (
            self.model.incident_id(after if after < self.model.rowCount() else before)
            if (after < self.model.rowCount() or before >= 0)
            else None
        )
        self.statusBar().showMessage(
            self.tr("Moved %Ln incident(s) to the trash — Edit › Trash… brings them back.", "", len(ids)), 8000
        )
        self.refresh(select_id=next_id)

    def show_trash(self) -> TrashDialog:
        dialog = TrashDialog(self.repository, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.refresh)
        dialog.restored.connect(lambda ids: self.undo_stack.push(TrashCommand(self, ids, to_trash=False)))
        dialog.open()
        return dialog

    def _update_actions(self) -> None:
        if self._waiting_actions is not None:
            return  # the logbook is still opening: attach() turns them on
        has_selection = self.table.selectionModel().hasSelection()
        self.edit_action.setEnabled(has_selection)
        self.delete_action.setEnabled(has_selection)
        self.history_action.setEnabled(has_selection)
        self.export_action.setEnabled(self.model.rowCount() > 0)
        self.durability.enforce_read_only()

    # ---- import -----------------------------------------------------------------------------------------

    def import_file(self) -> QWidget:
        """Open the import wizard; its Finish starts the import here, so the import outlives the wizard."""
        from logbook.ui.import_wizard import ImportWizard  # built only when someone imports

        wizard = ImportWizard(self.repository, self.workers, self, self._folder())
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.import_requested.connect(self.start_import)
        wizard.open()
        return wizard

    def start_import(self, request: Any) -> QProgressDialog:
        """Run an ImportRequest in a worker with progress and Cancel; the status bar tells how it went."""
        from logbook.ui.import_wizard import start_mapped_import

        return start_mapped_import(
            self, self.workers, self.repository, request,
            lambda report, message: self._import_done(report, message, request.path.name),
        )  # fmt: skip

    def _import_done(self, report: Any, message: str, file_name: str = "") -> None:
        self.statusBar().showMessage(message)
        if report is not None:
            self.completions.repository = None  # new names to complete from: read again when a form opens
            if report.import_id is not None and report.added:  # undo: its added incidents to the trash
                text = UndoCommands.tr("Import {0}").format(file_name)
                self.undo_stack.push(ImportCommand(self, report.import_id, text))
            self.refresh()
        self.import_finished.emit(report)

    def show_import_history(self) -> QWidget:
        from logbook.ui.import_history_dialog import ImportHistoryDialog

        dialog = ImportHistoryDialog(self.repository, self.workers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.refresh)
        dialog.moved.connect(self._import_moved)
        dialog.open()
        return dialog

    def _import_moved(self, import_id: int, file_name: str, removed: bool) -> None:
        """Remove or Restore in the import history, made: an undo step like any other change."""
        if removed:
            text = UndoCommands.tr("Remove the incidents imported from {0}")
        else:
            text = UndoCommands.tr("Restore the incidents imported from {0}")
        self.undo_stack.push(ImportCommand(self, import_id, text.format(file_name), removed))

    # ---- export -----------------------------------------------------------------------------------------

    def export_file(self) -> None:
        """Ask where and in which format (the last one chosen is offered first), then export."""
        store = settings()
        last = store.value("export/format", ExportFormat.CSV.value)
        chosen = ExportFormat(last) if last in ExportFormat.__members__.values() else ExportFormat.CSV
        suggested = self._folder() / f"{Path(describe(self.target)).stem or 'incidents'}{chosen.extension}"
        answer = Ask.export_file(self, suggested, chosen)
        if answer is not None:
            path, export_format = answer
            store.setValue("export/format", export_format.value)
            self.start_export(path, export_format)

    def start_export(self, path: Path, export_format: ExportFormat | None = None) -> QProgressDialog:
        """Export in a worker with a progress dialog whose Cancel stops it; the window stays responsive.
        Without ``export_format`` the file's extension decides (CSV when it has no known one)."""
        label = self.tr("Exporting {0} incidents…").format(count_text(self.model.rowCount()))
        progress = CancellableProgress(self, self.tr("Export"), label, name="exportProgress")
        dialog = progress.dialog
        repository, incident_filter, order = self.repository, self.model.incident_filter, self.model.sort_order
        neutralise, bom = self.neutralise_action.isChecked(), csv_bom()

        def work() -> int:
            return export(
                repository, incident_filter, order, path, format=export_format, neutralise_formulas=neutralise, bom=bom,
                progress=progress.report,
            )  # fmt: skip

        def done(count: int) -> None:
            dialog.reset()
            self.statusBar().showMessage(self.tr("Exported {0} incidents to {1}").format(count_text(count), path), 8000)
            self.export_finished.emit(path)

        def failed(error: Exception) -> None:
            dialog.reset()
            if isinstance(error, ExportCancelled):
                self.statusBar().showMessage(self.tr("Export cancelled; no file was written."), 8000)
            else:
                self._show_error(error)
            self.export_finished.emit(None)

        self.workers.submit(work, done, failed)
        return dialog

    # ---- errors, layout, closing ------------------------------------------------------------------------

    def _show_error(self, error: Exception) -> None:
        if self.durability.offer_restore(error):  # a damaged logbook: its newest backup is offered instead
            return
        text = str(error) if isinstance(error, LogbookError | OSError) else f"{type(error).__name__}: {error}"
        Tell.error(self, self.tr("Incident Logbook"), text)

    def _restore_layout(self) -> None:
        """The window's size and place: one for the window, whichever logbook it shows (see view_state)."""
        geometry = settings().value("window/geometry", QByteArray())
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 820)

    def show_shortcuts(self) -> QWidget:
        """Help › Keyboard shortcuts, read from this window's menus as they are now."""
        from logbook.ui.shortcuts_dialog import ShortcutsDialog, shortcut_sections

        dialog = ShortcutsDialog(shortcut_sections(self), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        from logbook.ui.shortcuts_dialog import About, about_text

        About.show(self, self.tr("About Incident Logbook"), about_text())

    def show_preferences(self) -> PreferencesDialog:
        """Edit › Preferences…; OK shows the new date format and CSV options here at once."""
        dialog = PreferencesDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(lambda: apply_preferences(self))
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed = True
        settings().setValue("window/geometry", self.saveGeometry())
        self.views.remember()
        self.change_watcher.stop()
        self.workers.wait()
        super().closeEvent(event)

    def dispose(self) -> None:
        """Release the logbook file (after the window closed)."""
        self.change_watcher.stop()
        self.workers.wait()
        if self._waiting_actions is None:  # else it closed before its logbook opened
            self.repository.engine.dispose()
