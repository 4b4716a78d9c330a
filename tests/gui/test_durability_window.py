"""The window keeps a logbook safe and says plainly what is wrong: backups and restore, a read-only logbook, a full
disk during a save, a damaged logbook (its newest backup offered), a logbook on a network share."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from logbook.store import backups
from logbook.store import engine as engine_module
from logbook.store.backups import Kind
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from logbook.ui import app, durability
from logbook.ui.backup_dialog import BackupDialog, BackupQuestions
from logbook.ui.history_view import HistoryDialog
from logbook.ui.incident_form import IncidentForm
from logbook.ui.main_window import MainWindow
from tests.conftest import make_draft
from tests.fixtures import make_schema_fixtures as schema_fixtures
from tests.gui.conftest import WAIT_MS, open_window
from tests.gui.form_driver import choose, click, field, type_into
from tests.sqlite_files import damage, digest, older_logbook


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[tuple[object, ...]]]:
    """BackupQuestions replaced: every question recorded, answered yes."""
    asked: dict[str, list[tuple[object, ...]]] = {"confirm_restore": [], "restore_damaged": [], "warn": []}

    def recorder(name: str) -> Callable[..., bool]:
        def record(cls: type, parent: QWidget | None, *args: object) -> bool:
            asked[name].append(args)
            return True

        return record

    for name in asked:
        monkeypatch.setattr(BackupQuestions, name, classmethod(recorder(name)))
    return asked


def close(window: MainWindow) -> None:
    window.close()
    window.dispose()


def daily_backup_taken(qtbot: QtBot, path: Path) -> backups.Backup:
    qtbot.waitUntil(lambda: bool(backups.list_backups(path)), timeout=WAIT_MS)
    (daily,) = backups.list_backups(path)
    return daily


# ---- backups ------------------------------------------------------------------------------------------------


def test_the_day_s_backup_is_taken_once_the_logbook_has_opened(qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    daily = daily_backup_taken(qtbot, db_path)
    assert daily.kind is Kind.DAILY
    other = db_path.with_name("other.sqlite3")
    open_logbook(other).dispose()
    with qtbot.waitSignal(
        window.durability.daily_backup_finished,
        timeout=WAIT_MS,
        check_params_cb=lambda backup: backup is not None and backup.path.parent == backups.folder_for(other),
    ):
        assert window.switch_to(other)
    assert len(backups.list_backups(other)) == 1
    assert backups.list_backups(db_path) == [daily]


def test_back_up_now_copies_the_logbook_in_a_worker(
    qtbot: QtBot, window: MainWindow, repo: Repository, db_path: Path, told: list[tuple[str, str]]
) -> None:
    repo.add(make_draft(title="worth keeping"))
    daily_backup_taken(qtbot, db_path)
    with qtbot.waitSignal(window.durability.backup_finished, timeout=WAIT_MS) as blocker:
        window.back_up_action.trigger()
    backup = blocker.args[0]
    assert backup.kind is Kind.MANUAL and backup.path.exists()
    assert window.statusBar().currentMessage().startswith(f"Backed up to {backup.path} (")
    with closing(sqlite3.connect(backup.path)) as connection:
        assert connection.execute("SELECT title FROM incident").fetchall() == [("worth keeping",)]
    assert told == []


def test_restore_from_backup_lists_the_backups_and_restores_one_keeping_the_current_file(
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    db_path: Path,
    questions: dict[str, list[tuple[object, ...]]],
    told: list[tuple[str, str]],
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    daily = daily_backup_taken(qtbot, db_path)  # of the empty logbook
    repo.add(make_draft(title="after the backup"))
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
        window.refresh()
    assert window.model.rowCount() == 1

    dialog = window.restore_action.trigger() or window.findChild(BackupDialog)
    assert isinstance(dialog, BackupDialog)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1
    row = [dialog.model.index(0, column).data() for column in range(4)]
    assert row == [f"{daily.taken:%Y-%m-%d %H:%M:%S}", "Daily", backups.human_size(daily.size), daily.path.name]
    with qtbot.waitSignal(window.durability.restore_finished, timeout=WAIT_MS) as blocker:
        click(qtbot, dialog, "restoreButton")
    assert questions["confirm_restore"] and "Replace test.sqlite3 with the backup taken" in str(
        questions["confirm_restore"][0][0]
    )

    prepared = blocker.args[0]
    assert prepared is not None and told == []
    qtbot.waitUntil(lambda: window.model.complete and window.model.rowCount() == 0, timeout=WAIT_MS)
    assert window.repository.count() == 0
    assert prepared.kept.kind is Kind.BEFORE_RESTORE
    with closing(sqlite3.connect(prepared.kept.path)) as connection:
        assert connection.execute("SELECT title FROM incident").fetchall() == [("after the backup",)]
    assert "Restored from the backup of" in window.statusBar().currentMessage()
    assert str(prepared.kept.path) in window.statusBar().currentMessage()


def test_the_dialog_sets_how_many_daily_backups_are_kept(qtbot: QtBot, window: MainWindow, db_path: Path) -> None:
    dialog = BackupDialog(db_path, window)
    qtbot.addWidget(dialog)
    assert dialog.keep_spin.value() == 7
    dialog.keep_spin.setValue(3)
    assert backups.keep_setting() == 3
    assert dialog.empty_label.isVisibleTo(dialog) or dialog.model.rowCount() > 0


def test_every_control_of_the_backup_dialog_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    backups.back_up(db_path)
    dialog = BackupDialog(db_path, window)
    qtbot.addWidget(dialog)
    controls = [
        each
        for each in dialog.findChildren(QWidget)
        if isinstance(each, QAbstractButton | QAbstractSpinBox | QAbstractItemView)
        and not isinstance(each.parent(), QAbstractItemView)
    ]
    assert len(controls) >= 5
    for each in controls:
        assert each.accessibleName(), f"{type(each).__name__} {each.objectName()!r} has no accessible name"


# ---- a read-only logbook ------------------------------------------------------------------------------------


def test_a_read_only_logbook_shows_why_and_nothing_can_change_it(
    qtbot: QtBot, db_path: Path, repo: Repository, told: list[tuple[str, str]]
) -> None:
    incident_id = repo.add(make_draft(title="read me"))
    draft = repo.get(incident_id)
    draft.title = "read me, edited"
    repo.update(incident_id, draft)
    repo.engine.dispose()
    before = digest(db_path)
    window = open_window(qtbot, Repository(open_logbook(db_path, read_only=True)), db_path)
    try:
        assert window.windowTitle() == "test.sqlite3 (read-only) — Incident Logbook"
        label = window.findChild(QLabel, "readOnlyLabel")
        assert label is not None and label.isVisibleTo(window)
        assert label.text() == "Read-only" and "not changed: opened read-only." in label.toolTip()
        window.table.selectRow(0)
        writing = ("new_action", "delete_action", "import_action", "trash_action", "import_history_action")
        assert [name for name in writing if getattr(window, name).isEnabled()] == []
        assert not window.restore_action.isEnabled()
        assert window.edit_action.isEnabled() and window.export_action.isEnabled()  # to read it, and take it away

        window.edit_incident()  # the form shows the incident, and cannot save it
        form = window.findChild(IncidentForm)
        assert form is not None
        assert not field(form, "saveButton").isEnabled() and not field(form, "saveAndNewButton").isEnabled()
        assert "(read-only)" in form.windowTitle()
        form.close()
        history = window.show_history()  # the history reads, but no earlier version can be restored into it
        assert isinstance(history, HistoryDialog)
        history.table.selectRow(history.model.rowCount() - 1)  # the first version, the oldest row
        assert history.selected_entry() is not None and not history.restore_button.isEnabled()
        assert history.restore_button.toolTip() == "The logbook is read-only: opened read-only."
        history.close()
        assert backups.list_backups(db_path) == []  # nothing to back up every day: it cannot change here
        assert told == []
    finally:
        close(window)
    assert digest(db_path) == before


def test_open_read_only_then_a_writable_logbook_brings_editing_back(
    qtbot: QtBot, window: MainWindow, db_path: Path, tmp_path: Path, answer
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "colleague.sqlite3"
    engine = open_logbook(other)
    Repository(engine).add(make_draft())
    engine.dispose()
    answer("open_logbook", other)
    window.open_read_only_action.trigger()
    assert "(read-only)" in window.windowTitle() and not window.new_action.isEnabled()
    assert window.switch_to(db_path)
    assert "(read-only)" not in window.windowTitle() and window.new_action.isEnabled()
    label = window.findChild(QLabel, "readOnlyLabel")
    assert label is not None and not label.isVisibleTo(window)


# ---- the disk full during a save ---------------------------------------------------------------------------


def fill_the_disk(window: MainWindow) -> Callable[[], None]:
    """SQLite's own size limit stands in for a full disk, on every connection the window writes through (the
    change watcher's included, so it is opened again); returns what frees the space again."""
    engine = window.repository.engine

    def limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    def reconnect() -> None:
        window.change_watcher.stop()
        engine.dispose()
        window.change_watcher.watch(window.repository)

    event.listen(engine, "connect", limit)
    reconnect()

    def free() -> None:
        event.remove(engine, "connect", limit)
        reconnect()

    return free


