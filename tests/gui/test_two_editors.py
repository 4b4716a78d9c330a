"""Two editors on one logbook: each window shows the other's saves, a save over someone else's is merged field
by field, and a busy logbook is told in words."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.domain.record import IncidentDraft
from logbook.store import engine as engine_module
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from logbook.ui.change_watcher import ChangeWatcher
from logbook.ui.conflict_dialog import COL_THEIRS, COL_YOURS, ConflictDialog, Side
from logbook.ui.incident_form import IncidentForm
from logbook.ui.incident_table_model import COL_TITLE
from logbook.ui.main_window import MainWindow
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, open_window, refreshed
from tests.gui.form_driver import choose, click, field, save, type_into

POLL_MS = 30
Told = list[tuple[str, str]]
Answer = Callable[[str, object], None]


@pytest.fixture
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows made from now on look for others' changes every POLL_MS, active or not (the app: 1 s and 5 s)."""
    monkeypatch.setattr(ChangeWatcher, "ACTIVE_MS", POLL_MS)
    monkeypatch.setattr(ChangeWatcher, "INACTIVE_MS", POLL_MS)


@pytest.fixture
def watched(qtbot: QtBot, fast_polls: None, repo: Repository, db_path: Path, told: Told) -> Iterator[MainWindow]:
    for day in range(1, 5):
        repo.add(make_draft(date_start=dt.date(2023, 11, day), title=f"Day {day}"))
    main_window = open_window(qtbot, repo, db_path)
    yield main_window
    main_window.close()


def titles(window: MainWindow) -> list[str]:
    return [window.model.index(row, COL_TITLE).data() for row in range(window.model.rowCount())]


# ---- seeing each other's changes ------------------------------------------------------------------------------


def test_a_save_elsewhere_shows_without_a_refresh_keeping_the_selection(
    qtbot: QtBot, watched: MainWindow, other: Repository, told: Told
) -> None:
    window = watched
    assert titles(window) == ["Day 4", "Day 3", "Day 2", "Day 1"]
    window.table.selectRow(2)
    selected = window.current_id()
    assert window.summary_panel.incidents.text() == "4"

    other.add(make_draft(date_start=dt.date(2023, 11, 10), title="Added elsewhere", killed_min=3, killed_max=3))
    day_4 = window.model.incident_id(0)
    changed = other.get(day_4)
    changed.title = "Day 4, corrected elsewhere"
    other.update(day_4, changed)

    qtbot.waitUntil(lambda: titles(window)[:2] == ["Added elsewhere", "Day 4, corrected elsewhere"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.summary_panel.incidents.text() == "5", timeout=WAIT_MS)
    assert window.current_id() == selected and window.table.selectionModel().selectedRows()[0].row() == 3
    assert window.summary_panel.killed.text().startswith("3")
    assert told == []


def test_two_windows_see_each_others_saves(
    qtbot: QtBot, fast_polls: None, repo: Repository, other: Repository, db_path: Path, answer: Answer, told: Told
) -> None:
    repo.add(make_draft(title="Shared"))
    first, second = open_window(qtbot, repo, db_path), open_window(qtbot, other, db_path)

    first.table.selectRow(0)
    first.edit_action.trigger()
    form = first.findChildren(IncidentForm)[-1]
    qtbot.waitExposed(form)
    type_into(qtbot, field(form, "title"), "Edited in the first window")
    save(qtbot, form)
    qtbot.waitUntil(lambda: titles(second) == ["Edited in the first window"], timeout=WAIT_MS)

    answer("confirm_delete", True)
    second.table.selectRow(0)
    second.delete_action.trigger()
    qtbot.waitUntil(lambda: titles(first) == [] and first.summary_panel.incidents.text() == "0", timeout=WAIT_MS)
    assert told == []
    for window in (first, second):
        window.close()


def test_a_reload_for_a_change_elsewhere_keeps_the_scroll_position(
    qtbot: QtBot, fast_polls: None, repo: Repository, other: Repository, db_path: Path
) -> None:
    repo.add_many(make_draft(date_start=dt.date(2020, 1, 1) + dt.timedelta(days=n), title=f"N{n}") for n in range(300))
    window = open_window(qtbot, repo, db_path)
    window.resize(900, 500)
    scroll_bar = window.table.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll_bar.maximum() > 200, timeout=WAIT_MS)
    window.table.selectRow(150)
    scroll_bar.setValue(140)
    selected = window.current_id()

    with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
        other.add(make_draft(date_start=dt.date(2019, 1, 1), title="Oldest, added elsewhere"))  # the last row

    qtbot.wait(50)  # the view lays itself out again after the reset
    assert window.model.rowCount() == 301
    assert window.current_id() == selected and scroll_bar.value() == 140
    window.close()


def test_own_saves_do_not_reload_the_window(qtbot: QtBot, watched: MainWindow, repo: Repository) -> None:
    loads: list[bool] = []
    watched.model.loaded.connect(lambda: loads.append(True))
    repo.add(make_draft(title="Own"))  # in the window's thread, as its form and its undo do
    qtbot.wait(POLL_MS * 5)
    assert loads == []


