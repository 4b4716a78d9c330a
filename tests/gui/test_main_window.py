"""The main window as a user meets it: the table, sorting, filtering, the summary, the trash and export."""

from __future__ import annotations

import csv
import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QToolBar,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from logbook.domain.filters import IncidentFilter
from logbook.domain.record import IncidentDraft
from logbook.domain.summary import Tallies
from logbook.services.formats import ExportFormat
from logbook.store.errors import LogbookError
from logbook.store.repository import Repository
from logbook.ui.dialogs import EXPORT_FILTERS, Ask, export_target
from logbook.ui.incident_form import IncidentForm
from logbook.ui.incident_table_model import COL_COUNTRY, COL_DATE, COL_INJURED, COL_KILLED, COL_LOCATION, COL_TITLE
from logbook.ui.main_window import MainWindow
from logbook.ui.numbers import count_text
from logbook.ui.trash_dialog import TrashDialog
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, refreshed
from tests.gui.form_driver import click, field, type_into


def shown(window: MainWindow, column: int) -> list[str]:
    model = window.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def many_drafts(count: int) -> list[IncidentDraft]:
    """Incidents on distinct days with figures that sort differently from the dates."""
    countries = ("IQ", "SY", "IR", "JO")
    return [
        make_draft(
            date_start=dt.date(2020, 1, 1) + dt.timedelta(days=n),
            country=countries[n % 4],
            killed_min=(n * 7) % 13,
            killed_max=(n * 7) % 13,
            title=f"Incident number {n:05d}",
        )
        for n in range(count)
    ]


@pytest.fixture
def filled(qtbot: QtBot, window: MainWindow, repo: Repository) -> MainWindow:
    for draft in (
        make_draft(date_start=dt.date(2023, 10, 17), country="IQ", title="First", injured_min=45, injured_max=None),
        make_draft(date_start=dt.date(2023, 10, 26), country="SY", title="Second", outcome="hit",
                   killed_min=None, killed_max=None),
        make_draft(date_start=dt.date(2023, 11, 2), country="IQ", title="Third drone", location="Ain al-Asad"),
        make_draft(date_start=dt.date(2023, 11, 5), country="IR", title="Fourth", outcome="missed",
                   killed_min=2, killed_max=5),
    ):  # fmt: skip
        repo.add(draft)
    refreshed(qtbot, window, window.refresh)
    return window


def test_window_has_table_summary_filter_bar_toolbar_and_status(window: MainWindow, db_path: Path) -> None:
    assert window.findChild(type(window.table), "incidentTable") is window.table
    assert window.summary_panel.objectName() == "summaryPanel"
    toolbar_texts = [action.text() for action in window.findChild(QToolBar, "mainToolBar").actions()]
    for text in ("New incident", "Edit", "Delete", "Export…", "Open logbook…", "New logbook…"):
        assert text in toolbar_texts
    assert db_path.name in window.windowTitle()
    assert window.count_label.text() == "0 of 0 incidents"


def test_table_shows_readable_values_and_figures(filled: MainWindow) -> None:
    assert shown(filled, COL_TITLE) == ["Fourth", "Third drone", "Second", "First"]  # newest first
    assert shown(filled, COL_COUNTRY) == ["Iran", "Iraq", "Syria", "Iraq"]
    assert shown(filled, COL_KILLED) == ["2–5", "0", "?", "0"]
    assert shown(filled, COL_INJURED) == ["0", "0", "0", "45+"]
    assert filled.count_label.text() == "4 of 4 incidents"


