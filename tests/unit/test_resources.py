"""The shipped files are found as the package logbook.resources, and the wheel leaves out no package."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

from logbook.ui.resources import action_icon_names, app_icon_path, resource_path

ROOT = Path(__file__).resolve().parents[2]


def test_resources_are_the_repository_folder_as_a_package() -> None:
    assert resource_path() == ROOT / "resources"
    assert (files("logbook.resources") / "sample-incidents.csv").is_file()
    assert app_icon_path().is_file()
    assert {"edit-undo", "edit-redo", "document-import"} <= set(action_icon_names())


def test_every_package_of_the_app_is_in_the_wheel() -> None:
    """pyproject lists the packages by hand (resources/ is mapped into logbook): a new one must be added there."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "logbook").rglob("__init__.py")}
    assert set(setuptools["packages"]) == found | {"logbook.resources"}
    assert setuptools["package-dir"] == {"logbook.resources": "resources"}
