"""The sources of one incident: a small editable table with Add and Remove."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.enums import SourceKind
from logbook.domain.record import SourceDraft
from logbook.ui import theme
from logbook.ui.translations import translated_label

COL_NAME, COL_KIND, COL_URL, COL_PUBLISHED = range(4)
ModelIndex = QModelIndex | QPersistentModelIndex


def _parse_published(text: str) -> dt.date | None:
    """ISO date or empty; ValueError otherwise (the model keeps the text so the user can correct it)."""
    return dt.date.fromisoformat(text) if text else None


class SourcesModel(QAbstractTableModel):
    """Rows of name, kind code, URL and published text.

    The published date is kept as typed, so a wrong date stays visible (in red) and is reported on save
    instead of being thrown away by the editor.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[list[str]] = []
        self._headers = (self.tr("Name"), self.tr("Kind"), self.tr("URL"), self.tr("Published"))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return translated_label(SourceKind(value)) if index.column() == COL_KIND else value
        if role == Qt.ItemDataRole.EditRole:
            return value
        if index.column() == COL_PUBLISHED and not self._is_date(value):
            if role == Qt.ItemDataRole.ForegroundRole:
                return theme.ERROR_TEXT.colour()
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Not a date: write it as YYYY-MM-DD")
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value or "").strip()
        if index.column() == COL_KIND:
            try:
                text = SourceKind.parse(text).value
            except ValueError:
                return False
        self._rows[index.row()][index.column()] = text
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_PUBLISHED:
                return self.tr("Date of publication, YYYY-MM-DD")
            return None
        return super().headerData(section, orientation, role)

    def insertRows(self, row: int, count: int, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or not 0 <= row <= len(self._rows) or count < 1:
            return False
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        self._rows[row:row] = [["", SourceKind.OTHER.value, "", ""] for _ in range(count)]
        self.endInsertRows()
        return True

    def removeRows(self, row: int, count: int, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or row < 0 or count < 1 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        return True

    def set_sources(self, sources: list[SourceDraft]) -> None:
        self.beginResetModel()
        self._rows = [
            [s.name or "", s.kind, s.url or "", s.published.isoformat() if s.published else ""] for s in sources
        ]
        self.endResetModel()

    def sources(self) -> list[SourceDraft]:
        """The rows as drafts; a published date that is not a date is left out here and reported by problems()."""
        drafts = []
        for name, kind, url, published in self._rows:
            date = _parse_published(published) if self._is_date(published) else None
            drafts.append(SourceDraft(name or None, kind, url or None, date))
        return drafts

    def problems(self) -> list[str]:
        """What stops the rows being stored that the domain cannot see once they are drafts."""
        return [
            self.tr("Source {row}: “{text}” is not a date (YYYY-MM-DD)").format(row=row, text=published)
            for row, (_name, _kind, _url, published) in enumerate(self._rows, start=1)
            if not self._is_date(published)
        ]

    def state(self) -> tuple[tuple[str, ...], ...]:
        """The rows as typed, to tell whether the form has unsaved edits."""
        return tuple(tuple(row) for row in self._rows)

    @staticmethod
    def _is_date(text: str) -> bool:
        try:
            _parse_published(text)
        except ValueError:
            return False
        return True


class SourceKindDelegate(QStyledItemDelegate):
    """Edits the kind through its readable labels while the model keeps the code."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.tr("Kind"))
        for kind in SourceKind:
            combo.addItem(translated_label(kind), kind.value)
        return combo

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class SourcesEditor(QWidget):
    """The table and its Add/Remove buttons; Tab leaves the table so the form stays keyboard friendly."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SourcesModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("sourcesTable")
        self.table.setAccessibleName(self.tr("Sources"))
        self.table.setAccessibleDescription(
            self.tr("Each source's name, kind, URL and date of publication. Typing or F2 edits a cell, Tab goes on to "
                    "the next cell")
        )  # fmt: skip
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COL_KIND, SourceKindDelegate(self.table))
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        widths = {
            COL_NAME: metrics.horizontalAdvance("US Department of Defense") + 16,
            COL_KIND: metrics.horizontalAdvance("Social media") + 48,  # room for the combo's arrow
            COL_URL: metrics.horizontalAdvance("https://www.example.org/") + 16,
            COL_PUBLISHED: metrics.horizontalAdvance("2023-11-03") + 24,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_URL, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(sum(widths.values()) + 2 * self.table.frameWidth())
        self.table.setMinimumHeight(header.sizeHint().height() + 4 * self.table.verticalHeader().defaultSectionSize())

        self.add_button = QPushButton(self.tr("Add source"), self)
        self.add_button.setObjectName("addSourceButton")
        self.add_button.setAccessibleName(self.add_button.text())
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip(self.tr("Add a row for a source and start typing its name"))
        self.remove_button = QPushButton(self.tr("Remove source"), self)
        self.remove_button.setObjectName("removeSourceButton")
        self.remove_button.setAccessibleName(self.remove_button.text())
        self.remove_button.setAutoDefault(False)
        self.remove_button.setToolTip(self.tr("Remove the selected sources"))

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_source)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    def add_source(self) -> None:
        """Append a row and start typing its name at once."""
        row = self.model.rowCount()
        self.model.insertRows(row, 1)
        index = self.model.index(row, COL_NAME)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectionModel().selectedRows()}, reverse=True):
            self.model.removeRows(row, 1)

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.selectionModel().hasSelection())
