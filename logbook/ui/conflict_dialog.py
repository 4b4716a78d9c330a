"""Saving an incident that someone else saved since it was opened: both versions side by side, field by field,
and the user's choice of which value to keep in each (never a silent lost update)."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleOption,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from logbook.domain.history import Texts, draft_texts, readable, with_texts
from logbook.domain.record import IncidentDraft, format_range
from logbook.domain.validation import validate
from logbook.ui import theme
from logbook.ui.accessibility import fill_in
from logbook.ui.record_list_model import RecordListModel

COL_FIELD, COL_CHANGED_BY, COL_THEIRS, COL_YOURS = range(4)
MIN_VALUE_WIDTH = 160


class Side(enum.Enum):
    THEIRS = COL_THEIRS
    YOURS = COL_YOURS


# What the user compares: the form's fields in the form's order, with the labels it gives them. A casualty
# figure is one choice (its minimum and maximum together), so a merge never pairs one side's minimum with the
# other side's maximum.
ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (QT_TRANSLATE_NOOP("IncidentForm", "Start date"), ("date_start",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "End date"), ("date_end",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Date precision"), ("date_precision",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Country"), ("country",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Province"), ("admin1",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Location"), ("location",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Latitude"), ("latitude",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Longitude"), ("longitude",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Place precision"), ("geo_precision",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Title"), ("title",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Event type"), ("event_type",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Weapon"), ("weapon",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Target type"), ("target_type",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Target"), ("target",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Outcome"), ("outcome",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Damage"), ("damage",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Killed"), ("killed_min", "killed_max")),
    (QT_TRANSLATE_NOOP("IncidentForm", "Injured"), ("injured_min", "injured_max")),
    (QT_TRANSLATE_NOOP("IncidentForm", "Perpetrator"), ("perpetrator",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Attribution"), ("attribution",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Attributed by"), ("attributed_by",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Verification"), ("verification",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Sources"), ("sources",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Notes"), ("notes",)),
    (QT_TRANSLATE_NOOP("IncidentForm", "Tags"), ("tags",)),
)


@dataclasses.dataclass
class Difference:
    """One row: a field (or a casualty pair) whose value differs between the stored version and the form."""

    label: str
    fields: tuple[str, ...]
    theirs: str
    yours: str
    changed_by_them: bool
    changed_by_you: bool
    choice: Side

    @property
    def changed_by(self) -> str:
        if self.changed_by_them and self.changed_by_you:
            return ConflictDialog.tr("Both")
        return ConflictDialog.tr("Them") if self.changed_by_them else ConflictDialog.tr("You")


def differences(theirs: IncidentDraft, yours: IncidentDraft, opened: IncidentDraft | None = None) -> list[Difference]:
    """The rows whose values differ, each with who changed it since ``opened`` (the version the form showed
    first; without it, both) and the choice offered first: theirs where only they changed it, else yours."""
    their_texts, your_texts = draft_texts(theirs), draft_texts(yours)
    opened_texts = draft_texts(opened) if opened is not None else None
    rows = []
    for label, fields in ROWS:
        if all(their_texts[name] == your_texts[name] for name in fields):
            continue
        by_them = opened_texts is None or any(their_texts[name] != opened_texts[name] for name in fields)
        by_you = opened_texts is None or any(your_texts[name] != opened_texts[name] for name in fields)
        choice = Side.THEIRS if by_them and not by_you else Side.YOURS
        rows.append(
            Difference(
                QCoreApplication.translate("IncidentForm", label),
                fields,
                _shown(fields, their_texts),
                _shown(fields, your_texts),
                by_them,
                by_you,
                choice,
            )
        )
    return rows


def merge(theirs: IncidentDraft, yours: IncidentDraft, rows: list[Difference]) -> IncidentDraft:
    """Their version with the rows chosen as yours taken from yours; it carries their version number, so saving
    it is checked against any later save."""
    your_texts = draft_texts(yours)
    taken: Texts = {name: your_texts[name] for row in rows if row.choice is Side.YOURS for name in row.fields}
    return dataclasses.replace(with_texts(theirs, taken), version=theirs.version)


def _shown(fields: tuple[str, ...], texts: Texts) -> str:
    if len(fields) == 2:  # a casualty figure as the table shows it: 3, 3–7, 45+, unknown
        low, high = (None if text is None else int(text) for text in (texts[name] for name in fields))
        return ConflictDialog.tr("Unknown") if low is None else format_range(low, high)
    return readable(fields[0], texts[fields[0]])


class ConflictModel(RecordListModel):
    """The differing fields; the Theirs and Yours cells of a row are checkable as a pair of radio buttons."""

    def __init__(self, rows: list[Difference], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = (
            ConflictDialog.tr("Field"),
            ConflictDialog.tr("Changed by"),
            ConflictDialog.tr("Theirs (saved)"),
            ConflictDialog.tr("Yours (this form)"),
        )
        self.set_records(rows)

    @property
    def rows(self) -> list[Difference]:
        """The differences as shown, each with the choice the user left it at (what a merge takes)."""
        return self._records

    def choose(self, row: int, side: Side) -> None:
        if self.rows[row].choice is not side:
            self.rows[row].choice = side
            self.dataChanged.emit(self.index(row, COL_THEIRS), self.index(row, COL_YOURS))

    def choose_all(self, side: Side) -> None:
        for row in range(len(self.rows)):
            self.choose(row, side)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (COL_THEIRS, COL_YOURS):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def cell(self, record: Difference, column: int, role: int) -> Any:
        value = record.theirs if column == COL_THEIRS else record.yours if column == COL_YOURS else None
        chosen = value is not None and record.choice.value == column
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_FIELD:
                return record.label
            if column == COL_CHANGED_BY:
                return record.changed_by
            return value or ConflictDialog.tr("(empty)")
        if role == Qt.ItemDataRole.CheckStateRole and value is not None:
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and value:
            return value
        if role == Qt.ItemDataRole.FontRole:
            both = record.changed_by_them and record.changed_by_you  # a real conflict: the choice wants a look
            if value == "" or (value is None and both):
                font = QFont()
                font.setItalic(value == "")
                font.setBold(value is None)
                return font
        if role == Qt.ItemDataRole.ForegroundRole and value is not None and not chosen:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.AccessibleTextRole and value is not None:
            state = ConflictDialog.tr("kept") if chosen else ConflictDialog.tr("not kept")
            empty = ConflictDialog.tr("(empty)")  # outside the f-string, where lupdate finds it
            return f"{record.label}, {self.headers[column]}: {value or empty}, {state}"
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        """Checking a value keeps it; unchecking does nothing (the other side is chosen by checking it)."""
        if role != Qt.ItemDataRole.CheckStateRole or index.column() not in (COL_THEIRS, COL_YOURS):
            return False
        if not index.isValid() or Qt.CheckState(value) != Qt.CheckState.Checked:
            return False
        self.choose(index.row(), Side(index.column()))
        return True


class _DifferencesTable(QTableView):
    """The two value columns share the width the others leave, at once (a stretched column is only laid out
    once the dialog shows, too late to size the dialog to its rows)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.balance()

    def balance(self) -> None:
        header = self.horizontalHeader()
        scroll_bar = self.verticalScrollBar()
        width = self.contentsRect().width() - (scroll_bar.width() if scroll_bar.isVisible() else 0)
        free = width - header.sectionSize(COL_FIELD) - header.sectionSize(COL_CHANGED_BY)
        header.resizeSection(COL_THEIRS, max(MIN_VALUE_WIDTH, free // 2))
        header.resizeSection(COL_YOURS, max(MIN_VALUE_WIDTH, free - free // 2))


class _RadioIndicators(QProxyStyle):
    """The item view's check boxes drawn as radio buttons: one of the two values of a row is kept."""

    def drawPrimitive(
        self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck:
            element = QStyle.PrimitiveElement.PE_IndicatorRadioButton
        super().drawPrimitive(element, option, painter, widget)


class ConflictDialog(QDialog):
    """Both versions of an incident, the fields that differ one per row; Save merged, Keep mine, Keep theirs,
    or Cancel (back to the form, its input untouched). ``merged`` is the result once accepted."""

    def __init__(
        self, theirs: IncidentDraft, yours: IncidentDraft, opened: IncidentDraft | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Incident changed by someone else"))
        self._theirs, self._yours = theirs, yours
        self.merged: IncidentDraft | None = None
        self.model = ConflictModel(differences(theirs, yours, opened), self)

        name = theirs.title or (theirs.date_start.isoformat() if theirs.date_start else "")
        when = (theirs.updated_at or "").replace("T", " ").replace("Z", " UTC")
        intro = QLabel(
            self.tr(
                "“{name}” was saved elsewhere (at {when}) after you opened it. For each field below, the value with "
                "the dot is the one kept; click the other to keep it instead. Fields not listed are the same in "
                "both."
            ).format(name=name, when=when)
        )
        intro.setObjectName("conflictIntro")
        intro.setWordWrap(True)

        self.table = _DifferencesTable(self)
        self.table.setObjectName("conflictTable")
        self.table.setAccessibleName(self.tr("Fields that differ"))
        self.table.setAccessibleDescription(self.tr("Each field whose value differs, theirs beside yours; Space "
                                                    "keeps the value the cursor is on"))  # fmt: skip
        self._style = _RadioIndicators()
        self._style.setParent(self.table)
        self.table.setStyle(self._style)
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_CHANGED_BY, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few rows, some of several lines
        rows.setMinimumSectionSize(self.table.fontMetrics().height() + 10)
        if self.model.rows:  # the keyboard starts on the first row's kept value (Space keeps the one it is on)
            self.table.setCurrentIndex(self.model.index(0, self.model.rows[0].choice.value))
        self.table.clicked.connect(self._clicked)

        self.problem = QLabel()
        self.problem.setObjectName("conflictProblem")
        self.problem.setWordWrap(True)
        theme.show_as_error(self.problem)
        self.problem.hide()

        self.save_button = self._button(self.tr("Save merged"), "saveMergedButton", self._save_merged)
        self.save_button.setToolTip(self.tr("Save the values with the dot, over their version"))
        self.save_button.setDefault(True)
        self.keep_mine_button = self._button(self.tr("Keep mine"), "keepMineButton", self._keep_mine)
        self.keep_mine_button.setToolTip(self.tr("Save every value of this form over their version"))
        self.keep_theirs_button = self._button(self.tr("Keep theirs"), "keepTheirsButton", self._keep_theirs)
        self.keep_theirs_button.setToolTip(self.tr("Leave their version as it is and drop the edits in this form"))
        cancel = self._button(self.tr("Cancel"), "cancelConflictButton", self.reject)
        cancel.setToolTip(self.tr("Back to the form, with your input as it is; nothing is saved"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine_button)
        buttons.addWidget(self.keep_theirs_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        fill_in(self)
        self._fit(width=900, most=640)

    def _fit(self, width: int, most: int) -> None:
        """As tall as the rows need (up to ``most``), so a few differences do not float in an empty table."""
        self.resize(width, most)
        self.layout().activate()
        self.table.balance()  # a hidden table has its resize events only once shown
        self.table.resizeRowsToContents()
        table = (
            self.table.horizontalHeader().height() + self.table.verticalHeader().length() + 2 * self.table.frameWidth()
        )
        around = self.sizeHint().height() - self.table.sizeHint().height()
        self.resize(width, min(most, around + table))

    @classmethod
    def ask(
        cls, parent: QWidget, theirs: IncidentDraft, yours: IncidentDraft, opened: IncidentDraft | None
    ) -> IncidentDraft | None:
        """The version to save (with their version number), or None when the user cancels; tests replace this."""
        dialog = cls(theirs, yours, opened, parent)
        dialog.exec()
        dialog.deleteLater()
        return dialog.merged

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() in (COL_THEIRS, COL_YOURS):
            self.model.choose(index.row(), Side(index.column()))

    def _save_merged(self) -> None:
        merged = merge(self._theirs, self._yours, self.model.rows)
        problems = validate(merged)
        if problems:  # e.g. their start date with your end date before it
            self.problem.setText(
                self.tr("These choices do not make a valid incident: {0}").format(
                    "; ".join(problem.message for problem in problems)
                )
            )
            self.problem.show()
            return
        self.merged = merged
        self.accept()

    def _keep_mine(self) -> None:
        self.model.choose_all(Side.YOURS)
        self._save_merged()

    def _keep_theirs(self) -> None:
        self.model.choose_all(Side.THEIRS)
        self._save_merged()
