"""The migrations build the schema the code expects: Alembic's head, every model column, the schema version."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from logbook.domain.filters import IncidentFilter
from logbook.domain.models import ImportRun, Incident, IncidentHistory, IncidentTag, Source
from logbook.store import engine as engine_module
from logbook.store import repository as repository_module
from logbook.store.engine import APPLICATION_ID, SCHEMA_VERSION, backup_path, notes, open_logbook
from logbook.store.repository import Repository
from tests.conftest import make_draft
from tests.fixtures import make_schema_fixtures as schema_fixtures
from tests.sqlite_files import older_logbook

MIGRATIONS = Path(engine_module.__file__).with_name("migrations")
MODELS = (Incident, Source, IncidentTag, ImportRun, IncidentHistory)


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def test_one_head_and_a_straight_history() -> None:
    script = _script()
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None
    assert all(not revision.is_merge_point for revision in revisions)


def test_a_new_logbook_is_at_the_head_revision(repo: Repository) -> None:
    with repo.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    assert stored == [_script().get_current_head()]


def test_user_version_is_the_schema_version(db_path: Path, repo: Repository) -> None:
    repo.engine.dispose()
    with closing(sqlite3.connect(db_path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_the_head_migration_sets_the_schema_version() -> None:
    """engine.SCHEMA_VERSION is what the newest migration writes: a new migration without a new SCHEMA_VERSION
    (or the other way round) would make a current logbook look old, or newer than the app."""
    script = _script()
    head = script.get_revision(script.get_current_head())
    assert head is not None
    assert f"PRAGMA user_version = {SCHEMA_VERSION}" in Path(head.path).read_text(encoding="utf-8")


def _inspected(engine: Engine) -> dict[str, dict[str, dict[str, object]]]:
    inspector = inspect(engine)
    return {
        table: {column["name"]: column for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
    }


def test_the_migrated_schema_has_every_model_column(repo: Repository) -> None:
    stored = _inspected(repo.engine)
    for model in MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        assert table.name in stored, table.name
        assert set(table.columns.keys()) == set(stored[table.name]), table.name


def test_required_model_columns_are_not_null_in_the_schema(repo: Repository) -> None:
    """A column the model says is required must be NOT NULL in the file (or a bulk write could leave it empty)."""
    stored = _inspected(repo.engine)
    for model in MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        for column in table.columns:
            if not column.nullable and not column.primary_key:
                assert stored[table.name][column.name]["nullable"] is False, f"{table.name}.{column.name}"


def test_the_schema_has_sort_indexes_and_text_search(repo: Repository) -> None:
    inspector = inspect(repo.engine)
    indexed = {tuple(index["column_names"]) for index in inspector.get_indexes("incident")}
    for column in ("date_start", "country", "location", "killed_min", "title"):
        assert (column, "id") in indexed, column
    tables = set(inspector.get_table_names())
    assert {"incident", "source", "incident_tag", "alembic_version", "incident_fts"} <= tables
    foreign = inspector.get_foreign_keys("source")
    assert foreign[0]["referred_table"] == "incident"
    assert foreign[0]["options"].get("ondelete") == "CASCADE"


def test_a_version_1_logbook_is_backed_up_then_upgraded_in_place(db_path: Path) -> None:
    incident_id = older_logbook(db_path, "0001", "Entered under schema 1")

    upgraded = open_logbook(db_path)
    try:
        repository = Repository(upgraded)
        assert repository.get(incident_id).title == "Entered under schema 1"
        assert repository.count(IncidentFilter(search="schema")) == 1
        with upgraded.connect() as connection:
            head = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            assert head == _script().get_current_head()
            assert connection.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION
            indexes = dict(connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all())
    finally:
        upgraded.dispose()
    assert "ix_incident_deleted_at" not in indexes
    assert "WHERE deleted_at IS NOT NULL" in indexes["ix_incident_trashed"]
    assert "title COLLATE NOCASE" in indexes["ix_incident_title"]
    assert {"ix_incident_figures", "ix_incident_date_end"} <= indexes.keys()
    with closing(sqlite3.connect(backup_path(db_path, 1))) as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
        assert backup.execute("SELECT title FROM incident").fetchall() == [("Entered under schema 1",)]


def test_the_sort_and_filter_queries_use_the_indexes(repo: Repository) -> None:
    """Without these plans a million rows are sorted in a temporary B-tree: seconds instead of a fraction."""
    with repo.engine.connect() as connection:

        def plan(sql: str) -> str:
            return " / ".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))

        live = "FROM incident WHERE deleted_at IS NULL"
        assert plan(f"SELECT id {live} ORDER BY date_start, id") == "SCAN incident USING INDEX ix_incident_date_start"
        assert "ix_incident_title" in plan(f"SELECT id {live} ORDER BY title COLLATE NOCASE, id")
        assert "TEMP B-TREE" not in plan(f"SELECT id {live} ORDER BY title COLLATE NOCASE, id")
        assert "ix_incident_figures" in plan(f"SELECT country, outcome, count(*) {live} GROUP BY country, outcome")


def test_a_version_2_logbook_is_backed_up_and_gains_the_import_history(db_path: Path) -> None:
    incident_id = older_logbook(db_path, "0002", "Entered under schema 2")

    upgraded = open_logbook(db_path)
    try:
        repository = Repository(upgraded)
        assert repository.get(incident_id).title == "Entered under schema 2"
        assert repository.imports() == []
        with upgraded.connect() as connection:
            assert connection.exec_driver_sql("SELECT import_id FROM incident").scalars().all() == [None]
            foreign = connection.exec_driver_sql("PRAGMA foreign_key_list(incident)").all()
        assert [
            (table, column, on_delete) for _id, _seq, table, column, _to, _update, on_delete, _match in foreign
        ] == [("import_run", "import_id", "SET NULL")]
    finally:
        upgraded.dispose()
    with closing(sqlite3.connect(backup_path(db_path, 2))) as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 2


def _downgrade(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_the_import_history_migration_goes_back_down(db_path: Path) -> None:
    engine = open_logbook(db_path)
    try:
        Repository(engine).add(make_draft())
        _downgrade(engine, "0002")
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA user_version").scalar() == 2
            assert "import_run" not in inspect(connection).get_table_names()
            assert "import_id" not in {column["name"] for column in inspect(connection).get_columns("incident")}
            assert connection.exec_driver_sql("SELECT count(*) FROM incident").scalar() == 1
    finally:
        engine.dispose()


def test_the_duplicate_lookup_searches_its_index(repo: Repository) -> None:
    """One index search per key: a scan would read a million incidents for every hundred rows imported."""
    sql = repository_module._duplicates_sql(2)
    with repo.engine.connect() as connection:
        parameters = tuple(["2023-11-02", "IQ", "drone"] * 2)
        plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters)]
    assert any("USING INDEX ix_incident_duplicates (date_start=? AND country=? AND weapon=?)" in step for step in plan)
    assert not any(step.startswith("SCAN i") for step in plan)


def test_a_version_3_logbook_keeps_every_incident_and_source_and_gains_the_change_history(db_path: Path) -> None:
    shutil.copyfile(schema_fixtures.fixture_path(3), db_path)
    with closing(sqlite3.connect(db_path)) as old:
        before = {
            table: old.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("incident", "source", "incident_tag", "import_run")
        }
    incidents = schema_fixtures.expected_rows(3)["incident"]
    first, title = incidents[0]["id"], incidents[0]["title"]
    trashed = [row["id"] for row in incidents if row["deleted_at"] is not None]

    upgraded = open_logbook(db_path)
    try:
        with upgraded.connect() as connection:
            after = {
                table: connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2").all() for table in before
            }
            assert connection.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION
            assert connection.exec_driver_sql("SELECT count(*) FROM incident_history").scalar() == 0
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert after == before
        repository = Repository(upgraded, user="alice")
        assert repository.history(first) == []  # nothing is made up for the changes before the history was kept
        draft = repository.get(first)
        draft.title = "Changed under schema 4"
        repository.update(first, draft)
        (entry,) = repository.history(first)
        assert entry.changed_by == "alice"
        assert [(c.field, c.old, c.new) for c in entry.changes] == [("title", title, "Changed under schema 4")]
        assert [each.id for each in repository.trash()] == trashed
    finally:
        upgraded.dispose()
    with closing(sqlite3.connect(backup_path(db_path, 3))) as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 3
        assert backup.execute("SELECT count(*) FROM source").fetchall() == [(len(before["source"]),)]


def test_the_change_history_migration_goes_back_down(db_path: Path) -> None:
    engine = open_logbook(db_path)
    try:
        Repository(engine).add(make_draft())
        _downgrade(engine, "0003")
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA user_version").scalar() == 3
            assert "incident_history" not in inspect(connection).get_table_names()
            assert connection.exec_driver_sql("SELECT count(*) FROM incident").scalar() == 1
    finally:
        engine.dispose()


def _schema(engine: Engine) -> list[tuple[str, str, str, str]]:
    """sqlite_master as (type, name, table, SQL), the SQL with whitespace differences ironed out."""

    def normalised(sql: str | None) -> str:
        sql = re.sub(r"\s+", " ", sql or "").strip()
        return re.sub(r"\s*([(),])\s*", r"\1", sql)

    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").all()
    return sorted((kind, name, table, normalised(sql)) for kind, name, table, sql in rows)


def _table(engine: Engine, table: str, columns: list[str], order: str) -> list[dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}").all()
    return [dict(zip(columns, row, strict=True)) for row in rows]


ORDER = {"incident": "id", "source": "incident_id, position", "incident_tag": "incident_id, tag",
         "incident_fts": "rowid", "import_run": "id"}  # fmt: skip


@pytest.mark.parametrize("version", schema_fixtures.EARLIER_VERSIONS)
def test_a_kept_logbook_of_every_earlier_schema_migrates_without_losing_a_row(version: int, tmp_path: Path) -> None:
    """The fixture files are logbooks the app of that version made (see tests/fixtures/make_schema_fixtures.py)."""
    path = tmp_path / f"logbook-{version}.sqlite3"
    shutil.copyfile(schema_fixtures.fixture_path(version), path)
    expected = schema_fixtures.expected_rows(version)
    if version < 3:  # the import history starts empty, and no incident came from an import
        expected["import_run"] = []
        for row in expected["incident"]:
            row["import_id"] = None

    upgraded = open_logbook(path)
    fresh = open_logbook(tmp_path / "fresh.sqlite3")
    try:
        assert notes(upgraded).migration_backup == backup_path(path, version)
        for table, rows in expected.items():
            columns = list(rows[0]) if rows else ["*"]
            assert _table(upgraded, table, columns, ORDER[table]) == rows, table
        incidents = [row for row in expected["incident"] if row["deleted_at"] is None]
        repository = Repository(upgraded)
        for row in incidents:  # and the app reads each one back, sources in their order
            draft = repository.get(row["id"])
            assert draft.title == row["title"]
            assert [source.url for source in draft.sources] == [
                source["url"] for source in expected["source"] if source["incident_id"] == row["id"]
            ]
        assert [each.id for each in repository.trash()] == [
            row["id"] for row in expected["incident"] if row["deleted_at"] is not None
        ]
        assert repository.count(IncidentFilter(search="Ayn")) == 1  # the text index survived too
        with upgraded.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM incident_history").scalar() == 0
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert connection.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION
            assert connection.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
            head = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert head == _script().get_current_head()
        assert _schema(upgraded) == _schema(fresh)
    finally:
        upgraded.dispose()
        fresh.dispose()
    with closing(sqlite3.connect(backup_path(path, version))) as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == version
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = backup.execute("SELECT count(*) FROM incident").fetchone()[0]
        assert count == len(expected["incident"])
