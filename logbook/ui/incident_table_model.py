"""The incident table: an id snapshot of the matching rows in display order, and rows fetched a page at a
time into a small cache, so the model stays light at a million incidents (DB Browser for SQLite's way)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from logbook.domain.countries import country_name
from logbook.domain.enums import Attribution, EventType, LabelledEnum, Outcome, Verification, Weapon
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.record import format_range
from logbook.store.repository import ROW_COLUMNS, Repository
from logbook.ui.workers import Workers

COL_DATE, COL_COUNTRY, COL_LOCATION, COL_EVENT_TYPE, COL_WEAPON, COL_OUTCOME = range(6)
COL_KILLED, COL_INJURED, COL_PERPETRATOR, COL_ATTRIBUTION, COL_VERIFICATION, COL_TITLE = range(6, 12)

COLUMN_SORT_KEYS = (
    SortKey.DATE, SortKey.COUNTRY, SortKey.LOCATION, SortKey.EVENT_TYPE, SortKey.WEAPON, SortKey.OUTCOME,
    SortKey.KILLED, SortKey.INJURED, SortKey.PERPETRATOR, SortKey.ATTRIBUTION, SortKey.VERIFICATION, SortKey.TITLE,
)  # fmt: skip
_ENUM_COLUMNS: dict[int, tuple[str, type[LabelledEnum]]] = {
    COL_EVENT_TYPE: ("event_type", EventType),
    COL_WEAPON: ("weapon", Weapon),
    COL_OUTCOME: ("outcome", Outcome),
    COL_ATTRIBUTION: ("attribution", Attribution),
    COL_VERIFICATION: ("verification", Verification),
}
_TEXT_COLUMNS = {COL_LOCATION: "location", COL_PERPETRATOR: "perpetrator", COL_TITLE: "title"}
_FIELD = {name: position for position, name in enumerate(ROW_COLUMNS)}

RecordRole = Qt.ItemDataRole.UserRole + 1  # the whole row as stored (a dict of ROW_COLUMNS)
IdRole = Qt.ItemDataRole.UserRole + 2  # the incident's id

PAGE_SIZE = 256
CACHED_PAGES = 64


def format_date(start: dt.date, end: dt.date | None, precision: str) -> str:
    """A date as its precision allows: "2023-10" is a month, not the first of October."""

    def one(day: dt.date) -> str:
        if precision == "year":
            return f"{day.year}"
        if precision == "month":
            return f"{day.year}-{day.month:02d}"
        return day.isoformat()

    text = one(start)
    if end is not None and one(end) != text:
        text = f"{text} – {one(end)}"
    return f"{text} (week)" if precision == "week" else text


class IncidentTableModel(QAbstractTableModel):
    loaded = Signal()  # a new snapshot is in place (after set_query or reload)
    load_failed = Signal(object)

    def __init__(self, repository: Repository, workers: Workers, parent: Any = None) -> None:
        super().__init__(parent)
        self._repository = repository
        self._workers = workers
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, dict[int, tuple[Any, ...]]] = OrderedDict()
        self._filter = IncidentFilter()
        self._order = SortOrder()
        self._generation = 0
        self._headers = (
            self.tr("Date"), self.tr("Country"), self.tr("Location"), self.tr("Event type"), self.tr("Weapon"),
            self.tr("Outcome"), self.tr("Killed"), self.tr("Injured"), self.tr("Perpetrator"),
            self.tr("Attribution"), self.tr("Verification"), self.tr("Title"),
        )  # fmt: skip

    # ---- what is shown ----------------------------------------------------------------------------------

    @property
    def incident_filter(self) -> IncidentFilter:
        return self._filter

    @property
    def sort_order(self) -> SortOrder:
        return self._order

    def set_repository(self, repository: Repository) -> None:
        self._repository = repository
        self.reload()

    def set_query(self, incident_filter: IncidentFilter | None = None, order: SortOrder | None = None) -> None:
        if incident_filter is not None:
            self._filter = incident_filter
        if order is not None:
            self._order = order
        self.reload()

    def reload(self) -> None:
        """Take a new snapshot in a worker; the newest request wins when several overlap."""
        self._generation += 1
        generation = self._generation
        repository, incident_filter, order = self._repository, self._filter, self._order
        self._workers.submit(
            lambda: repository.snapshot(incident_filter, order),
            lambda ids: self._apply_snapshot(generation, ids),
            lambda error: self._generation == generation and self.load_failed.emit(error),
        )

    def _apply_snapshot(self, generation: int, ids: array[int]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()
        self.loaded.emit()

    def incident_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, incident_id: int) -> int | None:
        """The row showing an incident, or None when the filter hides it."""
        try:
            return self._ids.index(incident_id)
        except ValueError:
            return None

    # ---- Qt model interface -----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMN_SORT_KEYS):
            self.set_query(order=SortOrder(COLUMN_SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == IdRole:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, RecordRole,
                        Qt.ItemDataRole.TextAlignmentRole):  # fmt: skip
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == RecordRole:
            return dict(zip(ROW_COLUMNS, row, strict=True))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = index.column() in (COL_KILLED, COL_INJURED)
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        text = self._display(index.column(), row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if index.column() == COL_TITLE and text else None
        return text

    def _display(self, column: int, row: tuple[Any, ...]) -> str:
        def field(name: str) -> Any:
            return row[_FIELD[name]]

        if column == COL_DATE:
            return format_date(field("date_start"), field("date_end"), field("date_precision"))
        if column == COL_COUNTRY:
            return country_name(field("country"))
        if column == COL_KILLED:
            return format_range(field("killed_min"), field("killed_max"))
        if column == COL_INJURED:
            return format_range(field("injured_min"), field("injured_max"))
        if column in _ENUM_COLUMNS:
            name, enum = _ENUM_COLUMNS[column]
            return enum(field(name)).label
        return field(_TEXT_COLUMNS[column]) or ""

    def _row(self, row: int) -> tuple[Any, ...] | None:
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            first = page_number * PAGE_SIZE
            page = self._repository.fetch_rows(self._ids[first : first + PAGE_SIZE])
            self._pages[page_number] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page.get(self._ids[row])