# ---- a save over someone else's ---------------------------------------------------------------------------------


@pytest.fixture
def edited(qtbot: QtBot, repo: Repository, other: Repository) -> tuple[IncidentForm, int]:
    """A form in which the user changed the title and the notes, while someone else saved the incident with
    another title and another outcome."""
    incident_id = repo.add(make_draft(notes="Two drones."))
    form = IncidentForm(repo, incident_id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    type_into(qtbot, field(form, "title"), "My title")
    notes = field(form, "notes")
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(notes, " Both intercepted.")
    theirs = other.get(incident_id)
    theirs.title, theirs.outcome = "Their title", "hit"
    other.update(incident_id, theirs)
    return form, incident_id


def merging(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, act: Callable[[ConflictDialog], None]
) -> list[ConflictDialog]:
    """ConflictDialog.ask builds the real dialog, shows it (never exec) and lets ``act`` click in it."""
    dialogs: list[ConflictDialog] = []

    def ask(
        cls: type[ConflictDialog], parent: QWidget, theirs: IncidentDraft, yours: IncidentDraft, opened: IncidentDraft
    ) -> IncidentDraft | None:
        dialog = cls(theirs, yours, opened)  # no parent: qtbot, not the form, owns it
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialogs.append(dialog)
        act(dialog)
        return dialog.merged

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(ask))
    return dialogs


def rows(dialog: ConflictDialog) -> list[tuple[str, str, str, str, Side]]:
    return [(row.label, row.changed_by, row.theirs, row.yours, row.choice) for row in dialog.model.rows]


def cell_centre(dialog: ConflictDialog, row: int, column: int) -> QPoint:
    return dialog.table.visualRect(dialog.model.index(row, column)).center()


def test_conflict_shows_both_versions_and_saves_the_merge(
    qtbot: QtBot,
    edited: tuple[IncidentForm, int],
    repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: ModelTester,
) -> None:
    form, incident_id = edited

    def keep_their_title(dialog: ConflictDialog) -> None:
        qtmodeltester.check(dialog.model)
        title_row = next(n for n, row in enumerate(dialog.model.rows) if row.label == "Title")
        qtbot.mouseClick(
            dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(dialog, title_row, COL_THEIRS)
        )
        click(qtbot, dialog, "saveMergedButton")

    dialogs = merging(monkeypatch, qtbot, keep_their_title)
    saved_id = save(qtbot, form)

    (dialog,) = dialogs
    assert rows(dialog) == [
        ("Title", "Both", "Their title", "My title", Side.THEIRS),  # clicked: it was "yours" first
        ("Outcome", "Them", "Hit", "Intercepted", Side.THEIRS),
        ("Notes", "You", "Two drones.", "Two drones. Both intercepted.", Side.YOURS),
    ]
    assert saved_id == incident_id and not form.isVisible()
    stored = repo.get(incident_id)
    assert (stored.title, stored.outcome, stored.notes) == ("Their title", "hit", "Two drones. Both intercepted.")
    assert stored.version == 3 and form.saved_over_conflict


@pytest.mark.parametrize(
    ("button", "expected", "version"),
    [
        ("keepMineButton", ("My title", "intercepted", "Two drones. Both intercepted."), 3),
        ("keepTheirsButton", ("Their title", "hit", "Two drones."), 2),  # nothing written over theirs
    ],
)
def test_keep_mine_or_theirs_takes_one_version_whole(
    qtbot: QtBot,
    edited: tuple[IncidentForm, int],
    repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
    button: str,
    expected: tuple[str, str, str],
    version: int,
) -> None:
    form, incident_id = edited
    merging(monkeypatch, qtbot, lambda dialog: click(qtbot, dialog, button))
    save(qtbot, form)
    stored = repo.get(incident_id)
    assert (stored.title, stored.outcome, stored.notes) == expected and stored.version == version
    assert field(form, "title").text() == expected[0]  # the form shows what is stored


def test_a_merge_that_is_not_a_valid_incident_is_refused_in_the_dialog(
    qtbot: QtBot, repo: Repository, other: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = repo.add(make_draft())  # 2 November 2023, a single day
    form = IncidentForm(repo, incident_id)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, field(form, "dateEnd"), "2023-11-03")
    theirs = other.get(incident_id)
    theirs.date_start = dt.date(2023, 11, 5)
    other.update(incident_id, theirs)

    def first_merge_then_fix(dialog: ConflictDialog) -> None:
        click(qtbot, dialog, "saveMergedButton")  # their start, my end: end before start
        assert dialog.merged is None and dialog.isVisible()
        assert dialog.problem.isVisibleTo(dialog) and "end date" in dialog.problem.text()
        dialog.model.choose(0, Side.YOURS)  # my start date, with my end date
        click(qtbot, dialog, "saveMergedButton")

    dialogs = merging(monkeypatch, qtbot, first_merge_then_fix)
    save(qtbot, form)
    assert [(row.label, row.choice) for row in dialogs[0].model.rows] == [
        ("Start date", Side.YOURS),
        ("End date", Side.YOURS),
    ]
    stored = repo.get(incident_id)
    assert (stored.date_start, stored.date_end, stored.version) == (dt.date(2023, 11, 2), dt.date(2023, 11, 3), 3)


