"""The import wizard (File › Import…): a CSV file from elsewhere read through a mapping chosen here, previewed as it
will be stored, then imported in one transaction with progress and Cancel.

Reading, converting and importing are services/mapped_import.py and domain/mapping.py, shared with ``logbook
import --mapping``; this module only shows them and asks. Everything that reads the file or the logbook runs in
a worker: a file of a million rows never freezes the window.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from logbook import paths
from logbook.domain.conversions import DateFormat, clean_text
from logbook.domain.countries import all_countries, country_name
from logbook.domain.csv_schema import COLUMNS
from logbook.domain.mapping import (
    DELIMITERS,
    ENCODINGS,
    TARGETS,
    FieldMapping,
    FileFormat,
    Mapping,
    MappingError,
    PresetError,
    RowMapper,
    Target,
    field_converter,
    load_preset,
    save_preset,
    suggest_mapping,
)
from logbook.services.apart import run_apart
from logbook.services.importer import WHOLE_ROW, ImportCancelled
from logbook.services.mapped_import import (
    Findings,
    MappedImportReport,
    MappedRow,
    Preview,
    Sample,
    distinct_values,
    import_mapped_at,
    preview,
    read_sample,
    scan_at,
    sniff_file,
)
from logbook.store.errors import LogbookError
from logbook.store.repository import Repository
from logbook.store.rows import ROW_COLUMNS
from logbook.ui import theme
from logbook.ui.accessibility import describe, fill_in
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.numbers import count_text
from logbook.ui.translations import translated_label
from logbook.ui.workers import PROGRESS_STEPS, CancellableProgress, Workers, progress_steps

SAMPLE_ROWS = 100  # raw rows shown on the file page
PREVIEW_ROWS = 50  # rows shown as they will be stored
VALUE_LIMIT = 200  # distinct values listed in a value map, the most frequent first
LISTED = 200  # problems, warnings and duplicates of the whole file listed on the preview page
ProblemRole = Qt.ItemDataRole.UserRole + 1  # "problem", "warning" or None for a preview cell

IGNORE, FIXED, JOINED = "", "\x00fixed", "\x00joined"  # a field's source besides a column of the file
_SECTIONS = {
    "date_start": QT_TRANSLATE_NOOP("ImportWizard", "When and where"),
    "event_type": QT_TRANSLATE_NOOP("ImportWizard", "What happened"),
    "killed": QT_TRANSLATE_NOOP("ImportWizard", "Casualties"),
    "verification": QT_TRANSLATE_NOOP("ImportWizard", "Verification, description and sources"),
}
# The stored columns a field of a mapping fills (or whose values it checks); a field not listed fills its own.
_FILLS: dict[str, tuple[str, ...]] = {
    "killed": ("killed_min", "killed_max"),
    "injured": ("injured_min", "injured_max"),
    "killed_best": ("killed_min", "killed_max"),
    "injured_best": ("injured_min", "injured_max"),
    "source_name": ("sources",),
    "source_url": ("sources",),
    "source_kind": ("sources",),
}


def _settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def error_text(error: Exception) -> str:
    """What the user reads about a failure: the service's own message, never a traceback."""
    return str(error) if isinstance(error, LogbookError | OSError) else f"{type(error).__name__}: {error}"


def _delimiter_label(delimiter: str) -> str:
    return {",": ImportWizard.tr("Comma (,)"), ";": ImportWizard.tr("Semicolon (;)"), "\t": ImportWizard.tr("Tab")}.get(
        delimiter, delimiter
    )


def _short_label(column: str) -> str:
    """A stored column's name as a header: its field's label without the explanation in brackets."""
    target = TARGETS.get(column)
    return target.label.split(" (")[0] if target is not None else column.replace("_", " ").capitalize()


def _button(parent: QWidget, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", ""))
    button.clicked.connect(slot)
    return button


def _labelled(parent: QWidget, text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    buddy.setAccessibleName(text.replace("&", "").rstrip(":"))
    return label


def _compact(combo: QComboBox, characters: int) -> None:
    """A combo as narrow as ``characters`` (a row of the mapping page has several), its list wide enough to
    read every item."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 2 * combo.fontMetrics().averageCharWidth())


def _find_column(column: str, columns: Sequence[str]) -> str | None:
    """``column`` among the file's, by its name or with case and stray spaces aside (as the import finds it)."""
    if column in columns:
        return column
    folded = " ".join(column.casefold().split())
    return next((name for name in columns if " ".join(name.casefold().split()) == folded), None)


# ---- models ---------------------------------------------------------------------------------------------------


class RawModel(QAbstractTableModel):
    """The file's first rows as read with the chosen encoding, delimiter and header row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[str] = []
        self._rows: list[list[str]] = []
        self._first_row = 0

    def set_sample(self, sample: Sample | None) -> None:
        self.beginResetModel()
        self._first_row = 1 if sample is not None and sample.format.has_header else 0
        self._columns = list(sample.columns) if sample is not None else []
        self._rows = [list(row) for row in sample.rows] if sample is not None else []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section] if 0 <= section < len(self._columns) else None
        return str(section + 1 + self._first_row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        cell = row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell if len(cell) > 40 or "\n" in cell else None
        return " ↵ ".join(cell.splitlines()) if "\n" in cell or "\r" in cell else cell


class ValueMapModel(QAbstractTableModel):
    """A column's distinct values, how often each comes, and what each is read as: through the value map when
    it has an entry, else as written (marked when that cannot be read)."""

    COL_VALUE, COL_COUNT, COL_READ_AS = range(3)
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target: Target | None = None
        self._values: list[tuple[str, int]] = []
        self._readings: list[str | None] = []  # as written: a label, "" for unknown, None when unreadable
        self._map: dict[str, str] = {}
        self._headers = (self.tr("In the file"), self.tr("Rows"), self.tr("Read as"))

    def set_values(
        self,
        target: Target | None,
        values: list[tuple[str, int]],
        readings: list[str | None],
        value_map: dict[str, str],
    ) -> None:
        self.beginResetModel()
        self._target, self._values, self._readings, self._map = target, values, readings, value_map
        self.endResetModel()

    def choices(self) -> list[tuple[str, str]]:
        """(what the map holds, what the user reads) for every value a file's value can be read as."""
        if self._target is None:
            return []
        if self._target.choices is not None:
            return [(member.value, translated_label(member)) for member in self._target.choices]
        return [(name, name) for _code, name in all_countries()]

    def value(self, row: int) -> str:
        return self._values[row][0]

    def unreadable(self) -> int:
        return sum(
            1
            for (value, _count), reading in zip(self._values, self._readings, strict=True)
            if reading is None and not self._map.get(value)
        )

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._values)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.COL_READ_AS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value, count = self._values[index.row()]
        column = index.column()
        mapped = self._map.get(value, "")
        unreadable = self._readings[index.row()] is None and not mapped
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_VALUE:
                return value or self.tr("(empty)")
            if column == self.COL_COUNT:
                return count_text(count)
            return self._read_as(index.row(), mapped)
        if role == Qt.ItemDataRole.EditRole and column == self.COL_READ_AS:
            return mapped
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_COUNT:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.BackgroundRole and unreadable:
            return QBrush(theme.PROBLEM_BACKGROUND.colour())
        if role == Qt.ItemDataRole.ToolTipRole and unreadable:
            return self.tr(
                "{0} is not one of the values this field takes: choose what it means, or rows with it are rejected"
            ).format(repr(value))
        return None

    def _read_as(self, row: int, mapped: str) -> str:
        if mapped:
            return dict(self.choices()).get(mapped, mapped)
        reading = self._readings[row]
        if reading is None:
            return self.tr("not readable: choose")
        return self.tr("{0} (as written)").format(reading) if reading else self.tr("unknown (as written)")

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or index.column() != self.COL_READ_AS or role != Qt.ItemDataRole.EditRole:
            return False
        file_value = self._values[index.row()][0]
        code = str(value or "")
        if code == self._map.get(file_value, ""):
            return False
        if code:
            self._map[file_value] = code
        else:
            self._map.pop(file_value, None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.COL_READ_AS))
        self.changed.emit()
        return True


