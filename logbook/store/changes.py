"""Noticing that someone else changed the logbook: another window, another process, the command line."""

from __future__ import annotations

import sqlite3
import threading
from typing import TYPE_CHECKING

from logbook.store.engine import WRITE

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


class ChangeProbe:
    """Whether another connection has committed to a SQLite logbook since the last look.

    SQLite's ``PRAGMA data_version`` changes when a connection other than the one asking commits, so the probe
    keeps a connection of its own open for as long as it watches. The repository that made the probe writes
    through that same connection in the probe's thread (see Repository._write), so the watching window's own
    saves are not reported back to it; its background work (an import in a worker) is, like anyone else's.
    A server database has no such number: Repository.watch returns no probe there.
    """

    def __init__(self, engine: Engine) -> None:
        self.thread_id = threading.get_ident()
        self.connection: Connection | None = engine.connect().execution_options(**{WRITE: True})
        self._seen = self._data_version()

    @property
    def is_open(self) -> bool:
        return self.connection is not None

    def serves_this_thread(self) -> bool:
        """Whether a write may run on the probe's connection now: in its thread, and not inside another write."""
        return (
            self.connection is not None
            and self.thread_id == threading.get_ident()
            and not self.connection.in_transaction()
        )

    def changed(self) -> bool:
        """True once for each look after which other connections committed; False while it cannot tell (the
        file is busy or unreadable for a moment: the next look will see the change)."""
        if not self.serves_this_thread():
            return False
        version = self._data_version()
        if version is None or version == self._seen:
            return False
        self._seen = version
        return True

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _data_version(self) -> int | None:
        assert self.connection is not None
        driver = self.connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        try:  # straight on the driver: no SQLAlchemy transaction is begun for a pragma that needs none
            return int(driver.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None
