"""Each logbook's own view: its columns (widths, order, which are hidden), the splitter, the sort and the filter,
kept in the settings file under a key made from the logbook's path (or its URL without the password), so
switching between a team log and a personal one brings each back as it was left. The window's size and place
are one setting for the window, not per logbook: the window stays where it is while logbooks change in it.

The header's context menu (and View › Columns) shows or hides each column and resets them; the export always
writes every canonical field whatever the table hides."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu

from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.store.engine import describe, is_url
from logbook.ui.incident_table_model import COLUMN_SORT_KEYS
from logbook.ui.preferences import settings

if TYPE_CHECKING:
    from logbook.ui.main_window import MainWindow

GROUP = "views"
RECENT_KEY = f"{GROUP}/recent"
VIEWS_KEPT = 50  # logbooks whose view is remembered; the one used longest ago is forgotten first
_CODES = ("countries", "event_types", "outcomes", "verifications")


def logbook_key(target: str | Path) -> str:
    """A settings group name for a logbook: the same file by any path (a link, "~", a relative path) gives the
    same key; a URL's password is never part of it (describe() masks it), so changing it keeps the view."""
    name = describe(target) if is_url(target) else os.path.normcase(Path(target).expanduser().resolve())
    return hashlib.sha256(str(name).encode("utf-8")).hexdigest()[:20]


@dataclasses.dataclass(frozen=True)
class ViewState:
    header: QByteArray | None = None  # QHeaderView.saveState(): widths, order, hidden columns
    splitter: QByteArray | None = None
    order: SortOrder = dataclasses.field(default_factory=SortOrder)
    incident_filter: IncidentFilter = dataclasses.field(default_factory=IncidentFilter)


def load_view(target: str | Path) -> ViewState | None:
    """The view last left on ``target``, or None for a logbook never opened here (it gets the defaults)."""
    store = settings()
    store.beginGroup(f"{GROUP}/{logbook_key(target)}")
    try:
        if not store.contains("sort"):
            return None
        header, splitter = store.value("header"), store.value("splitter")
        try:
            key = SortKey(store.value("sort"))
        except ValueError:
            key = SortKey.DATE
        return ViewState(
            header if isinstance(header, QByteArray) and not header.isEmpty() else None,
            splitter if isinstance(splitter, QByteArray) and not splitter.isEmpty() else None,
            SortOrder(key, store.value("descending", True, type=bool)),
            filter_from_text(str(store.value("filter", ""))),
        )
    finally:
        store.endGroup()


def save_view(target: str | Path, state: ViewState) -> None:
    """Remember ``state`` for ``target``; beyond VIEWS_KEPT logbooks the least recently left is forgotten."""
    key = logbook_key(target)
    store = settings()
    store.beginGroup(f"{GROUP}/{key}")
    store.setValue("logbook", describe(target) if is_url(target) else str(Path(target).expanduser().resolve()))
    for name, value in (("header", state.header), ("splitter", state.splitter)):
        if value is None:
            store.remove(name)
        else:
            store.setValue(name, value)
    store.setValue("sort", state.order.key.value)
    store.setValue("descending", state.order.descending)
    store.setValue("filter", filter_to_text(state.incident_filter))
    store.endGroup()
    recent = [key, *(each for each in (store.value(RECENT_KEY, [], type=list) or []) if each != key)]
    for forgotten in recent[VIEWS_KEPT:]:
        store.remove(f"{GROUP}/{forgotten}")
    store.setValue(RECENT_KEY, recent[:VIEWS_KEPT])


def filter_to_text(incident_filter: IncidentFilter) -> str:
    fields: dict[str, Any] = dataclasses.asdict(incident_filter)
    for name in ("date_from", "date_to"):
        fields[name] = fields[name].isoformat() if fields[name] else None
    return json.dumps(fields, ensure_ascii=False)


