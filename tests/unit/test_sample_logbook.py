"""The sample logbook that ships in resources/: the example report of DESIGN.md, clearly a sample, and a file
that is complete on its own, at the current schema, and exactly what its CSV builds."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.services.formats import export
from logbook.store.engine import SCHEMA_VERSION, open_logbook
from logbook.store.repository import Repository
from logbook.ui.resources import resource_path
from tests.fixtures.make_sample_logbook import SAMPLE_CSV, SAMPLE_LOGBOOK, build

REBUILD = "python3 -m tests.fixtures.make_sample_logbook"


def _rows() -> list[dict[str, str]]:
    with SAMPLE_CSV.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def test_the_app_finds_the_sample_the_builder_writes() -> None:
    assert resource_path("sample-logbook.sqlite3").resolve() == SAMPLE_LOGBOOK.resolve()


def test_the_sample_is_the_example_report() -> None:
    """Two drone attacks in Iraq without casualties that did not reach their target, blamed on Iran-backed forces
    by Washington without the official confirming it, and the US strikes in Syria of October 26, with sources."""
    rows = _rows()
    attacks = [row for row in rows if row["event_type"] == "attack"]
    assert len(attacks) == 2
    for attack in attacks:
        assert (attack["country"], attack["weapon"], attack["outcome"]) == ("Iraq", "drone", "missed")
        casualties = (attack["killed_min"], attack["killed_max"], attack["injured_min"], attack["injured_max"])
        assert casualties == ("0", "0", "0", "0")
        assert (attack["perpetrator"], attack["attribution"]) == ("Iran-backed forces", "suspected")
        assert attack["attributed_by"] == "US Department of Defense"
        assert "did not confirm who launched" in attack["notes"]
        assert "40 since mid-October, 22 in Iraq and 18 in Syria" in attack["notes"]
    [strike] = [row for row in rows if row["event_type"] == "strike"]
    assert (strike["date_start"], strike["country"], strike["perpetrator"]) == ("2023-10-26", "Syria", "US forces")
    assert "45 injuries" in strike["notes"]
    assert all(row["sources"] and "| official |" in row["sources"] for row in rows)


def test_every_sample_incident_says_it_is_a_sample() -> None:
    for row in _rows():
        assert row["title"].startswith("[Sample] ")
        assert row["tags"] == "sample"


def test_the_shipped_file_holds_exactly_the_incidents_of_the_csv(tmp_path: Path) -> None:
    """Exported again in date order, a copy of the shipped sample gives back its CSV byte for byte: the same
    uids, titles, figures, sources, tags and timestamps."""
    copy = tmp_path / "sample.sqlite3"
    shutil.copyfile(SAMPLE_LOGBOOK, copy)
    exported = tmp_path / "exported.csv"
    engine = open_logbook(copy)
    try:
        export(Repository(engine), IncidentFilter(), SortOrder(SortKey.DATE, descending=False), exported)
    finally:
        engine.dispose()
    assert exported.read_bytes() == SAMPLE_CSV.read_bytes(), f"rebuild the sample: {REBUILD}"


def test_the_shipped_file_is_complete_on_its_own_and_at_the_current_schema() -> None:
    """Rollback-journal mode and no -wal beside it: the copy the app makes is the whole logbook. At the current
    schema, so opening the copy needs no migration (and no migration backup)."""
    for suffix in ("-wal", "-shm", "-journal"):
        assert not SAMPLE_LOGBOOK.with_name(SAMPLE_LOGBOOK.name + suffix).exists()
    header = SAMPLE_LOGBOOK.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01"  # file format versions: 1 = rollback journal, 2 = WAL
    with closing(_read_only(SAMPLE_LOGBOOK)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,), f"rebuild: {REBUILD}"
        assert connection.execute("PRAGMA freelist_count").fetchone() == (0,)  # vacuumed


def test_the_build_is_repeatable(tmp_path: Path) -> None:
    """A rebuild from the same CSV writes the same rows in every table, the import's bookkeeping included (no
    clock, no builder's user name), so the shipped file can be checked against what the CSV builds."""
    rebuilt = tmp_path / "sample.sqlite3"
    build(SAMPLE_CSV, rebuilt)
    with closing(_read_only(SAMPLE_LOGBOOK)) as shipped, closing(_read_only(rebuilt)) as fresh:
        assert list(fresh.iterdump()) == list(shipped.iterdump()), f"rebuild the sample: {REBUILD}"
    assert not rebuilt.with_name(rebuilt.name + ".new").exists()