def test_a_save_on_a_full_disk_is_refused_and_the_entry_stays_in_the_form(
    qtbot: QtBot, window: MainWindow, repo: Repository, warned: list[tuple[str, str]]
) -> None:
    window.new_incident()
    form = window.findChild(IncidentForm)
    assert form is not None
    type_into(qtbot, field(form, "dateStart"), "2023-11-02")
    type_into(qtbot, field(form, "country"), "Iraq")
    choose(qtbot, form, "eventType", "Attack")
    type_into(qtbot, field(form, "title"), "Typed before the disk filled up")
    notes = field(form, "notes")
    assert isinstance(notes, QPlainTextEdit)
    notes.setPlainText("A long report pasted in. " * 20_000)  # more than the free pages the logbook still has
    free = fill_the_disk(window)
    saved: list[int] = []
    form.incident_saved.connect(saved.append)

    click(qtbot, form, "saveButton")

    assert warned == [
        (
            "Incident not saved",
            "There is no room left on the disk that holds test.sqlite3, so the change was not saved. "
            "Free some space, then save again.",
        )
    ]
    assert saved == [] and form.isVisible() and form.has_unsaved_edits()
    assert field(form, "title").text() == "Typed before the disk filled up"
    assert notes.toPlainText() == "A long report pasted in. " * 20_000
    assert repo.count() == 0

    free()
    with qtbot.waitSignal(form.incident_saved, timeout=WAIT_MS):
        click(qtbot, form, "saveButton")
    assert repo.count() == 1 and repo.get(saved[0]).title.startswith("Typed before")