def test_a_save_between_the_dialog_and_the_merge_is_merged_again(
    qtbot: QtBot, edited: tuple[IncidentForm, int], repo: Repository, other: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    form, incident_id = edited

    def keep_mine_while_a_third_saves(dialog: ConflictDialog) -> None:
        if len(dialogs) == 1:
            third = other.get(incident_id)
            third.damage = "major"
            other.update(incident_id, third)
        click(qtbot, dialog, "keepMineButton")

    dialogs = merging(monkeypatch, qtbot, keep_mine_while_a_third_saves)
    save(qtbot, form)
    assert len(dialogs) == 2
    # compared with what the first dialog showed as theirs: only the damage is their new change
    assert [(row.label, row.changed_by) for row in dialogs[1].model.rows] == [
        ("Title", "You"),
        ("Outcome", "You"),
        ("Damage", "Them"),
        ("Notes", "You"),
    ]
    stored = repo.get(incident_id)
    assert (stored.title, stored.damage, stored.version) == ("My title", "unknown", 4)


def test_a_merged_save_from_the_window_reads_the_summary_again(
    qtbot: QtBot, watched: MainWindow, other: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = watched
    window.table.selectRow(0)
    window.edit_action.trigger()
    form = window.findChildren(IncidentForm)[-1]
    qtbot.waitExposed(form)
    type_into(qtbot, field(form, "title"), "Mine")
    incident_id = window.current_id()
    assert incident_id is not None
    theirs = other.get(incident_id)
    theirs.killed_min = theirs.killed_max = 7
    other.update(incident_id, theirs)
    qtbot.waitUntil(lambda: window.summary_panel.killed.text().startswith("7"), timeout=WAIT_MS)

    merging(monkeypatch, qtbot, lambda dialog: click(qtbot, dialog, "saveMergedButton"))
    refreshed(qtbot, window, lambda: click(qtbot, form, "saveButton"))

    assert titles(window)[0] == "Mine" and window.summary_panel.killed.text().startswith("7")
    assert window.current_id() == incident_id


def test_the_keyboard_chooses_a_value_and_everything_is_named(
    qtbot: QtBot, edited: tuple[IncidentForm, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    form, _incident_id = edited

    def by_keyboard(dialog: ConflictDialog) -> None:
        table = dialog.table
        assert table.currentIndex() == dialog.model.index(0, COL_YOURS)  # the title's kept value
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Left)
        qtbot.keyClick(table, Qt.Key.Key_Space)
        assert dialog.model.rows[0].choice is Side.THEIRS
        named = [table, *dialog.findChildren(QPushButton)]
        assert all(widget.accessibleName() for widget in named)
        click(qtbot, dialog, "cancelConflictButton")

    merging(monkeypatch, qtbot, by_keyboard)
    click(qtbot, form, "saveButton")
    assert form.isVisible() and field(form, "title").text() == "My title"


# ---- a busy logbook ----------------------------------------------------------------------------------------------


@pytest.fixture
def busy_logbook(db_path: Path, repo: Repository, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repository]:
    """A logbook whose write lock another program holds (BEGIN EXCLUSIVE), with a 0.2 s busy timeout; yields a
    repository opened after the timeout was shortened."""
    repo.add(make_draft(title="Stored"))
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    engine = open_logbook(db_path)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        yield Repository(engine)
        holder.execute("ROLLBACK")
    engine.dispose()


def test_a_busy_logbook_keeps_the_form_and_says_busy(
    qtbot: QtBot, busy_logbook: Repository, warned: list[tuple[str, str]]
) -> None:
    (incident_id,) = busy_logbook.snapshot(IncidentFilter(), SortOrder())
    form = IncidentForm(busy_logbook, incident_id)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, field(form, "title"), "Not saved yet")
    choose(qtbot, form, "outcome", "Hit")

    click(qtbot, form, "saveButton")

    assert form.isVisible() and field(form, "title").text() == "Not saved yet"
    assert len(warned) == 1
    title, text = warned[0]
    assert title == "Incident not saved" and "is busy" in text and "locked" not in text
    assert busy_logbook.get(incident_id).title == "Stored"


def test_a_busy_logbook_is_told_by_the_window(
    qtbot: QtBot, busy_logbook: Repository, db_path: Path, told: Told, answer: Answer
) -> None:
    window = open_window(qtbot, busy_logbook, db_path)  # reading goes on while another program writes
    assert titles(window) == ["Stored"]
    answer("confirm_delete", True)
    window.table.selectRow(0)
    window.delete_action.trigger()
    assert len(told) == 1 and "test.sqlite3 is busy" in told[0][1] and "locked" not in told[0][1]
    assert "within 0.25 seconds" in told[0][1]  # the window's own, short wait: it never freezes for long
    assert titles(window) == ["Stored"]
    window.close()
