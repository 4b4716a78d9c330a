"""A process killed with SIGKILL in the middle of a save, an import or a migration leaves the logbook as it was
before that operation or as it is after it: never a half-written incident, never a damaged file.

A helper process (this module run as a script) loads the app once, then for each trial forks a child that
saves incidents, imports a CSV file or migrates an old logbook in a loop, and kills it with SIGKILL after a
random delay. The test then checks the file as the next start of the app would find it: PRAGMA integrity_check,
the foreign keys, and counts that only add up if every operation was all or nothing. The checks open the file
read-only, so a write-ahead log left behind by one kill is what the next trial's child recovers from.

LOGBOOK_SIGKILL_TRIALS=2000 python3 -m pytest tests/unit/test_durability.py runs a longer loop (default 200).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import IO, Any

import pytest

from tests.sqlite_files import read_only

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("LOGBOOK_SIGKILL_TRIALS", "200"))
SHARE = {"save": 0.4, "import": 0.35, "migration": 0.25}  # of the trials
IMPORT_ROWS = 60
TEMPLATE_INCIDENTS = 1500  # in the old logbook each migration trial starts from
SOURCES_PER_ROW, TAGS_PER_ROW = 2, 2

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper forks its children (POSIX only)")


# ---- the helper process -----------------------------------------------------------------------------------------


def _helper() -> None:
    """Loads everything once, then per line of stdin forks a worker, kills it after the given delay, and answers
    with what the worker had acknowledged (one byte per operation that returned) and how it ended."""
    from logbook.services.importer import import_csv  # noqa: F401 - everything the workers use, loaded once
    from logbook.store.engine import open_logbook
    from logbook.store.repository import Repository
    from tests.conftest import make_draft

    warm = Path(sys.argv[1]) / "warm-up.sqlite3"  # a logbook made and written once: every lazy import done
    engine = open_logbook(warm)
    Repository(engine).add(make_draft())
    engine.dispose()  # no connection may cross a fork
    print("ready", flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            code = 0
            try:
                random.seed(job["seed"])
                WORKERS[job["mode"]](Path(job["db"]), job, write_end)
            except BaseException:
                traceback.print_exc()
                code = 1
            os._exit(code)
        os.close(write_end)
        started = time.perf_counter()
        deadline = started + job["delay"]
        while True:  # the kill at the deadline, unless the worker is done before
            ended, status = os.waitpid(pid, os.WNOHANG)
            if ended:
                break
            left = deadline - time.perf_counter()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                _pid, status = os.waitpid(pid, 0)
                break
            time.sleep(min(left, 0.0005))
        elapsed = time.perf_counter() - started
        acknowledged = 0
        while chunk := os.read(read_end, 65536):
            acknowledged += len(chunk)
        os.close(read_end)
        finished = os.WIFEXITED(status)
        code = os.WEXITSTATUS(status) if finished else None
        print(json.dumps({"done": acknowledged, "killed": not finished, "code": code, "elapsed": elapsed}), flush=True)


def _save_loop(db: Path, job: dict[str, Any], ack: int) -> None:
    """New incidents with 0-4 sources and 0-3 tags, and edits that change them; the title says how many."""
    from logbook.domain.record import SourceDraft
    from logbook.store.engine import open_logbook
    from logbook.store.repository import Repository
    from tests.conftest import make_draft

    repo = Repository(open_logbook(db))

    def draft_parts() -> tuple[str, list[SourceDraft], list[str]]:
        sources, tags = random.randint(0, 4), random.randint(0, 3)
        return (
            f"s{sources} t{tags}",
            [SourceDraft(f"Source {n}", "media", f"https://example.org/{n}") for n in range(sources)],
            [f"tag{n}" for n in range(tags)],
        )

    while True:
        title, sources, tags = draft_parts()
        incident_id = repo.add(make_draft(title=title, sources=sources, tags=tags, notes="n" * random.randint(0, 3000)))
        os.write(ack, b".")
        if incident_id > 1 and random.random() < 0.5:
            target = random.randint(1, incident_id)
            draft = repo.get(target)
            draft.title, draft.sources, draft.tags = draft_parts()
            repo.update(target, draft)
            os.write(ack, b".")


def _import_loop(db: Path, job: dict[str, Any], ack: int) -> None:
    from logbook.services.importer import import_csv
    from logbook.store.engine import open_logbook
    from logbook.store.repository import Repository

    repo = Repository(open_logbook(db))
    while True:
        report = import_csv(repo, job["csv"])
        assert report.imported == IMPORT_ROWS and not report.rejected
        os.write(ack, b".")


def _migrate(db: Path, job: dict[str, Any], ack: int) -> None:
    from logbook.store.engine import open_logbook

    open_logbook(db).dispose()
    os.write(ack, b".")


WORKERS = {"save": _save_loop, "import": _import_loop, "migration": _migrate}


# ---- the test's side ------------------------------------------------------------------------------------------


class Helper:
    def __init__(self, stderr: IO[str], scratch: Path) -> None:
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.test_durability", str(scratch)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=environment,
        )
        assert self.read() == "ready"

    def read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the helper process ended"
        return line.strip()

    def run(self, **job: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.read())
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture
def helper(tmp_path: Path) -> Iterator[Helper]:
    with (tmp_path / "helper.stderr").open("w+", encoding="utf-8") as stderr:
        process = Helper(stderr, tmp_path)
        try:
            yield process
        finally:
            process.close()
            stderr.seek(0)
            errors = stderr.read()
    assert "Traceback" not in errors, errors  # a worker that failed by itself, not by the kill


def check_file(connection: sqlite3.Connection) -> None:
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def check_saves(path: Path) -> int:
    """Every incident whole: as many sources and tags as its title says, and its row in the text index."""
    with closing(read_only(path)) as connection:
        check_file(connection)
        rows = connection.execute(
            "SELECT i.id, i.title, (SELECT count(*) FROM source s WHERE s.incident_id = i.id),"
            " (SELECT count(*) FROM incident_tag t WHERE t.incident_id = i.id) FROM incident i"
        ).fetchall()
        for incident_id, title, sources, tags in rows:
            assert title == f"s{sources} t{tags}", (incident_id, title, sources, tags)
        indexed = connection.execute("SELECT count(*) FROM incident_fts_docsize").fetchone()[0]
        assert indexed == len(rows)
        return len(rows)


def check_imports(path: Path) -> int:
    """Every import all or nothing: its history line, and exactly its rows, each with its sources and tags."""
    with closing(read_only(path)) as connection:
        check_file(connection)
        runs = connection.execute(
            "SELECT r.id, r.added, (SELECT count(*) FROM incident i WHERE i.import_id = r.id) FROM import_run r"
        ).fetchall()
        assert all(added == IMPORT_ROWS and rows == IMPORT_ROWS for _id, added, rows in runs), runs
        incidents = connection.execute("SELECT count(*) FROM incident").fetchone()[0]
        assert incidents == IMPORT_ROWS * len(runs)
        assert connection.execute("SELECT count(*) FROM source").fetchone()[0] == incidents * SOURCES_PER_ROW
        assert connection.execute("SELECT count(*) FROM incident_tag").fetchone()[0] == incidents * TAGS_PER_ROW
        assert connection.execute("SELECT count(*) FROM incident_fts_docsize").fetchone()[0] == incidents
        return len(runs)


def check_migration(path: Path) -> int:
    """Left at some schema version with the matching Alembic revision and every incident, then the app finishes
    the migration on the next open."""
    from logbook.store.engine import SCHEMA_VERSION, backup_path, open_logbook
    from logbook.store.repository import Repository

    with closing(read_only(path)) as connection:
        check_file(connection)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        assert revision == [(f"{version:04d}",)] and 1 <= version <= SCHEMA_VERSION
        assert connection.execute("SELECT count(*) FROM incident").fetchone()[0] == TEMPLATE_INCIDENTS
        assert connection.execute("SELECT count(*) FROM source").fetchone()[0] == TEMPLATE_INCIDENTS
    for old in range(1, SCHEMA_VERSION):
        copy = backup_path(path, old)
        if copy.exists():  # a copy kept before the migration is whole, never half written
            with closing(read_only(copy)) as connection:
                check_file(connection)
                assert connection.execute("SELECT count(*) FROM incident").fetchone()[0] == TEMPLATE_INCIDENTS
    engine = open_logbook(path)
    try:
        assert Repository(engine).count() == TEMPLATE_INCIDENTS
    finally:
        engine.dispose()
    return int(version)


def old_logbook(path: Path) -> None:
    """A logbook at schema 1 (Alembic 0001), written with that schema's own columns."""
    from sqlalchemy import create_engine

    from logbook.store import engine as engine_module

    engine = create_engine(f"sqlite:///{path}")
    engine_module._upgrade(engine, "0001")
    engine.dispose()
    now = "2023-11-03T10:00:00Z"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA application_id = {engine_module.APPLICATION_ID}")
        connection.execute("PRAGMA journal_mode = WAL")
        for n in range(1, TEMPLATE_INCIDENTS + 1):
            title = f"Drone attack {n}"
            connection.execute(
                "INSERT INTO incident (id, uid, date_start, country, event_type, title, notes, created_at, updated_at)"
                " VALUES (?, ?, ?, 'IQ', 'attack', ?, ?, ?, ?)",
                (n, f"00000000-0000-4000-8000-{n:012d}", dt.date(2023, 10, 17).isoformat(), title, "x" * 200, now, now),
            )
            connection.execute("INSERT INTO source (incident_id, name, kind) VALUES (?, 'CENTCOM', 'official')", (n,))
            connection.execute("INSERT INTO incident_tag VALUES (?, 'iraq')", (n,))
            connection.execute("INSERT INTO incident_fts (rowid, title, notes) VALUES (?, ?, 'x')", (n, title))
        connection.commit()


