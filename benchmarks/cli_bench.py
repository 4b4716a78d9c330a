"""The command line against the ``sqlite3`` command line, in the same run on the same files.

``logbook export`` of the whole logbook is timed against ``sqlite3 -csv`` writing the same incident columns in
the same order; ``logbook import`` of that export into a new logbook against ``sqlite3``'s ``.import --csv`` of
the same file into a plain table of a new database. Every command is a child process timed by the wall clock,
and the peak memory of each logbook command is reported beside the ratios.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

from benchmarks.report import Measurement
from logbook.domain.csv_schema import COLUMNS

RATIO_TARGET = 2.0
INCIDENT_COLUMNS = [column for column in COLUMNS if column not in ("sources", "tags")]
BASELINE_EXPORT = (
    f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incident WHERE deleted_at IS NULL ORDER BY date_start DESC, id"
)


def measure(db: Path, rows: int, workdir: Path) -> list[Measurement]:
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        raise RuntimeError("the sqlite3 command line is needed for the baselines: apt-get install sqlite3")
    exported, baseline_csv = workdir / f"export-{rows}.csv", workdir / f"baseline-export-{rows}.csv"
    imported, plain = workdir / f"import-{rows}.sqlite3", workdir / f"baseline-import-{rows}.sqlite3"
    _remove(exported, baseline_csv, imported, plain)
    _read(db)  # both exports start from the same warm file cache
    try:
        ours = _run([sys.executable, "-m", "logbook", "export", "--db", str(db), "--output", str(exported)])
        theirs = _run([sqlite, "-csv", "-header", str(db), BASELINE_EXPORT], stdout=baseline_csv)
        measurements = _compare("export: logbook export / sqlite3 -csv", rows, ours, theirs)

        ours = _run([sys.executable, "-m", "logbook", "import", str(exported), "--db", str(imported)])
        theirs = _run([sqlite, str(plain), f".import --csv {exported} plain"])
        _check_count(imported, "incident", rows)
        _check_count(plain, "plain", rows)
        measurements += _compare("import: logbook import / sqlite3 .import", rows, ours, theirs)
        return measurements
    finally:
        _remove(exported, baseline_csv, imported, plain)


class _Run(NamedTuple):
    seconds: float
    peak_mb: float


# Runs the command in a grandchild forked from this small interpreter, and writes its wall-clock time and its
# own peak RSS. A child forked (or vforked) straight from the benchmark would report the benchmark's larger
# RSS instead: Linux carries the memory high-water mark of the forking process across exec.
_TIMED = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as file:
    file.write(f"{time.perf_counter() - started} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run(argv: list[str], stdout: Path | None = None) -> _Run:
    """Run one command to completion: its wall-clock time and peak memory, or RuntimeError if it failed."""
    with tempfile.NamedTemporaryFile("r", suffix=".timed") as report, open(stdout or os.devnull, "wb") as out:
        finished = subprocess.run(
            [sys.executable, "-c", _TIMED, report.name, *argv], stdout=out, stderr=subprocess.PIPE
        )
        if finished.returncode != 0:
            raise RuntimeError(f"{argv[:4]} failed ({finished.returncode}): {finished.stderr.decode(errors='replace')}")
        seconds, peak_kib = report.read().split()
    return _Run(float(seconds), int(peak_kib) / 1024)  # ru_maxrss is in KiB on Linux


def _compare(what: str, rows: int, ours: _Run, theirs: _Run) -> list[Measurement]:
    verb = what.split(":")[0]
    note = f"logbook {ours.seconds:.2f} s, sqlite3 {theirs.seconds:.2f} s"
    return [
        Measurement(what, rows, ours.seconds / theirs.seconds, "x", RATIO_TARGET, note),
        Measurement(f"{verb}: peak memory of logbook {verb}", rows, ours.peak_mb, "MB", None),
    ]


def _check_count(path: Path, table: str, expected: int) -> None:
    with closing(sqlite3.connect(path)) as connection:
        count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if count != expected:
        raise RuntimeError(f"{path.name} holds {count} rows in {table}, not {expected}")


def _read(path: Path) -> None:
    for part in (path, path.with_name(path.name + "-wal")):
        if part.exists():
            with part.open("rb") as file:
                while file.read(1 << 24):
                    pass


def _remove(*paths: Path) -> None:
    for path in paths:
        for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            part.unlink(missing_ok=True)
