"""Showing what other windows and processes save to the same logbook, without a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from logbook.store.changes import ChangeProbe

if TYPE_CHECKING:
    from logbook.store.repository import Repository


class ChangeWatcher(QObject):
    """Polls a repository's ChangeProbe on a timer: often while the window is active, less often behind other
    windows (the look is a single pragma, microseconds, so it runs on the GUI thread), and once at once when the
    window comes to the front. Emits ``changed`` when another connection has committed.

    A server logbook has no probe and is not watched (``watching`` is False): reopen it to see others' changes.
    """

    changed = Signal()

    ACTIVE_MS = 1000
    INACTIVE_MS = 5000

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._probe: ChangeProbe | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        window.installEventFilter(self)

    @property
    def watching(self) -> bool:
        return self._probe is not None

    def watch(self, repository: Repository) -> bool:
        """Watch ``repository`` instead of the one before; False when it cannot be watched (a server)."""
        self.stop()
        self._probe = repository.watch()
        if self._probe is None:
            return False
        self._timer.start(self.ACTIVE_MS if self._window.isActiveWindow() else self.INACTIVE_MS)
        return True

    def stop(self) -> None:
        """Stop polling and close the probe's connection (before the window's engine is disposed)."""
        self._timer.stop()
        if self._probe is not None:
            self._probe.close()
            self._probe = None

    def poll(self) -> None:
        if self._probe is not None and self._probe.changed():
            self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and self._probe is not None:
            if event.type() == QEvent.Type.WindowActivate:
                self._timer.setInterval(self.ACTIVE_MS)
                self.poll()
            elif event.type() == QEvent.Type.WindowDeactivate:
                self._timer.setInterval(self.INACTIVE_MS)
        return False
