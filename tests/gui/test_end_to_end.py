"""One incident's life through the real window, as a user lives it: typed into the form, found in the table and
the summary, edited with Enter, deleted, and restored from the trash."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from logbook.store.repository import Repository
from logbook.ui.incident_form import IncidentForm
from logbook.ui.incident_table_model import COL_COUNTRY, COL_INJURED, COL_KILLED, COL_TITLE
from logbook.ui.main_window import MainWindow
from logbook.ui.trash_dialog import TrashDialog
from tests.gui.conftest import refreshed
from tests.gui.form_driver import WAIT_MS, choose, field, type_into


def open_form(qtbot: QtBot, window: MainWindow, trigger) -> IncidentForm:  # type: ignore[no-untyped-def]
    trigger()
    form = window.findChildren(IncidentForm)[-1]
    qtbot.waitExposed(form)
    return form


def save(qtbot: QtBot, window: MainWindow, form: IncidentForm) -> None:
    """Click Save and wait until the table and the summary show the result."""
    refreshed(qtbot, window, lambda: qtbot.mouseClick(field(form, "saveButton"), Qt.MouseButton.LeftButton))


def row_text(window: MainWindow, row: int, column: int) -> str:
    return window.model.index(row, column).data()


def test_enter_find_edit_delete_and_restore_an_incident(
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    form = open_form(qtbot, window, window.new_action.trigger)
    type_into(qtbot, field(form, "dateStart"), "2023-11-02")
    type_into(qtbot, field(form, "country"), "Syria")
    type_into(qtbot, field(form, "location"), "al-Tanf garrison")
    type_into(qtbot, field(form, "title"), "Two drones at al-Tanf")
    choose(qtbot, form, "eventType", "Attack")
    choose(qtbot, form, "weapon", "Drone")
    choose(qtbot, form, "outcome", "Intercepted")
    choose(qtbot, form, "killedMode", "Exactly")
    type_into(qtbot, field(form, "killedMin"), "0")
    choose(qtbot, form, "injuredMode", "At least")
    type_into(qtbot, field(form, "injuredMin"), "3")
    save(qtbot, window, form)

    assert window.model.rowCount() == 1
    assert [row_text(window, 0, c) for c in (COL_COUNTRY, COL_KILLED, COL_INJURED, COL_TITLE)] == [
        "Syria", "0", "3+", "Two drones at al-Tanf",
    ]  # fmt: skip
    assert window.count_label.text() == "1 of 1 incidents"
    panel = window.summary_panel
    assert (panel.incidents.text(), panel.killed.text(), panel.injured.text()) == ("1", "0", "3+")
    assert panel.outcomes["intercepted"].text() == "1"
    assert window.table.selectionModel().selectedRows()[0].row() == 0  # the new incident is selected

    # Enter on the selected row opens it for editing
    window.table.setFocus()
    form = open_form(qtbot, window, lambda: qtbot.keyClick(window.table, Qt.Key.Key_Return))
    assert form.windowTitle().startswith("Edit incident")
    assert field(form, "title").text() == "Two drones at al-Tanf"
    choose(qtbot, form, "injuredMode", "Unknown")
    type_into(qtbot, field(form, "title"), "Two drones at al-Tanf, none reached the base")
    save(qtbot, window, form)
    assert row_text(window, 0, COL_TITLE) == "Two drones at al-Tanf, none reached the base"
    assert row_text(window, 0, COL_INJURED) == "?"
    assert panel.injured.text() == "0 (1 unknown)"
    assert repo.count() == 1

    answer("confirm_delete", True)
    window.activateWindow()  # shortcuts reach the active window only, as on a desktop
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    window.table.setFocus()
    window.table.selectRow(0)
    refreshed(qtbot, window, lambda: qtbot.keyClick(window.table, Qt.Key.Key_Delete))
    assert window.model.rowCount() == 0
    assert panel.incidents.text() == "0"
    assert "trash" in window.statusBar().currentMessage()

    window.trash_action.trigger()
    trash = window.findChild(TrashDialog)
    qtbot.waitExposed(trash)
    trash.table.selectRow(0)
    refreshed(qtbot, window, trash.restore_button.click)
    assert row_text(window, 0, COL_TITLE) == "Two drones at al-Tanf, none reached the base"
    assert panel.incidents.text() == "1"
    trash.close()
    assert told == []
    qtbot.waitUntil(lambda: not QApplication.activeModalWidget(), timeout=WAIT_MS)
