"""Starting the app: which logbook opens, what happens when it cannot, and how an unexpected error is told."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from logbook import paths
from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.store.repository import Repository
from logbook.ui import app
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.incident_table_model import COL_TITLE, PAGE_SIZE
from logbook.ui.main_window import MainWindow
from tests.conftest import make_draft
from tests.fixtures import make_schema_fixtures as schema_fixtures
from tests.gui.conftest import WAIT_MS


def test_default_logbook_lives_in_the_user_data_dir(isolated_user_dirs: Path) -> None:
    target = app.start_target([])
    assert target == paths.default_logbook()
    assert Path(target).is_relative_to(isolated_user_dirs)


def test_path_argument_and_environment_choose_the_logbook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGBOOK_DB", "/data/team.sqlite3")
    assert app.start_target([]) == "/data/team.sqlite3"
    assert app.start_target(["/tmp/mine.sqlite3"]) == "/tmp/mine.sqlite3"


def test_first_start_creates_the_default_logbook(qapp) -> None:  # type: ignore[no-untyped-def]
    opened = app.open_first_logbook(paths.default_logbook())
    assert opened is not None
    repository, target = opened
    assert repository.count() == 0 and Path(target).exists()
    repository.engine.dispose()


def test_a_bad_file_at_start_is_explained_then_another_can_be_chosen(
    qapp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"\x00\x01binary junk" * 10)
    messages: list[str] = []
    monkeypatch.setattr(Tell, "error", classmethod(lambda cls, parent, title, text: messages.append(text)))
    good = tmp_path / "good.sqlite3"
    monkeypatch.setattr(Ask, "open_logbook", classmethod(lambda cls, parent, folder: good))
    opened = app.open_first_logbook(bad)
    assert opened is not None and opened[1] == good
    assert messages == [f"{bad.name} is not a SQLite database, so it cannot be a logbook. Choose another file."]
    opened[0].engine.dispose()

    monkeypatch.setattr(Ask, "open_logbook", classmethod(lambda cls, parent, folder: None))
    assert app.open_first_logbook(bad) is None


def test_unexpected_error_is_shown_briefly_and_logged_in_full(qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        Tell, "unexpected", classmethod(lambda cls, parent, text, details: shown.append((text, details)))
    )
    try:
        raise RuntimeError("the summary went sideways")
    except RuntimeError:
        app.report_unexpected(*sys.exc_info())
    text, details = shown[0]
    assert "the summary went sideways" in text and "Your logbook is safe" in text
    assert "Traceback" in details
    log = (paths.log_dir() / "logbook.log").read_text(encoding="utf-8")
    assert "RuntimeError: the summary went sideways" in log


# ---- the window opens before its logbook has ---------------------------------------------------------------


def opening_window(qtbot: QtBot, target: Path) -> MainWindow:
    window = MainWindow(None, target)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_first_rows_show_at_once_and_commands_wait_for_the_logbook(
    qtbot: QtBot, db_path: Path, repo: Repository
) -> None:
    repo.upsert_many(make_draft(title=f"Attack {n}", date_start=dt.date(2024, 1, 1 + n % 28)) for n in range(300))
    window = opening_window(qtbot, db_path)
    try:
        assert window.model.rowCount() == PAGE_SIZE  # the first page, from sqlite3, before any repository
        (newest,) = repo.first_rows(IncidentFilter(), SortOrder(), 1)
        assert window.model.index(0, COL_TITLE).data() == newest[-1]
        assert not window.new_action.isEnabled() and not window.import_action.isEnabled()
        assert window.quit_action.isEnabled() and window.about_action.isEnabled()  # these need no logbook
        assert not window.filter_bar.isEnabled() and not window.table.horizontalHeader().sectionsClickable()
        assert window.statusBar().currentMessage() == f"Opening {db_path.name}…"
        window.table.selectRow(3)
        chosen = window.current_id()

        with qtbot.waitSignals([window.model.loaded, window.summary_shown], timeout=WAIT_MS):
            app.open_in_window(window)
        assert window.model.rowCount() == 300 and window.summary_panel.incidents.text() == "300"
        assert window.new_action.isEnabled() and window.filter_bar.isEnabled()
        assert window.table.horizontalHeader().sectionsClickable()
        assert window.current_id() == chosen  # the same rows came: the one chosen meanwhile stays chosen
        assert window.statusBar().currentMessage() == ""
    finally:
        window.close()
        window.dispose()


def test_a_logbook_that_cannot_open_is_explained_and_another_one_opens(
    qtbot: QtBot, tmp_path: Path, told: list[tuple[str, str]], answer: Callable[[str, object], None]
) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"\x00\x01binary junk" * 10)
    good = tmp_path / "good.sqlite3"
    answer("open_logbook", good)
    window = opening_window(qtbot, bad)
    try:
        assert window.model.rowCount() == 0  # nothing it could read
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
            app.open_in_window(window)  # fails in the worker, then is told here
        assert told == [("Cannot open logbook", f"{bad.name} is not a SQLite database, so it cannot be a logbook. "
                                                "Choose another file.")]  # fmt: skip
        assert window.target == good and window.windowTitle() == "good.sqlite3 — Incident Logbook"
        assert window.new_action.isEnabled()
    finally:
        window.close()
        window.dispose()


def test_the_start_shows_rows_before_the_database_library_loads(db_path: Path, repo: Repository) -> None:
    """The whole start, as `logbook PATH` runs it, in a process of its own: at the first paint of the table with
    rows in it, SQLAlchemy is not loaded yet; the window then gets its logbook and every row."""
    repo.upsert_many(make_draft(title=f"Attack {n}") for n in range(400))
    repo.engine.dispose()
    script = f"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from logbook.ui import app
from logbook.ui.main_window import MainWindow

seen = []
class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show and isinstance(watched, MainWindow) and not seen:
            window = watched
            seen.append(window)
            window.model.loaded.connect(lambda: QTimer.singleShot(0, window.close))
            window.table.viewport().installEventFilter(self)
        elif event.type() == QEvent.Type.Paint and seen and seen[0].model.rowCount() and len(seen) == 1:
            seen.append("sqlalchemy" in sys.modules)
        return False

application = QApplication([sys.argv[0]])
watch = Watch()
application.installEventFilter(watch)
status = app.run([{str(db_path)!r}])
print(seen[1:], seen[0].model.rowCount(), status)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False,
                          env=os.environ | {"QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[False] 400 0", done.stderr


def test_an_older_logbook_at_start_is_updated_under_its_dialog_then_shown(qtbot: QtBot, tmp_path: Path) -> None:
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(schema_fixtures.fixture_path(4), older)
    window = opening_window(qtbot, older)
    try:
        assert window.model.rowCount() == 0  # not read before its update
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
            app.open_in_window(window)
        assert window.model.rowCount() == len(schema_fixtures.expected_rows(4)["incident"]) - 1  # one is trashed
        assert window.statusBar().currentMessage().endswith(f"kept as {older}.schema-4.bak")
    finally:
        window.close()
        window.dispose()


def test_a_window_that_never_paints_still_gets_its_logbook(qtbot: QtBot, db_path: Path, repo: Repository) -> None:
    """Started minimised or on another workspace, the window paints nothing: the logbook opens all the same."""
    repo.add(make_draft(title="Kept"))
    window = MainWindow(None, db_path)
    qtbot.addWidget(window)
    try:
        assert window.model.rowCount() == 1  # read, though not painted
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
            app.open_in_window(window)
        assert window.new_action.isEnabled()
    finally:
        window.dispose()


def test_a_window_closed_while_its_logbook_opens_lets_it_go(
    qtbot: QtBot, db_path: Path, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.add(make_draft())
    window = opening_window(qtbot, db_path)
    attached: list[bool] = []
    attach = window.attach
    monkeypatch.setattr(window, "attach", lambda *args: attached.append(attach(*args)) or attached[-1])
    app.open_in_window(window)
    window.close()
    qtbot.waitUntil(lambda: attached == [False], timeout=WAIT_MS)  # the worker's logbook came, and was let go
    assert window.statusBar().currentMessage() == f"Opening {db_path.name}…"
    assert not window.new_action.isEnabled()
    window.dispose()