def import_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["date_start", "country", "event_type", "title", "sources", "tags"])
        for n in range(IMPORT_ROWS):
            sources = "\n".join(f"Source {k} | media | https://example.org/{n}/{k}" for k in range(SOURCES_PER_ROW))
            writer.writerow(["2023-11-02", "Syria", "attack", f"Imported {n}", sources, "; ".join(
                f"tag{k}" for k in range(TAGS_PER_ROW))])  # fmt: skip
    return path


def test_a_killed_save_import_or_migration_leaves_a_whole_logbook(helper: Helper, tmp_path: Path) -> None:
    from logbook.store.engine import open_logbook

    rng = random.Random(20231102)
    saves, imports = tmp_path / "saves.sqlite3", tmp_path / "imports.sqlite3"
    for path in (saves, imports):
        open_logbook(path).dispose()
    csv_path = import_file(tmp_path / "incidents.csv")
    template = tmp_path / "template.sqlite3"
    old_logbook(template)
    migrating = tmp_path / "migrating.sqlite3"

    # How long one migration takes here, so the kills fall before, inside and after it.
    migrating.write_bytes(template.read_bytes())
    answer = helper.run(mode="migration", db=str(migrating), seed=0, delay=30.0)
    assert (answer["done"], answer["code"]) == (1, 0)
    migration_time = answer["elapsed"]

    modes = [mode for mode, share in SHARE.items() for _ in range(round(TRIALS * share))]
    rng.shuffle(modes)
    outcomes: dict[str, Counter[str]] = {mode: Counter() for mode in SHARE}
    acknowledged_before = {"save": 0, "import": 0}
    started = time.perf_counter()
    for trial, mode in enumerate(modes):
        if mode == "migration":
            for suffix in ("", "-wal", "-shm", ".schema-1.bak", ".schema-2.bak", ".schema-3.bak"):
                Path(f"{migrating}{suffix}").unlink(missing_ok=True)
            migrating.write_bytes(template.read_bytes())
            delay = rng.uniform(0, migration_time * 1.2)
            answer = helper.run(mode=mode, db=str(migrating), seed=trial, delay=delay)
            version = check_migration(migrating)
            outcomes[mode][f"left at schema {version}" if answer["killed"] else "finished before the kill"] += 1
            continue
        path = saves if mode == "save" else imports
        delay = rng.uniform(0.0, 0.1)  # each worker saves or imports several times over in this much time
        answer = helper.run(mode=mode, db=str(path), seed=trial, delay=delay, csv=str(csv_path))
        assert answer["killed"], answer
        if mode == "save":
            check_saves(path)
            outcomes[mode]["killed while saving"] += 1
            outcomes[mode]["saves acknowledged"] += answer["done"]
        else:
            runs = check_imports(path)
            # An import that committed but was killed before it could say so: the kill fell right at the end.
            unacknowledged = runs - acknowledged_before["import"] - answer["done"]
            assert unacknowledged in (0, 1)
            acknowledged_before["import"] = runs
            outcomes[mode]["killed while importing"] += 1
            outcomes[mode]["imports acknowledged"] += answer["done"]
            outcomes[mode]["committed, killed before acknowledged"] += unacknowledged
    elapsed = time.perf_counter() - started

    report = {mode: dict(counter) for mode, counter in outcomes.items()}
    timing = f"{elapsed:.1f} s (one migration: {migration_time * 1000:.0f} ms)"
    print(f"\nSIGKILL trials: {len(modes)} in {timing}: {report}")
    assert sum(outcomes["migration"].values()) == modes.count("migration")
    assert outcomes["migration"]["finished before the kill"] < modes.count("migration")  # most were cut short


if __name__ == "__main__":
    _helper()
