"""Every path the app uses by default, from one place (platformdirs), so tests can move them all at once."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "incident-logbook"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def backups_dir() -> Path:
    """Automatic and on-demand backups of every logbook, one folder per logbook (store/backups.py)."""
    return data_dir() / "backups"


def default_logbook() -> Path:
    return data_dir() / "logbook.sqlite3"


def sample_copy() -> Path:
    """The user's copy of the shipped sample logbook: File › Open sample logbook opens this, never the original."""
    return data_dir() / "Sample logbook.sqlite3"


def settings_file() -> Path:
    return config_dir() / "settings.ini"
