"""Opening a logbook: what the user sees when they pick the wrong file, and the settings every connection gets."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine

from logbook.domain.filters import IncidentFilter, SortKey, SortOrder
from logbook.store import engine as engine_module
from logbook.store.engine import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    describe,
    open_logbook,
)
from logbook.store.errors import DamagedLogbookError, LogbookError, NewerLogbookError, NotALogbookError
from logbook.store.repository import Repository
from tests.conftest import make_draft


@pytest.fixture
def logbook(db_path: Path) -> Iterator[Engine]:
    engine = open_logbook(db_path)
    yield engine
    engine.dispose()


def snapshot_folder(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def assert_refused_untouched(path: Path, error_type: type[LogbookError], *words: str) -> LogbookError:
    """Opening ``path`` fails with ``error_type``, a message naming the file, and nothing on disk changed."""
    before = snapshot_folder(path.parent)
    with pytest.raises(error_type) as caught:
        engine = open_logbook(path)
        engine.dispose()  # only reached when open_logbook wrongly succeeds
    message = str(caught.value)
    assert path.name in message
    for word in words:
        assert word in message
    assert "Traceback" not in message
    assert snapshot_folder(path.parent) == before
    return caught.value


# ---- files that are not logbooks ----------------------------------------------------------------------------


def test_csv_file_named_like_a_logbook(tmp_path: Path) -> None:
    path = tmp_path / "incidents.sqlite3"
    path.write_text("uid,date_start,country\n1,2023-11-02,Iraq\n", encoding="utf-8")
    assert_refused_untouched(path, NotALogbookError, "not a SQLite database")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    assert_refused_untouched(path, NotALogbookError, "empty file")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.sqlite3"
    path.write_bytes(random.Random(1).randbytes(64 * 1024))
    assert_refused_untouched(path, NotALogbookError, "not a SQLite database")


def test_almost_a_sqlite_header(tmp_path: Path) -> None:
    path = tmp_path / "short.sqlite3"
    path.write_bytes(b"SQLite format")
    assert_refused_untouched(path, NotALogbookError)


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "logbook.sqlite3"
    folder.mkdir()
    (folder / "inside.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(NotALogbookError, match="folder") as caught:
        open_logbook(folder)
    assert folder.name in str(caught.value)
    assert [p.name for p in folder.iterdir()] == ["inside.txt"]


def _other_database(path: Path, *, wal: bool = False) -> None:
    with closing(sqlite3.connect(path)) as connection:
        if wal:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        connection.execute("INSERT INTO contacts VALUES ('Ada', '555-0100')")
        connection.commit()


def test_sqlite_database_of_another_program(tmp_path: Path) -> None:
    path = tmp_path / "contacts.sqlite3"
    _other_database(path)
    assert_refused_untouched(path, NotALogbookError, "not an incident logbook")
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("SELECT name FROM contacts").fetchall() == [("Ada",)]


def test_sqlite_database_of_another_program_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    _other_database(path, wal=True)
    before = path.read_bytes()
    with pytest.raises(NotALogbookError, match="not an incident logbook"):
        open_logbook(path)
    assert path.read_bytes() == before


def test_sqlite_database_with_another_application_id(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA application_id = 1234")
        connection.commit()
    assert_refused_untouched(path, NotALogbookError, "not an incident logbook")


# ---- logbooks that cannot be used -------------------------------------------------------------------------


def test_logbook_from_a_newer_version(db_path: Path, logbook: Engine) -> None:
    logbook.dispose()
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        connection.commit()
    error = assert_refused_untouched(db_path, NewerLogbookError, "newer version")
    assert f"schema {SCHEMA_VERSION + 1}" in str(error)


def _damage(path: Path) -> None:
    """Overwrite pages in the middle of the file with garbage, as a failing disk or a bad copy would."""
    with closing(sqlite3.connect(path)) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        page_count = connection.execute("PRAGMA page_count").fetchone()[0]
    assert page_count > 20
    with path.open("r+b") as file:
        file.seek(page_size * (page_count // 2))
        file.write(random.Random(20231102).randbytes(page_size * 6))


def test_damaged_logbook_reports_damage_not_a_traceback(db_path: Path) -> None:
    engine = open_logbook(db_path)
    Repository(engine).upsert_many(make_draft(title=f"attack {n}", notes="x" * 400) for n in range(400))
    engine.dispose()
    _damage(db_path)

    with pytest.raises(DamagedLogbookError) as caught:
        engine = open_logbook(db_path)
        try:
            repo = Repository(engine)
            # What the window does right after opening: count, sort, show the first page, summarise.
            ids = repo.snapshot(IncidentFilter(), SortOrder(SortKey.TITLE, descending=False))
            repo.fetch_rows(ids)
            repo.summary(IncidentFilter(search="attack"))
            repo.count(IncidentFilter(search="x"))
        finally:
            engine.dispose()
    message = str(caught.value)
    assert db_path.name in message
    assert "damaged" in message and "backup" in message


def test_damaged_first_page(db_path: Path, logbook: Engine) -> None:
    logbook.dispose()
    with db_path.open("r+b") as file:
        file.seek(16)
        file.write(random.Random(2).randbytes(84))
    with pytest.raises(DamagedLogbookError) as caught:
        open_logbook(db_path).dispose()
    assert db_path.name in str(caught.value)
    assert "damaged" in str(caught.value)


# ---- a good logbook -------------------------------------------------------------------------------------


def test_new_logbook_is_created_with_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "logbook.sqlite3"
    engine = open_logbook(path)
    engine.dispose()
    assert path.is_file()
    with path.open("rb") as file:
        assert file.read(16) == b"SQLite format 3\x00"


def test_application_id_and_user_version_are_set_on_create(db_path: Path, logbook: Engine) -> None:
    logbook.dispose()
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with db_path.open("rb") as file:
        header = file.read(100)
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID  # so `file` and other tools can tell


def _pragmas(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        return {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }


def test_every_connection_has_the_durability_pragmas(logbook: Engine) -> None:
    expected = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS}
    assert BUSY_TIMEOUT_MS > 0
    assert _pragmas(logbook) == expected
    # Two connections at once, so the pool must make a second one, and one after the pool is emptied.
    with logbook.connect() as first, logbook.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    logbook.dispose()
    assert _pragmas(logbook) == expected


def test_reopening_keeps_the_data_and_does_not_migrate_again(
    db_path: Path, logbook: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = Repository(logbook).add(make_draft(title="kept"))
    logbook.dispose()

    def no_migration(_engine: Engine) -> None:
        raise AssertionError("migrations ran on an up-to-date logbook")

    monkeypatch.setattr(engine_module, "_upgrade", no_migration)
    engine = open_logbook(db_path)
    try:
        assert Repository(engine).get(incident_id).title == "kept"
        with engine.connect() as connection:
            revisions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
            assert revisions == [f"{SCHEMA_VERSION:04d}"]  # the revisions are numbered as the schema versions
    finally:
        engine.dispose()


def test_an_empty_sqlite_file_without_tables_becomes_a_logbook(tmp_path: Path) -> None:
    """A blank database (as "New database" in a SQLite tool makes) is not someone else's data."""
    path = tmp_path / "blank.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version = 0")
        connection.execute("VACUUM")
    engine = open_logbook(path)
    try:
        assert Repository(engine).count() == 0
    finally:
        engine.dispose()


def test_path_with_user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    engine = open_logbook("~/home.sqlite3")
    engine.dispose()
    assert (tmp_path / "home.sqlite3").is_file()


def test_describe_hides_passwords_and_folders() -> None:
    assert describe(Path("/some/where/logbook.sqlite3")) == "logbook.sqlite3"
    described = describe("postgresql://analyst:secret@db.example/logbook")
    assert "secret" not in described
    assert "db.example" in described