class ReadAsDelegate(QStyledItemDelegate):
    """A combo of the field's values for each of the file's values; what is picked goes in the map at once."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        model = index.model()
        combo = QComboBox(parent)
        combo.setObjectName("readAs")
        combo.addItem(ImportWizard.tr("— as written —"), "")
        if isinstance(model, ValueMapModel):
            for code, label in model.choices():
                combo.addItem(label, code)
        combo.currentIndexChanged.connect(lambda _position: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        value = index.siblingAtColumn(ValueMapModel.COL_VALUE).data()
        editor.setAccessibleName(ImportWizard.tr("Read {0} as").format(value))
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.blockSignals(True)
        editor.setCurrentIndex(max(position, 0))
        editor.blockSignals(False)

    def setModelData(
        self, editor: QWidget, model: QAbstractTableModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


@dataclasses.dataclass
class _PreviewRow:
    texts: list[str]
    marks: dict[int, tuple[str, list[str]]]  # column -> ("problem" or "warning", messages)
    rejected: bool


class PreviewModel(QAbstractTableModel):
    """The first rows as they will be stored (a rejected row shows what the file holds, greyed), each problem
    on its row and field: red when it rejects the row, yellow for a warning; the messages in the tooltip and in
    the last column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[str] = []
        self._rows: list[_PreviewRow] = []

    @property
    def stored_columns(self) -> list[str]:
        return list(self._columns)

    def clear(self) -> None:
        self.beginResetModel()
        self._columns, self._rows = [], []
        self.endResetModel()

    def set_preview(self, shown: Preview, mapping: Mapping) -> None:
        self.beginResetModel()
        self._columns = filled_columns(mapping)
        self._rows = [self._row(row, mapping, shown.columns) for row in shown.rows]
        self.endResetModel()

    def column_of(self, stored_column: str) -> int:
        """The model column showing ``stored_column``; -1 if it is not shown."""
        return self._columns.index(stored_column) + 1 if stored_column in self._columns else -1

    def _row(self, row: MappedRow, mapping: Mapping, file_columns: list[str]) -> _PreviewRow:
        stored = row.stored() if row.draft is not None else None
        texts = [str(row.number)]
        for column in self._columns:
            text = stored[column] if stored is not None else _raw_text(row.cells, column, mapping, file_columns)
            texts.append(" ↵ ".join(text.splitlines()))
        marks: dict[int, tuple[str, list[str]]] = {}
        notes: list[str] = []
        for severity, found in (("problem", row.problems), ("warning", row.warnings)):
            for each in found:
                message = each.message if each.field == WHOLE_ROW else f"{each.field}: {each.message}"
                notes.append(message)
                places = (
                    []
                    if each.field == WHOLE_ROW
                    else [self.column_of(c) for c in _FILLS.get(each.field, (each.field,))]
                )
                places = [place for place in places if place > 0] or [0]
                for place in places:
                    kind, messages = marks.get(place, (severity, []))
                    marks[place] = (kind, [*messages, message])
        if notes and 0 not in marks:  # the row's verdict where it is always in view, whichever field it concerns
            marks[0] = ("problem" if row.draft is None else "warning", notes)
        summary = "; ".join(notes)
        if row.draft is None:
            summary = ImportWizard.tr("Rejected: {0}").format(summary)
        elif notes:
            summary = ImportWizard.tr("Warning: {0}").format(summary)
        if row.duplicates:
            duplicate = ImportWizard.tr("possible duplicate of incident {0}").format(
                ", ".join(f"#{i}" for i in row.duplicates)
            )
            summary = f"{summary}; {duplicate}" if summary else duplicate.capitalize()
        if row.earlier_row is not None:
            repeat = ImportWizard.tr("like row {0} of this file (imported: check it)").format(row.earlier_row)
            summary = f"{summary}; {repeat}" if summary else repeat.capitalize()
        texts.append(summary)
        return _PreviewRow(texts, marks, row.draft is None)

    def column_texts(self, column: int) -> list[str]:
        """What every row shows in ``column``, for sizing it."""
        return [row.texts[column] for row in self._rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or (not self._rows and not self._columns) else len(self._columns) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return self.tr("Row")
        if section == len(self._columns) + 1:
            return self.tr("Problems")
        return _short_label(self._columns[section - 1]) if 0 < section <= len(self._columns) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        mark = row.marks.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == ProblemRole:
            return mark[0] if mark else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if mark:
                return "\n".join(mark[1])
            return row.texts[column] if column == len(row.texts) - 1 and row.texts[column] else None
        if role == Qt.ItemDataRole.BackgroundRole and mark:
            return QBrush((theme.PROBLEM_BACKGROUND if mark[0] == "problem" else theme.WARNING_BACKGROUND).colour())
        if role == Qt.ItemDataRole.ForegroundRole and row.rejected and not mark:
            return QBrush(theme.DIM_TEXT.colour())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


def filled_columns(mapping: Mapping) -> list[str]:
    """The stored columns the mapping fills, in the canonical CSV's order."""
    wanted: set[str] = set()
    for name, field in mapping.fields.items():
        if not field.ignored:
            wanted.update(_FILLS.get(name, (name,)))
            if name == "date_start":
                wanted.add("date_precision")  # set from the date unless mapped
    return [column for column in COLUMNS if column in wanted]


def _raw_text(cells: Sequence[str], stored_column: str, mapping: Mapping, file_columns: Sequence[str]) -> str:
    """What the file holds for a stored column of a rejected row: the cells of the first field filling it."""
    for name, field in mapping.fields.items():
        if field.ignored or stored_column not in _FILLS.get(name, (name,)):
            continue
        if not field.columns:
            return field.value or ""
        parts = []
        for column in field.columns:
            found = _find_column(column, file_columns)
            position = list(file_columns).index(found) if found is not None else len(cells)
            parts.append(cells[position].strip() if position < len(cells) else "")
        return field.separator.join(part for part in parts if part)
    return ""


# ---- the file page --------------------------------------------------------------------------------------------


class FilePage(QWizardPage):
    """The file, its encoding, delimiter and header row (detected, and changeable), and its first rows as read."""

    def __init__(self, owner: ImportWizard) -> None:
        super().__init__(owner)
        self.owner = owner
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(
            self.tr(
                "A CSV file from a spreadsheet, a tracker or another researcher. Its encoding, delimiter and header "
                "row are detected: change them if the rows below look wrong."
            )
        )
        self._generation = 0
        self._reading = False
        layout = QVBoxLayout(self)

        grid = QGridLayout()
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("fileEdit")
        self.file_edit.setPlaceholderText(self.tr("The path of a CSV file, or choose Browse…"))
        self.file_edit.editingFinished.connect(self.read_typed)
        self.browse_button = _button(self, self.tr("&Browse…"), "browseButton", self.browse)
        grid.addWidget(_labelled(self, self.tr("&File:"), self.file_edit), 0, 0)
        grid.addWidget(self.file_edit, 0, 1, 1, 5)
        grid.addWidget(self.browse_button, 0, 6)

        self.encoding_combo = QComboBox(self)
        self.encoding_combo.setObjectName("encodingCombo")
        for key, label in ENCODINGS.items():
            self.encoding_combo.addItem(label, key)
        self.delimiter_combo = QComboBox(self)
        self.delimiter_combo.setObjectName("delimiterCombo")
        for delimiter in DELIMITERS:
            self.delimiter_combo.addItem(_delimiter_label(delimiter), delimiter)
        self.header_check = QCheckBox(self.tr("The first row holds the column &names"), self)
        self.header_check.setObjectName("headerCheck")
        self.header_check.setAccessibleName(self.header_check.text().replace("&", ""))
        grid.addWidget(_labelled(self, self.tr("&Encoding:"), self.encoding_combo), 1, 0)
        grid.addWidget(self.encoding_combo, 1, 1)
        grid.addWidget(_labelled(self, self.tr("&Delimiter:"), self.delimiter_combo), 1, 2)
        grid.addWidget(self.delimiter_combo, 1, 3)
        grid.addWidget(self.header_check, 1, 4, 1, 3)
        grid.setColumnStretch(5, 1)
        layout.addLayout(grid)
        for combo in (self.encoding_combo, self.delimiter_combo):
            combo.currentIndexChanged.connect(self._format_chosen)
        self.header_check.toggled.connect(self._format_chosen)

        self.detected_label = QLabel(self)
        self.detected_label.setObjectName("detectedLabel")
        self.status = QLabel(self)
        self.status.setObjectName("fileStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.detected_label)
        layout.addWidget(self.status)

        self.raw_model = RawModel(self)
        self.raw_table = QTableView(self)
        self.raw_table.setObjectName("rawTable")
        self.raw_table.setAccessibleName(self.tr("The file's first rows"))
        self.raw_table.setModel(self.raw_model)
        self.raw_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.raw_table.setWordWrap(False)
        self.raw_table.horizontalHeader().setDefaultSectionSize(130)
        self.raw_table.verticalHeader().setDefaultSectionSize(self.raw_table.fontMetrics().height() + 6)
        layout.addWidget(self.raw_table, 1)

        bottom = QHBoxLayout()
        self.preset_label = QLabel(self.tr("No mapping preset: the mapping is suggested from the column names."), self)
        self.preset_label.setObjectName("presetLabel")
        self.load_preset_button = _button(self, self.tr("&Load preset…"), "loadPresetButton", owner.choose_preset)
        bottom.addWidget(self.preset_label, 1)
        bottom.addWidget(self.load_preset_button)
        layout.addLayout(bottom)
        for widget, tip in (
            (self.browse_button, self.tr("Choose the CSV file to import")),
            (self.encoding_combo, self.tr("How the file's characters are stored; change it when accents look wrong")),
            (self.delimiter_combo, self.tr("The character between the file's columns")),
            (self.header_check, self.tr("Whether the first row names the columns rather than holding an incident")),
            (self.load_preset_button, self.tr("Map the columns as a saved mapping preset does")),
        ):
            widget.setToolTip(tip)
        self.raw_table.setAccessibleDescription(self.tr("The file's first rows, as read with these settings"))
        self._set_format_controls_enabled(False)

    def isComplete(self) -> bool:
        return self.owner.sample is not None and not self._reading

    def browse(self) -> None:
        current = self.file_edit.text().strip()
        folder = Path(current).expanduser().parent if current else self.owner.folder
        path = Ask.import_file(self, folder)
        if path is not None:
            self.file_edit.setText(str(path))
            self.read(path)

    def read_typed(self) -> None:
        text = self.file_edit.text().strip()
        if not text:
            return
        path = Path(text).expanduser()
        if path != self.owner.path or (self.owner.sample is None and not self._reading):
            self.read(path)

    def read(self, path: Path, file_format: FileFormat | None = None) -> None:
        """Read the start of ``path`` in a worker: as ``file_format``, else as detected (and fixed by a preset)."""
        self._generation += 1
        generation = self._generation
        self._reading = True
        self.completeChanged.emit()
        self._show_status(self.tr("Reading {0}…").format(path.name))
        known = self.owner.detected if path == self.owner.path else None
        preset = self.owner.preset

        def work() -> tuple[FileFormat, Sample]:
            detected = known or sniff_file(path)
            chosen = file_format or (preset.file_format(detected) if preset is not None else detected)
            return detected, read_sample(path, chosen, SAMPLE_ROWS)

        def done(result: tuple[FileFormat, Sample]) -> None:
            if generation == self._generation:
                self._reading = False
                self._show(path, *result)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._reading = False
                self.owner.set_file(path, known, None, file_format)
                self.raw_model.set_sample(None)
                self._show_status(error_text(error), error=True)
                self._set_format_controls_enabled(known is not None)
                self.completeChanged.emit()
                self.owner.sample_read.emit()

        self.owner.submit(work, done, failed)

    def _show(self, path: Path, detected: FileFormat, sample: Sample) -> None:
        self.owner.set_file(path, detected, sample)
        self._set_format(sample.format)
        self._set_format_controls_enabled(True)
        self.detected_label.setText(
            self.tr("Detected: {0}, {1}, {2}.").format(
                ENCODINGS[detected.encoding],
                _delimiter_label(detected.delimiter).lower(),
                self.tr("a header row") if detected.has_header else self.tr("no header row"),
            )
        )
        self.raw_model.set_sample(sample)
        if sample.rows:
            shown = self.tr("{0} columns; the first %n row(s) as read are shown below.", "", len(sample.rows))
            self._show_status(shown.format(len(sample.columns)))
        else:
            self._show_status(self.tr("The file has no rows below its header."), error=True)
        self.completeChanged.emit()
        self.owner.sample_read.emit()

    def _set_format(self, file_format: FileFormat) -> None:
        for widget in (self.encoding_combo, self.delimiter_combo, self.header_check):
            widget.blockSignals(True)
        self.encoding_combo.setCurrentIndex(self.encoding_combo.findData(file_format.encoding))
        self.delimiter_combo.setCurrentIndex(self.delimiter_combo.findData(file_format.delimiter))
        self.header_check.setChecked(file_format.has_header)
        for widget in (self.encoding_combo, self.delimiter_combo, self.header_check):
            widget.blockSignals(False)

    def chosen_format(self) -> FileFormat:
        return FileFormat(
            self.encoding_combo.currentData(), self.delimiter_combo.currentData(), self.header_check.isChecked()
        )

    def _format_chosen(self) -> None:
        if self.owner.path is not None:
            self.read(self.owner.path, self.chosen_format())

    def _set_format_controls_enabled(self, enabled: bool) -> None:
        for widget in (self.encoding_combo, self.delimiter_combo, self.header_check):
            widget.setEnabled(enabled)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        theme.show_as_error(self.status, error)


# ---- the mapping page -----------------------------------------------------------------------------------------


class FieldRow(QObject):
    """One field of the record on the mapping page: where it comes from, and how its cells are read."""

    changed = Signal()
    values_wanted = Signal(str)  # the field whose value map the user asked to see

    def __init__(self, target: Target, parent: QWidget) -> None:
        super().__init__(parent)
        self.target = target
        self.name = target.name
        self.values: dict[str, str] = {}  # the value map; the value map panel edits this very dict
        self.unreadable: int | None = None  # the file's values this field cannot read and the map leaves out
        self._joined: list[str] = []
        self._columns: list[str] = []
        text = target.label + (" *" if target.required else "")
        self.label = QLabel(text, parent)
        self.label.setWordWrap(True)
        if target.required:
            font = QFont(self.label.font())
            font.setBold(True)
            self.label.setFont(font)
        self.source = QComboBox(parent)
        self.source.setObjectName(f"source_{self.name}")
        where = ImportWizard.tr("Where {0} comes from: a column of the file, columns joined, a fixed value, or nothing")
        describe(self.source, where.format(target.label), target.label)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(13)
        self.label.setBuddy(self.source)

        self.details = QWidget(parent)
        details = QHBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        self.date_format: QComboBox | None = None
        if target.kind == "date":
            self.date_format = QComboBox(self.details)
            self.date_format.setObjectName(f"dateFormat_{self.name}")
            describe(
                self.date_format,
                ImportWizard.tr("How the file writes the dates, e.g. day, month, year"),
                ImportWizard.tr("Date format of {0}").format(target.label),
            )
            for each in DateFormat:
                self.date_format.addItem(each.label, each.value)
            self.date_format.currentIndexChanged.connect(self._changed)
            _compact(self.date_format, 12)
            details.addWidget(self.date_format, 1)
        self.join_button = QToolButton(self.details)
        self.join_button.setObjectName(f"join_{self.name}")
        self.join_button.setAccessibleDescription(ImportWizard.tr("Columns joined into {0}").format(target.label))
        self.join_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.join_menu = QMenu(self.join_button)
        self.join_button.setMenu(self.join_menu)
        details.addWidget(self.join_button, 1)
        self.separator = QLineEdit(" ", self.details)
        self.separator.setObjectName(f"separator_{self.name}")
        self.separator.setAccessibleName(ImportWizard.tr("Separator between the joined columns"))
        self.separator.setToolTip(self.separator.accessibleName())
        self.separator.setAccessibleDescription(ImportWizard.tr("What goes between the joined columns' values"))
        self.separator.setMaximumWidth(self.separator.fontMetrics().horizontalAdvance("M") * 4)
        self.separator.textChanged.connect(self._changed)
        details.addWidget(self.separator)
        self.values_button: QPushButton | None = None
        if target.kind in ("choice", "country"):
            self.values_button = _button(
                self.details, ImportWizard.tr("Values…"), f"values_{self.name}", self._want_values
            )
            self.values_button.setToolTip(ImportWizard.tr("Choose what each of the column's values means"))
            details.addWidget(self.values_button)
        self.value_label = QLabel(self.details)
        details.addWidget(self.value_label)
        self.value_edit = self._value_editor()
        self.value_label.setBuddy(self.value_edit)
        details.addWidget(self.value_edit, 1)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.set_columns([])

    def _value_editor(self) -> QWidget:
        editor: QWidget
        if self.target.choices is not None:
            combo = QComboBox(self.details)
            combo.addItem("—", "")
            for member in self.target.choices:
                combo.addItem(translated_label(member), member.value)
            combo.currentIndexChanged.connect(self._changed)
            editor = combo
        elif self.target.kind == "country":
            combo = QComboBox(self.details)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(["", *(name for _code, name in all_countries())])
            combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            combo.currentTextChanged.connect(self._changed)
            editor = combo
        else:
            line = QLineEdit(self.details)
            if self.target.kind == "date":
                line.setPlaceholderText("2023-10-07")
            line.textChanged.connect(self._changed)
            editor = line
        if isinstance(editor, QComboBox):
            _compact(editor, 8)
        editor.setObjectName(f"value_{self.name}")
        describe(
            editor,
            ImportWizard.tr("The value every incident of the file gets for {0}").format(self.target.label),
            ImportWizard.tr("Fixed value of {0}").format(self.target.label),
        )
        editor.setMinimumWidth(editor.fontMetrics().horizontalAdvance("M") * 9)
        return editor

    # ---- the file's columns and the field's mapping ----

    def set_columns(self, columns: list[str], missing: Sequence[str] = ()) -> None:
        """Offer ``columns`` (and ``missing``: columns a preset names that the file lacks), keeping the choice."""
        current = self.source.currentData()
        self._columns = list(columns)
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(ImportWizard.tr("— ignore —"), IGNORE)
        for column in columns:
            self.source.addItem(column, column)
        for column in missing:
            self.source.addItem(ImportWizard.tr("{0} (not in this file)").format(column), column)
        self.source.addItem(ImportWizard.tr("Fixed value"), FIXED)
        self.source.addItem(ImportWizard.tr("Several columns joined"), JOINED)
        position = self.source.findData(current) if current is not None else 0
        self.source.setCurrentIndex(max(position, 0))
        self.source.blockSignals(False)
        _compact(self.source, 13)
        self._joined = [column for column in self._joined if column in columns]
        self._fill_join_menu()
        self._update_visibility()

    def _fill_join_menu(self) -> None:
        self.join_menu.clear()
        for column in self._columns:
            action = self.join_menu.addAction(column)
            action.setObjectName(f"join_{self.name}_{column}")
            action.setCheckable(True)
            action.setChecked(column in self._joined)
            action.toggled.connect(lambda checked, column=column: self._join(column, checked))
        self._update_join_text()

    def _join(self, column: str, checked: bool) -> None:
        if checked and column not in self._joined:
            self._joined.append(column)  # in the order they are ticked: year, month and day for a date
        elif not checked and column in self._joined:
            self._joined.remove(column)
        self._update_join_text()
        self._changed()

    def _update_join_text(self) -> None:
        text = " + ".join(self._joined) or ImportWizard.tr("Choose columns…")
        metrics = self.join_button.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, metrics.averageCharWidth() * 28)
        self.join_button.setText(shown)
        self.join_button.setAccessibleName(shown)
        self.join_button.setToolTip(text)

    def mode(self) -> str:
        data = self.source.currentData()
        return data if isinstance(data, str) else IGNORE

    def column(self) -> str | None:
        """The one column this field reads, if it reads one."""
        mode = self.mode()
        return None if mode in (IGNORE, FIXED, JOINED) else mode

    def set_field(self, field: FieldMapping | None) -> None:
        """Show ``field`` (None: the field is not imported)."""
        field = field or FieldMapping()
        found = [_find_column(column, self._columns) or column for column in field.columns]
        missing = [column for column in found if column not in self._columns]
        if missing:
            self.set_columns(self._columns, missing)
        self.source.blockSignals(True)
        if len(found) == 1:
            self.source.setCurrentIndex(self.source.findData(found[0]))
        elif found:
            self.source.setCurrentIndex(self.source.findData(JOINED))
        elif field.value:
            self.source.setCurrentIndex(self.source.findData(FIXED))
        else:
            self.source.setCurrentIndex(0)
        self.source.blockSignals(False)
        self._joined = [column for column in found if column in self._columns] if len(found) > 1 else []
        self._fill_join_menu()
        self.separator.blockSignals(True)
        self.separator.setText(field.separator)
        self.separator.blockSignals(False)
        if self.date_format is not None:
            self.date_format.blockSignals(True)
            self.date_format.setCurrentIndex(self.date_format.findData(field.date_format.value))
            self.date_format.blockSignals(False)
        self._set_value_text(field.value or "")
        self.values.clear()
        self.values.update(field.values)
        self.unreadable = None
        self._update_visibility()

    def to_field(self) -> FieldMapping | None:
        mode = self.mode()
        if mode == IGNORE:
            return None
        date_format = DateFormat(self.date_format.currentData()) if self.date_format is not None else DateFormat.AUTO
        value = self.value_text() or None
        if mode == FIXED:
            return FieldMapping(value=value, date_format=date_format) if value else None
        if mode == JOINED:
            if self.target.kind == "date":
                date_format = DateFormat.PARTS
            return FieldMapping(
                columns=tuple(self._joined), separator=self.separator.text() or " ", date_format=date_format
            )
        keep_value = value if self.target.kind in ("choice", "country") else None
        return FieldMapping(columns=(mode,), value=keep_value, date_format=date_format, values=dict(self.values))

    def value_text(self) -> str:
        editor = self.value_edit
        if isinstance(editor, QComboBox):
            return str(editor.currentData() or "") if not editor.isEditable() else editor.currentText().strip()
        assert isinstance(editor, QLineEdit)
        return editor.text().strip()

    def _set_value_text(self, text: str) -> None:
        editor = self.value_edit
        editor.blockSignals(True)
        if isinstance(editor, QComboBox) and not editor.isEditable():
            position = editor.findData(text)
            if position < 0 and text:
                assert self.target.choices is not None
                try:
                    position = editor.findData(self.target.choices.parse(text).value)
                except ValueError:
                    editor.addItem(text, text)  # shown as the preset says; the mapping's check names it
                    position = editor.count() - 1
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(country_name(text) if len(text) == 2 else text)
        else:
            assert isinstance(editor, QLineEdit)
            editor.setText(text)
        editor.blockSignals(False)

    def set_unreadable(self, count: int | None) -> None:
        self.unreadable = count
        if self.values_button is None:
            return
        if count:
            self.values_button.setText(ImportWizard.tr("Values… (%n to map)", "", count))
            theme.show_as_error(self.values_button)
        else:
            self.values_button.setText(ImportWizard.tr("Values…"))
            theme.show_as_error(self.values_button, False)
        self.values_button.setAccessibleName(self.values_button.text())

    # ---- reacting ----

    def _source_changed(self) -> None:
        self.values.clear()  # another column: its values are not the last one's
        self.set_unreadable(None)
        self._update_visibility()
        self._changed()

    def _update_visibility(self) -> None:
        mode = self.mode()
        column = mode not in (IGNORE, FIXED, JOINED)
        kind = self.target.kind
        if self.date_format is not None:
            self.date_format.setVisible(column or mode == JOINED)
            self.date_format.setEnabled(mode != JOINED)
            if mode == JOINED:
                self.date_format.blockSignals(True)
                self.date_format.setCurrentIndex(self.date_format.findData(DateFormat.PARTS.value))
                self.date_format.blockSignals(False)
        self.join_button.setVisible(mode == JOINED)
        self.separator.setVisible(mode == JOINED and kind != "date")
        if self.values_button is not None:
            self.values_button.setVisible(column)
        fixed_editor = mode == FIXED or (column and kind in ("choice", "country"))
        self.value_label.setVisible(fixed_editor)
        self.value_edit.setVisible(fixed_editor)
        self.value_label.setText(ImportWizard.tr("Value:") if mode == FIXED else ImportWizard.tr("If empty:"))
        self.value_edit.setAccessibleName(
            (
                ImportWizard.tr("Fixed value of {0}")
                if mode == FIXED
                else ImportWizard.tr("{0} when the column is empty")
            ).format(self.target.label)
        )

    def _want_values(self) -> None:
        self.values_wanted.emit(self.name)

    def _changed(self, *_args: Any) -> None:
        self.changed.emit()


class ValueMapPanel(QWidget):
    """The value map of one field: the column's distinct values and what each is read as."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: FieldRow | None = None
        self.column: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("valueMapTitle")
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(self)
        self.hint.setObjectName("valueMapHint")
        self.hint.setWordWrap(True)
        self.model = ValueMapModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("valueMapTable")
        self.table.setAccessibleName(self.tr("Value map"))
        self.table.setAccessibleDescription(self.tr("Each value of the column, how often it occurs, and what it is "
                                                    "read as"))  # fmt: skip
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(ValueMapModel.COL_READ_AS, ReadAsDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ValueMapModel.COL_VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ValueMapModel.COL_COUNT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ValueMapModel.COL_READ_AS, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        self.show_hint()

    def show_hint(self) -> None:
        self.row, self.column = None, None
        self.title.setText(self.tr("Values"))
        self.hint.setText(
            self.tr(
                "Choose Values… beside a field read from a column to see the column's values and say what each "
                "means, such as “Confirmed Suicide” → Confirmed or “UAV” → Drone."
            )
        )
        self.model.set_values(None, [], [], {})

    def show_reading(self, row: FieldRow) -> None:
        self.row, self.column = row, row.column()
        self.title.setText(self.tr("Values of {0} for {1}").format(f"“{row.column()}”", row.target.label))
        self.hint.setText(self.tr("Reading the column's values…"))
        self.model.set_values(None, [], [], {})

    def show_values(self, row: FieldRow, values: list[tuple[str, int]], readings: list[str | None]) -> None:
        self.row, self.column = row, row.column()
        self.title.setText(self.tr("Values of {0} for {1}").format(f"“{row.column()}”", row.target.label))
        self.model.set_values(row.target, values, readings, row.values)
        for position in range(self.model.rowCount()):
            self.table.openPersistentEditor(self.model.index(position, ValueMapModel.COL_READ_AS))
        self.update_hint()

    def update_hint(self) -> None:
        if self.row is None:
            return
        unreadable = self.model.unreadable()
        if not self.model.rowCount():
            text = self.tr("The column is empty.")
        elif unreadable:
            text = self.tr(
                "%n value(s) in red cannot be read as they are: choose what each means, or the rows "
                "with them are rejected.",
                "",
                unreadable,
            )
        else:
            text = self.tr("Every value can be read. Choose another reading for any of them if you like.")
        if self.model.rowCount() >= VALUE_LIMIT:
            text += " " + self.tr("The {0} most frequent values are listed.").format(VALUE_LIMIT)
        self.hint.setText(text)


class MappingPage(QWizardPage):
    """One line per field of the record: the column (or columns, or fixed value) it comes from and how."""

    values_read = Signal()  # every value map asked for so far has been read

    def __init__(self, owner: ImportWizard) -> None:
        super().__init__(owner)
        self.owner = owner
        self.setTitle(self.tr("Map the columns"))
        self.setSubTitle(
            self.tr(
                "Where each field of an incident comes from: a column of the file, several joined, a fixed value, "
                "or nothing. Fields in bold (*) are required."
            )
        )
        self._shown_for: tuple[Path | None, tuple[str, ...]] | None = None
        self._distinct: dict[tuple[str, str], tuple[list[tuple[str, int]], list[str | None]]] = {}
        self._distinct_for: tuple[Path | None, FileFormat | None] | None = None
        self._pending: set[tuple[str, str]] = set()
        self._blocking: list[str] = []
        self._refilling = False
        layout = QVBoxLayout(self)

        self.problems = QLabel(self)
        self.problems.setObjectName("mappingProblems")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        scroll = QScrollArea(self.splitter)
        scroll.setObjectName("mappingScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        content = QWidget(scroll)
        grid = QGridLayout(content)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(0, content.fontMetrics().averageCharWidth() * 20)
        grid.setHorizontalSpacing(10)
        self.rows: dict[str, FieldRow] = {}
        line = 0
        for name, target in TARGETS.items():
            if name in _SECTIONS:
                heading = QLabel(ImportWizard.tr(_SECTIONS[name]), content)
                font = QFont(heading.font())
                font.setBold(True)
                font.setPointSizeF(font.pointSizeF() * 1.1)
                heading.setFont(font)
                heading.setContentsMargins(0, 8 if line else 0, 0, 2)
                grid.addWidget(heading, line, 0, 1, 3)
                line += 1
            row = FieldRow(target, content)
            grid.addWidget(row.label, line, 0)
            grid.addWidget(row.source, line, 1)
            grid.addWidget(row.details, line, 2)
            row.changed.connect(lambda name=name: self._row_changed(name))
            row.values_wanted.connect(self.show_values)
            self.rows[name] = row
            line += 1
        grid.setRowStretch(line, 1)
        scroll.setWidget(content)
        self.panel = ValueMapPanel(self.splitter)
        self.panel.model.changed.connect(self._values_mapped)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 360])
        layout.addWidget(self.splitter, 1)

        bottom = QHBoxLayout()
        self.preset_status = QLabel(self)
        self.preset_status.setObjectName("mappingPresetStatus")
        self.load_preset_button = _button(
            self, self.tr("Load p&reset…"), "mappingLoadPresetButton", owner.choose_preset
        )
        self.save_preset_button = _button(self, self.tr("&Save preset…"), "savePresetButton", owner.save_preset)
        self.load_preset_button.setToolTip(self.tr("Map the columns as a saved mapping preset does"))
        self.save_preset_button.setToolTip(self.tr("Save this mapping, to import similar files the same way"))
        bottom.addWidget(self.preset_status, 1)
        bottom.addWidget(self.load_preset_button)
        bottom.addWidget(self.save_preset_button)
        layout.addLayout(bottom)

    def initializePage(self) -> None:
        sample = self.owner.sample
        if sample is None:
            return
        key = (self.owner.path, tuple(sample.columns))
        if key != self._shown_for:
            self._shown_for = key
            self.apply(self.owner.preset or suggest_mapping(sample.columns, sample.rows))
        else:
            self.validate()
            self.read_values()

    def cleanupPage(self) -> None:
        """Back keeps the choices made here (QWizard would reset the fields)."""

    def forget(self) -> None:
        """The next visit fills the page again (from a newly loaded preset)."""
        self._shown_for = None

    def apply(self, mapping: Mapping) -> None:
        sample = self.owner.sample
        columns = list(sample.columns) if sample is not None else []
        self._refilling = True
        for name, row in self.rows.items():
            row.set_columns(columns)
            row.set_field(mapping.fields.get(name))
        self._refilling = False
        self.panel.show_hint()
        self.validate()
        self.read_values()

    def mapping(self) -> Mapping:
        fields = {name: field for name, row in self.rows.items() if (field := row.to_field()) is not None}
        return Mapping(fields=fields)

    def isComplete(self) -> bool:
        return self.owner.sample is not None and not self._blocking

    def validate(self) -> None:
        """Say what keeps the mapping from being used (Next stays disabled) and which values cannot be read."""
        sample = self.owner.sample
        try:
            RowMapper(self.mapping(), sample.columns if sample is not None else [])
            self._blocking = []
        except MappingError as error:
            self._blocking = str(error).split("; ")
        lines = [f"• {problem}" for problem in self._blocking]
        unread = [f"{row.target.label} ({row.unreadable})" for row in self.rows.values() if row.unreadable]
        if unread:
            lines.append(
                self.tr(
                    "Rows with values that cannot be read are rejected unless you say what the values mean (Values… "
                    "beside the field): {0}."
                ).format(", ".join(unread))
            )
        self.problems.setText("\n".join(lines))
        theme.show_as_error(self.problems, bool(lines))
        self.problems.setVisible(bool(lines))
        self.completeChanged.emit()

    def _row_changed(self, name: str) -> None:
        if self._refilling:
            return
        row = self.rows[name]
        if self.panel.row is row and row.column() is None:
            self.panel.show_hint()
        elif self.panel.row is row and row.column() != self.panel.column:
            self.show_values(name)
        self.validate()
        self.read_values()

    def _values_mapped(self) -> None:
        row = self.panel.row
        if row is not None:
            row.set_unreadable(self.panel.model.unreadable())
            self.panel.update_hint()
            self.validate()

    # ---- value maps ----

    def _wanted(self) -> list[FieldRow]:
        return [row for row in self.rows.values() if row.values_button is not None and row.column() is not None]

    def read_values(self) -> None:
        """Read in workers the distinct values of each column a choice or a country comes from, to count the
        values each cannot read; values_read when all are in."""
        file_key = (self.owner.path, self.owner.file_format)
        if file_key != self._distinct_for:
            self._distinct_for = file_key
            self._distinct.clear()
            self._pending.clear()
        for row in self._wanted():
            column = row.column()
            assert column is not None
            key = (row.name, column)
            if key in self._distinct:
                self._count_unreadable(row)
            elif key not in self._pending:
                self._read(row.name, column)
        if not self._pending:
            self.values_read.emit()

    def _read(self, name: str, column: str) -> None:
        path, file_format = self.owner.path, self.owner.file_format
        if path is None or file_format is None:
            return
        key = (name, column)
        self._pending.add(key)
        file_key = (path, file_format)

        def work() -> tuple[list[tuple[str, int]], list[str | None]]:
            values = distinct_values(path, file_format, column, limit=VALUE_LIMIT)
            return values, readings(name, [value for value, _count in values])

        def done(result: tuple[list[tuple[str, int]], list[str | None]]) -> None:
            if file_key != self._distinct_for:
                return
            self._pending.discard(key)
            self._distinct[key] = result
            self._arrived(name, column)

        def failed(error: Exception) -> None:
            if file_key != self._distinct_for:
                return
            self._pending.discard(key)
            self._distinct[key] = ([], [])
            self.problems.setText(error_text(error))
            self._arrived(name, column)

        self.owner.submit(work, done, failed)

    def _arrived(self, name: str, column: str) -> None:
        row = self.rows[name]
        if row.column() == column:
            self._count_unreadable(row)
            if self.panel.row is row or (self.panel.row is None and row.unreadable):
                self.show_values(name)
        self.validate()
        if not self._pending:
            if self.panel.row is None:  # something to look at rather than an empty panel: the first value map
                first = next((each for each in self._wanted() if each.unreadable), None) or next(
                    (each for each in self._wanted() if (each.name, each.column()) in self._distinct), None
                )
                if first is not None:
                    self.show_values(first.name)
            self.values_read.emit()

    def _count_unreadable(self, row: FieldRow) -> None:
        column = row.column()
        if column is None or (row.name, column) not in self._distinct:
            return
        values, found = self._distinct[(row.name, column)]
        row.set_unreadable(
            sum(
                1
                for (value, _n), reading in zip(values, found, strict=True)
                if reading is None and not row.values.get(value)
            )
        )

    def show_values(self, name: str) -> None:
        row = self.rows[name]
        column = row.column()
        if column is None:
            self.panel.show_hint()
            return
        key = (name, column)
        if key in self._distinct:
            self.panel.show_values(row, *self._distinct[key])
        else:
            self.panel.show_reading(row)
            if key not in self._pending:
                self._read(name, column)


def readings(name: str, values: Sequence[str]) -> list[str | None]:
    """What field ``name`` reads each of a column's values as, without a value map: its label, "" for unknown,
    None when it cannot be read."""
    convert = field_converter(name, FieldMapping())
    target = TARGETS[name]
    found: list[str | None] = []
    for value in values:
        try:
            result = convert(clean_text(value))
        except ValueError:
            found.append(None)
            continue
        if result is None:
            found.append("")
        elif target.kind == "country":
            found.append(country_name(result))
        else:
            assert target.choices is not None
            found.append(translated_label(target.choices(result)))
    return found


# ---- the preview page -----------------------------------------------------------------------------------------


class _Progress(QObject):
    """Carries a worker's progress to the GUI thread."""

    changed = Signal(int, int)


class PreviewPage(QWizardPage):
    """The first rows as they will be stored, with their problems; the whole file scanned for the counts, the
    problems and the possible duplicates in a child process (services/apart.py: in a thread it would hold up the
    window's GIL), watched by a worker."""

    preview_shown = Signal()
    scan_finished = Signal()

    def __init__(self, owner: ImportWizard) -> None:
        super().__init__(owner)
        self.owner = owner
        self.setTitle(self.tr("Check the preview"))
        self.setSubTitle(
            self.tr(
                "The first rows as they will be stored. Red marks a problem that rejects the row, yellow a warning "
                "(stored, but worth a look): point at a cell to read why."
            )
        )
        self._generation = 0
        self._cancel = threading.Event()
        self._preview_ok = False
        self._scan_failed = False
        self.findings: Findings | None = None
        layout = QVBoxLayout(self)

        self.counts = QLabel(self)
        self.counts.setObjectName("previewCounts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        scan_line = QHBoxLayout()
        self.scan_summary = QLabel(self)
        self.scan_summary.setObjectName("scanSummary")
        self.scan_summary.setWordWrap(True)
        self.scan_progress = QProgressBar(self)
        self.scan_progress.setObjectName("scanProgress")
        self.scan_progress.setAccessibleName(self.tr("Reading the whole file"))
        self.scan_progress.setMaximumWidth(260)
        scan_line.addWidget(self.scan_summary, 1)
        scan_line.addWidget(self.scan_progress)
        layout.addLayout(scan_line)

        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("previewTable")
        self.table.setAccessibleName(self.tr("The first rows as they will be stored"))
        self.table.setAccessibleDescription(self.tr("Red cells reject their row, yellow ones are warnings; a cell's "
                                                    "tooltip says why"))  # fmt: skip
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        layout.addWidget(self.splitter, 1)

        lower_widget = QWidget(self.splitter)
        lower = QHBoxLayout(lower_widget)
        lower.setContentsMargins(0, 0, 0, 0)
        problems_box = QGroupBox(self.tr("Problems and warnings in the whole file"), self)
        problems_layout = QVBoxLayout(problems_box)
        self.findings_list = QListWidget(problems_box)
        self.findings_list.setObjectName("findingsList")
        self.findings_list.setAccessibleName(problems_box.title())
        self.findings_list.setAccessibleDescription(self.tr("Each problem found in the file, with its rows"))
        problems_layout.addWidget(self.findings_list)
        duplicates_box = QGroupBox(self.tr("Possible duplicates"), self)
        duplicates_layout = QVBoxLayout(duplicates_box)
        self.skip_duplicates = QCheckBox(self.tr("S&kip possible duplicates"), duplicates_box)
        self.skip_duplicates.setObjectName("skipDuplicates")
        self.skip_duplicates.setAccessibleName(self.skip_duplicates.text().replace("&", ""))
        self.skip_duplicates.setToolTip(
            self.tr("Rows with the same start date, country, location and weapon as an incident in the logbook")
        )
        self.skip_duplicates.toggled.connect(self._skip_toggled)
        self.duplicate_list = QListWidget(duplicates_box)
        self.duplicate_list.setObjectName("duplicateList")
        self.duplicate_list.setAccessibleName(duplicates_box.title())
        self.duplicate_list.setAccessibleDescription(self.tr("Rows of the file that look like incidents already in "
                                                             "the logbook"))  # fmt: skip
        duplicates_layout.addWidget(self.skip_duplicates)
        explained = QLabel(self.skip_duplicates.toolTip() + ".", duplicates_box)
        explained.setWordWrap(True)
        duplicates_layout.addWidget(explained)
        duplicates_layout.addWidget(self.duplicate_list)
        lower.addWidget(problems_box, 1)
        lower.addWidget(duplicates_box, 1)
        self.splitter.addWidget(lower_widget)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 190])
        for each in (self.findings_list, self.duplicate_list):
            each.setWordWrap(True)
            each.setMinimumHeight(each.fontMetrics().height() * 3)

    def isComplete(self) -> bool:
        return self._preview_ok and not self._scan_failed

    def initializePage(self) -> None:
        self.stop()
        self._generation += 1
        generation = self._generation
        self._preview_ok = self._scan_failed = False
        self.findings = None
        self.completeChanged.emit()
        self.skip_duplicates.blockSignals(True)
        self.skip_duplicates.setChecked(self.owner.skip_duplicates)
        self.skip_duplicates.blockSignals(False)
        self.model.clear()
        self.findings_list.clear()
        self.duplicate_list.clear()
        self._show(self.counts, self.tr("Reading the first rows…"))
        self._show(self.scan_summary, "")
        self.scan_progress.setRange(0, 0)  # busy until the first rows are in
        self.scan_progress.show()
        path, mapping, repository = self.owner.path, self.owner.import_mapping(), self.owner.repository
        assert path is not None

        def done(shown: Preview) -> None:
            if generation == self._generation:
                self._preview_ok = True
                self._show_preview(shown, mapping)
                self.completeChanged.emit()
                self.preview_shown.emit()
                self._start_scan(generation, path, mapping)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.scan_progress.hide()
                self._show(self.counts, error_text(error), error=True)
                self.completeChanged.emit()
                self.preview_shown.emit()
                self.scan_finished.emit()

        self.owner.submit(lambda: preview(repository, path, mapping, PREVIEW_ROWS), done, failed)

    def cleanupPage(self) -> None:
        self.stop()
        self._generation += 1

    def stop(self) -> None:
        """Stop a scan still running (Back, Cancel, Finish): its result is not wanted any more."""
        self._cancel.set()
        self._cancel = threading.Event()

    def _show_preview(self, shown: Preview, mapping: Mapping) -> None:
        self.model.set_preview(shown, mapping)
        self._fit_columns()
        rows = shown.rows
        if not rows:
            self._show(self.counts, self.tr("The file has no rows to import."), error=True)
            return
        rejected = sum(1 for row in rows if row.draft is None)
        warned = sum(1 for row in rows if row.draft is not None and row.warnings)
        duplicated = sum(1 for row in rows if row.draft is not None and row.duplicates)
        text = self.tr(
            "First %Ln row(s): {0} can be stored ({1} with warnings), {2} rejected, {3} possible duplicates.",
            "",
            len(rows),
        )
        self._show(self.counts, text.format(*map(count_text, (len(rows) - rejected, warned, rejected, duplicated))))

    def _fit_columns(self) -> None:
        """Each column as wide as its header and its widest text (the cell's text margins and grid line
        included), up to 32 average characters; the problems column takes the rest. Measured here from the
        texts: resizeColumnsToContents asks the model for seven roles of every cell, 34 ms of the window's
        thread for 50 rows of 30 columns."""
        header = self.table.horizontalHeader()
        metrics = QFontMetricsF(self.table.font())  # fractional widths, rounded up as Qt's own text layout does
        text_margin = self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1
        margins = 2 * text_margin + 1
        widest = header.fontMetrics().averageCharWidth() * 32
        for column in range(self.model.columnCount() - 1):
            texts = self.model.column_texts(column)
            content = math.ceil(max((metrics.horizontalAdvance(text) for text in texts), default=0)) + margins
            header.resizeSection(column, min(max(content, header.sectionSizeHint(column)), widest))
        header.setStretchLastSection(True)

    def _start_scan(self, generation: int, path: Path, mapping: Mapping) -> None:
        cancel = self._cancel
        progress = _Progress(self.owner.workers)  # lives in the window: a worker may report after the wizard closed
        bar = self.scan_progress
        progress.changed.connect(
            lambda done, total: bar.setValue(progress_steps(done, total)) if isValid(bar) else None
        )
        self.scan_progress.setRange(0, PROGRESS_STEPS)
        self.scan_progress.setValue(0)
        self._show(self.scan_summary, self.tr("Reading the whole file…"))
        repository = self.owner.repository

        def report(done: int, total: int) -> None:
            if not cancel.is_set():
                progress.changed.emit(done, total)

        def work() -> tuple[Findings, dict[int, tuple[Any, ...]]]:
            findings = run_apart(scan_at, repository.target, path, mapping, progress=report, cancelled=cancel.is_set)
            ids = sorted({duplicate.incident_ids[0] for duplicate in findings.duplicates[:LISTED]})
            return findings, repository.fetch_rows(ids) if ids else {}

        def done(result: tuple[Findings, dict[int, tuple[Any, ...]]]) -> None:
            progress.deleteLater()
            if isValid(self) and generation == self._generation:
                self.scan_progress.hide()
                self._show_findings(*result)
                self.scan_finished.emit()

        def failed(error: Exception) -> None:
            progress.deleteLater()
            if isValid(self) and generation == self._generation and not isinstance(error, ImportCancelled):
                self.scan_progress.hide()
                self._scan_failed = True
                self._show(self.scan_summary, error_text(error), error=True)
                self.completeChanged.emit()
                self.scan_finished.emit()

        self.owner.workers.submit(work, done, failed)

    def _show_findings(self, findings: Findings, incidents: dict[int, tuple[Any, ...]]) -> None:
        self.findings = findings
        self._update_summary()
        for problem in findings.problems[:LISTED]:
            self.findings_list.addItem(
                self.tr("Row {0}, {1}: {2} (rejected)").format(problem.row, problem.field, problem.message)
            )
        for warning in findings.warnings[:LISTED]:
            self.findings_list.addItem(
                self.tr("Row {0}, {1}: {2} (warning)").format(warning.row, warning.field, warning.message)
            )
        if not findings.problems and not findings.warnings:
            self.findings_list.addItem(self.tr("None: every row can be stored as it is."))
        columns = {name: position for position, name in enumerate(ROW_COLUMNS)}
        for duplicate in findings.duplicates[:LISTED]:
            first = duplicate.incident_ids[0]
            known = incidents.get(first)
            if known is None:
                described = f"#{first}"
            else:
                parts = [
                    str(known[columns["date_start"]]),
                    country_name(known[columns["country"]]),
                    known[columns["location"]] or "",
                    known[columns["title"]] or "",
                ]
                described = f"#{first} ({', '.join(part for part in parts if part)})"
            more = len(duplicate.incident_ids) - 1
            text = self.tr("Row {0} looks like incident {1}").format(duplicate.row, described)
            self.duplicate_list.addItem(text + (self.tr(" and %n more", "", more) if more else ""))
        for repeat in findings.repeats[:LISTED]:
            self.duplicate_list.addItem(
                self.tr(
                    "Row {0} looks like row {1} of this file: imported, as it may be another attack; check it"
                ).format(repeat.row, repeat.earlier_row)
            )
        if not findings.duplicates and not findings.repeats:
            self.duplicate_list.addItem(self.tr("None: no row looks like an incident already in the logbook."))
        for each in (self.findings_list, self.duplicate_list):
            for position in range(each.count()):
                each.item(position).setToolTip(each.item(position).text())

    def _update_summary(self) -> None:
        findings = self.findings
        if findings is None:
            return
        stored = findings.rows - findings.rejected
        skipped = findings.duplicated if self.owner.skip_duplicates else 0
        text = self.tr(
            "Whole file: %Ln row(s). {0} will be imported ({1} with warnings), {2} rejected, {3} skipped as "
            "possible duplicates.",
            "",
            findings.rows,
        )
        text = text.format(*map(count_text, (stored - skipped, findings.warned, findings.rejected, skipped)))
        if findings.repeated:
            repeats = self.tr("%Ln row(s) look like an earlier row of the file (listed below).", "", findings.repeated)
            text = f"{text} {repeats}"
        self._show(self.scan_summary, text, error=bool(findings.rejected))

    def _skip_toggled(self, checked: bool) -> None:
        self.owner.skip_duplicates = checked
        self._update_summary()

    def _show(self, label: QLabel, text: str, error: bool = False) -> None:
        label.setText(text)
        theme.show_as_error(label, error)


