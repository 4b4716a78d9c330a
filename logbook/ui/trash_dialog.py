"""The trash: deleted incidents, with when they were deleted; restore them or delete them for good."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

from logbook.domain.countries import country_name
from logbook.ui.accessibility import fill_in
from logbook.ui.dialogs import Ask
from logbook.ui.record_list_model import RecordListModel

if TYPE_CHECKING:
    from logbook.store.repository import Repository, TrashEntry


class TrashModel(RecordListModel):
    COL_DATE, COL_COUNTRY, COL_TITLE, COL_DELETED = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = (self.tr("Date"), self.tr("Country"), self.tr("Title"), self.tr("Deleted (UTC)"))

    def cell(self, record: TrashEntry, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            record.date_start.isoformat(),
            country_name(record.country),
            record.title or "",
            record.deleted_at.replace("T", " ").rstrip("Z"),
        )[column]


class TrashDialog(QDialog):
    changed = Signal()  # incidents were restored or purged
    restored = Signal(list)  # the ids of incidents just restored (the window can undo it)

    def __init__(self, repository: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashDialog")
        self.setWindowTitle(self.tr("Trash"))
        self.resize(720, 420)
        self._repository = repository
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        layout.addWidget(self.status)

        self.model = TrashModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("trashTable")
        self.table.setAccessibleName(self.tr("Deleted incidents"))
        self.table.setAccessibleDescription(self.tr("Each deleted incident with when it was deleted; select some to "
                                                    "restore them or delete them for good"))  # fmt: skip
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(TrashModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            TrashModel.COL_DELETED, QHeaderView.ResizeMode.ResizeToContents
        )  # the time of deletion on one line
        layout.addWidget(self.table)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = self._button(buttons, self.tr("Restore"), "restoreButton", self.restore_selected)
        self.purge_button = self._button(buttons, self.tr("Delete for good"), "purgeButton", self.purge_selected)
        self.empty_button = self._button(buttons, self.tr("Empty trash"), "emptyTrashButton", self.empty_trash)
        self.empty_button.setToolTip(self.tr("Delete every incident in the trash for good (asks first)"))
        self.restore_button.setToolTip(self.tr("Bring the selected incidents back into the log"))
        self.purge_button.setToolTip(self.tr("Delete the selected incidents for good (asks first)"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fill_in(self)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def _button(self, box: QDialogButtonBox, text: str, name: str, slot: Any) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def refresh(self) -> None:
        self.model.set_records(self._repository.trash())
        count = self.model.rowCount()
        self.status.setText(
            self.tr("The trash is empty.") if count == 0 else self.tr("%Ln deleted incident(s)", "", count)
        )
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        return [self.model.record(index.row()).id for index in self.table.selectionModel().selectedRows()]

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            restored = self._repository.restore(ids)
            self.refresh()
            self.changed.emit()
            if restored:
                self.restored.emit(ids)

    def purge_selected(self) -> None:
        ids = self.selected_ids()
        if ids and Ask.confirm_purge(self, len(ids)):
            self._repository.purge(ids)
            self.refresh()
            self.changed.emit()

    def empty_trash(self) -> None:
        """Delete everything in the trash for good, once the user has said yes to how many that is."""
        ids = [self.model.record(row).id for row in range(self.model.rowCount())]
        if ids and Ask.confirm_empty_trash(self, len(ids)):
            self._repository.purge(ids)
            self.refresh()
            self.changed.emit()

    def _update_buttons(self) -> None:
        has_selection = self.table.selectionModel().hasSelection()
        self.restore_button.setEnabled(has_selection)
        self.purge_button.setEnabled(has_selection)
        self.empty_button.setEnabled(self.model.rowCount() > 0)
