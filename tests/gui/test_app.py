"""Starting the app: which logbook opens, what happens when it cannot, and how an unexpected error is told."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from logbook import paths
from logbook.ui import app
from logbook.ui.dialogs import Ask, Tell


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
