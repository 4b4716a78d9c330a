"""An incident's history (from its form, or Edit › History…): every recorded change, newest first, with when,
who, what, and each field from old to new value; any earlier version can be restored (itself a change)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.history import HISTORY_FIELDS, FieldChange, HistoryAction, HistoryEntry, readable
from logbook.store.engine import notes
from logbook.store.errors import LogbookError
from logbook.store.repository import Repository
from logbook.ui.accessibility import fill_in
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.record_list_model import RecordListModel

EMPTY = "—"
# The form's names for the fields (in its translation context), so the history speaks as the form does.
_FIELD_LABELS = {
    "date_start": QT_TRANSLATE_NOOP("IncidentForm", "Start date"),
    "date_end": QT_TRANSLATE_NOOP("IncidentForm", "End date"),
    "date_precision": QT_TRANSLATE_NOOP("IncidentForm", "Date precision"),
    "country": QT_TRANSLATE_NOOP("IncidentForm", "Country"),
    "admin1": QT_TRANSLATE_NOOP("IncidentForm", "Province"),
    "location": QT_TRANSLATE_NOOP("IncidentForm", "Location"),
    "latitude": QT_TRANSLATE_NOOP("IncidentForm", "Latitude"),
    "longitude": QT_TRANSLATE_NOOP("IncidentForm", "Longitude"),
    "geo_precision": QT_TRANSLATE_NOOP("IncidentForm", "Place precision"),
    "event_type": QT_TRANSLATE_NOOP("IncidentForm", "Event type"),
    "weapon": QT_TRANSLATE_NOOP("IncidentForm", "Weapon"),
    "target_type": QT_TRANSLATE_NOOP("IncidentForm", "Target type"),
    "target": QT_TRANSLATE_NOOP("IncidentForm", "Target"),
    "perpetrator": QT_TRANSLATE_NOOP("IncidentForm", "Perpetrator"),
    "attribution": QT_TRANSLATE_NOOP("IncidentForm", "Attribution"),
    "attributed_by": QT_TRANSLATE_NOOP("IncidentForm", "Attributed by"),
    "outcome": QT_TRANSLATE_NOOP("IncidentForm", "Outcome"),
    "damage": QT_TRANSLATE_NOOP("IncidentForm", "Damage"),
    "killed_min": QT_TRANSLATE_NOOP("IncidentForm", "Killed (at least)"),
    "killed_max": QT_TRANSLATE_NOOP("IncidentForm", "Killed (at most)"),
    "injured_min": QT_TRANSLATE_NOOP("IncidentForm", "Injured (at least)"),
    "injured_max": QT_TRANSLATE_NOOP("IncidentForm", "Injured (at most)"),
    "verification": QT_TRANSLATE_NOOP("IncidentForm", "Verification"),
    "title": QT_TRANSLATE_NOOP("IncidentForm", "Title"),
    "notes": QT_TRANSLATE_NOOP("IncidentForm", "Notes"),
    "sources": QT_TRANSLATE_NOOP("IncidentForm", "Sources"),
    "tags": QT_TRANSLATE_NOOP("IncidentForm", "Tags"),
}


def field_label(field: str) -> str:
    return QCoreApplication.translate("IncidentForm", _FIELD_LABELS.get(field, field))


def when(entry: HistoryEntry) -> str:
    return entry.changed_at.replace("T", " ").rstrip("Z")


def what(entry: HistoryEntry) -> str:
    """The change in words: "Edited", "Changed by import of tracker.csv", "Version 3 restored"…"""
    imported = entry.import_file is not None
    action = entry.action
    if action is HistoryAction.CREATED:
        text = HistoryDialog.tr("Added by import of {file}") if imported else HistoryDialog.tr("Created")
    elif action is HistoryAction.EDITED:
        text = HistoryDialog.tr("Changed by import of {file}") if imported else HistoryDialog.tr("Edited")
    elif action is HistoryAction.DELETED:
        text = (
            HistoryDialog.tr("Moved to the trash with the import of {file}")
            if imported
            else HistoryDialog.tr("Moved to the trash")
        )
    elif action is HistoryAction.RESTORED:
        text = (
            HistoryDialog.tr("Restored from the trash by import of {file}")
            if imported
            else HistoryDialog.tr("Restored from the trash")
        )
    elif action is HistoryAction.PURGED:
        text = HistoryDialog.tr("Deleted for good")
    else:
        text = HistoryDialog.tr("Version {version} restored")
    return text.format(file=entry.import_file, version=entry.reverted_to)


class HistoryModel(RecordListModel):
    """One row per changed field (one for a change without fields); when, who and what on an entry's first row.
    A row's record is (entry, field change or None, whether it is the entry's first row)."""

    COL_WHEN, COL_WHO, COL_WHAT, COL_VERSION, COL_FIELD, COL_OLD, COL_NEW = range(7)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shaded: set[int] = set()  # entries shown on the alternate background, to tell one from the next
        self._spans: dict[int, tuple[int, int]] = {}  # entry id -> (first row, row count)
        self.headers = (
            self.tr("When (UTC)"), self.tr("Who"), self.tr("Change"), self.tr("Version"), self.tr("Field"),
            self.tr("Old value"), self.tr("New value"),
        )  # fmt: skip

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        """``entries`` in the order to show them (newest first)."""
        rows: list[tuple[HistoryEntry, FieldChange | None, bool]] = []
        self._spans = {}
        self._shaded = {entry.id for number, entry in enumerate(entries) if number % 2}
        for entry in entries:
            changes: list[FieldChange | None] = list(entry.changes) or [None]
            self._spans[entry.id] = (len(rows), len(changes))
            rows += [(entry, change, number == 0) for number, change in enumerate(changes)]
        self.set_records(rows)

    def entry(self, row: int) -> HistoryEntry:
        return self.record(row)[0]

    def entry_rows(self, entry: HistoryEntry) -> tuple[int, int]:
        """The first row of an entry and how many rows it has."""
        return self._spans[entry.id]

    def cell(self, record: tuple[HistoryEntry, FieldChange | None, bool], column: int, role: int) -> Any:
        entry, change, first = record
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column < self.COL_FIELD:
                if not first and role == Qt.ItemDataRole.DisplayRole:
                    return ""  # the entry's first row says it once
                return (when(entry), entry.changed_by, what(entry), _version(entry))[column]
            if change is None:
                return ""
            if column == self.COL_FIELD:
                return field_label(change.field)
            text = change.old if column == self.COL_OLD else change.new
            return readable(change.field, text) if text is not None else EMPTY
        empty = change is not None and (change.old if column == self.COL_OLD else change.new) is None
        if role == Qt.ItemDataRole.FontRole and column >= self.COL_OLD and empty:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and entry.id in self._shaded:
            return QGuiApplication.palette().alternateBase()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            top = Qt.AlignmentFlag.AlignTop
            return top | (Qt.AlignmentFlag.AlignRight if column == self.COL_VERSION else Qt.AlignmentFlag.AlignLeft)
        return None


def _version(entry: HistoryEntry) -> str:
    return "" if entry.version is None else str(entry.version)


class HistoryDialog(QDialog):
    """The history of one incident; "Restore this version" brings back its values right after the selected
    change. ``before_restore`` (the form's check for unsaved edits) may refuse."""

    restored = Signal(object)  # the HistoryEntry of the restore just made
    loaded = Signal()

    def __init__(
        self,
        repository: Repository,
        incident_id: int,
        parent: QWidget | None = None,
        before_restore: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.resize(1040, 600)
        self._repository = repository
        self._incident_id = incident_id
        self._before_restore = before_restore
        self._entries: list[HistoryEntry] = []
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("changeTable")
        self.table.setAccessibleName(self.tr("Changes"))
        self.table.setAccessibleDescription(self.tr("Each change, newest first: when, who, what, and each field's "
                                                    "old and new value"))  # fmt: skip
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few dozen
        header = self.table.horizontalHeader()
        for column in (HistoryModel.COL_WHEN, HistoryModel.COL_WHO, HistoryModel.COL_WHAT, HistoryModel.COL_VERSION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        labels = self.table.fontMetrics()
        field_width = max(labels.horizontalAdvance(field_label(name)) for name in HISTORY_FIELDS)
        header.resizeSection(HistoryModel.COL_FIELD, field_width + 2 * labels.horizontalAdvance("M"))
        for column in (HistoryModel.COL_OLD, HistoryModel.COL_NEW):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = buttons.addButton(self.tr("Restore this version"), QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setObjectName("restoreVersionButton")
        self.restore_button.setAccessibleName(self.restore_button.text())
        self.restore_button.setToolTip(
            self.tr("Bring back the values the incident had right after the selected change (recorded as a change)")
        )
        self._read_only = notes(repository.engine).read_only  # why nothing can be restored into it, if so
        if self._read_only:
            self.restore_button.setToolTip(self.tr("The logbook is read-only: {0}.").format(self._read_only))
        self.restore_button.clicked.connect(self.restore_selected)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(close.text())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fill_in(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    def refresh(self) -> None:
        """Read the history again (one incident's: a few dozen rows at most, read at once)."""
        try:
            self._entries = list(reversed(self._repository.history(self._incident_id)))
            title = self._title()
        except LogbookError as error:
            Tell.error(self, self.tr("History"), str(error))
            self._entries, title = [], None
        self.setWindowTitle(self.tr("History — {0}").format(title) if title else self.tr("History"))
        self.model.set_entries(self._entries)
        self.status.setText(self._describe())
        if self._entries:
            self.select_entry(self._entries[0])
        self._update_buttons()
        self.loaded.emit()

    def _title(self) -> str | None:
        if self._entries and self._entries[0].action is HistoryAction.PURGED:
            return next((c.old for c in self._entries[0].changes if c.field == "title"), None)
        try:
            return self._repository.get(self._incident_id).title
        except LogbookError:
            return None

    def _describe(self) -> str:
        count = len(self._entries)
        if not count:
            return self.tr("No change to this incident has been recorded yet: it was entered before this logbook "
                           "kept a history. Its next change will be the first.")  # fmt: skip
        text = self.tr("1 change.") if count == 1 else self.tr("{0} changes, newest first.").format(count)
        if self._entries[-1].action is not HistoryAction.CREATED:
            text += " " + self.tr("Changes before {0} were not recorded (the logbook kept no history then).").format(
                when(self._entries[-1])
            )
        if self.purged:
            text += " " + self.tr("The incident has been deleted for good; its last values are kept here.")
        return text

    @property
    def purged(self) -> bool:
        return bool(self._entries) and self._entries[0].action is HistoryAction.PURGED

    def selected_entry(self) -> HistoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def select_entry(self, entry: HistoryEntry) -> None:
        """Select every row of ``entry`` (its changed fields)."""
        first, count = self.model.entry_rows(entry)
        selection = QItemSelection(
            self.model.index(first, 0), self.model.index(first + count - 1, self.model.columnCount() - 1)
        )
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        selections = self.table.selectionModel()
        selections.blockSignals(True)  # one entry, however many rows: no signal per row
        selections.select(selection, flags)
        selections.setCurrentIndex(self.model.index(first, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        selections.blockSignals(False)
        self.table.viewport().update()
        self._update_buttons()

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.select_entry(entry)
        else:
            self._update_buttons()

    def restore_selected(self) -> HistoryEntry | None:
        entry = self.selected_entry()
        if entry is None or entry.version is None:
            return None
        if not Ask.confirm_restore_version(self, entry.version, when(entry)):
            return None
        if self._before_restore is not None and not self._before_restore():
            return None
        try:
            made = self._repository.restore_version(self._incident_id, entry)
        except LogbookError as error:
            Tell.error(self, self.tr("Restore this version"), str(error))
            self.refresh()
            return None
        if made is None:
            self.status.setText(self.tr("The incident has these values already; nothing was changed."))
            return None
        self.refresh()
        restored = self.tr("Version {0} restored, as version {1}. Edit › Undo takes it back.")
        self.status.setText(restored.format(entry.version, made.version))
        self.restored.emit(made)
        return made

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        newest = self._entries[0] if self._entries else None
        self.restore_button.setEnabled(
            entry is not None and newest is not None and entry.id != newest.id and entry.version is not None
            and not self.purged and not self._read_only
        )  # fmt: skip
