"""The incident table: an id snapshot of the matching rows in display order, and rows fetched a page at a
time into a small cache, so the model stays light at a million incidents (DB Browser for SQLite's way)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from logbook.domain.countries import country_name
from logbook.domain.enums import Attribution, EventType, LabelledEnum, Outcome, Verification, Weapon
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.domain.record import format_range
from logbook.store.rows import ROW_COLUMNS
from logbook.ui.numbers import DateStyle, count_text, date_text
from logbook.ui.translations import translated_label
from logbook.ui.workers import Workers

if TYPE_CHECKING:
    from logbook.store.repository import Repository


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

_ALIGNMENT, _TOOLTIP = int(Qt.ItemDataRole.TextAlignmentRole), int(Qt.ItemDataRole.ToolTipRole)
_ANSWERED_ROLES = frozenset((int(Qt.ItemDataRole.DisplayRole), _TOOLTIP, _ALIGNMENT, int(RecordRole), int(IdRole)))
_NUMERIC_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TEXT_ALIGNMENT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

PAGE_SIZE = 256
CACHED_PAGES = 64


def format_date(start: dt.date, end: dt.date | None, precision: str, style: DateStyle = DateStyle.ISO) -> str:
    """A date as its precision allows: "2023-10" is a month, not the first of October. An ISO range leaves out
    what its end shares with its start (2023-10-27–11-02, 2023-11-06–07), as ISO 8601 allows, to fit the column."""
    text = date_text(start, style, precision)
    if end is not None and (last := date_text(end, style, precision)) != text:
        if style is DateStyle.ISO and precision != "year":
            shared = 8 if last[:8] == text[:8] and precision != "month" else 5 if last[:5] == text[:5] else 0
            text = f"{text}–{last[shared:]}"
        else:
            text = f"{text} – {last}"
    return f"{text} (week)" if precision == "week" else text


class IncidentTableModel(QAbstractTableModel):
    first_page_shown = Signal()  # the first rows of a new query are in place; the others follow with loaded
    loaded = Signal()  # every matching row is in place (after set_query, reload or place)
    load_failed = Signal(object)
    # place() is done: the incident's id, whether it was shown before, its row now (None when the filter hides
    # it) and the position of that row
    placed = Signal(int, bool, object, int)

    def __init__(self, repository: Repository | None, workers: Workers, parent: Any = None) -> None:
        super().__init__(parent)
        self._repository = repository
        self._workers = workers
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, dict[int, tuple[Any, ...]]] = OrderedDict()
        self._filter = IncidentFilter()
        self._order = SortOrder()
        self._generation = 0
        self._complete = True  # False from a reload until its whole snapshot is in place
        self._partial = False  # showing only the first page of the current query
        self._load_due = self._first_page_wanted = False  # a load is requested for the next turn of the loop
        self.date_style = DateStyle.ISO
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

    def set_date_style(self, style: DateStyle) -> None:
        """Show the dates in ``style`` (Preferences › Date format); only the date column is painted again."""
        if style != self.date_style:
            self.date_style = style
            if self._ids:
                self.dataChanged.emit(self.index(0, COL_DATE), self.index(len(self._ids) - 1, COL_DATE))

    def set_repository(self, repository: Repository) -> None:
        early = self._repository is None and bool(self._ids)  # show_early_rows' page is on screen
        self._repository = repository
        self._load(first_page=True)
        self._partial = early  # so the snapshot, if it comes first, extends those rows rather than replace them

    def show_early_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """The first page read before there is a repository (store/rows.py), shown as a first page is: once
        set_repository reads the same rows, the snapshot adds the others after them."""
        self._complete = False  # the repository's load is to come
        self._apply_first_page(self._generation, rows)

    def set_query(self, incident_filter: IncidentFilter | None = None, order: SortOrder | None = None) -> None:
        if incident_filter is not None:
            self._filter = incident_filter
        if order is not None:
            self._order = order
        self._load(first_page=True)

    def reload(self) -> None:
        """Read the same query again after a change; the rows on screen stay until the new snapshot replaces them."""
        self._load(first_page=False)

    def _load(self, first_page: bool) -> None:
        """Read the snapshot in a worker, and for a new query its first page too; the newest request wins when
        several overlap, and the requests of one turn of the event loop (a header restored, then the logbook
        opened) make one load.

        The first page (a LIMIT query) is shown as soon as it is read; the snapshot, which takes a while at a
        million rows, then adds the rows after it without moving what is on screen."""
        self._generation += 1
        self._complete = self._partial = False
        self._first_page_wanted = self._first_page_wanted or first_page
        if not self._load_due:
            self._load_due = True
            QTimer.singleShot(0, self, self._start_load)

    def _start_load(self) -> None:
        if self._repository is None:  # the window is opening its logbook: set_repository loads then
            self._load_due = False
            return
        first_page, self._first_page_wanted, self._load_due = self._first_page_wanted, False, False
        generation = self._generation
        repository, incident_filter, order = self._repository, self._filter, self._order

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.load_failed.emit(error)

        if first_page:
            self._workers.submit(
                lambda: repository.first_rows(incident_filter, order, PAGE_SIZE),
                lambda rows: self._apply_first_page(generation, rows),
                failed,
                quick=True,
            )
        self._workers.submit(
            lambda: repository.snapshot(incident_filter, order),
            lambda ids: self._apply_snapshot(generation, ids),
            failed,
        )

    @property
    def complete(self) -> bool:
        """Whether every matching row is in place (rowCount is then the number of matching incidents)."""
        return self._complete

    def _apply_first_page(self, generation: int, rows: list[tuple[Any, ...]]) -> None:
        if generation != self._generation or self._complete:
            return  # a newer query, or the snapshot came first
        ids = array("q", [row[0] for row in rows])
        same = bool(ids) and ids == self._ids  # the early rows again (see show_early_rows): selection and scroll stay
        if not same:
            self.beginResetModel()
            self._ids = ids
        self._pages.clear()
        self._pages[0] = {row[0]: row for row in rows}
        self._partial = True
        if same:
            self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, self.columnCount() - 1))
        else:
            self.endResetModel()
        self.first_page_shown.emit()

    def _apply_snapshot(self, generation: int, ids: array[int]) -> None:
        if generation != self._generation:
            return
        shown = len(self._ids)
        if self._partial and ids[:shown] == self._ids:
            # the rows on screen are the start of the snapshot: add the rest, keeping scroll and selection
            if len(ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._ids = ids
            self._pages.clear()
            self.endResetModel()
        self._complete = True
        if not self._partial:
            self.first_page_shown.emit()
        self._partial = False
        self.loaded.emit()

    def place(self, incident_id: int, shown_at: int | None, *, new: bool = False) -> None:
        """Show a just-saved incident where the order puts it, or drop it when the filter now hides it, without
        a new snapshot (a worker finds its position with a binary search); emits placed, then loaded.

        ``shown_at`` is the row that showed it before the save, if any (it is checked, then looked for: a scan of
        the ids, 20 ms at a million, which a ``new`` incident, in no row yet, is spared)."""
        if new:
            shown_at = None
        elif shown_at is None or not 0 <= shown_at < len(self._ids) or self._ids[shown_at] != incident_id:
            shown_at = self.row_of(incident_id)
        self._generation += 1
        generation = self._generation
        repository, incident_filter, order, ids = self._repository, self._filter, self._order, self._ids

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.load_failed.emit(error)

        self._workers.submit(
            lambda: repository.placement(incident_filter, order, ids, incident_id, shown_at),
            lambda result: self._apply_placement(generation, incident_id, shown_at, *result),
            failed,
            quick=True,
        )

    def _apply_placement(
        self, generation: int, incident_id: int, shown_at: int | None, row: tuple[Any, ...] | None, position: int
    ) -> None:
        if generation != self._generation:
            if self._complete:  # another placement overtook this one, on ids without it: read them all again
                self.reload()
            return  # else a load is under way, which reads the saved incident anyway
        first_changed = min(position, len(self._ids) if shown_at is None else shown_at) // PAGE_SIZE
        for page_number in [number for number in self._pages if number >= first_changed]:
            del self._pages[page_number]
        if shown_at is not None:
            self.beginRemoveRows(QModelIndex(), shown_at, shown_at)
            del self._ids[shown_at]
            self.endRemoveRows()
        if row is not None:
            self.beginInsertRows(QModelIndex(), position, position)
            self._ids.insert(position, incident_id)
            self.endInsertRows()
        self.placed.emit(incident_id, shown_at is not None, row, position)
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
        """The header asks again for the order in place when the view is set up: only a change reloads."""
        if 0 <= column < len(COLUMN_SORT_KEYS):
            wanted = SortOrder(COLUMN_SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
            if wanted != self._order:
                self.set_query(order=wanted)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Called for every role of every visible cell on each paint: the unanswered roles return first."""
        if role not in _ANSWERED_ROLES:
            return None
        row_number = index.row()
        if not 0 <= row_number < len(self._ids):
            return None
        if role == IdRole:
            return self._ids[row_number]
        if role == _ALIGNMENT:
            return _NUMERIC_ALIGNMENT if index.column() in (COL_KILLED, COL_INJURED) else _TEXT_ALIGNMENT
        row = self._row(row_number)
        if row is None:
            return None
        if role == RecordRole:
            return dict(zip(ROW_COLUMNS, row, strict=True))
        text = self._display(index.column(), row)
        if role == _TOOLTIP:
            return text if index.column() == COL_TITLE and text else None
        return text

    def _display(self, column: int, row: tuple[Any, ...]) -> str:
        def field(name: str) -> Any:
            return row[_FIELD[name]]

        if column == COL_DATE:
            return format_date(field("date_start"), field("date_end"), field("date_precision"), self.date_style)
        if column == COL_COUNTRY:
            return country_name(field("country"))
        if column == COL_KILLED:
            return format_range(field("killed_min"), field("killed_max"), count_text)
        if column == COL_INJURED:
            return format_range(field("injured_min"), field("injured_max"), count_text)
        if column in _ENUM_COLUMNS:
            name, enum = _ENUM_COLUMNS[column]
            return translated_label(enum(field(name)))
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
