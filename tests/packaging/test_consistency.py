"""One app id, one command, one version across the desktop entry, the metainfo, the Flatpak manifest, the
PyInstaller spec and pyproject.toml: a mismatch shows up as a missing icon or a dead launcher only once installed."""

from __future__ import annotations

import configparser
import datetime as dt
import json
import re
import shlex
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import yaml

import logbook
from logbook.ui.resources import APP_ID as RUNTIME_APP_ID
from tests.packaging.project import (
    APP_ICON,
    APP_ID,
    DESKTOP_FILE,
    FLATPAK,
    MANIFEST,
    METAINFO,
    PACKAGING,
    ROOT,
    pyproject,
)

COMMAND = "logbook"
REPOSITORY = "https://github.com/incidentlogbook/incident-logbook"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def _manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(line: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", line)
    assert match is not None, line
    return _normalised(match[0])


def test_the_app_id_is_the_same_everywhere() -> None:
    metainfo = ET.parse(METAINFO).getroot()
    assert RUNTIME_APP_ID == APP_ID  # the window's desktop file name (Wayland) and icon
    assert _desktop_entry()["Icon"] == APP_ID
    assert metainfo.findtext("id") == APP_ID
    assert metainfo.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert _manifest()["id"] == APP_ID
    assert APP_ICON.is_file()
    assert f'APP_ID = "{APP_ID}"' in (PACKAGING / "incident-logbook.spec").read_text(encoding="utf-8")


def test_the_command_is_the_same_everywhere() -> None:
    assert COMMAND in pyproject()["project"]["scripts"]
    assert shlex.split(_desktop_entry()["Exec"]) == [COMMAND, "%f"]
    assert _desktop_entry()["StartupWMClass"] == COMMAND
    assert ET.parse(METAINFO).getroot().findtext("provides/binary") == COMMAND
    assert _manifest()["command"] == COMMAND


def test_the_newest_release_is_this_version() -> None:
    version = pyproject()["project"]["version"]
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "the metainfo lists no release"
    newest = releases[0]  # AppStream lists releases newest first
    assert newest.get("version") == version == logbook.__version__
    assert dt.date.fromisoformat(newest.get("date", "")) <= dt.date.today()
    assert newest.find("description") is not None, "a release needs its release notes"


def test_licences_and_links_agree_with_the_project() -> None:
    metainfo = ET.parse(METAINFO).getroot()
    assert metainfo.findtext("project_license") == pyproject()["project"]["license"]
    assert metainfo.findtext("metadata_license") == "CC0-1.0"
    assert metainfo.findtext("url[@type='homepage']") == REPOSITORY
    screenshots = [image.text or "" for image in metainfo.iterfind("screenshots/screenshot/image")]
    raw = REPOSITORY.replace("github.com", "raw.githubusercontent.com") + "/main/"
    assert screenshots and all(url.startswith(raw + "resources/screenshots/") for url in screenshots)
    assert {category.text for category in metainfo.iterfind("categories/category")} <= set(
        _desktop_entry()["Categories"].rstrip(";").split(";")
    )


def test_the_flatpak_installs_the_desktop_files_and_icons_that_exist() -> None:
    manifest = _manifest()
    [app] = [module for module in manifest["modules"] if isinstance(module, dict)]
    commands = " ".join(app["build-commands"]).replace("${FLATPAK_ID}", APP_ID)
    for installed in (DESKTOP_FILE, METAINFO):
        assert str(installed.relative_to(ROOT)) in commands
    assert "packaging/linux/icons" in commands
    assert manifest["runtime"] == "org.kde.Platform" and manifest["base"] == "io.qt.PySide.BaseApp"
    assert manifest["base-version"] == manifest["runtime-version"]


def test_the_flatpak_base_app_has_the_pyside_the_project_needs() -> None:
    """The base app's branch is its Qt and PySide minor version; it must not be older than pyproject allows."""
    lowest = min(
        tuple(int(part) for part in re.search(r">=\s*(\d+)\.(\d+)", line).groups())  # type: ignore[union-attr]
        for line in pyproject()["project"]["dependencies"]
        if _requirement_name(line) == "pyside6-essentials"
    )
    branch = tuple(int(part) for part in str(_manifest()["base-version"]).split("."))
    assert branch >= lowest


@pytest.mark.parametrize(
    "requirement",
    [line for line in pyproject()["project"]["dependencies"] if not _requirement_name(line).startswith("pyside6")],
)
def test_the_flatpak_installs_every_python_dependency(requirement: str) -> None:
    """python3-requirements.json (generate_requirements.py) pins every dependency but PySide6, which the base app
    brings; a dependency added to pyproject.toml without regenerating it fails here."""
    assert "python3-requirements.json" in _manifest()["modules"]
    module = json.loads((FLATPAK / "python3-requirements.json").read_text(encoding="utf-8"))
    pinned = {_requirement_name(pin) for pin in shlex.split(" ".join(module["build-commands"])) if "==" in pin}
    wheels = {_normalised(source["url"].rsplit("/", 1)[1].split("-")[0]) for source in module["sources"]}
    assert _requirement_name(requirement) in pinned & wheels
