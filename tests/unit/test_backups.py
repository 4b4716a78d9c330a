"""Backups: consistent copies by SQLite's backup API, the daily one and its rotation, restoring one safely."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from logbook import paths
from logbook.store import backups
from logbook.store import engine as engine_module
from logbook.store.backups import Backup, BackupCancelled, Kind
from logbook.store.engine import SCHEMA_VERSION, backup_path, notes, open_logbook
from logbook.store.errors import DamagedLogbookError, LogbookError
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.sqlite_files import damage, digest, integrity, read_only

DAY = dt.datetime(2023, 11, 2, 9, 30)


def titles(path: Path) -> list[str]:
    with closing(read_only(path)) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM incident ORDER BY id")]


@pytest.fixture
def logbook(db_path: Path, repo: Repository) -> Path:
    repo.upsert_many(make_draft(title=f"incident {n}", notes="n" * 300) for n in range(60))
    return db_path


# ---- taking a backup ------------------------------------------------------------------------------------


def test_a_backup_is_a_whole_checked_copy_in_the_user_data_folder(logbook: Path, repo: Repository) -> None:
    repo.add(make_draft(title="only in the write-ahead log"))  # the app holds the file open, WAL not checkpointed
    assert Path(f"{logbook}-wal").stat().st_size > 0

    backup = backups.back_up(logbook, now=DAY)

    assert backup.path.is_relative_to(paths.backups_dir())
    assert backup.path.name == "test_2023-11-02_093000_manual.sqlite3"
    assert backup.kind is Kind.MANUAL and backup.taken == DAY and backup.size == backup.path.stat().st_size
    assert titles(backup.path)[-1] == "only in the write-ahead log" and len(titles(backup.path)) == 61
    assert integrity(backup.path) == "ok"
    assert {p.name for p in backup.path.parent.iterdir()} == {backup.path.name, "logbook-path.txt"}
    with closing(sqlite3.connect(backup.path)) as connection:  # one self-contained file
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert backups.list_backups(logbook) == [backup]


def test_two_logbooks_of_the_same_name_keep_their_backups_apart(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "logbook.sqlite3", tmp_path / "b" / "logbook.sqlite3"
    for path in (first, second):
        open_logbook(path).dispose()
    backups.back_up(first, now=DAY)
    assert len(backups.list_backups(first)) == 1 and backups.list_backups(second) == []
    assert backups.folder_for(first) != backups.folder_for(second)


def test_a_second_backup_in_the_same_second_gets_its_own_name(logbook: Path) -> None:
    one, two = backups.back_up(logbook, now=DAY), backups.back_up(logbook, now=DAY)
    assert one.path != two.path and two.path.name.endswith("_manual-2.sqlite3")
    assert {b.path for b in backups.list_backups(logbook)} == {one.path, two.path}


def test_a_damaged_logbook_is_not_backed_up_and_keeps_its_good_backups(logbook: Path, repo: Repository) -> None:
    good = backups.back_up(logbook, Kind.DAILY, now=DAY)
    repo.engine.dispose()
    damage(logbook)
    with pytest.raises(DamagedLogbookError, match="no copy of it was kept"):
        backups.back_up(logbook, Kind.DAILY, now=DAY + dt.timedelta(days=1))
    assert backups.list_backups(logbook) == [good]
    assert [p.name for p in good.path.parent.iterdir() if "partial" in p.name] == []


def test_a_cancelled_backup_keeps_nothing(logbook: Path) -> None:
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return False

    with pytest.raises(BackupCancelled):
        backups.copy_database(logbook, logbook.with_name("copy.sqlite3"), progress)
    assert seen and not logbook.with_name("copy.sqlite3").exists()
    assert not list(logbook.parent.glob("copy.sqlite3*"))


def test_a_copy_that_fails_half_way_is_told_in_words_and_leaves_nothing(logbook: Path) -> None:
    def full(done: int, total: int) -> bool:
        raise sqlite3.OperationalError("database or disk is full")  # as the copy's write would fail

    with pytest.raises(LogbookError) as caught:
        backups.back_up(logbook, progress=full)
    assert str(caught.value).startswith("test.sqlite3 could not be copied to ")
    assert str(caught.value).endswith(": database or disk is full.")
    assert backups.list_backups(logbook) == []
    assert [p.name for p in backups.folder_for(logbook).iterdir()] == ["logbook-path.txt"]


def test_progress_reaches_the_total(logbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 5)
    seen: list[tuple[int, int]] = []
    backups.back_up(logbook, progress=lambda done, total: seen.append((done, total)) or True)
    assert len(seen) > 3 and seen[-1][0] == seen[-1][1]
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


def test_a_logbook_on_a_server_is_not_backed_up_here() -> None:
    with pytest.raises(LogbookError, match="database server"):
        backups.back_up("postgresql://team@server/logbook")  # type: ignore[arg-type]


# ---- the daily backup and its rotation ----------------------------------------------------------------------


def test_one_daily_backup_a_day_and_the_last_n_kept(logbook: Path) -> None:
    taken = [backups.daily_backup(logbook, keep=3, now=DAY + dt.timedelta(days=n)) for n in range(5)]
    assert all(isinstance(backup, Backup) for backup in taken)
    assert backups.daily_backup(logbook, keep=3, now=DAY + dt.timedelta(days=4, hours=5)) is None  # same day

    kept = backups.list_backups(logbook)
    assert [b.taken.date() for b in kept] == [(DAY + dt.timedelta(days=n)).date() for n in (4, 3, 2)]
    assert all(b.kind is Kind.DAILY for b in kept)
    assert not any(backup.path.exists() for backup in taken[:2] if backup is not None)


def test_backups_taken_on_demand_are_never_rotated(logbook: Path) -> None:
    manual = backups.back_up(logbook, Kind.MANUAL, now=DAY - dt.timedelta(days=30))
    for n in range(4):
        backups.daily_backup(logbook, keep=2, now=DAY + dt.timedelta(days=n))
    kinds = [b.kind for b in backups.list_backups(logbook)]
    assert kinds == [Kind.DAILY, Kind.DAILY, Kind.MANUAL] and manual.path.exists()


def test_a_backup_on_demand_counts_as_the_days_backup(logbook: Path) -> None:
    backups.back_up(logbook, now=DAY)
    assert backups.daily_backup(logbook, keep=7, now=DAY + dt.timedelta(hours=3)) is None


def test_daily_backups_follow_the_setting(logbook: Path) -> None:
    assert backups.keep_setting() == backups.KEEP_DEFAULT == 7
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    # as QSettings writes it, beside values configparser must not trip over
    paths.settings_file().write_text(
        "[General]\nrecent=@Invalid()\n\n[backups]\nkeep=2\n\n[window]\ngeometry=@ByteArray(\\x1\\xd9%d)\n",
        encoding="utf-8",
    )
    assert backups.keep_setting() == 2
    for n in range(4):
        backups.daily_backup(logbook, now=DAY + dt.timedelta(days=n))
    assert len(backups.list_backups(logbook)) == 2

    paths.settings_file().write_text("[backups]\nkeep=0\n", encoding="utf-8")
    assert backups.daily_backup(logbook, now=DAY + dt.timedelta(days=9)) is None  # 0: daily backups off
    paths.settings_file().write_text("[backups]\nkeep=lots\n", encoding="utf-8")
    assert backups.keep_setting() == backups.KEEP_DEFAULT


def test_no_daily_backup_of_a_logbook_not_yet_on_disk(tmp_path: Path) -> None:
    assert backups.daily_backup(tmp_path / "new.sqlite3", keep=7) is None


# ---- restoring --------------------------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_current_file_first(logbook: Path, repo: Repository) -> None:
    backup = backups.back_up(logbook, now=DAY)
    repo.add(make_draft(title="after the backup"))  # in the current file's write-ahead log
    repo.engine.dispose()

    restored = backups.restore(backup, logbook)

    assert "after the backup" not in titles(logbook) and len(titles(logbook)) == 60
    assert not Path(f"{logbook}-wal").exists()  # the old file's log never meets the new file
    assert restored.kept is not None and restored.kept.kind is Kind.BEFORE_RESTORE
    assert titles(restored.kept.path)[-1] == "after the backup"
    assert not list(logbook.parent.glob(".*restoring*"))
    engine = open_logbook(logbook)  # the app opens it as any logbook, back in WAL mode
    try:
        assert Repository(engine).count() == 60
    finally:
        engine.dispose()
    assert integrity(logbook) == "ok"


def test_restoring_over_a_damaged_file_keeps_the_damaged_one_as_it_was(logbook: Path, repo: Repository) -> None:
    backup = backups.back_up(logbook, Kind.DAILY, now=DAY)
    repo.engine.dispose()
    damage(logbook)
    damaged = digest(logbook)
    assert backups.newest_backup(logbook) == backup

    restored = backups.restore(backup, logbook)

    assert restored.kept is not None and digest(restored.kept.path) == damaged
    assert integrity(logbook) == "ok" and len(titles(logbook)) == 60
    assert backups.newest_backup(logbook) == backup  # never the unchecked copy of the damaged file


@pytest.mark.parametrize("problem", ["not a logbook", "damaged", "newer", "csv"])
def test_a_bad_backup_is_refused_and_nothing_changes(logbook: Path, repo: Repository, problem: str) -> None:
    bad = logbook.with_name("bad.sqlite3")
    if problem == "csv":
        bad.write_text("uid,date_start\n", encoding="utf-8")
    elif problem == "not a logbook":
        with closing(sqlite3.connect(bad)) as connection:
            connection.execute("CREATE TABLE contacts (name TEXT)")
    else:
        backups.copy_database(logbook, bad)
        if problem == "damaged":
            damage(bad)
        else:
            with closing(sqlite3.connect(bad)) as connection:
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    repo.engine.dispose()
    before = digest(logbook)
    with pytest.raises(LogbookError) as caught:
        backups.restore(bad, logbook)
    assert bad.name in str(caught.value)
    assert digest(logbook) == before and backups.list_backups(logbook) == []


def test_a_logbook_in_use_elsewhere_is_not_replaced(logbook: Path, repo: Repository) -> None:
    backup = backups.back_up(logbook, now=DAY)
    repo.add(make_draft(title="newer"))
    prepared = backups.prepare_restore(backup, logbook)
    with repo.engine.connect() as reader:  # another window in the middle of reading it
        reader.exec_driver_sql("SELECT count(*) FROM incident").scalar()
        with pytest.raises(LogbookError, match="open in another window"):
            backups.finish_restore(prepared)
    assert not prepared.incoming.exists()
    assert repo.count() == 61


def test_restoring_an_older_backup_migrates_it_on_open(logbook: Path, repo: Repository, tmp_path: Path) -> None:
    old = tmp_path / "old" / "test.sqlite3"
    old.parent.mkdir()
    engine = create_engine(f"sqlite:///{old}")
    engine_module._upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA application_id = {engine_module.APPLICATION_ID}")
    engine.dispose()
    repo.engine.dispose()
    backups.restore(old, logbook)
    upgraded = open_logbook(logbook)
    try:
        assert Repository(upgraded).count() == 0
        assert notes(upgraded).migration_backup == backup_path(logbook, 1)
    finally:
        upgraded.dispose()
