"""The app depends on exactly the Qt it uses: PySide6-Essentials, and PySide6-Addons only if a module of it is
imported (then this test says so, and the dependency is added on purpose). No web engine."""

from __future__ import annotations

import re

from tests.packaging.project import PACKAGING, ROOT, load_script, pyproject

qt_modules = load_script(PACKAGING / "qt_modules.py")


def _dependency_names() -> set[str]:
    return {re.split(r"[<>=!~;\s\[]", line, maxsplit=1)[0].lower() for line in pyproject()["project"]["dependencies"]}


def test_every_qt_module_the_app_imports_is_in_pyside6_essentials() -> None:
    used = qt_modules.imported_qt_modules(ROOT / "logbook")
    assert {"QtCore", "QtGui", "QtWidgets"} <= used  # the scan finds the imports at all
    not_essential = used - qt_modules.essentials_modules()
    assert not not_essential, f"{sorted(not_essential)} are PySide6-Addons modules: add PySide6-Addons to pyproject"


def test_the_dependencies_name_pyside6_essentials_and_not_the_whole_of_pyside6() -> None:
    names = _dependency_names()
    assert "pyside6-essentials" in names
    assert not names & {"pyside6", "pyside6-addons"}  # both bring QtWebEngine and the other add-ons


def test_no_web_engine_is_imported() -> None:
    assert not {name for name in qt_modules.imported_qt_modules(ROOT / "logbook") if "WebEngine" in name}
