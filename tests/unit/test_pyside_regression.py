"""PySide6 6.12.0 on CPython 3.11 kills the process ("Fatal Python error: none_dealloc: deallocating None") after
enough calls of Qt methods that return nothing: ~200,000 QStandardItem.setText, 2,000,000
QObject.setObjectName, or filling a 3,000-row QStandardItemModel with setItem. pyproject.toml keeps that
version off Python < 3.12; these tests keep watch on the installed combination and on the declared range."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
BAD_PYSIDE = Version("6.12.0")
BAD_PYTHON = (3, 11)

STRESS = textwrap.dedent(
    """
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    item = QStandardItem()
    for n in range(250_000):
        item.setText("x")
    assert item.text() == "x"

    model = QStandardItemModel(3_000, 5)
    for row in range(3_000):
        for column in range(5):
            model.setItem(row, column, QStandardItem(f"{row}:{column}"))
    assert model.rowCount() == 3_000 and model.item(2_999, 4).text() == "2999:4"
    print("survived")
    """
)


def test_many_calls_returning_none_do_not_kill_the_process(tmp_path: Path) -> None:
    """Runs in a child process: the crash is an abort that would take pytest down with it. About 0.3 s."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", STRESS],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        cwd=tmp_path,
        check=False,
    )
    assert "none_dealloc" not in completed.stderr
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == "survived"


def test_the_known_bad_combination_is_not_installed() -> None:
    installed = Version(version("PySide6-Essentials"))
    bad = installed == BAD_PYSIDE and sys.version_info[:2] == BAD_PYTHON
    assert not bad, f"PySide6 {installed} on Python {sys.version.split()[0]} crashes; see pyproject.toml"


def _pyside_requirements() -> list[Requirement]:
    with PYPROJECT.open("rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    found = [Requirement(text) for text in dependencies]
    return [r for r in found if r.name.lower().replace("_", "-") in ("pyside6", "pyside6-essentials")]


def _allows(python: str, candidate: Version) -> bool:
    """Whether pip, on this Python, could install ``candidate`` under every requirement that applies there."""
    environment = {"python_version": python, "python_full_version": f"{python}.0"}
    applying = [r for r in _pyside_requirements() if r.marker is None or r.marker.evaluate(environment)]
    assert applying, f"no PySide6 requirement applies on Python {python}"
    return all(r.specifier.contains(candidate, prereleases=True) for r in applying)


def test_pyproject_declares_pyside6() -> None:
    assert _pyside_requirements()


@pytest.mark.parametrize("python", ["3.11"])
def test_pyproject_excludes_the_bad_version_on_python_311(python: str) -> None:
    assert not _allows(python, BAD_PYSIDE)
    assert not _allows(python, Version("6.12.1"))  # until a fixed release is known, the whole 6.12 line
    assert _allows(python, Version("6.11.3"))


@pytest.mark.parametrize("python", ["3.12", "3.13"])
def test_pyproject_allows_the_version_on_newer_python(python: str) -> None:
    assert _allows(python, BAD_PYSIDE)


def test_the_installed_version_meets_the_declared_range() -> None:
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert _allows(python, Version(version("PySide6-Essentials")))
