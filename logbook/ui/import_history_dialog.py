"""The import history (File › Import history…): every import with its file, time and counts; the incidents one
import added can be moved to the trash together, and brought back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from logbook.store.errors import LogbookError
from logbook.store.repository import ImportEntry, Repository
from logbook.ui.accessibility import fill_in
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.numbers import count_text
from logbook.ui.record_list_model import RecordListModel
from logbook.ui.workers import Workers

_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ImportHistoryModel(RecordListModel):
    COL_FILE, COL_MAPPING, COL_TIME, COL_ADDED, COL_UPDATED, COL_REJECTED, COL_SKIPPED, COL_LIVE = range(8)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = (
            self.tr("File"),
            self.tr("Mapping"),
            self.tr("Imported (UTC)"),
            self.tr("Added"),
            self.tr("Updated"),
            self.tr("Rejected"),
            self.tr("Skipped"),
            self.tr("In the log"),
        )

    def row_of(self, import_id: int) -> int | None:
        return next((row for row, entry in enumerate(self._records) if entry.id == import_id), None)

    def cell(self, record: ImportEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.COL_ADDED:
            return _NUMBER_ALIGNMENT
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_LIVE:
            return self.tr("Incidents this import added that are still in the log (not in the trash)")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.COL_FILE:
            return record.file_name
        if column == self.COL_MAPPING:
            return record.mapping or self.tr("(canonical CSV)")
        if column == self.COL_TIME:
            return record.imported_at.replace("T", " ").rstrip("Z")
        counts = (record.added, record.updated, record.rejected, record.skipped, record.live)
        return count_text(counts[column - self.COL_ADDED])


class ImportHistoryDialog(QDialog):
    changed = Signal()  # an import's incidents were moved to the trash or restored
    moved = Signal(int, str, bool)  # which import, its file name, and whether to the trash (else back): for undo
    loaded = Signal()  # the list shows the history as it is now

    def __init__(self, repository: Repository, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importHistoryDialog")
        self.setWindowTitle(self.tr("Import history"))
        self.resize(900, 420)
        self._repository = repository
        self._workers = workers
        self._busy = False
        layout = QVBoxLayout(self)
        self.status = QLabel(self.tr("Reading the history…"), self)
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.model = ImportHistoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName(self.tr("Imports"))
        self.table.setAccessibleDescription(self.tr("Each import with its file, time and counts"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ImportHistoryModel.COL_FILE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ImportHistoryModel.COL_MAPPING, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ImportHistoryModel.COL_TIME, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.remove_button = self._button(
            buttons, self.tr("Remove this import's incidents"), "removeImportButton", self.remove_selected
        )
        self.restore_button = self._button(buttons, self.tr("Restore"), "restoreImportButton", self.restore_selected)
        self.restore_button.setToolTip(self.tr("Bring back from the trash the incidents this import added"))
        self.remove_button.setToolTip(self.tr("Move the incidents the selected import added to the trash"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fill_in(self)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def _button(self, box: QDialogButtonBox, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def refresh(self, select_id: int | None = None, say_count: bool = True) -> None:
        """Read the history in a worker (each import's live count is a query of its own)."""
        repository = self._repository
        selected = select_id if select_id is not None else self.selected_id()

        def done(entries: list[ImportEntry]) -> None:
            if not isValid(self):
                return
            self.model.set_records(entries)
            row = self.model.row_of(selected) if selected is not None else None
            if row is not None:
                self.table.selectRow(row)
            elif entries:
                self.table.selectRow(0)
            if say_count:
                self.status.setText(
                    self.tr("No file has been imported into this logbook yet.")
                    if not entries
                    else self.tr("%n import(s), newest first.", "", len(entries))
                )
            self._update_buttons()
            self.loaded.emit()

        self._workers.submit(repository.imports, done, self._failed)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()).id if rows else None

    def selected_entry(self) -> ImportEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.live == 0 or not Ask.confirm_remove_import(self, entry.file_name, entry.live):
            return
        self._run(
            lambda: self._repository.remove_import(entry.id),
            lambda count: self.tr("Moved %Ln incident(s) imported from {0} to the trash.", "", count).format(
                entry.file_name
            ),
            entry,
            removed=True,
        )

    def restore_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        self._run(
            lambda: self._repository.restore_import(entry.id),
            lambda count: self.tr("Restored %Ln incident(s) imported from {0}.", "", count).format(entry.file_name),
            entry,
            removed=False,
        )

    def _run(self, work: Callable[[], int], message: Callable[[int], str], entry: ImportEntry, removed: bool) -> None:
        self._busy = True
        self._update_buttons()

        def done(count: int) -> None:
            if not isValid(self):
                return
            if count:
                self.moved.emit(entry.id, entry.file_name, removed)
            self._busy = False
            self.status.setText(message(count))
            self.changed.emit()
            self.refresh(entry.id, say_count=False)

        self._workers.submit(work, done, self._failed)

    def _failed(self, error: Exception) -> None:
        if not isValid(self):
            return
        self._busy = False
        self._update_buttons()
        text = str(error) if isinstance(error, LogbookError | OSError) else f"{type(error).__name__}: {error}"
        Tell.error(self, self.tr("Import history"), text)

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        self.remove_button.setEnabled(not self._busy and entry is not None and entry.live > 0)
        self.restore_button.setEnabled(not self._busy and entry is not None and entry.added > entry.live)
