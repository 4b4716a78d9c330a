"""A long job's progress dialog: what the worker reports shows in the dialog, and the dialog's Cancel reaches the
worker (the export, the backup and restore, and the import all use CancellableProgress)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from logbook.ui.workers import PROGRESS_STEPS, CancellableProgress, Workers
from tests.gui.conftest import WAIT_MS


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def workers(parent: QWidget) -> Iterator[Workers]:
    pool = Workers(parent)
    yield pool
    pool.wait()


def report_in_worker(qtbot: QtBot, workers: Workers, progress: CancellableProgress, done: int, total: int) -> bool:
    """progress.report(done, total) called in a worker thread, as a job calls it; its answer."""
    with qtbot.waitCallback(timeout=WAIT_MS) as answered:
        workers.submit(lambda: progress.report(done, total), answered, answered)
    [answer] = answered.args
    assert isinstance(answer, bool)
    return answer


def test_the_workers_progress_shows_in_the_dialog_and_its_cancel_reaches_the_worker(
    qtbot: QtBot, parent: QWidget, workers: Workers
) -> None:
    progress = CancellableProgress(parent, "Copy", "Copying…", name="copyProgress")
    dialog = progress.dialog
    assert (dialog.objectName(), dialog.windowTitle(), dialog.labelText()) == ("copyProgress", "Copy", "Copying…")
    assert report_in_worker(qtbot, workers, progress, 3_000_000_000, 12_000_000_000) is True  # bytes past an int
    assert (dialog.value(), dialog.maximum()) == (PROGRESS_STEPS // 4, PROGRESS_STEPS)
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    assert progress.cancelled()
    assert report_in_worker(qtbot, workers, progress, 6_000_000_000, 12_000_000_000) is False


def test_a_dialog_started_busy_counts_once_the_worker_knows_how_much_there_is(
    qtbot: QtBot, parent: QWidget, workers: Workers
) -> None:
    progress = CancellableProgress(parent, "Back up", "Backing up…", name="backupProgress")
    progress.dialog.setRange(0, 0)  # as a copy starts: its size is not known yet
    assert report_in_worker(qtbot, workers, progress, 1, 2) is True
    assert (progress.dialog.value(), progress.dialog.maximum()) == (PROGRESS_STEPS // 2, PROGRESS_STEPS)
