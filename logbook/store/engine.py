"""Opening a logbook: the engine, its pragmas, the checks that tell a logbook from any other file, and the
migrations that bring an older schema up to date."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DatabaseError

from logbook.store.errors import DamagedLogbookError, LogbookError, NewerLogbookError, NotALogbookError

APPLICATION_ID = 0x494C4F47  # "ILOG" in the SQLite header, so `file` and we can recognise a logbook
SCHEMA_VERSION = 3  # PRAGMA user_version after the newest migration; see migrations/versions
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# Execution option naming the index a query must read the incident table through, for the plans SQLite's
# planner cannot know are better without statistics (see Repository.first_rows); other databases ignore it.
INDEXED_BY = "logbook_indexed_by"
_INCIDENT_TABLE = re.compile(r"\bFROM incident\b")


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def describe(target: str | Path) -> str:
    """A name for the window title and messages: the file name, or the URL without its password."""
    if is_url(target):
        return make_url(str(target)).render_as_string(hide_password=True)
    return Path(target).name


def open_logbook(target: str | Path) -> Engine:
    """An engine on a ready logbook at ``target`` (a path or a SQLAlchemy URL), creating it if missing.

    Raises a LogbookError subclass with a plain message for anything that is not a usable logbook.
    """
    if is_url(target):
        engine = create_engine(str(target))
    else:
        path = Path(target).expanduser()
        _check_header(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{path}")
        _configure_sqlite(engine, path)
    try:
        _prepare_schema(engine, str(target))
    except LogbookError:
        engine.dispose()
        raise
    except DatabaseError as error:
        engine.dispose()
        raise _explain(error, target) from None
    return engine


def _check_header(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise NotALogbookError(f"{path} is a folder, not a logbook file.")
    with path.open("rb") as file:
        header = file.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        kind = "an empty file" if not header else "not a SQLite database"
        raise NotALogbookError(f"{path.name} is {kind}, so it cannot be a logbook. Choose another file.")


def _configure_sqlite(engine: Engine, path: Path) -> None:
    """Durability pragmas on every connection, and transactions that really begin (DDL included)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's guesswork
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not _is_foreign(cursor):  # WAL rewrites the file header: never on someone else's database
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _on_execute(_connection, _cursor, statement, parameters, context, _many):  # type: ignore[no-untyped-def]
        """A query with the execution option INDEXED_BY reads the incident table through that index."""
        index = context.execution_options.get(INDEXED_BY) if context is not None else None
        if index:
            statement = _INCIDENT_TABLE.sub(f"FROM incident INDEXED BY {index}", statement, count=1)
        return statement, parameters

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> LogbookError | None:
        """Damage past the first page only shows when a query reads it: say so in words, not a traceback."""
        error = context.original_exception
        if isinstance(error, sqlite3.DatabaseError) and _is_damage(str(error)):
            return DamagedLogbookError(f"{path.name} is damaged ({error}). Restore it from a backup.")
        return None


def _is_foreign(cursor: sqlite3.Cursor) -> bool:
    """A SQLite database made by something else (the same rule as _prepare_schema's)."""
    application_id = cursor.execute("PRAGMA application_id").fetchone()[0]
    if application_id == APPLICATION_ID:
        return False
    return bool(application_id) or cursor.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def _is_damage(text: str) -> bool:
    return "malformed" in text or "not a database" in text


def _prepare_schema(engine: Engine, target: str) -> None:
    if engine.dialect.name != "sqlite":
        _upgrade(engine)
        return
    with engine.connect() as connection:
        application_id = connection.exec_driver_sql("PRAGMA application_id").scalar()
        user_version = connection.exec_driver_sql("PRAGMA user_version").scalar() or 0
        has_tables = bool(inspect(connection).get_table_names())
    name = describe(target)
    if application_id != APPLICATION_ID and (has_tables or application_id):
        raise NotALogbookError(f"{name} is a SQLite database, but not an incident logbook. Choose another file.")
    if user_version > SCHEMA_VERSION:
        raise NewerLogbookError(
            f"{name} was made by a newer version of Incident Logbook (schema {user_version}; this version "
            f"reads up to {SCHEMA_VERSION}). Update the app to open it."
        )
    if user_version < SCHEMA_VERSION:
        if user_version:
            _back_up(Path(target).expanduser(), user_version)
        _upgrade(engine)


def backup_path(path: Path, user_version: int) -> Path:
    return path.with_name(f"{path.name}.schema-{user_version}.bak")


def _back_up(path: Path, user_version: int) -> None:
    """Copy a logbook beside itself before migrations change its schema, so a failed or unwanted upgrade
    can be undone by hand (SQLite's backup API: a consistent copy, write-ahead log included)."""
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(backup_path(path, user_version))) as copy:
        source.backup(copy)


def _upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision``; each one is a transaction of its own."""
    from alembic import command  # imported here: only needed when the schema is behind, keeps start-up fast
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _explain(error: DatabaseError, target: str | Path) -> LogbookError:
    text = str(error.orig)
    name = describe(target)
    if _is_damage(text):
        return DamagedLogbookError(f"{name} is damaged ({text}). Restore it from a backup.")
    return LogbookError(f"{name} could not be opened: {text}.")
