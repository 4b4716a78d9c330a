"""The command line against the ``sqlite3`` command line, in the same run on the same files.

``logbook export`` of the whole logbook is timed against two ``sqlite3`` exports in the same order: ``-csv``
writing the incident columns alone, and ``sqlite3`` writing the very lines logbook writes (sources, tags and
country names included, by csv_lines' own SQL; the files are compared byte for byte). ``logbook import`` of that
export into a new logbook is timed against ``sqlite3``'s ``.import --csv`` of the same file into a plain table,
and against the floor under any import into the logbook's schema: ``sqlite3`` copying the imported incidents,
sources, tags and history into a new logbook with its indexes and text index, the way the import stores them
(indexes built after the rows, one transaction, the same page cache). Every command is a child process timed by
the wall clock, and the peak memory of each logbook command is reported beside the ratios.
"""

from __future__ import annotations

import filecmp
import os
import re
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
from logbook.store.csv_lines import COUNTRY_CELL, FLOAT_CELL, country_cell, line_expression
from logbook.store.engine import open_logbook
from logbook.store.repository import BULK_CACHE_KIB, BULK_FTS_SQL

RATIO_TARGET = 2.0
INCIDENT_COLUMNS = [column for column in COLUMNS if column not in ("sources", "tags")]
EXPORT_ORDER = "WHERE i.deleted_at IS NULL ORDER BY i.date_start DESC, i.id"  # logbook export's default order
BASELINE_EXPORT = f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incident AS i {EXPORT_ORDER}"


def measure(db: Path, rows: int, workdir: Path) -> list[Measurement]:
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        raise RuntimeError("the sqlite3 command line is needed for the baselines: apt-get install sqlite3")
    exported, baseline_csv = workdir / f"export-{rows}.csv", workdir / f"baseline-export-{rows}.csv"
    same_csv = workdir / f"same-export-{rows}.csv"
    imported, plain = workdir / f"import-{rows}.sqlite3", workdir / f"baseline-import-{rows}.sqlite3"
    floor = workdir / f"floor-import-{rows}.sqlite3"
    _remove(exported, baseline_csv, same_csv, imported, plain, floor)
    _read(db)  # the exports start from the same warm file cache
    try:
        ours = _run([sys.executable, "-m", "logbook", "export", "--db", str(db), "--output", str(exported)])
        theirs = _run([sqlite, "-csv", "-header", str(db), BASELINE_EXPORT], stdout=baseline_csv)
        measurements = _compare("export: logbook export / sqlite3 -csv of the incident columns", rows, ours, theirs)
        same = _run([sqlite, "-list", "-noheader", "-newline", "", str(db), _same_lines_sql(db)], stdout=same_csv)
        identical = "the same bytes" if filecmp.cmp(exported, same_csv, shallow=False) else "FILES DIFFER"
        measurements += _compare(
            "export: logbook export / sqlite3 writing the same lines", rows, ours, same, f"; {identical}"
        )[:1]

        ours = _run([sys.executable, "-m", "logbook", "import", str(exported), "--db", str(imported)])
        theirs = _run([sqlite, str(plain), f".import --csv {exported} plain"])
        _check_count(imported, "incident", rows)
        _check_count(plain, "plain", rows)
        measurements += _compare("import: logbook import / sqlite3 .import", rows, ours, theirs)
        least = _run([sqlite, str(_new_logbook(floor)), _floor_sql(imported)])
        _check_count(floor, "incident", rows)
        measurements += [
            Measurement(
                "import: the floor (sqlite3 storing the same rows in a logbook) / sqlite3 .import", rows,
                least.seconds / theirs.seconds, "x", None, f"floor {least.seconds:.2f} s",
            ),
            Measurement("import: logbook import / the floor", rows, ours.seconds / least.seconds, "x", None),
        ]  # fmt: skip
        return measurements
    finally:
        _remove(exported, baseline_csv, same_csv, imported, plain, floor)


def _same_lines_sql(db: Path) -> str:
    """SQL for the sqlite3 command line that writes logbook export's file: its header, then csv_lines' own line
    expression with the country cells from a temporary table (the codes in ``db``) and floats as SQLite prints
    them (the same text as Python's for the demo's four decimals)."""
    with closing(sqlite3.connect(db)) as connection:
        codes = [code for (code,) in connection.execute("SELECT DISTINCT country FROM incident")]
    names = ", ".join(f"({_literal(code)}, {_literal(country_cell(code))})" for code in codes)
    line = line_expression(neutralise_formulas=True).replace(
        f"{COUNTRY_CELL}(i.country)", "(SELECT cell FROM temp.country_cell WHERE code = i.country)"
    )
    line = re.sub(rf"{FLOAT_CELL}\((i\.\w+)\)", r"CAST(\1 AS TEXT)", line)
    return (
        "CREATE TEMP TABLE country_cell (code TEXT PRIMARY KEY, cell TEXT); "
        f"INSERT INTO temp.country_cell VALUES {names}; "
        f"SELECT {_literal(','.join(COLUMNS))} || char(13, 10); "
        f"SELECT {line} FROM incident AS i {EXPORT_ORDER};"
    )


def _new_logbook(path: Path) -> Path:
    open_logbook(path).dispose()  # the schema, by the migrations
    return path


def _floor_sql(source: Path) -> str:
    """SQL copying the logbook ``source`` into the new logbook the command runs on, as the bulk import stores
    rows: one transaction, the incident table's indexes dropped and built again after the rows, the text index
    filled by the import's own statement, the same pragmas and page cache."""
    with closing(sqlite3.connect(source)) as connection:
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'incident'"
        ).fetchall()
        columns = ", ".join(name for _cid, name, *_ in connection.execute("PRAGMA table_info(incident)"))
    return "; ".join(
        [
            "PRAGMA synchronous = FULL", f"PRAGMA cache_size = -{BULK_CACHE_KIB}",
            f"ATTACH {_literal(str(source))} AS src",
            "BEGIN IMMEDIATE", *(f'DROP INDEX main."{name}"' for name, _sql in indexes),
            "INSERT INTO main.import_run SELECT * FROM src.import_run",
            f"INSERT INTO main.incident ({columns}) SELECT {columns} FROM src.incident",
            "INSERT INTO main.source SELECT * FROM src.source",
            "INSERT INTO main.incident_tag SELECT * FROM src.incident_tag",
            BULK_FTS_SQL.replace("BETWEEN ? AND ?", "IS NOT NULL"),  # every incident
            "INSERT INTO main.incident_history SELECT * FROM src.incident_history",
            *(sql for _name, sql in indexes), "COMMIT",
        ]
    )  # fmt: skip


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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


def _compare(what: str, rows: int, ours: _Run, theirs: _Run, more: str = "") -> list[Measurement]:
    verb = what.split(":")[0]
    note = f"logbook {ours.seconds:.2f} s, sqlite3 {theirs.seconds:.2f} s{more}"
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
