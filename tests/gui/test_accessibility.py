"""What a screen reader meets: every control of every window and dialog has an accessible name (what it is) and
an accessible description (what it does), and the incident table says how it is sorted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from logbook.store.repository import Repository
from logbook.ui.accessibility import controls
from logbook.ui.conflict_dialog import ConflictDialog
from logbook.ui.incident_table_model import COL_DATE, COL_KILLED, COL_TITLE
from logbook.ui.main_window import MainWindow
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, refreshed
from tests.gui.test_import_wizard import choose_file, map_the_messy_file, open_wizard, to_mapping, to_preview, write


def offenders(root: QWidget) -> list[str]:
    """The controls on show under ``root`` without an accessible name or description, described so a failure
    says which one (its class, object name and what it shows)."""
    found = []
    for widget in controls(root):
        if not widget.isVisibleTo(root):
            continue
        said = {"name": widget.accessibleName(), "description": widget.accessibleDescription()}
        missing = [what for what, text in said.items() if not text.strip()]
        if missing:
            shown = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
            where = f"{type(root).__name__} › {type(widget).__name__} {widget.objectName()!r} {shown!r}"
            found.append(f"{where}: no {' and no '.join(missing)}")
    return found


def assert_described(*roots: QWidget) -> None:
    found = [line for root in roots for line in offenders(root)]
    assert not found, "controls a screen reader cannot name or explain:\n" + "\n".join(found)


@pytest.fixture
def filled(qtbot: QtBot, window: MainWindow, repo: Repository) -> int:
    """One incident, selected; its id."""
    incident_id = repo.add(make_draft())
    refreshed(qtbot, window, window.refresh)
    window.table.selectRow(0)
    return incident_id


def shown_dialog(qtbot: QtBot, dialog: QWidget | None) -> QWidget:
    """A dialog the window opened (and closes with it), once it is on show."""
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_the_main_window_with_its_welcome(window: MainWindow) -> None:
    """An empty logbook: the welcome in place of the table."""
    assert_described(window)


def test_the_main_window_with_incidents(window: MainWindow, filled: int) -> None:
    assert_described(window)


@pytest.mark.parametrize(
    "opener",
    [
        lambda window: window.show_trash(),
        lambda window: window.show_history(),
        lambda window: window.show_backups(),
        lambda window: window.show_import_history(),
        lambda window: window.show_shortcuts(),
        lambda window: window.show_preferences(),
        lambda window: (window.edit_action.trigger(), window.findChild(QDialog, "incidentForm"))[1],
    ],
    ids=["trash", "history", "backups", "import history", "shortcuts", "preferences", "incident form"],
)
def test_each_dialog(qtbot: QtBot, window: MainWindow, filled: int, opener: Callable[[MainWindow], QWidget]) -> None:
    assert_described(shown_dialog(qtbot, opener(window)))


def test_the_incident_form_with_a_source_and_between_figures(
    qtbot: QtBot, window: MainWindow, repo: Repository
) -> None:
    """The parts that only show with some values: the second casualty figure, a selected source."""
    repo.add(make_draft(killed_min=2, killed_max=5, notes="Two drones"))
    refreshed(qtbot, window, window.refresh)
    window.table.selectRow(0)
    window.edit_action.trigger()
    form = shown_dialog(qtbot, window.findChild(QDialog, "incidentForm"))
    form.findChild(QWidget, "sourcesTable").selectRow(0)  # Remove source is on show once one is selected
    assert_described(form)


def test_the_conflict_dialog(qtbot: QtBot) -> None:
    theirs = make_draft(title="Theirs", killed_min=1, killed_max=1, version=2)
    dialog = ConflictDialog(theirs, make_draft(title="Mine"), make_draft(), None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert_described(shown_dialog(qtbot, dialog))


def test_each_page_of_the_import_wizard(qtbot: QtBot, window: MainWindow, answer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = open_wizard(qtbot, window)
    assert_described(wizard)
    choose_file(qtbot, wizard, answer, write(tmp_path / "messy.csv"))
    assert_described(wizard)
    to_mapping(qtbot, wizard)
    map_the_messy_file(qtbot, wizard)  # a value map and a fixed value on show too
    assert_described(wizard)
    to_preview(qtbot, wizard)
    assert_described(wizard)


def test_the_table_says_how_it_is_sorted(qtbot: QtBot, window: MainWindow, filled: int) -> None:
    table = window.table
    assert table.accessibleDescription() == "Sorted by Date, newest first"
    header = table.horizontalHeader()
    for column, order, said in (
        (COL_DATE, Qt.SortOrder.AscendingOrder, "Sorted by Date, oldest first"),
        (COL_KILLED, Qt.SortOrder.DescendingOrder, "Sorted by Killed, most first"),
        (COL_TITLE, Qt.SortOrder.AscendingOrder, "Sorted by Title, A to Z"),
    ):
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT_MS):
            header.setSortIndicator(column, order)  # as a click on the header does
        assert table.accessibleDescription() == said
