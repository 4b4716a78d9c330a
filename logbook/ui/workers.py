"""Running repository and service calls off the GUI thread, with results delivered back to it."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

BACKGROUND_NICE = 10  # a worker thread's niceness above the process's on Linux: the GUI thread gets a core first
PROGRESS_STEPS = 1000  # a progress bar counts per mille: a file's size in bytes may not fit in an int


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from the worker arrive there through Qt's queued connection."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, background: bool) -> None:
        super().__init__()
        self.work = work
        self.relay = relay
        self.background = background

    def run(self) -> None:
        if self.background:
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
    behind a snapshot, a summary or an export of a million rows. They keep the usual priority, as a summary
    does (see submit): what the user waits to read gets the cores first, and a snapshot or an export takes what
    is left."""

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
        foreground: bool = False,
    ) -> None:
        """Run ``work`` in a pool thread and hand its result or error to the GUI thread. A ``foreground`` job of
        the main pool (one whose result the user is waiting to read) keeps the usual priority too."""
        relay = _Relay(self)
        self._relays.add(relay)

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            handler(value)

        relay.succeeded.connect(lambda result: finish(on_done, result))
        relay.failed.connect(lambda error: finish(on_error, error))
        (self.quick_pool if quick else self.pool).start(_Job(work, relay, background=not (quick or foreground)))

    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self) -> None:
        self.quick_pool.waitForDone()
        self.pool.waitForDone()


def progress_steps(done: int, total: int) -> int:
    """``done`` of ``total`` in PROGRESS_STEPS, for a progress bar's value."""
    return done * PROGRESS_STEPS // total if total else 0


class CancellableProgress(QObject):
    """A window-modal progress dialog whose Cancel a worker sees: the worker calls report() from its thread, which
    answers False once the user cancelled, and the progress reaches the dialog through a queued signal. The dialog
    counts in PROGRESS_STEPS from 0; a caller that starts it busy (0..0) gets the steps at the first report."""

    _reached = Signal(int)  # the progress in PROGRESS_STEPS, emitted in the worker's thread

    def __init__(self, parent: QWidget, title: str, label: str, *, name: str) -> None:
        dialog = QProgressDialog(label, CancellableProgress.tr("Cancel"), 0, PROGRESS_STEPS, parent)
        super().__init__(dialog)  # goes with the dialog: a report queued for a deleted dialog is dropped
        self.dialog = dialog
        dialog.setObjectName(name)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self._cancel = threading.Event()
        # Not connected to self._cancel.set: PySide holds a bound method's object by a weak reference and disconnects
        # when it dies, which here is in the worker thread as it drops the job, racing the dialog's deletion in this
        # one (a crash now and then at the end of an import). The lambda keeps the event alive as long as the
        # connection.
        dialog.canceled.connect(lambda: self._cancel.set())
        self._reached.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, done: int, total: int) -> bool:
        """From the worker: ``done`` of ``total``; False once the user cancelled."""
        self._reached.emit(progress_steps(done, total))
        return not self.cancelled()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot(int)
    def _show(self, steps: int) -> None:
        self.dialog.setMaximum(PROGRESS_STEPS)
        self.dialog.setValue(steps)
