"""Opening a logbook: the engine, its pragmas, the checks that tell a logbook from any other file, and the
migrations that bring an older schema up to date.

SQLAlchemy is imported where an engine is made, not with this module: the window imports this module for its
names and checks, and shows its first rows (store/rows.py) before SQLAlchemy has loaded.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sqlite3
import weakref
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from logbook.store.errors import (
    BusyLogbookError,
    DamagedLogbookError,
    DiskFullError,
    LogbookError,
    NewerLogbookError,
    NotALogbookError,
    ReadOnlyLogbookError,
)
from logbook.store.filesystems import network_warning

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import ExceptionContext
    from sqlalchemy.exc import DatabaseError

APPLICATION_ID = 0x494C4F47  # "ILOG" in the SQLite header, so `file` and we can recognise a logbook
SCHEMA_VERSION = 5  # PRAGMA user_version after the newest migration; see migrations/versions
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# How long a write the user waits for in the window (Repository.interactive_thread) waits for the lock: long
# enough for another window's save, short enough that a script's import of a million rows never freezes the window.
INTERACTIVE_BUSY_MS = 250
# Execution option naming the index a query must read the incident table through, for the plans SQLite's
# planner cannot know are better without statistics (see Repository.first_rows); other databases ignore it.
INDEXED_BY = "logbook_indexed_by"
# Execution option of a write transaction: it begins IMMEDIATE, taking the write lock (waiting up to the busy
# timeout) before it reads, so a read-then-write transaction never fails half-way with SQLITE_BUSY_SNAPSHOT.
WRITE = "logbook_write"
_INCIDENT_TABLE = re.compile(r"\bFROM incident\b")
ASKED_READ_ONLY = "opened read-only"


@dataclasses.dataclass(frozen=True)
class OpenNotes:
    """What the user should know about a logbook that did open (see notes())."""

    read_only: str | None = None  # why it is open read-only ("the file is read-only"), None when writable
    network: str | None = None  # the warning for a logbook on a network share
    migration_backup: Path | None = None  # the copy kept before migrations updated an older logbook


_NOTES: weakref.WeakKeyDictionary[Engine, OpenNotes] = weakref.WeakKeyDictionary()


def notes(engine: Engine) -> OpenNotes:
    return _NOTES.get(engine, OpenNotes())


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def describe(target: str | Path) -> str:
    """A name for the window title and messages: the file name, or the URL without its password."""
    if is_url(target):
        from sqlalchemy.engine import make_url

        return make_url(str(target)).render_as_string(hide_password=True)
    return Path(target).name


def open_logbook(target: str | Path, *, read_only: bool = False) -> Engine:
    """An engine on a ready logbook at ``target`` (a path or a SQLAlchemy URL), creating it if missing.

    A logbook file that cannot be written (the file or its folder is read-only), or any with ``read_only``, is
    opened without ever being written; notes(engine) says so, and why, and warns of a network share.
    Raises a LogbookError subclass with a plain message for anything that is not a usable logbook.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DatabaseError

    if is_url(target):
        engine = create_engine(str(target))
    else:
        path = Path(target).expanduser()
        _check_header(path)
        reason = ASKED_READ_ONLY if read_only else _why_read_only(path)
        if reason is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise LogbookError(f"{path.name} cannot be created in {path.parent}: {error.strerror}.") from None
            engine = create_engine(f"sqlite:///{path}")
        else:
            uri = read_only_uri(path)
            engine = create_engine(
                f"sqlite:///{path}", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
            )
        _configure_sqlite(engine, path, reason)
        _NOTES[engine] = OpenNotes(read_only=reason, network=network_warning(path))
    try:
        _prepare_schema(engine, str(target))
    except LogbookError:
        engine.dispose()
        raise
    except DatabaseError as error:
        engine.dispose()
        raise _explain(error, target) from None
    return engine


def logbook_schema(target: str | Path) -> int | None:
    """The schema version (PRAGMA user_version) of the logbook file at ``target``, read without writing; None for
    a URL, a missing file or anything that is not a readable logbook (open_logbook says why)."""
    if is_url(target):
        return None
    path = Path(target).expanduser()
    try:
        if not path.is_file():
            return None
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as connection:
            (application_id,) = connection.execute("PRAGMA application_id").fetchone()
            (user_version,) = connection.execute("PRAGMA user_version").fetchone()
    except (sqlite3.Error, OSError, LogbookError):
        return None
    return int(user_version) if application_id == APPLICATION_ID else None


def upgrade_due(target: str | Path) -> bool:
    """Whether open_logbook will first update ``target`` for this version: a logbook file of an older schema,
    which it copies beside itself and migrates (20 s at a million incidents), for the caller to say so first."""
    version = logbook_schema(target)
    return version is not None and 0 < version < SCHEMA_VERSION


