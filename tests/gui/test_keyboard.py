"""The app without a mouse: a new incident entered and saved with keys alone, a shortcut for each frequent action,
the form going through the table's incidents, and Help › Keyboard shortcuts listing them all."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from logbook import __version__, paths
from logbook.domain.record import SourceDraft
from logbook.store.repository import Repository
from logbook.ui.incident_form import ConfirmDiscard, IncidentForm
from logbook.ui.main_window import MainWindow
from logbook.ui.shortcuts_dialog import About, ShortcutsDialog
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, refreshed
from tests.gui.form_driver import field, type_into

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


class Keyboard:
    """Keys as a user presses them: each goes to whatever has the focus."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focus, key, modifiers)

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus, text)

    def tab_to(self, name: str, most: int = 4) -> None:
        """Tab until the field ``name`` has the focus: it must come within ``most`` presses."""
        for _ in range(most):
            self.press(Qt.Key.Key_Tab)
            if self.focus.objectName() == name:
                return
        raise AssertionError(f"{name} was not reached by Tab; the focus is on {self.focus.objectName()!r}")


def active(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=WAIT_MS)


def open_form_by_key(qtbot: QtBot, window: MainWindow, key: QKeySequence) -> IncidentForm:
    active(qtbot, window)
    keys = Keyboard(qtbot)
    combination = key[0]
    keys.press(combination.key(), combination.keyboardModifiers())
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), IncidentForm), timeout=WAIT_MS)
    form = QApplication.activeWindow()
    assert isinstance(form, IncidentForm)
    return form


def test_a_new_incident_is_entered_and_saved_with_the_keyboard_alone(
    qtbot: QtBot, window: MainWindow, repo: Repository
) -> None:
    form = open_form_by_key(qtbot, window, window.new_action.shortcut())
    keys = Keyboard(qtbot)
    assert keys.focus.objectName() == "dateStart"  # the form opens on its first field
    keys.type("2023-11-02")
    keys.tab_to("country")
    keys.type("Iraq")
    keys.tab_to("location")
    keys.type("Ain al-Asad air base")
    keys.tab_to("title")
    keys.type("Drone attack on Ain al-Asad")
    keys.tab_to("eventType")
    keys.type("A")  # a closed list picks the entry that starts with what is typed
    for name, initial in (("weapon", "D"), ("targetType", "M")):
        keys.tab_to(name)
        keys.type(initial)
    keys.tab_to("outcome")
    keys.type("I")
    keys.tab_to("killedMode")
    keys.type("E")  # Exactly
    keys.tab_to("killedMin")
    keys.type("0")
    keys.tab_to("injuredMode")
    keys.type("A")  # At least
    keys.tab_to("injuredMin")
    keys.type("45")
    keys.tab_to("perpetrator")
    keys.type("Islamic Resistance in Iraq")
    keys.tab_to("attribution")
    keys.type("A")  # Attributed
    keys.tab_to("attributedBy")
    keys.type("US Department of Defense")

    # a source: Add source, then each cell in turn (Tab moves on to the next cell), Enter to finish the row
    keys.tab_to("addSourceButton")
    keys.press(Qt.Key.Key_Space)
    table = field(form, "sourcesTable")
    assert isinstance(table, QAbstractItemView)
    for text in ("US Department of Defense", "O", "https://www.defense.gov/", "2023-11-03"):
        keys.type(text)
        keys.press(Qt.Key.Key_Return if text == "2023-11-03" else Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState, timeout=WAIT_MS)
    assert keys.focus is table
    keys.tab_to("notes")
    keys.type("Neither drone reached its target.")
    keys.tab_to("tags")
    keys.type("Iraq; drone")
    with qtbot.waitSignal(form.incident_saved, timeout=WAIT_MS) as saved:
        keys.press(Qt.Key.Key_Return, CTRL)

    assert not form.isVisible()
    stored = repo.get(saved.args[0])
    assert (stored.date_start, stored.country, stored.location, stored.title) == (
        dt.date(2023, 11, 2), "IQ", "Ain al-Asad air base", "Drone attack on Ain al-Asad"
    )  # fmt: skip
    assert (stored.event_type, stored.weapon, stored.target_type, stored.outcome) == (
        "attack", "drone", "military_base", "intercepted"
    )  # fmt: skip
    assert (stored.killed_min, stored.killed_max, stored.injured_min, stored.injured_max) == (0, 0, 45, None)
    assert (stored.perpetrator, stored.attribution, stored.attributed_by) == (
        "Islamic Resistance in Iraq", "attributed", "US Department of Defense"
    )  # fmt: skip
    assert stored.sources == [
        SourceDraft("US Department of Defense", "official", "https://www.defense.gov/", dt.date(2023, 11, 3))
    ]
    assert (stored.notes, stored.tags) == ("Neither drone reached its target.", ["Iraq", "drone"])


@pytest.mark.parametrize(
    "action",
    ["new_action", "edit_action", "delete_action", "export_action", "import_action", "undo_action", "redo_action",
     "history_action", "shortcuts_action"],
)  # fmt: skip
def test_every_frequent_action_has_a_shortcut(window: MainWindow, action: str) -> None:
    assert not getattr(window, action).shortcut().isEmpty()


