"""First run: an empty logbook welcomes with what to do next, a filter that matches nothing says so with the way
back, and the sample logbook opens as a copy that leaves the shipped file as it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from logbook import paths
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from logbook.ui.import_wizard import ImportWizard
from logbook.ui.incident_form import IncidentForm
from logbook.ui.incident_table_model import COL_TITLE
from logbook.ui.main_window import MainWindow
from logbook.ui.resources import resource_path
from logbook.ui.welcome import TableState
from tests.conftest import make_draft
from tests.gui.conftest import refreshed
from tests.gui.form_driver import WAIT_MS, choose, field, type_into

SAMPLE_TITLES = {
    "[Sample] US strikes on two facilities in eastern Syria",
    "[Sample] Drone attack on US forces in Iraq (1 of 2): no casualties, did not reach its target",
    "[Sample] Drone attack on US forces in Iraq (2 of 2): no casualties, did not reach its target",
}


def titles(window: MainWindow) -> set[str]:
    return {window.model.index(row, COL_TITLE).data() for row in range(window.model.rowCount())}


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_empty_logbook_shows_the_welcome_with_three_buttons(qtbot: QtBot, window: MainWindow) -> None:
    area = window.table_area
    assert area.state is TableState.EMPTY_LOGBOOK
    assert area.welcome.isVisible()
    assert not window.table.isVisible()
    assert area.welcome.heading.text() == "This logbook is empty"
    buttons = area.welcome.buttons
    assert [button.text() for button in buttons] == ["New incident", "Import a file…", "Open the sample logbook"]
    for button in buttons:
        assert button.isVisible() and button.isEnabled()
        assert button.accessibleName() and button.accessibleDescription()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert "Ctrl+N" in buttons[0].accessibleDescription()
    assert "Ctrl+I" in buttons[1].accessibleDescription()
    assert window.focusWidget() is buttons[0]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    buttons[0].setFocus()
    for following in buttons[1:]:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert window.focusWidget() is following


def test_new_incident_from_the_welcome_shows_the_table_and_deleting_it_welcomes_again(
    qtbot: QtBot,
    window: MainWindow,
    answer,  # type: ignore[no-untyped-def]
) -> None:
    click(qtbot, window.table_area.welcome.buttons[0])
    form = window.findChildren(IncidentForm)[-1]
    qtbot.waitExposed(form)
    type_into(qtbot, field(form, "dateStart"), "2023-11-02")
    type_into(qtbot, field(form, "country"), "Iraq")
    type_into(qtbot, field(form, "title"), "The first incident")
    choose(qtbot, form, "eventType", "Attack")
    refreshed(qtbot, window, lambda: qtbot.mouseClick(field(form, "saveButton"), Qt.MouseButton.LeftButton))
    assert window.table_area.state is TableState.ROWS
    assert window.table.isVisible()
    assert titles(window) == {"The first incident"}

    answer("confirm_delete", True)
    window.table.selectRow(0)
    refreshed(qtbot, window, window.delete_action.trigger)
    assert window.table_area.state is TableState.EMPTY_LOGBOOK
    assert window.table_area.welcome.isVisible()


def test_import_from_the_welcome_opens_the_import_wizard(qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window.table_area.welcome.buttons[1])
    wizards = window.findChildren(ImportWizard)
    assert len(wizards) == 1
    qtbot.waitExposed(wizards[0])
    wizards[0].close()


def test_a_filter_that_matches_nothing_says_so_and_clear_filters_brings_the_rows_back(
    qtbot: QtBot, window: MainWindow, repo: Repository
) -> None:
    repo.add(make_draft(title="Drone attack on Ain al-Asad"))
    repo.add(make_draft(title="Rocket attack on Erbil", weapon="rocket"))
    refreshed(qtbot, window, window.refresh)
    assert window.table_area.state is TableState.ROWS

    window.filter_bar.search.setFocus()
    with qtbot.waitSignals([window.model.loaded, window.summary_shown], timeout=WAIT_MS):
        qtbot.keyClicks(window.filter_bar.search, "mortar")
    area = window.table_area
    assert area.state is TableState.NO_MATCH
    assert area.no_match.isVisible() and not area.welcome.isVisible()
    assert "2 incident" in area.no_match.text.text()
    assert window.focusWidget() is window.filter_bar.search  # typing a filter keeps its focus

    [clear] = area.no_match.buttons
    assert clear.text() == "Clear filters" and clear.accessibleName()
    refreshed(qtbot, window, lambda: click(qtbot, clear))
    assert area.state is TableState.ROWS
    assert titles(window) == {"Drone attack on Ain al-Asad", "Rocket attack on Erbil"}


def test_a_filtered_empty_logbook_still_welcomes(qtbot: QtBot, window: MainWindow) -> None:
    """No incident at all is an empty logbook whatever the filter, not a filter that hides them."""
    with qtbot.waitSignals([window.model.loaded, window.summary_shown], timeout=WAIT_MS):
        qtbot.keyClicks(window.filter_bar.search, "drone")
    assert window.table_area.state is TableState.EMPTY_LOGBOOK


def test_open_sample_opens_a_copy_and_leaves_the_shipped_file_as_it_was(
    qtbot: QtBot,
    window: MainWindow,
    told: list[tuple[str, str]],
) -> None:
    shipped = resource_path("sample-logbook.sqlite3")
    before = shipped.read_bytes()
    refreshed(qtbot, window, lambda: click(qtbot, window.table_area.welcome.buttons[2]))
    assert window.target == paths.sample_copy()
    assert "Sample logbook" in window.windowTitle()
    assert window.table_area.state is TableState.ROWS
    assert titles(window) == SAMPLE_TITLES
    assert window.summary_panel.incidents.text() == "3"

    window.repository.delete([window.model.incident_id(0)])  # the copy takes changes...
    assert shipped.read_bytes() == before  # ...the shipped file does not
    assert told == []


def test_an_existing_copy_is_kept_or_replaced_as_asked(
    qtbot: QtBot,
    window: MainWindow,
    db_path: Path,
    answer,  # type: ignore[no-untyped-def]
) -> None:
    refreshed(qtbot, window, window.open_sample_action.trigger)
    window.repository.delete([window.model.incident_id(0)])
    refreshed(qtbot, window, window.refresh)
    assert len(titles(window)) == 2
    refreshed(qtbot, window, lambda: window.switch_to(db_path))
    assert window.table_area.state is TableState.EMPTY_LOGBOOK  # switching logbooks decides again

    answer("sample_copy", None)
    assert not window.open_sample()
    assert window.target == db_path

    answer("sample_copy", "existing")
    refreshed(qtbot, window, window.open_sample_action.trigger)
    assert len(titles(window)) == 2  # the user's edit is still there

    answer("sample_copy", "fresh")  # while the copy is open in this window
    refreshed(qtbot, window, window.open_sample_action.trigger)
    assert titles(window) == SAMPLE_TITLES
    assert window.repository.count() == 3
    assert not paths.sample_copy().with_name(paths.sample_copy().name + ".new").exists()


def test_the_file_menu_offers_the_sample_below_open_recent(window: MainWindow) -> None:
    [file_menu] = [action.menu() for action in window.menuBar().actions() if action.text() == "&File"]
    entries = [action for action in file_menu.actions() if not action.isSeparator()]
    recent = next(index for index, action in enumerate(entries) if action.menu() is window.recent_menu)
    assert entries[recent + 1] is window.open_sample_action


def test_a_read_only_empty_logbook_offers_only_the_sample(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    open_logbook(empty).dispose()
    refreshed(qtbot, window, lambda: window.switch_to(empty, read_only=True))
    new, import_, sample = window.table_area.welcome.buttons
    assert not new.isEnabled() and not import_.isEnabled()
    assert sample.isEnabled()