def _check_header(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise NotALogbookError(f"{path} is a folder, not a logbook file.")
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise LogbookError(f"{path.name} cannot be read: {error.strerror}. Choose another file.") from None
    if header != SQLITE_MAGIC:
        kind = "an empty file" if not header else "not a SQLite database"
        raise NotALogbookError(f"{path.name} is {kind}, so it cannot be a logbook. Choose another file.")


def _why_read_only(path: Path) -> str | None:
    """Why SQLite could not write the logbook at ``path``, or None. Its folder counts: the write-ahead log and
    its index are files beside it. (As root, permissions never stop a write, so only a read-only mount does.)"""
    if not path.exists():
        folder = next((parent for parent in path.parents if parent.exists()), path.parent)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ReadOnlyLogbookError(
                f"{path.name} cannot be created: the folder {folder} is read-only. Choose another folder."
            )
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


def read_only_uri(path: Path) -> str:
    """A SQLite URI that reads ``path`` and never writes it. ``mode=ro`` sees the write-ahead log but needs its
    index file, which it creates in a writable folder or finds there; otherwise ``immutable``, which needs
    nothing but ignores a write-ahead log, so it is refused when one holds changes not yet in the file."""
    uri = path.resolve().as_uri()
    try:
        with closing(sqlite3.connect(f"{uri}?mode=ro", uri=True)) as connection:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return f"{uri}?mode=ro"
    except sqlite3.OperationalError as error:
        if "unable to open" not in str(error) and "readonly" not in str(error):
            return f"{uri}?mode=ro"  # anything else is the file's own problem, reported when it is read
    except sqlite3.DatabaseError:
        return f"{uri}?mode=ro"
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ReadOnlyLogbookError(
            f"{path.name} has changes not yet written into it (in {wal.name}) and its folder is read-only, so it "
            "cannot be read safely. Open it where its folder can be written, or copy both files elsewhere."
        )
    return f"{uri}?mode=ro&immutable=1"


def _configure_sqlite(engine: Engine, path: Path, read_only: str | None = None) -> None:
    """Durability pragmas on every connection, and transactions that really begin (DDL included)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's guesswork
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only and not _is_foreign(cursor):  # WAL rewrites the header: never on someone else's file
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE) else "BEGIN")

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
        if isinstance(error, sqlite3.OperationalError) and "database or disk is full" in str(error):
            return DiskFullError(
                f"There is no room left on the disk that holds {path.name}, so the change was not saved. "
                "Free some space, then save again."
            )
        if isinstance(error, sqlite3.OperationalError) and "readonly database" in str(error):
            why = read_only or "it or its folder became read-only"
            return ReadOnlyLogbookError(f"{path.name} cannot be written ({why}), so the change was not saved.")
        if isinstance(error, sqlite3.OperationalError) and is_busy(error):
            return busy_error(path.name, _busy_timeout(context))
        return None


def _is_foreign(cursor: sqlite3.Cursor) -> bool:
    """A SQLite database made by something else (the same rule as _prepare_schema's)."""
    application_id = cursor.execute("PRAGMA application_id").fetchone()[0]
    if application_id == APPLICATION_ID:
        return False
    return bool(application_id) or cursor.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def is_busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY (any extended code): "database is locked" once the busy timeout has run out."""
    code = getattr(error, "sqlite_errorcode", None)
    return (code & 0xFF) == sqlite3.SQLITE_BUSY if code is not None else "database is locked" in str(error)


def _busy_timeout(context: ExceptionContext) -> int:
    """How long the connection that found the logbook busy waited (see INTERACTIVE_BUSY_MS)."""
    driver = context.connection.connection.driver_connection if context.connection is not None else None
    if not isinstance(driver, sqlite3.Connection):
        return BUSY_TIMEOUT_MS
    return int(driver.execute("PRAGMA busy_timeout").fetchone()[0])


def busy_error(name: str, waited_ms: int = BUSY_TIMEOUT_MS) -> BusyLogbookError:
    seconds = f"{waited_ms / 1000:g}"
    return BusyLogbookError(
        f"{name} is busy: another window or program is writing to it and did not finish within {seconds} "
        "seconds. Nothing was changed; try again in a moment."
    )


def _is_damage(text: str) -> bool:
    return "malformed" in text or "not a database" in text


def _prepare_schema(engine: Engine, target: str) -> None:
    from sqlalchemy import inspect

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
        read_only = notes(engine).read_only
        if read_only:
            raise ReadOnlyLogbookError(
                f"{name} was made by an older version of Incident Logbook and must be updated to open, but it "
                f"cannot be written ({read_only}). Copy it to a folder you can write to, then open the copy."
                if has_tables
                else f"{name} is not a logbook yet and cannot be written ({read_only}). Choose another file."
            )
        if user_version:
            kept = _back_up(Path(target).expanduser(), user_version)
            _NOTES[engine] = dataclasses.replace(notes(engine), migration_backup=kept)
        _upgrade(engine)


def backup_path(path: Path, user_version: int) -> Path:
    return path.with_name(f"{path.name}.schema-{user_version}.bak")


def _back_up(path: Path, user_version: int) -> Path:
    """Copy a logbook beside itself before migrations change its schema, so a failed or unwanted upgrade
    can be undone by hand (SQLite's backup API: a consistent copy, write-ahead log included). Written under a
    temporary name and renamed once whole, so a crash never leaves half a copy under the backup's name."""
    destination = backup_path(path, user_version)
    partial = destination.with_name(destination.name + ".partial")
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)
    os.replace(partial, destination)
    return destination


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
