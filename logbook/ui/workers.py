"""Running repository and service calls off the GUI thread, with results delivered back to it."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal

BACKGROUND_NICE = 10  # a worker thread's niceness above the process's on Linux: the GUI thread gets a core first


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from the worker arrive there through Qt's queued connection."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        _yield_to_gui_thread()
        try:
            result = self.work()
        except Exception as error:  # handed to the GUI thread, which tells the user
            self.relay.failed.emit(error)
        else:
            self.relay.succeeded.emit(result)


def _yield_to_gui_thread() -> None:
    """Lower this worker thread's priority: on two cores a snapshot and a summary of a million rows would
    otherwise take turns with the GUI thread and freeze the window for tens of milliseconds at a time."""
    if sys.platform == "linux":  # Qt's thread priorities are ignored by Linux's normal scheduler; nice is per thread
        process_nice = os.getpriority(os.PRIO_PROCESS, os.getpid())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, process_nice + BACKGROUND_NICE))
    else:
        QThread.currentThread().setPriority(QThread.Priority.LowPriority)


class Workers(QObject):
    """Thread pools owned by a window, so closing the window waits for their jobs (none outlives it).

    Quick reads (a first page, the place of a saved incident) have a pool of their own, so they never wait
    behind a snapshot, a summary or an export of a million rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.quick_pool = QThreadPool(self)
        self._relays: set[_Relay] = set()

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        quick: bool = False,
    ) -> None:
        relay = _Relay(self)
        self._relays.add(relay)

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            handler(value)

        relay.succeeded.connect(lambda result: finish(on_done, result))
        relay.failed.connect(lambda error: finish(on_error, error))
        (self.quick_pool if quick else self.pool).start(_Job(work, relay))

    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self) -> None:
        self.quick_pool.waitForDone()
        self.pool.waitForDone()
