"""Each logbook's view (columns, sort, filter, splitter) comes back as it was left, after switching logbooks and
after closing the window; the column chooser on the header."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from logbook.domain.csv_schema import COLUMNS
from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from logbook.ui import view_state
from logbook.ui.incident_table_model import COL_COUNTRY, COL_DATE, COL_TITLE, COL_WEAPON, COLUMN_SORT_KEYS
from logbook.ui.main_window import MainWindow
from logbook.ui.view_state import ViewState, filter_from_text, filter_to_text, load_view, logbook_key, save_view
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, open_window, refreshed

DRAFTS = (
    dict(date_start=dt.date(2023, 10, 17), country="IQ", title="Al-Harir", outcome="intercepted"),
    dict(date_start=dt.date(2023, 10, 26), country="SY", title="Strikes in Syria", outcome="hit"),
    dict(date_start=dt.date(2023, 11, 2), country="IQ", title="Ain al-Asad", outcome="intercepted"),
    dict(date_start=dt.date(2023, 11, 5), country="IR", title="Bushehr", outcome="missed"),
)


def titles(window: MainWindow) -> list[str]:
    return [window.model.index(row, COL_TITLE).data() for row in range(window.model.rowCount())]


def hidden_columns(window: MainWindow) -> list[str]:
    header = window.table.horizontalHeader()
    return [COLUMN_SORT_KEYS[column].value for column in range(header.count()) if header.isSectionHidden(column)]


def sort_shown(window: MainWindow) -> tuple[int, Qt.SortOrder]:
    header = window.table.horizontalHeader()
    return header.sortIndicatorSection(), header.sortIndicatorOrder()


def menu_action(menu: QMenu, name: str) -> Any:
    return next(action for action in menu.actions() if action.objectName() == name)


def sort_by(qtbot: QtBot, window: MainWindow, column: int, order: Qt.SortOrder) -> None:
    """Click-equivalent: the header's sort indicator, then wait for the rows in that order."""
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
        window.table.horizontalHeader().setSortIndicator(column, order)


def switch(qtbot: QtBot, window: MainWindow, target: Path) -> None:
    refreshed(qtbot, window, lambda: window.switch_to(target))


@pytest.fixture
def second(tmp_path: Path) -> Iterator[Path]:
    """Another logbook beside the window's, with the same incidents."""
    path = tmp_path / "second.sqlite3"
    engine = open_logbook(path)
    repository = Repository(engine)
    for fields in DRAFTS:
        repository.add(make_draft(**fields))
    engine.dispose()
    yield path


@pytest.fixture
def shown_window(qtbot: QtBot, window: MainWindow, repo: Repository) -> MainWindow:
    for fields in DRAFTS:
        repo.add(make_draft(**fields))
    refreshed(qtbot, window, window.refresh)
    return window


def reopen(qtbot: QtBot, window: MainWindow, target: Path) -> MainWindow:
    """Close ``window`` as the user does, and start a new one on ``target`` as the app does."""
    window.close()
    window.dispose()
    again = open_window(qtbot, Repository(open_logbook(target)), target)
    return again