def test_models_pass_the_model_tester(qtmodeltester, filled: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(filled.model)
    qtmodeltester.check(filled.summary_panel.country_model)


def test_header_click_sorts_and_a_second_click_reverses(qtbot: QtBot, filled: MainWindow) -> None:
    header = filled.table.horizontalHeader()

    def click(column: int) -> None:
        position = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        with qtbot.waitSignal(filled.model.loaded, timeout=WAIT_MS):
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(position, header.height() // 2))

    click(COL_COUNTRY)
    first = shown(filled, COL_COUNTRY)
    click(COL_COUNTRY)
    second = shown(filled, COL_COUNTRY)
    assert sorted([first, second]) == [["Iran", "Iraq", "Iraq", "Syria"], ["Syria", "Iraq", "Iraq", "Iran"]]
    assert first == list(reversed(second))
    click(COL_KILLED)
    killed = shown(filled, COL_KILLED)
    assert killed in (["?", "0", "0", "2–5"], ["2–5", "0", "0", "?"])


def test_paging_keeps_order_across_pages_at_a_few_thousand_rows(
    qtbot: QtBot, window: MainWindow, repo: Repository
) -> None:
    repo.upsert_many(many_drafts(3000))
    refreshed(qtbot, window, window.refresh)
    model = window.model
    assert model.rowCount() == 3000
    assert window.count_label.text() == f"{count_text(3000)} of {count_text(3000)} incidents"
    titles = [model.index(row, COL_TITLE).data() for row in (0, 255, 256, 1500, 2999)]
    assert titles == [f"Incident number {n:05d}" for n in (2999, 2744, 2743, 1499, 0)]
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.sort(COL_DATE, Qt.SortOrder.AscendingOrder)
    assert [model.index(row, COL_DATE).data() for row in (0, 2999)] == ["2020-01-01", "2028-03-18"]
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert window.table.currentIndex().row() == 2999


def test_filters_narrow_the_table_the_status_and_the_summary(qtbot: QtBot, filled: MainWindow) -> None:
    bar = filled.filter_bar
    refreshed(qtbot, filled, lambda: bar.country.setCurrentIndex(bar.country.findData("IQ")))
    assert shown(filled, COL_TITLE) == ["Third drone", "First"]
    assert filled.count_label.text() == "2 of 4 incidents"
    assert filled.summary_panel.incidents.text() == "2"
    assert filled.summary_panel.injured.text() == "45+"

    refreshed(qtbot, filled, bar.clear)
    # both ends inclusive: the incidents on 26 October and on 2 November are in
    refreshed(qtbot, filled, lambda: bar.date_from.setDate(dt.date(2023, 10, 26)))
    refreshed(qtbot, filled, lambda: bar.date_to.setDate(dt.date(2023, 11, 2)))
    assert shown(filled, COL_TITLE) == ["Third drone", "Second"]
    assert filled.summary_panel.scope.text() == "Incidents matching the filter from 2023-10-26 to 2023-11-02"
    assert filled.summary_panel.killed.text() == "0 (1 unknown)"

    refreshed(qtbot, filled, bar.clear)
    with qtbot.waitSignals([filled.model.loaded, filled.summary_shown], timeout=WAIT_MS):
        qtbot.keyClicks(bar.search, "thi")  # a word prefix is enough
    assert shown(filled, COL_TITLE) == ["Third drone"]
    refreshed(qtbot, filled, lambda: bar.outcome.setCurrentIndex(bar.outcome.findData("hit")))
    assert shown(filled, COL_TITLE) == []
    assert filled.count_label.text() == "0 of 4 incidents"


def test_the_total_follows_a_change_made_elsewhere_even_when_a_filter_change_overtakes_it(
    qtbot: QtBot, filled: MainWindow, repo: Repository
) -> None:
    """A filter change does not count the logbook again, but the recount of a change elsewhere is not lost to a
    filter chosen before that recount came in."""
    bar = filled.filter_bar
    repo.add(make_draft(date_start=dt.date(2023, 11, 6), country="SY", title="Fifth"))  # another program's save

    def refresh_then_filter() -> None:
        filled.refresh()
        bar.country.setCurrentIndex(bar.country.findData("SY"))

    refreshed(qtbot, filled, refresh_then_filter)
    assert shown(filled, COL_TITLE) == ["Fifth", "Second"]
    assert filled.count_label.text() == "2 of 5 incidents"
    refreshed(qtbot, filled, lambda: bar.country.setCurrentIndex(bar.country.findData("IR")))
    assert filled.count_label.text() == "1 of 5 incidents"


def test_a_cut_off_cell_shows_its_whole_text_as_a_tooltip(qtbot: QtBot, filled: MainWindow) -> None:
    table = filled.table
    table.horizontalHeader().resizeSection(COL_LOCATION, 40)
    row = shown(filled, COL_TITLE).index("Third drone")

    def hover(column: int) -> None:
        QToolTip.hideText()
        qtbot.waitUntil(lambda: not QToolTip.isVisible())
        centre, viewport = table.visualRect(filled.model.index(row, column)).center(), table.viewport()
        QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, centre, viewport.mapToGlobal(centre)))

    def showing(text: str) -> Callable[[], bool]:
        return lambda: QToolTip.isVisible() and QToolTip.text() == text

    hover(COL_LOCATION)  # 40 pixels cannot hold it
    qtbot.waitUntil(showing("Ain al-Asad"))
    hover(COL_COUNTRY)  # "Iraq" fits: no tooltip
    qtbot.wait(50)
    assert not QToolTip.isVisible()
    hover(COL_TITLE)  # the title's own tooltip, as before
    qtbot.waitUntil(showing("Third drone"))