def test_help_lists_every_shortcut_of_the_menus_the_form_and_the_table(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ShortcutsDialog)
    rows = dialog.shown_rows()
    native = QKeySequence.SequenceFormat.NativeText
    for heading, text, action in (
        ("File", "Export", window.export_action),
        ("Edit", "New incident", window.new_action),
        ("Edit", "Undo", window.undo_action),
        ("View", "Find", None),
        ("Help", "Keyboard shortcuts", window.shortcuts_action),
    ):
        [(_heading, _text, keys)] = [row for row in rows if row[:2] == (heading, text)]
        if action is not None:
            assert action.shortcut().toString(native) in keys
    listed = {text for _heading, text, _keys in rows}
    for action in (
        window.open_logbook_action,
        window.import_action,
        window.edit_action,
        window.delete_action,
        window.redo_action,
        window.history_action,
        window.clear_filters_action,
        window.preferences_action,
    ):
        assert action.text().rstrip("…") in listed, action.text()  # fmt: skip
    form_keys = {text: keys for heading, text, keys in rows if heading == "Incident form"}
    assert QKeySequence("Ctrl+PgDown").toString(native) in form_keys["Next incident in the table's order"]
    assert "Incident table" in {heading for heading, _text, _keys in rows}

    dialog.search.setText("export")
    assert {text for _heading, text, _keys in dialog.shown_rows()} == {"Export"}
    dialog.search.setText(QKeySequence("Ctrl+PgUp").toString(native))
    assert [text for _heading, text, _keys in dialog.shown_rows()] == ["Previous incident in the table's order"]


def test_the_help_key_opens_the_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    Keyboard(qtbot).press(Qt.Key.Key_Slash, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutsDialog), timeout=WAIT_MS)
    QApplication.activeModalWidget().close()


def test_about_says_the_version_and_where_the_files_are(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(About, "show", classmethod(lambda cls, parent, title, text: shown.append((title, text))))
    window.about_action.trigger()
    [(title, text)] = shown
    assert title == "About Incident Logbook"
    assert __version__ in text and "MIT" in text
    for folder in (paths.data_dir(), paths.backups_dir(), paths.settings_file()):
        assert str(folder) in text


@pytest.fixture
def three(qtbot: QtBot, window: MainWindow, repo: Repository) -> list[int]:
    """Three incidents, shown newest first: their ids in the table's order."""
    ids = [
        repo.add(make_draft(date_start=dt.date(2023, 10, day), title=title))
        for day, title in ((17, "Oldest"), (26, "Middle"), (30, "Newest"))
    ]
    refreshed(qtbot, window, window.refresh)
    return ids[::-1]


def edit_first_row(qtbot: QtBot, window: MainWindow) -> IncidentForm:
    window.table.selectRow(0)
    return open_form_by_key(qtbot, window, window.edit_action.shortcut())


def test_the_form_goes_through_the_incidents_in_the_tables_order(
    qtbot: QtBot, window: MainWindow, three: list[int]
) -> None:
    form = edit_first_row(qtbot, window)
    keys = Keyboard(qtbot)
    assert field(form, "title").text() == "Newest"
    keys.press(Qt.Key.Key_PageDown, CTRL)
    assert (form.incident_id, field(form, "title").text()) == (three[1], "Middle")
    assert window.current_id() == three[1]  # the table follows, so closing the form leaves the user there
    keys.press(Qt.Key.Key_PageDown, CTRL)
    keys.press(Qt.Key.Key_PageDown, CTRL)  # past the last: it stays
    assert field(form, "title").text() == "Oldest"
    keys.press(Qt.Key.Key_PageUp, CTRL)
    assert field(form, "title").text() == "Middle"
    assert "Middle" in form.windowTitle()


@pytest.mark.parametrize(
    ("answer", "shown", "stored"),
    [(True, "Middle", "Newest, edited"), (False, "Middle", "Newest"), (None, "Newest, edited", "Newest")],
    ids=["save", "discard", "stay"],
)
def test_unsaved_changes_are_saved_or_discarded_before_moving_on(  # type: ignore[no-untyped-def]
    qtbot: QtBot, window: MainWindow, repo: Repository, three: list[int], monkeypatch, answer, shown, stored
) -> None:
    asked: list[QWidget] = []
    monkeypatch.setattr(
        ConfirmDiscard, "save_or_discard", classmethod(lambda cls, parent: asked.append(parent) or answer)
    )
    form = edit_first_row(qtbot, window)
    type_into(qtbot, field(form, "title"), "Newest, edited")
    form.next_action.trigger()
    assert asked == [form]
    assert field(form, "title").text() == shown
    assert repo.get(three[0]).title == stored
    if answer:  # the save is one undo step, as any other
        assert window.undo_action.text() == "Undo Edit “Newest, edited”"
        with qtbot.waitSignals([window.model.loaded, window.summary_shown], timeout=WAIT_MS):
            window.undo_action.trigger()
        assert repo.get(three[0]).title == "Newest"


def test_a_save_after_moving_on_is_an_edit_of_the_incident_shown(
    qtbot: QtBot, window: MainWindow, repo: Repository, three: list[int]
) -> None:
    form = edit_first_row(qtbot, window)
    form.next_action.trigger()
    type_into(qtbot, field(form, "title"), "Middle, edited")
    with qtbot.waitSignals([form.incident_saved, window.model.loaded], timeout=WAIT_MS):
        Keyboard(qtbot).press(Qt.Key.Key_S, CTRL)
    assert repo.get(three[1]).title == "Middle, edited"
    assert repo.count() == 3  # not a new incident
    assert window.undo_action.text() == "Undo Edit “Middle, edited”"
    assert window.count_label.text() == "3 of 3 incidents"
