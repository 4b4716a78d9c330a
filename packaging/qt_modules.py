"""Which PySide6 modules the app imports, and which ones PySide6-Essentials ships.

Read by the PyInstaller spec (every other installed Qt module is excluded from the bundle) and by
tests/packaging (an import from PySide6-Addons would have to be added to the dependencies on purpose).
Loaded by path, not imported as ``packaging.qt_modules``: that name belongs to the PyPI ``packaging`` library.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

ESSENTIALS_LIST = "PySide6_Essentials.json"  # shipped inside the PySide6 folder by the PySide6-Essentials wheel


def imported_qt_modules(package: Path) -> set[str]:
    """The ``PySide6.Qt*`` modules imported anywhere under ``package`` (``from PySide6.QtX import ...``,
    ``import PySide6.QtX`` and ``from PySide6 import QtX``)."""
    found: set[str] = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
            if isinstance(node, ast.ImportFrom) and node.module == "PySide6":
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.update(_qt_module(node.module))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found.update(_qt_module(alias.name))
    return found


def _qt_module(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return parts[1:2] if parts[0] == "PySide6" else []


def pyside_folder() -> Path:
    """The installed PySide6 package, found without importing it (importing it would load Qt)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("PySide6 is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def essentials_modules() -> set[str]:
    """The Qt modules in PySide6-Essentials, from the list its wheel installs (keys such as "Core", "Svg")."""
    listed = json.loads((pyside_folder() / ESSENTIALS_LIST).read_text(encoding="utf-8"))
    return {f"Qt{name}" for name in listed}


def installed_qt_modules() -> set[str]:
    """Every Qt binding module installed (Essentials, and Addons if present): QtCore.abi3.so, QtCore.pyd, ..."""
    return {path.name.split(".")[0] for path in pyside_folder().glob("Qt*.*") if path.suffix in (".so", ".pyd")}