# ---- the wizard -----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ImportRequest:
    """What Finish asks for: the file, the whole mapping (the file's format fixed as shown), and whether possible
    duplicates are skipped."""

    path: Path
    mapping: Mapping
    skip_duplicates: bool


class ImportWizard(QWizard):
    """File › Import…: choose a file, map its columns, check the preview, import. Finish hands an ImportRequest
    to whoever runs imports (the main window, through start_mapped_import), so the import outlives the wizard."""

    import_requested = Signal(object)  # an ImportRequest
    sample_read = Signal()  # the file page shows the file (or why it cannot)
    sample_changed = Signal()

    def __init__(
        self, repository: Repository, workers: Workers, parent: QWidget | None = None, folder: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import incidents"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Import"))
        self.repository = repository
        self.workers = workers
        stored = _settings().value("import/folder", "")
        self.folder = Path(stored) if stored else (folder or Path.home())
        self.path: Path | None = None
        self.detected: FileFormat | None = None
        self.file_format: FileFormat | None = None
        self.sample: Sample | None = None
        self.preset: Mapping | None = None
        self.preset_path: Path | None = None
        self.skip_duplicates = True
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        self.sample_changed.connect(self._sample_changed)
        self.currentIdChanged.connect(lambda _page: fill_in(self))  # a page's rows are made as the file is read
        fill_in(self)
        self.resize(1100, 750)
        self.setMinimumSize(900, 600)

    # ---- state ----

    def set_file(
        self, path: Path, detected: FileFormat | None, sample: Sample | None, chosen: FileFormat | None = None
    ) -> None:
        self.path, self.detected, self.sample = path, detected, sample
        self.file_format = sample.format if sample is not None else chosen
        if sample is not None:
            _settings().setValue("import/folder", str(path.parent))
        self.sample_changed.emit()

    def import_mapping(self) -> Mapping:
        """The mapping as the import uses it: the fields, and the file read exactly as the file page shows it."""
        mapping = self.mapping_page.mapping()
        mapping.name = self.preset.name if self.preset is not None else ""
        if self.file_format is not None:
            mapping.encoding = self.file_format.encoding
            mapping.delimiter = self.file_format.delimiter
            mapping.has_header = self.file_format.has_header
        mapping.skip_duplicates = self.skip_duplicates
        return mapping

    def preset_mapping(self, name: str) -> Mapping:
        """The mapping as a preset keeps it: the file's format only where it differs from what is detected,
        so the preset still suits files saved another way."""
        mapping = self.import_mapping()
        mapping.name = name
        detected, chosen = self.detected, self.file_format
        if detected is not None and chosen is not None:
            mapping.encoding = chosen.encoding if chosen.encoding != detected.encoding else None
            mapping.delimiter = chosen.delimiter if chosen.delimiter != detected.delimiter else None
            mapping.has_header = chosen.has_header if chosen.has_header != detected.has_header else None
        return mapping

    def submit(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None]
    ) -> None:
        """Run ``work`` in a worker; its answer is dropped if the wizard is gone by then."""

        def guarded(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            return lambda value: handler(value) if isValid(self) else None

        self.workers.submit(work, guarded(on_done), guarded(on_error))

    # ---- presets ----

    def choose_preset(self) -> None:
        path = Ask.open_preset(self, self.folder)
        if path is None:
            return
        try:
            mapping = load_preset(path)
        except PresetError as error:
            Tell.error(self, self.tr("Load preset"), str(error))
            return
        self.apply_preset(mapping, path)

    def apply_preset(self, mapping: Mapping, path: Path | None = None) -> None:
        """Use ``mapping``'s fields, file format and duplicates choice; the file is read again if the format
        changes, and the mapping page filled again."""
        self.preset, self.preset_path = mapping, path
        self.skip_duplicates = mapping.skip_duplicates
        shown = self.tr("Preset: {0}").format(mapping.name or (path.stem if path else ""))
        self.file_page.preset_label.setText(shown + (f" ({path})" if path else ""))
        self.mapping_page.preset_status.setText(shown)
        self.mapping_page.forget()
        if self.path is not None and self.detected is not None:
            wanted = mapping.file_format(self.detected)
            if wanted != self.file_format:
                self.file_page.read(self.path, wanted)  # sample_changed fills the mapping page when it is shown
                return
        if self.currentPage() is self.mapping_page:
            self.mapping_page.initializePage()

    def save_preset(self) -> None:
        suggested = self.preset_path or (self.folder / f"{self.path.stem if self.path else 'mapping'}.toml")
        path = Ask.save_preset(self, suggested)
        if path is None:
            return
        name = self.preset.name if self.preset is not None and self.preset.name else path.stem
        mapping = self.preset_mapping(name)
        try:
            save_preset(path, mapping)
        except OSError as error:
            Tell.error(self, self.tr("Save preset"), self.tr("{0} could not be written: {1}").format(path, error))
            return
        self.preset, self.preset_path = mapping, path
        self.mapping_page.preset_status.setText(self.tr("Saved the mapping as preset {0} in {1}").format(name, path))
        self.file_page.preset_label.setText(self.tr("Preset: {0} ({1})").format(name, path))

    def _sample_changed(self) -> None:
        if self.currentPage() is self.mapping_page and self.sample is not None:
            self.mapping_page.initializePage()

    # ---- finishing ----

    def accept(self) -> None:
        """Finish: hand the import over and close; the main window runs it with progress and Cancel."""
        if self.path is None or self.sample is None:
            return
        self.preview_page.stop()
        request = ImportRequest(self.path, self.import_mapping(), self.skip_duplicates)
        super().accept()
        self.import_requested.emit(request)

    def done(self, result: int) -> None:
        self.preview_page.stop()
        super().done(result)


# ---- running the import ---------------------------------------------------------------------------------------


def start_mapped_import(
    parent: QWidget,
    workers: Workers,
    repository: Repository,
    request: ImportRequest,
    finished: Callable[[MappedImportReport | None, str], None],
) -> QProgressDialog:
    """Import in a child process watched by a worker (services/apart.py: an import in this process would hold up
    the window's GIL), in one transaction, with a progress dialog whose Cancel keeps the logbook as it was.
    ``finished`` gets the report (None when cancelled or failed) and the sentence for the status bar; a failure
    is told with the service's message."""
    path = request.path
    progress = CancellableProgress(
        parent, ImportWizard.tr("Import"), ImportWizard.tr("Importing {0}…").format(path.name), name="importProgress"
    )
    dialog = progress.dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def work() -> MappedImportReport:
        return run_apart(
            import_mapped_at,
            repository.target,
            repository.user,
            path,
            request.mapping,
            skip_duplicates=request.skip_duplicates,
            progress=progress.report,
            cancelled=progress.cancelled,
        )

    def close() -> None:
        if isValid(dialog):
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()

    def done(report: MappedImportReport) -> None:
        close()
        finished(report, import_summary(report))

    def failed(error: Exception) -> None:
        close()
        if isinstance(error, ImportCancelled):
            finished(None, ImportWizard.tr("Import cancelled; nothing was imported."))
            return
        Tell.error(parent, ImportWizard.tr("Import"), error_text(error))
        finished(None, ImportWizard.tr("Import of {0} failed; nothing was imported.").format(path.name))

    workers.submit(work, done, failed)
    return dialog


def import_summary(report: MappedImportReport) -> str:
    """The status bar's sentence: how many were imported, rejected (and where they are) and skipped."""
    text = ImportWizard.tr("Imported %Ln incident(s)", "", report.imported)
    if report.updated:
        text += ImportWizard.tr(" ({0} updated)").format(count_text(report.updated))
    if report.warned:
        text += ImportWizard.tr(" ({0} with warnings)").format(count_text(report.warned))
    if report.rejected:
        text += ImportWizard.tr(", rejected {0} (see {1})").format(count_text(report.rejected), report.rejects_path)
    if report.skipped:
        text += ImportWizard.tr(", skipped %Ln possible duplicate(s)", "", report.skipped)
    return text + "."
