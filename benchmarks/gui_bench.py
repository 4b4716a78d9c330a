"""The window's rows of issue 3's target table, measured offscreen through the real main window.

Each logbook size runs in a fresh process (``python -m benchmarks.gui_child DB STARTED HOME``), so start-up includes
the interpreter and the imports and the peak RSS is the window's own. That process starts the app the way
``logbook PATH`` does (logbook.ui.app.run) and, from the table's first painted rows on, drives it like a user:
header clicks, Enter in the search field, the filter combos and dates, Ctrl+End and the scrollbar, the form's
Save button and an export. "Shown" means the table's viewport has painted after the model said the rows are
there; a 10 ms timer measures the longest gap on the GUI thread from each action until its work has settled.
The process prints its figures as one JSON line for ``measure`` to turn into Measurements.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

from benchmarks.report import Measurement
from logbook import paths
from logbook.store.backups import KEEP_SETTING

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 900

# (key in the child's figures, what, unit, target); the child reports seconds, converted to ``unit`` here.
ROWS = (
    ("start_total", "start the app until the first rows are painted (from process start)", "s", 1.5),
    ("start_after_qt", "start the app until the first rows are painted (after Python and Qt are imported)", "s", 0.3),
    ("sort", "sort by any visible column, until the first page is shown (worst column)", "s", 0.5),
    ("search", "free-text search, until the first page is shown (worst word)", "s", 0.2),
    ("filter", "country or date-range filter, until the first page is shown (worst)", "s", 0.2),
    ("jump", "jump to the last row or any row (Ctrl+End, scrollbar drag), until painted (worst)", "ms", 50),
    ("summary", "summary panel refresh after a country or date filter, or clearing one (worst)", "s", 0.2),
    ("summary_search", "summary panel refresh after a free-text search (worst word)", "s", 0.2),
    ("save", "add or edit one incident until table and summary show it (worst)", "s", 0.1),
    ("stall_start", "longest GUI-thread stall: start-up, until every row and the summary are in", "ms", 50),
    ("stall_sort", "longest GUI-thread stall: sorting", "ms", 50),
    ("stall_filter", "longest GUI-thread stall: search and filters, with their summaries", "ms", 50),
    ("stall_jump", "longest GUI-thread stall: jumps", "ms", 50),
    ("stall_save", "longest GUI-thread stall: add and edit", "ms", 50),
    ("stall_export", "longest GUI-thread stall: export of everything", "ms", 50),
    ("stall_import", "longest GUI-thread stall: import (the incidents of 2020, exported then imported)", "ms", 50),
    ("rss", "peak memory of the window with the logbook open, sorted, filtered (and the rest above)", "MB", 300),
    ("rss_import", "peak memory of the window after that import too", "MB", None),
)
SCALE = {"s": 1.0, "ms": 1000.0, "MB": 1.0}


def measure(db: Path, rows: int) -> list[Measurement]:
    """Run the window on ``db`` in a fresh offscreen process and return its figures against the targets."""
    with tempfile.TemporaryDirectory(prefix="logbook-gui-bench-") as home:
        environment = os.environ | {"QT_QPA_PLATFORM": "offscreen", "HOME": home, "PYTHONPATH": str(ROOT)}
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            environment[variable] = str(Path(home) / variable.lower())
        _without_daily_backup(Path(environment["XDG_CONFIG_HOME"]))
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.gui_child", str(db), repr(started), home],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,  # the figures; its progress goes to our stderr
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"the GUI benchmark failed at {rows} rows (its output is above)")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Measurement(what, rows, figures[key][0] * SCALE[unit], unit, target, figures[key][1])
        for key, what, unit, target in ROWS
    ]


def _without_daily_backup(config_home: Path) -> None:
    """The window's settings file with daily backups off: a copy of a million-incident logbook in the background
    on the first open of the day would be measured as part of whatever step it overlapped."""
    with patch.dict(os.environ, {"XDG_CONFIG_HOME": str(config_home)}):
        settings = paths.settings_file()
    section, key = KEEP_SETTING
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f"[{section}]\n{key}=0\n", encoding="utf-8")