# ---- a damaged logbook --------------------------------------------------------------------------------------


def _backed_up_then_damaged(path: Path) -> backups.Backup:
    engine = open_logbook(path)
    Repository(engine).upsert_many(make_draft(title=f"attack {n}", notes="d" * 300) for n in range(80))
    engine.dispose()
    backup = backups.back_up(path, Kind.DAILY)
    damage(path)
    return backup


def test_opening_a_damaged_logbook_offers_its_newest_backup(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    questions: dict[str, list[tuple[object, ...]]],
    told: list[tuple[str, str]],
) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    backup = _backed_up_then_damaged(damaged)
    before = digest(damaged)

    with qtbot.waitSignal(window.durability.restore_finished, timeout=WAIT_MS) as blocker:
        assert not window.switch_to(damaged)  # not yet: the backup is restored first, then it opens
    (text,) = questions["restore_damaged"][0]
    assert str(text).startswith("damaged.sqlite3 is damaged (database disk image is malformed).")
    assert f"The newest backup of it was taken {backup.describe()}. Restore it?" in str(text)
    assert told == []
    assert window.target == damaged and window.repository.count() == 80
    kept = blocker.args[0].kept
    assert kept.kind is Kind.BEFORE_RESTORE and digest(kept.path) == before


def test_a_damaged_logbook_without_a_backup_is_explained(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, told: list[tuple[str, str]]
) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    _backed_up_then_damaged(damaged)
    for backup in backups.list_backups(damaged):
        backup.path.unlink()
    assert not window.switch_to(damaged)
    assert told == [("Cannot open logbook", "damaged.sqlite3 is damaged (database disk image is malformed). "
                                           "Restore it from a backup.")]  # fmt: skip


