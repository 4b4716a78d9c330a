"""Undo and redo of every change through the Edit menu and the keyboard, the history view of an incident with its
earlier versions restored, and the trash; through the real window on a real logbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from logbook.domain.history import HistoryAction
from logbook.domain.mapping import FieldMapping, Mapping
from logbook.store.repository import Repository
from logbook.ui.history_view import HistoryDialog, HistoryModel
from logbook.ui.import_wizard import ImportRequest
from logbook.ui.incident_form import IncidentForm
from logbook.ui.incident_table_model import COL_OUTCOME, COL_TITLE
from logbook.ui.main_window import MainWindow
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, refreshed
from tests.gui.form_driver import choose, field, type_into
from tests.gui.test_end_to_end import open_form, save

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def titles(window: MainWindow) -> list[str]:
    return [window.model.index(row, COL_TITLE).data() for row in range(window.model.rowCount())]


@pytest.fixture
def filled(qtbot: QtBot, window: MainWindow, repo: Repository) -> MainWindow:
    for day, title, outcome in ((17, "First", "intercepted"), (26, "Second", "hit"), (30, "Third", "missed")):
        repo.add(make_draft(date_start=dt.date(2023, 10, day), title=title, outcome=outcome))
    refreshed(qtbot, window, window.refresh)
    return window


def edit_menu(window: MainWindow) -> QMenu:
    menu = window.findChild(QMenu, "editMenu")
    assert menu is not None
    return menu


def undo(qtbot: QtBot, window: MainWindow) -> None:
    """Edit › Undo, as a click on the menu entry, and wait for the table and the summary to show its result."""
    assert window.undo_action in edit_menu(window).actions() and window.undo_action.isEnabled()
    refreshed(qtbot, window, window.undo_action.trigger)


def redo(qtbot: QtBot, window: MainWindow) -> None:
    assert window.redo_action in edit_menu(window).actions() and window.redo_action.isEnabled()
    refreshed(qtbot, window, window.redo_action.trigger)


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A shortcut typed on the window (focus in the table), which must be the active window, as on a desktop."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    window.table.setFocus()
    refreshed(qtbot, window, lambda: qtbot.keyClick(window.table, key, modifiers))


def select(window: MainWindow, title: str) -> int:
    row = titles(window).index(title)
    window.table.selectRow(row)
    return window.model.incident_id(row)


def delete(qtbot: QtBot, window: MainWindow, title: str) -> int:
    """Select an incident and Edit › Delete it (the question answered yes); its id."""
    incident_id = select(window, title)
    refreshed(qtbot, window, window.delete_action.trigger)
    return incident_id


@pytest.fixture(autouse=True)
def yes_to_delete(answer) -> None:  # type: ignore[no-untyped-def]
    answer("confirm_delete", True)


# ---- the Edit menu ---------------------------------------------------------------------------------------------


def test_the_edit_menu_has_undo_and_redo_with_the_standard_keys(filled: MainWindow) -> None:
    actions = edit_menu(filled).actions()
    assert actions[:2] == [filled.undo_action, filled.redo_action]
    assert QKeySequence("Ctrl+Z") in filled.undo_action.shortcuts()
    assert filled.redo_action.shortcut() == QKeySequence("Ctrl+Shift+Z")  # shown in the menu
    assert not filled.undo_action.isEnabled() and not filled.redo_action.isEnabled()
    assert filled.undo_action.text() == "Undo"
    assert filled.history_action in actions and filled.trash_action in actions


def test_delete_is_undone_and_redone_through_the_edit_menu(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    told,  # type: ignore[no-untyped-def]
) -> None:
    delete(qtbot, filled, "Second")
    assert titles(filled) == ["Third", "First"] and filled.summary_panel.incidents.text() == "2"
    assert filled.undo_action.text() == "Undo Delete 1 incident"

    undo(qtbot, filled)
    assert titles(filled) == ["Third", "Second", "First"] and filled.summary_panel.incidents.text() == "3"
    assert filled.summary_panel.outcomes["hit"].text() == "1"
    assert filled.current_id() == filled.model.incident_id(1)  # the restored incident is selected
    assert repo.trash() == [] and filled.redo_action.text() == "Redo Delete 1 incident"
    assert "Undone: Delete 1 incident" in filled.statusBar().currentMessage()

    redo(qtbot, filled)
    assert titles(filled) == ["Third", "First"] and filled.summary_panel.outcomes["hit"].text() == "0"
    assert [entry.title for entry in repo.trash()] == ["Second"]
    assert told == []


def test_ctrl_z_and_ctrl_shift_z_on_the_window(
    qtbot: QtBot,
    filled: MainWindow,
    told,  # type: ignore[no-untyped-def]
) -> None:
    delete(qtbot, filled, "First")
    assert titles(filled) == ["Third", "Second"]

    press(qtbot, filled, Qt.Key.Key_Z, CTRL)
    assert titles(filled) == ["Third", "Second", "First"] and filled.summary_panel.incidents.text() == "3"
    press(qtbot, filled, Qt.Key.Key_Z, CTRL | SHIFT)
    assert titles(filled) == ["Third", "Second"] and filled.summary_panel.incidents.text() == "2"
    assert told == []


def test_a_new_incident_is_undone_into_the_trash_and_redone_back(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    told,  # type: ignore[no-untyped-def]
) -> None:
    form = open_form(qtbot, filled, filled.new_action.trigger)
    type_into(qtbot, field(form, "dateStart"), "2023-11-02")
    type_into(qtbot, field(form, "country"), "Syria")
    type_into(qtbot, field(form, "title"), "Fourth, typed in")
    choose(qtbot, form, "eventType", "Attack")
    save(qtbot, filled, form)
    assert titles(filled)[0] == "Fourth, typed in"
    assert filled.undo_action.text() == "Undo New incident “Fourth, typed in”"

    undo(qtbot, filled)
    assert titles(filled) == ["Third", "Second", "First"] and filled.summary_panel.incidents.text() == "3"
    assert [entry.title for entry in repo.trash()] == ["Fourth, typed in"]  # in the trash, never lost
    redo(qtbot, filled)
    assert titles(filled)[0] == "Fourth, typed in" and filled.summary_panel.incidents.text() == "4"
    assert filled.current_id() == filled.model.incident_id(0)
    assert told == []


def test_an_edit_is_undone_and_redone_field_by_field(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    told,  # type: ignore[no-untyped-def]
) -> None:
    incident_id = select(filled, "Second")
    form = open_form(qtbot, filled, filled.edit_action.trigger)
    type_into(qtbot, field(form, "title"), "Second, corrected")
    choose(qtbot, form, "outcome", "Intercepted")
    save(qtbot, filled, form)
    assert titles(filled) == ["Third", "Second, corrected", "First"]
    assert filled.summary_panel.outcomes["hit"].text() == "0"
    assert filled.undo_action.text() == "Undo Edit “Second, corrected”"

    undo(qtbot, filled)
    assert titles(filled) == ["Third", "Second", "First"]
    assert filled.model.index(1, COL_OUTCOME).data() == "Hit" and filled.summary_panel.outcomes["hit"].text() == "1"
    stored = repo.get(incident_id)
    assert (stored.title, stored.outcome, stored.version) == ("Second", "hit", 3)
    redo(qtbot, filled)
    assert titles(filled) == ["Third", "Second, corrected", "First"]
    assert filled.summary_panel.outcomes["intercepted"].text() == "2"
    history = repo.history(incident_id)
    assert [entry.action for entry in history] == [HistoryAction.CREATED] + [HistoryAction.EDITED] * 3
    assert told == []


def test_a_save_that_changes_nothing_is_no_undo_step(
    qtbot: QtBot,
    filled: MainWindow,
) -> None:
    select(filled, "Second")
    form = open_form(qtbot, filled, filled.edit_action.trigger)
    save(qtbot, filled, form)
    assert filled.undo_stack.count() == 0 and not filled.undo_action.isEnabled()


def test_restore_from_the_trash_is_undone_and_redone(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    told,  # type: ignore[no-untyped-def]
) -> None:
    repo.delete([select(filled, "First"), select(filled, "Second")])
    refreshed(qtbot, filled, filled.refresh)
    trash = filled.show_trash()
    qtbot.waitExposed(trash)
    trash.table.selectAll()  # one or many at once
    refreshed(qtbot, filled, trash.restore_button.click)
    assert titles(filled) == ["Third", "Second", "First"] and trash.model.rowCount() == 0
    assert filled.undo_action.text() == "Undo Restore 2 incidents from the trash"
    trash.close()

    undo(qtbot, filled)
    assert titles(filled) == ["Third"] and filled.summary_panel.incidents.text() == "1"
    assert sorted(entry.title or "" for entry in repo.trash()) == ["First", "Second"]
    redo(qtbot, filled)
    assert titles(filled) == ["Third", "Second", "First"] and repo.trash() == []
    assert told == []


def test_undo_of_an_import_moves_what_it_added_to_the_trash(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    tmp_path: Path,
    told,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "tracker.csv"
    path.write_text("Date,Country,Type,Title\n2023-11-04,Syria,strike,Imported one\n2023-11-05,Iraq,attack,"
                    "Imported two\n", encoding="utf-8")  # fmt: skip
    mapping = Mapping(
        fields={name: FieldMapping(columns=(column,)) for name, column in (
            ("date_start", "Date"), ("country", "Country"), ("event_type", "Type"), ("title", "Title"))},
    )  # fmt: skip
    with qtbot.waitSignals([filled.import_finished, filled.model.loaded, filled.summary_shown], timeout=WAIT_MS):
        filled.start_import(ImportRequest(path, mapping, skip_duplicates=False))
    assert titles(filled)[:2] == ["Imported two", "Imported one"] and filled.summary_panel.incidents.text() == "5"
    assert filled.undo_action.text() == "Undo Import tracker.csv"

    undo(qtbot, filled)
    assert titles(filled) == ["Third", "Second", "First"] and filled.summary_panel.incidents.text() == "3"
    assert sorted(entry.title or "" for entry in repo.trash()) == ["Imported one", "Imported two"]
    (entry,) = repo.imports()
    assert (entry.added, entry.live) == (2, 0)
    redo(qtbot, filled)
    assert titles(filled)[:2] == ["Imported two", "Imported one"] and repo.trash() == []
    assert told == []


def test_a_failed_undo_is_told_and_leaves_the_stack_consistent(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    told,  # type: ignore[no-untyped-def]
) -> None:
    delete(qtbot, filled, "First")  # step 1
    incident_id = select(filled, "Second")
    form = open_form(qtbot, filled, filled.edit_action.trigger)
    type_into(qtbot, field(form, "title"), "Second, mine")
    save(qtbot, filled, form)  # step 2
    assert filled.undo_stack.count() == 2

    other = Repository(repo.engine, user="someone-else")  # another editor changes it meanwhile
    draft = other.get(incident_id)
    draft.title = "Second, theirs"
    other.update(incident_id, draft)

    undo(qtbot, filled)
    assert len(told) == 1 and told[0][0] == "Undo"
    assert "Could not undo: Edit “Second, mine”" in told[0][1] and "changed elsewhere" in told[0][1]
    assert repo.get(incident_id).title == "Second, theirs"  # their change stays
    assert "Second, theirs" in titles(filled)
    assert filled.undo_stack.count() == 1 and filled.undo_stack.index() == 1  # the failed step is gone
    assert filled.undo_action.text() == "Undo Delete 1 incident" and not filled.redo_action.isEnabled()

    undo(qtbot, filled)  # the earlier step still works
    assert "First" in titles(filled) and len(told) == 1


def test_undo_of_a_delete_purged_meanwhile_is_told(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    told,  # type: ignore[no-untyped-def]
) -> None:
    incident_id = delete(qtbot, filled, "First")
    repo.purge([incident_id])  # emptied from the trash (by another window) before the undo
    undo(qtbot, filled)
    assert told == [("Undo", told[0][1])] and "1 incident has been deleted for good meanwhile" in told[0][1]
    assert titles(filled) == ["Third", "Second"]
    assert filled.undo_stack.count() == 0 and not filled.undo_action.isEnabled() and not filled.redo_action.isEnabled()


def test_switching_logbooks_empties_the_undo_stack(
    qtbot: QtBot,
    filled: MainWindow,
    tmp_path: Path,
) -> None:
    delete(qtbot, filled, "First")
    assert filled.undo_action.isEnabled()
    with qtbot.waitSignals([filled.model.loaded, filled.summary_shown], timeout=WAIT_MS):
        assert filled.switch_to(tmp_path / "other.sqlite3")
    assert filled.undo_stack.count() == 0 and not filled.undo_action.isEnabled()


# ---- the history view ------------------------------------------------------------------------------------------


def rows_of(dialog: HistoryDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def test_the_form_shows_the_history_and_restores_an_earlier_version(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    incident_id = select(filled, "Second")
    alice = Repository(repo.engine, user="alice")
    draft = alice.get(incident_id)
    draft.title, draft.killed_min, draft.killed_max = "Second, revised", None, None
    alice.update(incident_id, draft)
    refreshed(qtbot, filled, filled.refresh)
    form = open_form(qtbot, filled, filled.edit_action.trigger)

    dialog = form.show_history()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "History — Second, revised"
    rows = rows_of(dialog)
    user = repo.user
    assert rows[0][:5] == (rows[0][0], "alice", "Edited", "2", "Killed (at least)")  # newest first
    assert rows[0][5:] == ("0", "—")
    assert rows[1][1:] == ("", "", "", "Killed (at most)", "0", "—")  # the same change: said once
    assert rows[2][4:] == ("Title", "Second", "Second, revised")
    assert rows[3][1:5] == (user, "Created", "1", "Start date") and rows[3][5:] == ("—", "2023-10-26")
    assert ("", "", "", "", "Country", "—", "Iraq") in [row[:] for row in rows]
    assert dialog.status.text() == "2 changes, newest first."
    assert not dialog.restore_button.isEnabled()  # the newest change is the current version

    dialog.table.selectRow(5)  # a row of the creation: the whole change is selected
    assert dialog.selected_entry() is not None and dialog.selected_entry().action is HistoryAction.CREATED
    assert len(dialog.table.selectionModel().selectedRows()) == dialog.model.entry_rows(dialog.selected_entry())[1]
    assert dialog.restore_button.isEnabled()
    answer("confirm_restore_version", False)
    dialog.restore_button.click()
    assert repo.get(incident_id).title == "Second, revised"

    answer("confirm_restore_version", True)
    with qtbot.waitSignals([filled.model.loaded, filled.summary_shown], timeout=WAIT_MS):
        dialog.restore_button.click()
    stored = repo.get(incident_id)
    assert (stored.title, stored.killed_min, stored.version) == ("Second", 0, 3)
    assert field(form, "title").text() == "Second" and not form.has_unsaved_edits()  # the form shows it
    assert "Second" in titles(filled) and filled.summary_panel.killed.text() == "0"
    newest = repo.history(incident_id)[-1]
    assert newest.action is HistoryAction.REVERTED and newest.reverted_to == 1 and newest.changed_by == user
    assert rows_of(dialog)[0][1:4] == (user, "Version 1 restored", "3")
    assert filled.undo_action.text() == "Undo Restore an earlier version of “Second”"
    dialog.close()

    save(qtbot, filled, form)  # the form saves on top of the restored version, no conflict
    assert told == []
    undo(qtbot, filled)  # the restore is undone from the window
    assert repo.get(incident_id).title == "Second, revised" and "Second, revised" in titles(filled)
    assert filled.summary_panel.killed.text() == "0 (1 unknown)"


def test_restoring_a_version_asks_before_unsaved_edits_in_the_form_are_lost(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    answer,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from logbook.ui.incident_form import ConfirmDiscard

    incident_id = select(filled, "Third")
    draft = repo.get(incident_id)
    draft.title = "Third, revised"
    repo.update(incident_id, draft)
    form = IncidentForm(repo, incident_id, filled)
    qtbot.addWidget(form)
    type_into(qtbot, field(form, "title"), "Typed but not saved")
    dialog = form.show_history()
    assert dialog is not None
    dialog.select_entry(dialog.model.entry(dialog.model.rowCount() - 1))  # the creation
    answer("confirm_restore_version", True)
    replies: list[bool] = [False, True]
    monkeypatch.setattr(ConfirmDiscard, "ask", classmethod(lambda cls, parent: replies.pop(0)))

    dialog.restore_button.click()  # "keep my edits"
    assert repo.get(incident_id).title == "Third, revised" and field(form, "title").text() == "Typed but not saved"
    dialog.restore_button.click()  # "discard them"
    assert replies == []
    assert repo.get(incident_id).title == "Third" and field(form, "title").text() == "Third"
    assert not form.has_unsaved_edits()


def test_edit_history_opens_for_the_selected_incident_and_lists_trash_and_purge(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
) -> None:
    incident_id = select(filled, "First")
    assert filled.history_action.isEnabled()
    dialog = filled.show_history()
    assert isinstance(dialog, HistoryDialog)
    qtbot.addWidget(dialog)
    assert [row[2] for row in rows_of(dialog) if row[2]] == ["Created"]
    dialog.close()

    repo.delete([incident_id])
    repo.restore([incident_id])
    repo.delete([incident_id])
    repo.purge([incident_id])
    gone = HistoryDialog(repo, incident_id, filled)
    qtbot.addWidget(gone)
    assert [row[2] for row in rows_of(gone) if row[2]] == [
        "Deleted for good", "Moved to the trash", "Restored from the trash", "Moved to the trash", "Created",
    ]  # fmt: skip
    assert gone.windowTitle() == "History — First" and "deleted for good" in gone.status.text()
    gone.select_entry(gone.model.entry(gone.model.rowCount() - 1))
    assert not gone.restore_button.isEnabled()


def test_an_incident_from_before_the_history_says_so(qtbot: QtBot, filled: MainWindow, repo: Repository) -> None:
    incident_id = select(filled, "First")
    with repo.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM incident_history")
    dialog = HistoryDialog(repo, incident_id, filled)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and "before this logbook kept a history" in dialog.status.text()


def test_the_history_model_passes_the_model_tester(
    qtmodeltester,
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,  # type: ignore[no-untyped-def]
) -> None:
    incident_id = select(filled, "First")
    draft = repo.get(incident_id)
    draft.tags, draft.notes = ["a", "b"], "Notes"
    repo.update(incident_id, draft)
    dialog = HistoryDialog(repo, incident_id, filled)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert isinstance(dialog.model, HistoryModel)


def test_every_button_of_the_history_view_has_an_accessible_name(
    qtbot: QtBot, filled: MainWindow, repo: Repository
) -> None:
    dialog = HistoryDialog(repo, select(filled, "First"), filled)
    qtbot.addWidget(dialog)
    for widget in dialog.findChildren(QWidget):
        if widget.metaObject().className() in ("QPushButton", "QTableView"):
            assert widget.accessibleName(), widget.objectName()


# ---- the trash ---------------------------------------------------------------------------------------------


def test_the_trash_lists_when_each_was_deleted_and_empty_trash_asks_with_the_count(
    qtbot: QtBot,
    filled: MainWindow,
    repo: Repository,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from logbook.domain import record

    monkeypatch.setattr(record, "utc_now", lambda: "2023-11-06T09:30:00Z")
    monkeypatch.setattr("logbook.store.repository.utc_now", lambda: "2023-11-06T09:30:00Z")
    repo.delete([select(filled, "First"), select(filled, "Second")])
    trash = filled.show_trash()
    qtbot.waitExposed(trash)
    model = trash.model
    assert model.headerData(model.COL_DELETED, Qt.Orientation.Horizontal) == "Deleted (UTC)"
    assert [model.index(row, model.COL_DELETED).data() for row in range(2)] == ["2023-11-06 09:30:00"] * 2
    assert trash.empty_button.isEnabled() and trash.empty_button.accessibleName() == "Empty trash"

    counts: list[int] = []

    def ask(reply: bool) -> None:
        monkeypatch.setattr(
            "logbook.ui.dialogs.Ask.confirm_empty_trash",
            classmethod(lambda cls, parent, count: counts.append(count) or reply),
        )

    ask(False)
    trash.empty_button.click()
    assert counts == [2] and len(repo.trash()) == 2
    ask(True)
    with qtbot.waitSignals([filled.model.loaded, filled.summary_shown], timeout=WAIT_MS):
        trash.empty_button.click()
    assert counts == [2, 2] and repo.trash() == [] and repo.count() == 1
    assert trash.status.text() == "The trash is empty." and not trash.empty_button.isEnabled()
    trash.close()
