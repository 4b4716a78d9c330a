"""File › Restore from backup…: the backups of the open logbook with their date, kind and size; restore one,
take one now, set how many daily backups are kept. The work is store/backups.py's; the window runs it
(ui/durability.py), since a restore closes and reopens the logbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QSettings,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook import paths
from logbook.store import backups
from logbook.store.backups import Backup
from logbook.ui.accessibility import fill_in
from logbook.ui.dialogs import yes_or_cancel
from logbook.ui.record_list_model import RecordListModel
from logbook.ui.translations import translated_label

RecordRole = Qt.ItemDataRole.UserRole + 1  # the Backup of a row
KEEP_KEY = "/".join(backups.KEEP_SETTING)  # QSettings key; store/backups.py reads the same file headless
KEEP_MAX = 365


def settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def keep_spin(parent: QWidget) -> QSpinBox:
    """How many daily backups to keep, 0 for none: here and in Preferences, showing the setting as it is."""
    spin = QSpinBox(parent)
    spin.setObjectName("keepBackups")
    spin.setAccessibleName(BackupDialog.tr("Daily backups to keep:"))
    spin.setRange(0, KEEP_MAX)
    spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    spin.setSpecialValueText(BackupDialog.tr("none (daily backups off)"))
    spin.setValue(backups.keep_setting())
    spin.setToolTip(
        BackupDialog.tr("A backup is taken the first time a day a logbook opens; older daily backups beyond this "
                        "many are deleted. Backups taken with Back up now are kept until you delete them.")
    )  # fmt: skip
    return spin


class BackupQuestions:
    """The questions about backups; tests replace these classmethods (they never exec() a real dialog)."""

    @classmethod
    def confirm_restore(cls, parent: QWidget | None, text: str) -> bool:
        return yes_or_cancel(QMessageBox.question, parent, BackupDialog.tr("Restore from backup"), text)

    @classmethod
    def restore_damaged(cls, parent: QWidget | None, text: str) -> bool:
        """A damaged logbook: restore its newest backup (True) or leave it and choose another file (False)."""
        box = QMessageBox(QMessageBox.Icon.Warning, BackupDialog.tr("Damaged logbook"), text, parent=parent)
        restore = box.addButton(BackupDialog.tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(BackupDialog.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore

    @classmethod
    def warn(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)


class BackupTableModel(RecordListModel):
    COL_TAKEN, COL_KIND, COL_SIZE, COL_FILE = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = (self.tr("Taken"), self.tr("Kind"), self.tr("Size"), self.tr("File"))

    def cell(self, record: Backup, column: int, role: int) -> Any:
        if role == RecordRole:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{record.taken:%Y-%m-%d %H:%M:%S}",
                translated_label(record.kind),
                backups.human_size(record.size),
                record.path.name,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(record.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BackupDialog(QDialog):
    """Lists the backups; Restore asks first, then emits restore_requested for the window to carry out."""

    restore_requested = Signal(object)  # the Backup to restore
    back_up_requested = Signal()

    def __init__(self, logbook: Path, parent: QWidget | None = None, read_only: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(self.tr("Restore from backup"))
        self.resize(760, 420)
        self._logbook = logbook
        self._folder = backups.folder_for(logbook)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Backups of {0}. Restoring one replaces the logbook with it; the logbook as it is now is kept "
                "as a backup first, so a restore can itself be undone."
            ).format(logbook.name),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = BackupTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("backupTable")
        self.table.setAccessibleName(self.tr("Backups"))
        self.table.setAccessibleDescription(self.tr("Each backup with when it was taken, why and its size"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        digit = self.fontMetrics().horizontalAdvance("0")
        for column, characters in ((0, 21), (1, 18), (2, 11)):
            header.resizeSection(column, characters * digit)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table)
        self.empty_label = QLabel(self.tr("No backups yet. The first is taken the first time a day the logbook opens."))
        self.empty_label.setObjectName("noBackups")
        layout.addWidget(self.empty_label)

        keep_row = QHBoxLayout()
        keep_label = QLabel(BackupDialog.tr("Daily backups to keep:"), self)
        self.keep_spin = keep_spin(self)
        self.keep_spin.valueChanged.connect(lambda value: settings().setValue(KEEP_KEY, value))
        keep_label.setBuddy(self.keep_spin)
        keep_row.addWidget(keep_label)
        keep_row.addWidget(self.keep_spin)
        keep_row.addStretch(1)
        layout.addLayout(keep_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = self._button(buttons, self.tr("Restore…"), "restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        self.back_up_button = self._button(buttons, self.tr("Back up now"), "backUpNowButton")
        self.back_up_button.clicked.connect(self.back_up_requested)
        self.folder_button = self._button(buttons, self.tr("Open folder"), "openFolderButton")
        self.folder_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(close.text())
        layout.addWidget(buttons)
        self.restore_button.setToolTip(self.tr("Replace the logbook with the selected backup (asks first)"))
        self.back_up_button.setToolTip(self.tr("Take a backup of the logbook now"))
        self.folder_button.setToolTip(self.tr("Show the backups folder in the file manager"))
        if read_only:
            self.restore_button.setToolTip(self.tr("The logbook is read-only ({0}).").format(read_only))
        self._read_only = read_only
        fill_in(self)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def _button(self, box: QDialogButtonBox, text: str, name: str) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setAccessibleName(text.rstrip("…"))
        button.setAutoDefault(False)
        return button

    def refresh(self) -> None:
        found = backups.list_backups(self._logbook)
        self.model.set_records(found)
        self.table.setVisible(bool(found))
        self.empty_label.setVisible(not found)
        if found:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or self._read_only:
            return
        text = self.tr(
            "Replace {0} with the backup taken {1}?\n\nThe logbook as it is now is kept as a backup first, so you "
            "can go back to it from this list."
        ).format(self._logbook.name, backup.describe())
        if BackupQuestions.confirm_restore(self, text):
            self.restore_requested.emit(backup)
            self.accept()

    def open_folder(self) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None and not self._read_only)
