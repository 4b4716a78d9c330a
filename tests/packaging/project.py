"""The files tests/packaging checks, and the tools it needs, in one place."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.incidentlogbook.IncidentLogbook"
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
HICOLOR = LINUX / "icons" / "hicolor"
FLATPAK = PACKAGING / "flatpak"
MANIFEST = FLATPAK / f"{APP_ID}.yml"
APP_ICON = ROOT / "resources" / "icons" / f"{APP_ID}.svg"


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def load_script(path: Path) -> ModuleType:
    """A script under packaging/, loaded by path: ``import packaging.x`` would find the PyPI library ``packaging``."""
    spec = importlib.util.spec_from_file_location(f"packaging_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require(available: bool, message: str) -> None:
    """Skip without what a test needs on a developer's machine, but fail in CI (CI is set there and .ci/run installs
    everything), so a missing tool never lets a check pass unnoticed."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def required_tool(name: str, debian_package: str) -> str:
    found = shutil.which(name)
    require(found is not None, f"{name} is not installed (Debian: apt-get install {debian_package})")
    assert found is not None
    return found
