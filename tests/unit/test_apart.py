"""The import as the window runs it: in a child process (services/apart.py), on the same logbook file, with its
progress and Cancel relayed, its errors raised here, and a child that dies leaving the logbook as it was."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.services import importer
from logbook.services.apart import run_apart
from logbook.services.importer import ImportCancelled, UnusableFileError
from logbook.services.mapped_import import import_mapped_at, scan_at
from logbook.store.errors import LogbookError
from logbook.store.repository import UPSERT_BATCH, Repository
from tests.conftest import make_draft
from tests.unit.test_mapped_import import ROW, tracker, write


def test_an_import_in_a_child_process_is_stored_with_its_progress_and_user(repo: Repository, tmp_path: Path) -> None:
    repo = Repository(repo.engine, user="Dana")
    path = write(tmp_path / "tracker.csv", *[(f"2023-10-{day % 28 + 1:02d}", *ROW[1:]) for day in range(600)])
    seen: list[tuple[int, int]] = []
    report = run_apart(
        import_mapped_at,
        repo.target,
        repo.user,
        path,
        tracker(),
        skip_duplicates=False,
        progress=lambda done, total: seen.append((done, total)),
        cancelled=lambda: False,
    )
    assert (report.added, report.rejected) == (600, 0)
    assert repo.count() == 600
    [entry] = repo.imports()
    assert (entry.id, entry.file_name, entry.mapping) == (report.import_id, "tracker.csv", "Tracker")
    [created] = repo.history(repo.snapshot(IncidentFilter(), SortOrder())[0])
    assert created.changed_by == "Dana"
    size = path.stat().st_size
    assert len(seen) >= 3 and seen[-1] == (size, size)


def test_a_cancel_reaches_the_child_and_nothing_is_imported(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft())
    path = write(tmp_path / "tracker.csv", *[ROW] * 600)
    with pytest.raises(ImportCancelled, match="nothing was imported"):
        run_apart(import_mapped_at, repo.target, repo.user, path, tracker(), cancelled=lambda: True)
    assert repo.count() == 1 and repo.imports() == []


def test_the_childs_error_is_raised_here_with_its_message(repo: Repository, tmp_path: Path) -> None:
    with pytest.raises(UnusableFileError, match=r"gone\.csv does not exist"):
        run_apart(import_mapped_at, repo.target, repo.user, tmp_path / "gone.csv", tracker())


def test_a_child_that_dies_changes_nothing_and_says_so(repo: Repository, tmp_path: Path) -> None:
    repo.add(make_draft())
    rows = [(f"2023-10-{day % 28 + 1:02d}", *ROW[1:]) for day in range(2 * UPSERT_BATCH)]
    path = write(tmp_path / "tracker.csv", *rows)
    reports: list[int] = []

    def kill_the_child_once_it_imports(done: int, total: int) -> None:
        reports.append(done)
        if len(reports) == UPSERT_BATCH // importer.CHECK_EVERY + 2:  # its first batch is in its transaction
            for child in multiprocessing.active_children():
                child.kill()

    with pytest.raises(LogbookError, match="stopped unexpectedly"):
        run_apart(import_mapped_at, repo.target, repo.user, path, tracker(), progress=kill_the_child_once_it_imports)
    assert repo.count() == 1 and repo.imports() == []
    assert multiprocessing.active_children() == []


def test_the_wizards_scan_in_a_child_process_finds_what_a_scan_here_finds_and_stops_when_cancelled(
    repo: Repository, tmp_path: Path
) -> None:
    known = repo.add(make_draft())
    duplicated = ("2023-11-02", "Iraq", "Ain al-Asad air base", "drone", "0", "", "Attack", "")
    path = write(tmp_path / "tracker.csv", *[ROW] * 600, ("someday", *ROW[1:]), duplicated)
    findings = run_apart(scan_at, repo.target, path, tracker())
    assert (findings.rows, findings.rejected, findings.duplicated, findings.repeated) == (602, 1, 1, 599)
    assert [problem.row for problem in findings.problems] == [602]
    assert [(duplicate.row, duplicate.incident_ids) for duplicate in findings.duplicates] == [(603, (known,))]
    assert (findings.repeats[0].row, findings.repeats[0].earlier_row) == (3, 2)
    with pytest.raises(ImportCancelled):
        run_apart(scan_at, repo.target, path, tracker(), cancelled=lambda: True)
    assert multiprocessing.active_children() == []