def test_each_logbook_keeps_its_own_sort_filter_and_columns(
    qtbot: QtBot, shown_window: MainWindow, db_path: Path, second: Path
) -> None:
    window = shown_window
    bar = window.filter_bar
    sort_by(qtbot, window, COL_TITLE, Qt.SortOrder.AscendingOrder)
    refreshed(qtbot, window, lambda: bar.outcome.setCurrentIndex(bar.outcome.findData("intercepted")))
    menu_action(window.views.column_menu(), "showColumn_weapon").trigger()
    assert titles(window) == ["Ain al-Asad", "Al-Harir"]

    switch(qtbot, window, second)  # never seen: the defaults
    assert titles(window) == ["Bushehr", "Ain al-Asad", "Strikes in Syria", "Al-Harir"]
    assert sort_shown(window) == (COL_DATE, Qt.SortOrder.DescendingOrder)
    assert bar.current_filter().is_empty and bar.outcome.currentIndex() == 0
    assert hidden_columns(window) == []
    sort_by(qtbot, window, COL_COUNTRY, Qt.SortOrder.AscendingOrder)
    refreshed(qtbot, window, lambda: (bar.search.setText("Syria"), bar.search.returnPressed.emit()))
    menu_action(window.views.column_menu(), "showColumn_perpetrator").trigger()
    assert titles(window) == ["Strikes in Syria"]

    switch(qtbot, window, db_path)
    assert titles(window) == ["Ain al-Asad", "Al-Harir"]
    assert sort_shown(window) == (COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert bar.outcome.currentData() == "intercepted" and bar.search.text() == ""
    assert hidden_columns(window) == ["weapon"]

    window = reopen(qtbot, window, second)
    assert titles(window) == ["Strikes in Syria"]
    assert sort_shown(window) == (COL_COUNTRY, Qt.SortOrder.AscendingOrder)
    assert window.filter_bar.search.text() == "Syria"
    assert hidden_columns(window) == ["perpetrator"]

    window = reopen(qtbot, window, db_path)
    assert titles(window) == ["Ain al-Asad", "Al-Harir"]
    assert hidden_columns(window) == ["weapon"]
    window.close()
    window.dispose()


def test_a_reopened_logbook_is_read_once_in_its_remembered_order_and_filter(
    qtbot: QtBot, shown_window: MainWindow, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = shown_window
    sort_by(qtbot, window, COL_DATE, Qt.SortOrder.AscendingOrder)
    refreshed(qtbot, window, lambda: window.filter_bar.country.setCurrentIndex(
        window.filter_bar.country.findData("IQ")))  # fmt: skip
    queries: list[tuple[IncidentFilter, SortOrder]] = []
    for name in ("first_rows", "snapshot"):
        original = getattr(Repository, name)

        def recording(self: Repository, *args: Any, original: Any = original, **kwargs: Any) -> Any:
            queries.append((args[0], args[1]))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Repository, name, recording)

    window = reopen(qtbot, window, db_path)
    assert titles(window)[0] == "Al-Harir"  # the oldest in Iraq first, from the first page on
    expected = (IncidentFilter(countries=("IQ",)), SortOrder(SortKey.DATE, descending=False))
    assert queries == [expected, expected]  # the first page and the snapshot: no query in the default order
    window.close()
    window.dispose()


def test_a_remembered_filter_is_shown_and_can_be_cleared(qtbot: QtBot, shown_window: MainWindow, db_path: Path) -> None:
    window = shown_window
    bar = window.filter_bar
    refreshed(qtbot, window, lambda: bar.date_from.setDate(bar.date_from.date().fromString("2023-11-01", "yyyy-MM-dd")))
    window = reopen(qtbot, window, db_path)
    bar = window.filter_bar
    assert bar.date_from.text() == "2023-11-01"
    assert titles(window) == ["Bushehr", "Ain al-Asad"]
    assert window.count_label.text() == "2 of 4 incidents"
    refreshed(qtbot, window, bar.clear_button.click)
    assert bar.date_from.text() == "any" and len(titles(window)) == 4
    window.close()
    window.dispose()


def test_column_chooser_hides_and_shows_but_never_the_last_column(shown_window: MainWindow) -> None:
    header = shown_window.table.horizontalHeader()
    menu = shown_window.views.column_menu()
    labels = [action.text() for action in menu.actions() if action.isCheckable()]
    assert labels[:3] == ["Date", "Country", "Location"] and len(labels) == header.count()
    menu_action(menu, "showColumn_weapon").trigger()
    assert header.isSectionHidden(COL_WEAPON)
    menu_action(menu, "showColumn_weapon").trigger()
    assert not header.isSectionHidden(COL_WEAPON)

    for key in COLUMN_SORT_KEYS[1:]:
        menu_action(shown_window.views.column_menu(), f"showColumn_{key.value}").trigger()
    assert hidden_columns(shown_window) == [key.value for key in COLUMN_SORT_KEYS[1:]]
    last = menu_action(shown_window.views.column_menu(), "showColumn_date")
    assert last.isChecked() and not last.isEnabled()
    assert menu_action(shown_window.views.column_menu(), "showColumn_title").isEnabled()


def test_reset_columns_brings_back_every_column_in_its_place_and_width(qtbot: QtBot, shown_window: MainWindow) -> None:
    header = shown_window.table.horizontalHeader()
    widths = [header.sectionSize(column) for column in range(COL_TITLE)]
    header.moveSection(header.visualIndex(COL_TITLE), 0)
    header.resizeSection(COL_COUNTRY, widths[COL_COUNTRY] * 3)
    header.hideSection(COL_WEAPON)
    sort_by(qtbot, shown_window, COL_COUNTRY, Qt.SortOrder.AscendingOrder)
    before = titles(shown_window)
    menu = shown_window.views.column_menu()
    assert menu.actions()[0].text() == "Title"  # listed in the order shown
    menu_action(menu, "resetColumns").trigger()
    assert [header.logicalIndex(visual) for visual in range(header.count())] == list(range(header.count()))
    assert [header.sectionSize(column) for column in range(COL_TITLE)] == widths
    assert hidden_columns(shown_window) == []
    assert sort_shown(shown_window) == (COL_COUNTRY, Qt.SortOrder.AscendingOrder) and titles(shown_window) == before


def test_the_header_context_menu_and_view_columns_list_the_columns(qtbot: QtBot, shown_window: MainWindow) -> None:
    header = shown_window.table.horizontalHeader()
    header.customContextMenuRequested.emit(QPoint(10, header.height() // 2))
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, QMenu) and popup.objectName() == "columnMenu"
    popup.close()
    columns = shown_window.findChild(QMenu, "columnsMenu")
    columns.aboutToShow.emit()
    assert [action.text() for action in columns.actions() if action.isCheckable()][-1] == "Title"


def test_hidden_columns_are_still_exported(qtbot: QtBot, shown_window: MainWindow, tmp_path: Path) -> None:
    for key in ("weapon", "country", "title"):
        menu_action(shown_window.views.column_menu(), f"showColumn_{key}").trigger()
    target = tmp_path / "all.csv"
    with qtbot.waitSignal(shown_window.export_finished, timeout=WAIT_MS):
        shown_window.start_export(target)
    with target.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["title"] == "Bushehr" and rows[0]["country"] == "Iran" and rows[0]["weapon"] == "drone"


def test_the_same_file_by_another_path_is_the_same_logbook_and_a_password_is_no_part_of_it(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    assert logbook_key(tmp_path / "log.sqlite3") == logbook_key(tmp_path / "sub" / ".." / "log.sqlite3")
    assert logbook_key(tmp_path / "log.sqlite3") != logbook_key(tmp_path / "other.sqlite3")
    assert logbook_key("postgresql://team:old@db/log") == logbook_key("postgresql://team:new@db/log")
    assert logbook_key("postgresql://team:old@db/log") != logbook_key("postgresql://team:old@db/other")


def test_only_the_most_recently_left_logbooks_are_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_state, "VIEWS_KEPT", 2)
    order = SortOrder(SortKey.TITLE, descending=False)
    for name in ("a", "b", "c"):
        save_view(tmp_path / name, ViewState(order=order))
    assert load_view(tmp_path / "a") is None
    assert load_view(tmp_path / "b") == load_view(tmp_path / "c") == ViewState(order=order)


def test_a_filter_survives_the_settings_file_and_damage_to_it_is_ignored() -> None:
    incident_filter = IncidentFilter("drone “base”", dt.date(2023, 10, 17), None, ("IQ",), (), ("intercepted",))
    assert filter_from_text(filter_to_text(incident_filter)) == incident_filter
    assert filter_from_text("not json") == IncidentFilter()
    assert filter_from_text('{"date_from": "17 Oct", "countries": "IQ", "search": 3}') == IncidentFilter()
