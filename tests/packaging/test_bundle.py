"""The PyInstaller bundle works on its own: built once for this module, then run as a user would run it.

Linux only: the spec is written for Windows and macOS too, but the executable's name and the window's offscreen
start are checked here on the platform CI runs on.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

import logbook
from logbook import paths
from logbook.store.engine import backup_path, open_logbook
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.fixtures import make_schema_fixtures as schema_fixtures
from tests.packaging.project import APP_ID, PACKAGING, ROOT, load_script, require

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundle is run on Linux here"),
]

TITLE = "Two drones fail to reach Ain al-Asad"
STARTED_WITHIN = 60  # seconds for the window to open its logbook; it takes about 2 here


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """packaging/build_bundle.py into a temporary folder (about a minute); its executable."""
    require(
        importlib.util.find_spec("PyInstaller") is not None, "PyInstaller is not installed (pip install pyinstaller)"
    )
    folder = tmp_path_factory.mktemp("bundle")
    environment = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(folder / "pyinstaller-cache")}  # not the user's
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "build_bundle.py"), str(folder / "dist")],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    executable = Path(result.stdout.strip().splitlines()[-1])
    assert executable == folder / "dist" / "logbook" / "logbook" and executable.is_file()
    return executable


@pytest.fixture
def logbook_file(tmp_path: Path) -> Path:
    """A logbook with one incident, made by the code under test, closed before the bundle opens it."""
    path = tmp_path / "report.sqlite3"
    engine = open_logbook(path)
    Repository(engine).add(make_draft(title=TITLE, injured_min=None, injured_max=None))
    engine.dispose()
    return path


def _run(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in arguments], capture_output=True, text=True, timeout=120, check=False)


def test_version(bundle: Path) -> None:
    result = _run(bundle, "--version")
    assert (result.returncode, result.stdout) == (0, f"logbook {logbook.__version__}\n")


def test_headless_export_to_csv(bundle: Path, logbook_file: Path) -> None:
    result = _run(bundle, "export", "--db", logbook_file)
    assert (result.returncode, result.stderr) == (0, "")
    [row] = csv.DictReader(io.StringIO(result.stdout, newline=""))
    assert (row["title"], row["country"], row["weapon"], row["outcome"]) == (
        TITLE,
        "Iraq",
        "drone",
        "intercepted",
    )
    assert (row["killed_min"], row["killed_max"], row["injured_min"], row["injured_max"]) == ("0", "0", "", "")
    assert "US Department of Defense" in row["sources"]


def test_headless_export_to_excel_and_json(bundle: Path, logbook_file: Path, tmp_path: Path) -> None:
    """XlsxWriter and the JSON writer travel with the bundle too."""
    sheet, document = tmp_path / "out.xlsx", tmp_path / "out.json"
    for output in (sheet, document):
        assert _run(bundle, "export", "--db", logbook_file, "--output", output).returncode == 0
    values = [cell.value for row in openpyxl.load_workbook(sheet, read_only=True).active.iter_rows() for cell in row]
    assert TITLE in values
    assert [item["title"] for item in json.loads(document.read_text(encoding="utf-8"))] == [TITLE]


def test_an_old_logbook_is_migrated_by_the_bundled_alembic_scripts(bundle: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(schema_fixtures.fixture_path(1), path)
    result = _run(bundle, "export", "--db", path)
    assert result.returncode == 0, result.stderr
    assert "updated" in result.stderr and backup_path(path, 1).is_file()
    exported = {row["uid"] for row in csv.DictReader(io.StringIO(result.stdout, newline=""))}
    kept = {row["uid"] for row in schema_fixtures.expected_rows(1)["incident"] if row["deleted_at"] is None}
    assert exported == kept  # every incident but the one in the trash


def test_the_window_opens_a_logbook_and_keeps_running(bundle: Path, logbook_file: Path) -> None:
    """Started as from a launcher, offscreen. The daily backup is taken once the window's table has loaded the
    logbook (ui/durability.py), so its file appearing shows the whole start went through: Qt's platform plugin,
    the window, the logbook opened, a worker thread run. Then the app is stopped as a session end would."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [str(bundle), str(logbook_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        deadline = time.monotonic() + STARTED_WITHIN
        while not list(paths.backups_dir().glob("*/*_daily.sqlite3")) and process.poll() is None:
            assert time.monotonic() < deadline, "the window did not load its logbook"
            time.sleep(0.2)
        assert process.poll() is None, "the app ended on its own"
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGTERM, err
    assert "Traceback" not in err, err
    assert not (paths.log_dir() / "logbook.log").exists()  # where the app writes the report of an unexpected error


def test_what_the_app_does_not_use_is_left_out(bundle: Path) -> None:
    internal = bundle.parent / "_internal"
    bundled = {path.name.split(".")[0] for path in (internal / "PySide6").glob("Qt*.so")}
    assert bundled == load_script(PACKAGING / "qt_modules.py").imported_qt_modules(ROOT / "logbook")
    libraries = {path.name for path in internal.rglob("libQt6*")}
    assert not {name for name in libraries if any(unused in name for unused in ("WebEngine", "Qml", "Quick", "3D"))}
    assert not (internal / "pycountry" / "locales").exists()


def test_the_shipped_files_travel_with_the_bundle(bundle: Path) -> None:
    """Icons, the sample logbook and translations, where importlib.resources finds logbook.resources."""
    shipped = ROOT / "resources"
    wanted = {
        path.relative_to(shipped)
        for path in shipped.rglob("*")
        if path.is_file() and not {"screenshots", "__pycache__"} & set(path.relative_to(shipped).parts)
    }
    bundled = bundle.parent / "_internal" / "logbook" / "resources"
    assert {path.relative_to(bundled) for path in bundled.rglob("*") if path.is_file()} >= wanted
    assert (bundled / "icons" / f"{APP_ID}.svg").is_file()