def test_a_damaged_logbook_at_start_is_restored_from_its_newest_backup(
    qapp,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    questions: dict[str, list[tuple[object, ...]]],
) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    _backed_up_then_damaged(damaged)
    opened = app.open_first_logbook(damaged)
    assert opened is not None
    repository, target = opened
    try:
        assert target == damaged and repository.count() == 80 and len(questions["restore_damaged"]) == 1
    finally:
        repository.engine.dispose()


# ---- network shares and older logbooks ------------------------------------------------------------------------


def test_a_logbook_on_a_network_share_is_warned_about(
    qtbot: QtBot,
    db_path: Path,
    repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
    questions: dict[str, list[tuple[object, ...]]],
) -> None:
    repo.engine.dispose()
    monkeypatch.setattr(engine_module, "network_warning", lambda path: f"{path.name} is on a network share (nfs4).")
    window = open_window(qtbot, Repository(open_logbook(db_path)), db_path)
    try:
        assert questions["warn"] == [("Logbook on a network share", "test.sqlite3 is on a network share (nfs4).")]
        label = window.findChild(QLabel, "networkShareLabel")
        assert label is not None and label.isVisibleTo(window) and "nfs4" in label.toolTip()
    finally:
        close(window)


def test_an_older_logbook_is_updated_and_the_copy_kept_is_named(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    older_logbook(path, "0001")
    window = open_window(qtbot, Repository(open_logbook(path)), path)
    try:
        message = window.statusBar().currentMessage()
        assert message == f"old.sqlite3 was updated for this version; the file as it was is kept as {path}.schema-1.bak"
    finally:
        close(window)


class ShownDialogs(QObject):
    """Records the label of every progress dialog the application shows."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QProgressDialog):
            self.labels.append(watched.labelText())
        return False


def test_opening_an_older_logbook_shows_the_update_and_then_the_logbook(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(schema_fixtures.fixture_path(4), older)
    monkeypatch.setattr(durability, "UPGRADE_DIALOG_AFTER_MS", 0)  # the fixture updates faster than the usual wait
    shown = ShownDialogs()
    QApplication.instance().installEventFilter(shown)
    try:
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
            assert window.switch_to(older)
    finally:
        QApplication.instance().removeEventFilter(shown)
    assert shown.labels == [
        "Updating older.sqlite3 for this version of Incident Logbook…\n\n"
        "A copy of the file as it was is kept beside it."
    ]
    assert window.model.rowCount() == len(schema_fixtures.expected_rows(4)["incident"]) - 1  # one is in the trash
    assert window.statusBar().currentMessage().endswith(f"kept as {older}.schema-4.bak")
    assert window.findChild(QProgressDialog, "upgradeProgress") is None


def test_an_older_logbook_that_cannot_be_updated_says_why_and_keeps_the_one_open(
    window: MainWindow, db_path: Path, tmp_path: Path, told: list[tuple[str, str]]
) -> None:
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(schema_fixtures.fixture_path(4), older)
    assert not window.switch_to(older, read_only=True)  # the update is refused in its thread, said here
    assert told and "older version of Incident Logbook and must be updated" in told[-1][1]
    assert window.target == db_path
