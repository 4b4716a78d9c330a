"""Two editors at once, in the store: write transactions that take the lock first, a busy logbook told in words,
and the probe that notices other connections' commits."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from logbook.cli import EXIT_FAILED, main
from logbook.store import engine as engine_module
from logbook.store.errors import BusyLogbookError
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.unit.csv_helpers import GOOD_HEADER, GOOD_ROW, write_csv

SHORT_BUSY_MS = 200


@pytest.fixture
def short_busy(monkeypatch: pytest.MonkeyPatch) -> int:
    """Connections made from now on wait this long for a lock (the app waits 5 seconds)."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    return SHORT_BUSY_MS


@contextmanager
def locked(path: Path, how: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
    """Another program holding the logbook's write lock (BEGIN IMMEDIATE or EXCLUSIVE) until the block ends."""
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute(f"BEGIN {how}")
        try:
            yield holder
        finally:
            holder.execute("ROLLBACK")


def begins(engine: Engine) -> list[str]:
    """The BEGIN statements run on ``engine`` from now on: "BEGIN" (deferred) or "IMMEDIATE"."""
    statements: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.startswith("BEGIN"):
            statements.append(statement.split()[-1])

    event.listen(engine, "before_cursor_execute", record)
    return statements


# ---- write transactions ---------------------------------------------------------------------------------------


def test_writes_begin_immediate_and_reads_deferred(repo: Repository) -> None:
    statements = begins(repo.engine)
    incident_id = repo.add(make_draft())
    stored = repo.get(incident_id)
    assert statements == ["IMMEDIATE", "BEGIN"]  # add, then get

    statements.clear()
    stored.title = "Changed"
    repo.update(incident_id, stored)
    repo.upsert_many([make_draft()])
    repo.delete([incident_id])
    repo.restore([incident_id])
    assert statements == ["IMMEDIATE"] * 4


def test_a_locked_logbook_waits_then_says_it_is_busy(db_path: Path, repo: Repository, short_busy: int) -> None:
    incident_id = repo.add(make_draft())
    repo.engine.dispose()  # its connections had the usual wait
    for how in ("IMMEDIATE", "EXCLUSIVE"):
        with locked(db_path, how):
            started = time.monotonic()
            with pytest.raises(BusyLogbookError) as raised:
                repo.update(incident_id, repo.get(incident_id))
            waited = time.monotonic() - started
            with pytest.raises(BusyLogbookError):
                repo.add(make_draft())
            assert repo.count() == 1  # reading goes on meanwhile (WAL)
        message = str(raised.value)
        assert message.startswith("test.sqlite3 is busy: another window or program is writing to it")
        assert "0.2 seconds" in message and "locked" not in message
        assert waited >= short_busy / 1000 * 0.9  # SQLite retried for the busy timeout first
    draft = repo.get(incident_id)
    draft.title = "Saved once the other let go"
    repo.update(incident_id, draft)
    assert repo.get(incident_id).title == draft.title


def test_the_window_s_writes_give_up_quickly_and_its_workers_wait_as_usual(db_path: Path, repo: Repository) -> None:
    """A script importing a million rows holds the lock for a minute: a save in the window says busy at once
    rather than freeze the window for the usual wait, which a worker's write (an import) still gets."""
    incident_id = repo.add(make_draft(title="Stored"))
    repo.interactive_thread = threading.get_ident()
    with locked(db_path), pytest.raises(BusyLogbookError, match=r"did not finish within 0\.25 seconds"):
        repo.update(incident_id, repo.get(incident_id))
    draft = repo.get(incident_id)
    draft.title = "Saved once the other let go"
    repo.update(incident_id, draft)  # the wait is the usual one again for the next write
    assert repo.get(incident_id).title == draft.title

    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.4, lambda: holder.execute("ROLLBACK"))
    added: list[int] = []
    worker = threading.Thread(target=lambda: added.append(repo.add(make_draft(title="From a worker"))))
    release.start()
    worker.start()
    try:
        worker.join()  # longer than the window's wait: it waits, as before, and its write goes in
    finally:
        release.join()
        holder.close()
    assert [repo.get(each).title for each in added] == ["From a worker"]


def test_a_write_waits_for_a_lock_released_within_the_timeout(db_path: Path, repo: Repository) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        incident_id = repo.add(make_draft())  # the usual 5 seconds of waiting covers the 0.3
    finally:
        release.join()
        holder.close()
    assert repo.get(incident_id).version == 1


def test_cli_says_busy_in_one_line_and_fails(
    capsys: pytest.CaptureFixture[str], db_path: Path, repo: Repository, tmp_path: Path, short_busy: int
) -> None:
    path = write_csv(tmp_path / "in.csv", GOOD_HEADER, GOOD_ROW)
    with locked(db_path):
        status = main(["import", str(path), "--db", str(db_path)])
    out, err = capsys.readouterr()
    assert status == EXIT_FAILED and out == ""
    assert err.count("\n") == 1 and err.startswith("logbook: test.sqlite3 is busy:")
    assert "locked" not in err and "Traceback" not in err
    assert repo.count() == 0


# ---- noticing others' changes ---------------------------------------------------------------------------------


def test_probe_reports_other_connections_commits_once(repo: Repository, other: Repository) -> None:
    probe = repo.watch()
    assert probe is not None
    try:
        assert not probe.changed()
        incident_id = other.add(make_draft())
        assert probe.changed()
        assert not probe.changed()
        other.update(incident_id, other.get(incident_id))
        other.delete([incident_id])
        assert probe.changed() and not probe.changed()
        with closing(sqlite3.connect(repo.engine.url.database or "")) as outsider:  # another program
            outsider.execute("UPDATE incident SET title = 'edited by hand'")
            outsider.commit()
        assert probe.changed()
    finally:
        probe.close()


def test_probe_leaves_out_its_own_threads_writes_but_not_a_workers(repo: Repository) -> None:
    probe = repo.watch()
    assert probe is not None
    try:
        incident_id = repo.add(make_draft())  # the window's own save: it shows it already
        repo.update(incident_id, repo.get(incident_id))
        repo.delete([incident_id])
        assert not probe.changed()
        worker = threading.Thread(target=lambda: repo.add(make_draft()))  # an import in the background
        worker.start()
        worker.join()
        assert probe.changed()
    finally:
        probe.close()
    assert not probe.changed()  # closed: nothing to tell, and writes go through the pool again
    repo.add(make_draft())
    assert repo.count() == 2


def test_watching_again_replaces_the_probe(repo: Repository, other: Repository) -> None:
    first = repo.watch()
    second = repo.watch()
    assert first is not None and second is not None
    assert not first.is_open and second.is_open
    other.add(make_draft())
    assert second.changed() and not first.changed()
    second.close()
