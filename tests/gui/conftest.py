"""GUI fixtures: dialogs replaced by recorders (tests never exec() a real one) and a window on a real logbook."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from logbook.store.repository import Repository
from logbook.ui.backup_dialog import BackupQuestions
from logbook.ui.conflict_dialog import ConflictDialog
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.incident_form import ConfirmDiscard, FormMessages
from logbook.ui.main_window import MainWindow
from logbook.ui.numbers import use_number_locale

WAIT_MS = 5000


@pytest.fixture(autouse=True, scope="session")
def numbers_as_the_app_writes_them() -> None:
    """Digits grouped as app.run() sets them up, also where the tests run under LANG=C (see ui/numbers.py)."""
    use_number_locale()


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every message the window showed, as (title, text); a test that expects none asserts it is empty."""
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(Tell, "error", classmethod(lambda cls, parent, title, text: messages.append((title, text))))
    monkeypatch.setattr(Tell, "info", classmethod(lambda cls, parent, title, text: messages.append((title, text))))
    return messages


@pytest.fixture(autouse=True)
def asked(monkeypatch: pytest.MonkeyPatch) -> list[QWidget]:
    """ConfirmDiscard.ask answers "discard" (so closing a form at teardown never shows a dialog) and records."""
    calls: list[QWidget] = []

    def ask(cls: type[ConfirmDiscard], parent: QWidget) -> bool:
        calls.append(parent)
        return True

    monkeypatch.setattr(ConfirmDiscard, "ask", classmethod(ask))
    return calls


@pytest.fixture(autouse=True)
def warned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(
        FormMessages, "warn", classmethod(lambda cls, parent, title, text: messages.append((title, text)))
    )
    return messages


@pytest.fixture(autouse=True)
def conflicts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, object, object]]:
    """ConflictDialog.ask records (theirs, yours, opened) and cancels; a test that merges replaces it again."""
    calls: list[tuple[object, object, object]] = []

    def ask(cls: type[ConflictDialog], parent: QWidget, theirs: object, yours: object, opened: object) -> None:
        calls.append((theirs, yours, opened))

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(ask))
    return calls


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, object], None]:
    """answer("confirm_delete", True) makes Ask.confirm_delete return True without showing anything."""

    def set_answer(question: str, reply: object) -> None:
        monkeypatch.setattr(Ask, question, classmethod(lambda cls, *args: reply))

    return set_answer


def open_window(qtbot: QtBot, repository: Repository, target: Path) -> MainWindow:
    window = MainWindow(repository, target)
    qtbot.addWidget(window)
    with qtbot.waitSignals([window.model.loaded, window.summary_shown], timeout=WAIT_MS):
        window.show()
    return window


@pytest.fixture
def window(qtbot: QtBot, repo: Repository, db_path: Path, told: list[tuple[str, str]]) -> Iterator[MainWindow]:
    main_window = open_window(qtbot, repo, db_path)
    yield main_window
    main_window.close()
    main_window.workers.wait()


def refreshed(qtbot: QtBot, window: MainWindow, action: Callable[[], object]) -> None:
    """Run ``action`` and wait until the table and the summary both show its result."""
    with qtbot.waitSignals([window.model.loaded, window.summary_shown], timeout=WAIT_MS):
        action()


@pytest.fixture(autouse=True)
def backup_warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """BackupQuestions.warn recorded, never shown: a machine whose temporary folder is on a network share would
    otherwise stop every window test at the share's warning."""
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(
        BackupQuestions, "warn", classmethod(lambda cls, parent, title, text: messages.append((title, text)))
    )
    return messages
