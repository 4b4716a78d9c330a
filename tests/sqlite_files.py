"""Looking at a logbook file from outside the app, as the tests of backups and failures do."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from contextlib import closing
from pathlib import Path


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes the file, nor checkpoints its write-ahead log."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def integrity(path: Path) -> str:
    with closing(read_only(path)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path, seed: int = 7) -> None:
    """Garbage over every page but the first two and the last, as a failing disk or a bad copy leaves them."""
    with closing(sqlite3.connect(path)) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        page_count = connection.execute("PRAGMA page_count").fetchone()[0]
    assert page_count > 5, "too small a logbook to damage in its middle"
    with path.open("r+b") as file:
        file.seek(page_size * 2)
        file.write(random.Random(seed).randbytes(page_size * (page_count - 3)))


def older_logbook(path: Path, revision: str, title: str = "Entered under an older schema") -> int:
    """A logbook left at an older Alembic ``revision``, with one incident written in plain SQL, as the app of that
    time wrote it (today's repository writes today's schema); returns its id."""
    from sqlalchemy import create_engine

    from logbook.store import engine as engine_module

    old = create_engine(f"sqlite:///{path}")
    engine_module._upgrade(old, revision)
    old.dispose()
    with closing(sqlite3.connect(path)) as connection, connection:
        incident_id = connection.execute(
            "INSERT INTO incident (uid, date_start, country, event_type, title, created_at, updated_at) "
            "VALUES ('older-1', '2024-01-30', 'JO', 'attack', ?, '2024-01-30T12:00:00Z', '2024-01-30T12:00:00Z')",
            (title,),
        ).lastrowid
        connection.execute("INSERT INTO incident_fts (rowid, title) VALUES (?, ?)", (incident_id, title))
    assert incident_id is not None
    return incident_id