def filter_from_text(text: str) -> IncidentFilter:
    """The filter filter_to_text wrote; whatever cannot be read (a hand-edited file) is left out, not an error."""
    try:
        fields = json.loads(text)
    except ValueError:
        return IncidentFilter()
    if not isinstance(fields, dict):
        return IncidentFilter()

    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(fields.get(name) or "")
        except (TypeError, ValueError):
            return None

    def codes(name: str) -> tuple[str, ...]:
        value = fields.get(name)
        return tuple(code for code in value if isinstance(code, str)) if isinstance(value, list) else ()

    search = fields.get("search")
    return IncidentFilter(
        search=search if isinstance(search, str) else "",
        date_from=day("date_from"),
        date_to=day("date_to"),
        **{name: codes(name) for name in _CODES},
    )


class LogbookViews(QObject):
    """Attached to the main window: remembers the open logbook's view when it is left (another logbook opened,
    the window closed) and puts a logbook's view back when it opens, before its first query, so a million-row
    logbook is read once, already in the remembered order and filter."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("logbookViews")
        self.window = window
        header = window.table.horizontalHeader()
        self._default_widths = [header.sectionSize(column) for column in range(header.count())]
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)

    def remember(self) -> None:
        window = self.window
        save_view(
            window.target,
            ViewState(
                window.table.horizontalHeader().saveState(),
                window.splitter.saveState(),
                window.model.sort_order,
                window.filter_bar.current_filter(),
            ),
        )

    def restore(self) -> SortOrder:
        """Put the open logbook's view back (the defaults for a logbook never seen: every column as it comes,
        newest first, no filter); returns the sort order for the first query. The filter is in the filter bar."""
        window = self.window
        state = load_view(window.target) or ViewState()
        header = window.table.horizontalHeader()
        if state.header is None or not header.restoreState(state.header):
            self.reset_columns()
        if state.splitter is not None:
            window.splitter.restoreState(state.splitter)
        window.filter_bar.set_filter(state.incident_filter)
        order = Qt.SortOrder.DescendingOrder if state.order.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(COLUMN_SORT_KEYS.index(state.order.key), order)
        return state.order

    # ---- the column chooser -------------------------------------------------------------------------------

    def column_menu(self) -> QMenu:
        """The header's context menu: a check box per column and Reset columns (deleted once closed)."""
        menu = QMenu(self.window.table.horizontalHeader())
        menu.setObjectName("columnMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.fill_column_menu(menu)
        return menu

    def fill_column_menu(self, menu: QMenu) -> None:
        """Every column in the order shown, checked when visible; the last visible one cannot be hidden."""
        menu.clear()
        header = self.window.table.horizontalHeader()
        model = header.model()
        hidden = [header.isSectionHidden(column) for column in range(header.count())]
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            action = menu.addAction(model.headerData(column, Qt.Orientation.Horizontal))
            action.setObjectName(f"showColumn_{COLUMN_SORT_KEYS[column].value}")
            action.setCheckable(True)
            action.setChecked(not hidden[column])
            action.setEnabled(hidden[column] or hidden.count(False) > 1)
            action.toggled.connect(lambda shown, column=column: header.setSectionHidden(column, not shown))
        menu.addSeparator()
        reset = menu.addAction(QCoreApplication.translate("Columns", "Reset columns"))
        reset.setObjectName("resetColumns")
        reset.setToolTip(QCoreApplication.translate("Columns", "Show every column, in the usual order and widths"))
        reset.triggered.connect(self.reset_columns)

    def _show_column_menu(self, position: QPoint) -> None:
        header = self.window.table.horizontalHeader()
        self.column_menu().popup(header.viewport().mapToGlobal(position))

    def reset_columns(self) -> None:
        """Every column shown, in the usual order and widths; the sort stays as it is."""
        header = self.window.table.horizontalHeader()
        for column, width in enumerate(self._default_widths):
            header.showSection(column)
            header.moveSection(header.visualIndex(column), column)
            header.resizeSection(column, width)
