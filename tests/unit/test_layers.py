"""The layers of DESIGN.md: imports flow ui → services → store → domain, and Qt stays in ui/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "logbook"
# What each layer must not import (by module prefix).
FORBIDDEN = {
    "domain": ("PySide6", "logbook.ui", "logbook.services", "logbook.store", "sqlalchemy.engine"),
    "store": ("PySide6", "logbook.ui", "logbook.services", "logbook.cli"),
    "services": ("PySide6", "logbook.ui", "logbook.cli"),
    "cli.py": ("PySide6", "logbook.ui"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downward(layer: str) -> None:
    files = [PACKAGE / layer] if layer.endswith(".py") else sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    offences = [
        f"{path.relative_to(PACKAGE)} imports {module}"
        for path in files
        for module in sorted(imported_modules(path))
        if module.startswith(FORBIDDEN[layer])
    ]
    assert offences == []


def test_widgets_hold_no_sql() -> None:
    """ui/ talks to the repository and services; no SQLAlchemy or sqlite3 in widgets."""
    offences = [
        f"{path.name} imports {module}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        for module in imported_modules(path)
        if module.startswith(("sqlalchemy", "sqlmodel", "sqlite3"))
    ]
    assert offences == []


def test_the_window_starts_without_the_database_library() -> None:
    """The first rows are shown before SQLAlchemy, SQLModel and pydantic are loaded (a third of a second), so
    nothing the start-up imports may load them; the window reads its first page with sqlite3 (store/rows.py)."""
    code = (
        "import sys, logbook.ui.app; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic', 'alembic'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
