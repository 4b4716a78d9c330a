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
