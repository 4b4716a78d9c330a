"""Every path the app uses by default, from one place (platformdirs), so tests can move them all at once."""

from __future__ import annotations

import configparser
import re
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


START_LOGBOOK_SETTING = ("startup", "logbook")  # section and key: the logbook Preferences opens at start
_QT_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)", re.DOTALL)  # QSettings' escapes in its INI files
_QT_LETTERS = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def setting(section: str, key: str) -> str | None:
    """A value of the settings file the window writes (QSettings' INI format), read without Qt, for the command
    line; None when the file or the value is missing or cannot be read."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys as written: QSettings keeps case
    try:
        parser.read(settings_file(), encoding="utf-8")
        raw = parser.get(section, key, fallback=None)
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    if raw is None:
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':  # quoted where spaces at an end or a comma would be lost
        raw = raw[1:-1]
    value = _QT_ESCAPE.sub(_unescaped, raw)
    return value[1:] if value.startswith("@@") else value  # QSettings doubles a leading @ (@Variant is its own)


def _unescaped(escape: re.Match[str]) -> str:
    code = escape.group(1)
    if code[0] == "x":
        return chr(int(code[1:], 16))
    if code[0] in "01234567":
        return chr(int(code, 8))
    return _QT_LETTERS.get(code, code)


def start_logbook() -> str:
    """The logbook chosen in Preferences to open when none is named (a path or a URL, as written), or ""."""
    return (setting(*START_LOGBOOK_SETTING) or "").strip()