def test_figures_still_being_read_are_greyed_and_said_to_be_counting(
    qtbot: QtBot, filled: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a million incidents a search's figures can take a second: the panel must not pass off the figures of
    the filter before as the new one's meanwhile."""
    panel, read = filled.summary_panel, filled.repository.tallies
    go_on = threading.Event()

    def slow_tallies(incident_filter: IncidentFilter) -> Tallies:
        go_on.wait(timeout=WAIT_MS / 1000)  # as long as a big logbook would take
        return read(incident_filter)

    monkeypatch.setattr(filled.repository, "tallies", slow_tallies)
    with qtbot.waitSignals([filled.model.loaded, filled.summary_shown], timeout=WAIT_MS):
        filled.filter_bar.search.setText("drone")
        QTest.keyClick(filled.filter_bar.search, Qt.Key.Key_Return)
        qtbot.waitUntil(panel.counting)
        assert panel.scope.text() == "Counting the incidents that match…"
        assert panel.incidents.text() == "4" and not panel.incidents.isEnabled()  # the figures before, greyed
        go_on.set()
    assert not panel.counting() and panel.incidents.isEnabled()
    assert panel.incidents.text() == "1"
    assert panel.scope.text() == "Incidents matching the filter"


def test_figures_that_cannot_be_read_are_said_so_and_the_panel_stops_counting(
    qtbot: QtBot, filled: MainWindow, monkeypatch: pytest.MonkeyPatch, told: list[tuple[str, str]]
) -> None:
    panel = filled.summary_panel
    go_on = threading.Event()

    def failing_tallies(incident_filter: IncidentFilter) -> Tallies:
        go_on.wait(timeout=WAIT_MS / 1000)
        raise LogbookError("test.sqlite3 is damaged (database disk image is malformed). Restore it from a backup.")

    monkeypatch.setattr(filled.repository, "tallies", failing_tallies)
    filled.filter_bar.search.setText("drone")
    QTest.keyClick(filled.filter_bar.search, Qt.Key.Key_Return)
    qtbot.waitUntil(panel.counting)
    go_on.set()
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert "is damaged" in told[0][1]
    assert not panel.counting() and panel.incidents.isEnabled()
    assert panel.scope.text() == "All incidents" and panel.incidents.text() == "4"  # what was shown, as it was


def test_going_back_to_a_recent_filter_shows_its_summary_at_once(qtbot: QtBot, filled: MainWindow) -> None:
    bar, panel = filled.filter_bar, filled.summary_panel
    refreshed(qtbot, filled, lambda: bar.country.setCurrentIndex(bar.country.findData("IQ")))
    refreshed(qtbot, filled, bar.clear)
    shown_summaries: list[None] = []
    filled.summary_shown.connect(lambda: shown_summaries.append(None))
    with qtbot.waitSignal(filled.model.loaded, timeout=WAIT_MS):
        bar.country.setCurrentIndex(bar.country.findData("IQ"))
        assert shown_summaries == [None]  # before any worker ran: the figures were still at hand
        assert panel.incidents.text() == "2"
    assert panel.incidents.text() == "2"


@pytest.mark.parametrize("change", ["delete", "save"])
def test_a_change_is_in_the_summary_of_a_filter_seen_before_it(
    qtbot: QtBot,
    filled: MainWindow,
    answer,
    change: str,  # type: ignore[no-untyped-def]
) -> None:
    bar, panel = filled.filter_bar, filled.summary_panel
    refreshed(qtbot, filled, lambda: bar.country.setCurrentIndex(bar.country.findData("IQ")))
    assert panel.incidents.text() == "2"
    refreshed(qtbot, filled, bar.clear)
    filled.table.selectRow(0)  # "Fourth", in Iran
    if change == "delete":
        answer("confirm_delete", True)
        refreshed(qtbot, filled, filled.delete_action.trigger)  # Iraq keeps its two
        filled.table.selectRow(0)  # "Third drone", in Iraq
        refreshed(qtbot, filled, filled.delete_action.trigger)
        expected = "1"
    else:
        filled.edit_action.trigger()
        form = filled.findChildren(IncidentForm)[-1]
        qtbot.waitExposed(form)
        type_into(qtbot, field(form, "country"), "Iraq")
        refreshed(qtbot, filled, lambda: click(qtbot, form, "saveButton"))
        expected = "3"
    refreshed(qtbot, filled, lambda: bar.country.setCurrentIndex(bar.country.findData("IQ")))
    assert panel.incidents.text() == expected


def test_summary_panel_counts_outcomes_countries_and_casualties(filled: MainWindow) -> None:
    panel = filled.summary_panel
    assert panel.incidents.text() == "4"
    assert panel.killed.text() == "2–5 (1 unknown)"
    assert panel.injured.text() == "45+"
    assert {code: label.text() for code, label in panel.outcomes.items()} == {
        "intercepted": "2", "missed": "1", "hit": "1", "unknown": "0",
    }  # fmt: skip
    countries = panel.country_model
    rows = [(countries.index(r, 0).data(), countries.index(r, 1).data()) for r in range(countries.rowCount())]
    assert rows == [("Iraq", "2"), ("Iran", "1"), ("Syria", "1")]


def test_delete_moves_to_trash_and_restore_brings_back(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    answer("confirm_delete", True)
    filled.table.selectRow(1)  # "Third drone"
    assert filled.delete_action.isEnabled()
    refreshed(qtbot, filled, filled.delete_action.trigger)
    assert shown(filled, COL_TITLE) == ["Fourth", "Second", "First"]
    assert filled.summary_panel.incidents.text() == "3"
    assert filled.current_id() == filled.model.incident_id(1)  # the next row is selected, not the top

    trash = TrashDialog(repo, filled)
    qtbot.addWidget(trash)
    assert trash.model.rowCount() == 1
    assert trash.model.index(0, 2).data() == "Third drone"
    trash.table.selectRow(0)
    trash.changed.connect(filled.refresh)
    refreshed(qtbot, filled, trash.restore_button.click)
    assert shown(filled, COL_TITLE) == ["Fourth", "Third drone", "Second", "First"]
    assert trash.model.rowCount() == 0
    assert told == []


def test_declined_delete_changes_nothing(qtbot: QtBot, filled: MainWindow, answer) -> None:  # type: ignore[no-untyped-def]
    answer("confirm_delete", False)
    filled.table.selectRow(0)
    filled.delete_action.trigger()
    assert filled.repository.count() == 4


def test_purge_asks_first_and_removes_for_good(qtbot: QtBot, filled: MainWindow, repo: Repository, answer) -> None:  # type: ignore[no-untyped-def]
    repo.delete([filled.model.incident_id(0)])
    trash = TrashDialog(repo, filled)
    qtbot.addWidget(trash)
    trash.table.selectRow(0)
    answer("confirm_purge", False)
    trash.purge_button.click()
    assert len(repo.trash()) == 1
    answer("confirm_purge", True)
    trash.purge_button.click()
    assert repo.trash() == [] and repo.count() == 3


def test_export_writes_the_filtered_rows_in_table_order(qtbot: QtBot, filled: MainWindow, tmp_path: Path) -> None:
    filled.repository.add(make_draft(date_start=dt.date(2023, 11, 6), country="IQ", title='=HYPERLINK("x")'))
    bar = filled.filter_bar
    refreshed(qtbot, filled, lambda: bar.country.setCurrentIndex(bar.country.findData("IQ")))
    with qtbot.waitSignal(filled.model.loaded, timeout=WAIT_MS):
        filled.model.sort(COL_DATE, Qt.SortOrder.AscendingOrder)
    target = tmp_path / "iraq.csv"
    with qtbot.waitSignal(filled.export_finished, timeout=WAIT_MS) as finished:
        filled.start_export(target)
    assert finished.args == [target]
    with target.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["title"] for row in rows] == ["First", "Third drone", '\'=HYPERLINK("x")']
    assert {row["country"] for row in rows} == {"Iraq"}


@pytest.mark.parametrize(
    ("name", "picked", "expected"),
    [
        ("/x/iraq.geojson", "CSV (*.csv)", ("/x/iraq.geojson", ExportFormat.GEOJSON)),  # the name's extension wins
        ("/x/iraq", "Excel workbook (*.xlsx)", ("/x/iraq.xlsx", ExportFormat.XLSX)),
        ("/x/iraq.2023", "", ("/x/iraq.2023.json", ExportFormat.JSON)),  # nothing picked: the offered format
    ],
)
def test_the_export_dialogs_answer_gives_file_and_format(name: str, picked: str, expected: tuple[str, object]) -> None:
    assert not picked or picked in EXPORT_FILTERS.split(";;")
    path, export_format = export_target(name, picked, ExportFormat.JSON)
    assert (str(path), export_format) == expected


def test_export_action_writes_the_chosen_format_and_offers_it_next_time(
    qtbot: QtBot, filled: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[tuple[Path, ExportFormat]] = []

    def choose_geojson(cls, parent, suggested: Path, chosen: ExportFormat):  # type: ignore[no-untyped-def]
        offered.append((suggested, chosen))
        return tmp_path / "all.geojson", ExportFormat.GEOJSON

    monkeypatch.setattr(Ask, "export_file", classmethod(choose_geojson))
    with qtbot.waitSignal(filled.export_finished, timeout=WAIT_MS) as finished:
        filled.export_action.trigger()
    assert finished.args == [tmp_path / "all.geojson"]
    collection = json.loads((tmp_path / "all.geojson").read_text(encoding="utf-8"))
    assert [feature["properties"]["title"] for feature in collection["features"]] == [
        "Fourth", "Third drone", "Second", "First"
    ]  # fmt: skip
    with qtbot.waitSignal(filled.export_finished, timeout=WAIT_MS):
        filled.export_action.trigger()
    assert offered[0][1] is ExportFormat.CSV and offered[0][0].suffix == ".csv"
    assert offered[1][1] is ExportFormat.GEOJSON and offered[1][0].suffix == ".geojson"


def test_cancelled_export_leaves_no_file(qtbot: QtBot, window: MainWindow, repo: Repository, tmp_path: Path) -> None:
    repo.upsert_many(many_drafts(3000))
    refreshed(qtbot, window, window.refresh)
    target = tmp_path / "all.csv"
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS) as finished:
        dialog = window.start_export(target)
        dialog.canceled.emit()  # what its Cancel button does
    assert finished.args == [None]
    assert not target.exists()
    assert [path.name for path in tmp_path.iterdir() if "all.csv" in path.name] == []  # no partial file either


def test_opening_a_file_that_is_not_a_logbook_says_so_and_keeps_the_current_one(
    filled: MainWindow,
    tmp_path: Path,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    not_a_logbook = tmp_path / "incidents.sqlite3"
    not_a_logbook.write_text("uid,date_start\n1,2023-01-01\n", encoding="utf-8")
    answer("open_logbook", not_a_logbook)
    filled.open_logbook_action.trigger()
    assert len(told) == 1
    assert "incidents.sqlite3 is not a SQLite database" in told[0][1]
    assert not_a_logbook.read_text(encoding="utf-8") == "uid,date_start\n1,2023-01-01\n"
    assert filled.repository.count() == 4


def test_new_logbook_opens_empty_and_is_remembered_in_recent(
    qtbot: QtBot,
    filled: MainWindow,
    db_path: Path,
    tmp_path: Path,
    answer,  # type: ignore[no-untyped-def]
) -> None:
    fresh = tmp_path / "second.sqlite3"
    answer("new_logbook", fresh)
    refreshed(qtbot, filled, filled.new_logbook_action.trigger)
    assert "second.sqlite3" in filled.windowTitle()
    assert filled.model.rowCount() == 0
    filled.recent_menu.aboutToShow.emit()
    entries = [action.text() for action in filled.recent_menu.actions()]
    assert entries[:2] == [str(fresh.resolve()), str(db_path.resolve())]
    refreshed(qtbot, filled, filled.recent_menu.actions()[1].trigger)
    assert filled.model.rowCount() == 4


def test_trash_model_passes_the_model_tester(qtmodeltester, qtbot: QtBot, filled: MainWindow, repo: Repository) -> None:  # type: ignore[no-untyped-def]
    repo.delete([filled.model.incident_id(0), filled.model.incident_id(1)])
    trash = TrashDialog(repo, filled)
    qtbot.addWidget(trash)
    qtmodeltester.check(trash.model)
    assert trash.status.text() == "2 deleted incident(s)"


def test_every_input_and_button_has_an_accessible_name(qtbot: QtBot, filled: MainWindow, repo: Repository) -> None:
    trash = TrashDialog(repo, filled)
    qtbot.addWidget(trash)
    controls = [
        widget
        for parent in (filled, trash)
        for widget in parent.findChildren(QWidget)
        if isinstance(widget, QAbstractButton | QLineEdit | QComboBox | QDateEdit | QAbstractItemView)
        and widget.isVisibleTo(parent)
        and not isinstance(widget.parent(), QComboBox | QDateEdit | QAbstractItemView)  # parts of other controls
    ]
    assert controls
    for widget in controls:
        name = widget.accessibleName()
        if isinstance(widget, QAbstractButton) and widget.text():
            name = name or widget.text()  # a button is announced by its label
            assert name.replace("&", "") == widget.text().replace("&", ""), widget.objectName()
        assert name, f"{type(widget).__name__} {widget.objectName()!r} has no accessible name"
    labelled = [label for label in filled.filter_bar.findChildren(QLabel) if label.buddy() is not None]
    assert {label.text(): label.buddy().accessibleName() for label in labelled} == {"From": "From", "To": "To"}


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        (dt.date(2023, 11, 6), dt.date(2023, 11, 7), "day", "2023-11-06–07"),
        (dt.date(2023, 10, 27), dt.date(2023, 11, 2), "day", "2023-10-27–11-02"),
        (dt.date(2023, 12, 30), dt.date(2024, 1, 2), "day", "2023-12-30–2024-01-02"),
        (dt.date(2023, 10, 1), dt.date(2023, 11, 30), "month", "2023-10–11"),
        (dt.date(2023, 10, 1), dt.date(2023, 10, 31), "month", "2023-10"),
    ],
)
def test_a_date_range_is_shown_short_enough_for_the_date_column(
    qtbot: QtBot, window: MainWindow, repo: Repository, start: dt.date, end: dt.date, precision: str, shown: str
) -> None:
    repo.add(make_draft(date_start=start, date_end=end, date_precision=precision))
    refreshed(qtbot, window, window.refresh)
    assert window.model.index(0, COL_DATE).data() == shown
    if len(shown) <= 16:  # a range within a year fits the column, not cut off with "…"
        cell = window.table.visualRect(window.model.index(0, COL_DATE))
        assert window.table.fontMetrics().horizontalAdvance(shown) < cell.width()
