"""Where the files the app ships with are: icons, the sample logbook, translations.

The repository's resources/ folder is installed as the package ``logbook.resources`` (see pyproject.toml), so
importlib.resources finds it alike in a source checkout, an editable install, a wheel and a PyInstaller bundle.
No Qt here: the command line may use it too.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import logbook.resources  # imported by name so PyInstaller's analysis bundles the package

APP_ID = "io.github.incidentlogbook.IncidentLogbook"  # reverse-DNS id: desktop entry, metainfo and app icon
ACTION_ICONS = ("icons", "actions")


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("icons", "actions", "edit-undo.svg")``."""
    return Path(str(files(logbook.resources))).joinpath(*parts)


def action_icon_path(name: str) -> Path:
    return resource_path(*ACTION_ICONS, f"{name}.svg")


def action_icon_names() -> list[str]:
    """Every action icon the app ships, by name (the file name without .svg)."""
    return sorted(path.stem for path in resource_path(*ACTION_ICONS).glob("*.svg"))


def app_icon_path() -> Path:
    return resource_path("icons", f"{APP_ID}.svg")
