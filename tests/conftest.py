"""Shared fixtures. Every test runs with its own user directories, offscreen, on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs and QSettings read these: tests never touch the real user directories."""
    home = tmp_path_factory.mktemp("home")
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("LOGBOOK_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def repo(db_path: Path) -> Iterator[Repository]:
    engine = open_logbook(db_path)
    yield Repository(engine)
    engine.dispose()


@pytest.fixture
def other(db_path: Path, repo: Repository) -> Iterator[Repository]:
    """Someone else on the same file as ``repo``: another window's or another process's repository."""
    engine = open_logbook(db_path)
    yield Repository(engine)
    engine.dispose()


def make_draft(**fields: object) -> IncidentDraft:
    """A valid incident: a drone attack in Iraq on 2 November 2023, with one official source."""
    values: dict[str, object] = {
        "date_start": dt.date(2023, 11, 2),
        "country": "IQ",
        "event_type": "attack",
        "location": "Ain al-Asad air base",
        "weapon": "drone",
        "outcome": "intercepted",
        "killed_min": 0,
        "killed_max": 0,
        "injured_min": 0,
        "injured_max": 0,
        "perpetrator": "Islamic Resistance in Iraq",
        "attribution": "attributed",
        "attributed_by": "US Department of Defense",
        "verification": "reported",
        "title": "Drone attack on Ain al-Asad",
        "sources": [
            SourceDraft("US Department of Defense", "official", "https://www.defense.gov/", dt.date(2023, 11, 3))
        ],
    }
    values.update(fields)
    return IncidentDraft(**values)  # type: ignore[arg-type]
