"""Starting the window: the Qt application, the logbook to open, and what to do when it cannot be opened."""

from __future__ import annotations

import gc
import importlib
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from logbook import __version__, paths
from logbook.domain.record import utc_now
from logbook.store.engine import open_logbook, upgrade_due
from logbook.store.errors import LogbookError
from logbook.ui import theme, translations
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.durability import open_showing_upgrade, restore_at_start
from logbook.ui.icons import app_icon
from logbook.ui.main_window import MainWindow
from logbook.ui.numbers import use_number_locale
from logbook.ui.preferences import preferred_logbook, settings
from logbook.ui.resources import APP_ID

FIRST_PAINT_WAIT_MS = 300  # the most the logbook's opening waits for the window's first rows to be painted

if TYPE_CHECKING:
    from logbook.store.repository import Repository


def start_target(argv: list[str]) -> str | Path:
    """``logbook PATH`` opens PATH; otherwise $LOGBOOK_DB, otherwise the logbook chosen in Preferences, otherwise
    the default logbook."""
    if argv:
        return argv[0]
    return os.environ.get("LOGBOOK_DB") or preferred_logbook()


def open_first_logbook(
    target: str | Path, parent: QWidget | None = None, failure: LogbookError | None = None
) -> tuple[Repository, str | Path] | None:
    """Open ``target`` (unless ``failure`` says why it did not, already); if it is not a usable logbook say why
    and let the user choose another, or give up."""
    while True:
        if failure is None:
            try:
                return open_showing_upgrade(parent, target), target
            except LogbookError as error:
                failure = error
        restored = restore_at_start(target, failure)  # a damaged logbook: its newest backup is offered
        if restored is None:
            Tell.error(parent, QApplication.translate("App", "Cannot open logbook"), str(failure))
        failure = None
        if restored:
            continue
        chosen = Ask.open_logbook(parent, paths.data_dir())
        if chosen is None:
            return None
        target = chosen


def open_in_window(window: MainWindow, then: Callable[[], None] = lambda: None) -> None:
    """Give the opening window its logbook, then call ``then``. SQLAlchemy loads and the logbook opens in a worker
    while the window shows its first rows and stays responsive; an update for this version (a dialog) or a
    logbook that cannot be used (its explanation, then another one to choose) are handled on the GUI thread."""
    target = window.target

    def attach(repository: Repository, chosen: str | Path | None = None) -> None:
        if window.attach(repository, chosen):
            then()

    def open_here(error: Exception | None = None) -> None:
        if window.closed:
            return  # the user closed the window while the logbook opened
        if error is not None and not isinstance(error, LogbookError):
            window.close()  # a bug: report_unexpected tells it, and the app ends rather than wait for nothing
            raise error
        opened = open_first_logbook(target, window, error)
        if opened is None:
            window.close()
            QApplication.exit(1)
        else:
            attach(*opened)

    def open_apart() -> None:
        window.workers.submit(lambda: _repository(target), attach, open_here, quick=True)

    if upgrade_due(target):
        QTimer.singleShot(0, open_here)
    elif window.model.rowCount():
        # once the first rows are painted: the worker's imports hold the GIL most of the time, and a paint calls
        # into Python for every cell, so painting alongside them would wait for the imports to end
        _AfterPaint(window.table.viewport(), open_apart)
    else:
        open_apart()


class _AfterPaint(QObject):
    """Calls ``then`` once, after ``widget`` has painted, or after FIRST_PAINT_WAIT_MS if it does not paint (a
    window started minimised, or on another workspace)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        widget.update()
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._go)  # after this paint, which the filter comes before
        return False

    def _go(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self.parent().removeEventFilter(self)
            then()


def _repository(target: str | Path) -> Repository:
    """In the worker: the repository (SQLAlchemy's first import: see store/rows.py) on the logbook, and the form's
    modules, which the first New incident or Edit would otherwise import on the GUI thread (15 ms)."""
    from logbook.store.repository import Repository

    repository = Repository(open_logbook(target))
    importlib.import_module("logbook.ui.incident_form")
    return repository


def report_unexpected(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """Installed as sys.excepthook: a bug shows a short message, its report goes to the log, the app goes on."""
    details = "".join(traceback.format_exception(kind, error, trace))
    log_file = paths.log_dir() / "logbook.log"
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as log:
            log.write(f"--- {utc_now()} Incident Logbook {__version__}\n{details}\n")
        where = QApplication.translate("App", "The full report was written to {0}.").format(log_file)
    except OSError as log_error:
        where = QApplication.translate("App", "The report could not be written ({0}).").format(log_error)
    text = QApplication.translate("App", "An unexpected error occurred: {0}\n\nYour logbook is safe. {1}")
    Tell.unexpected(QApplication.activeWindow(), text.format(error, where), details)


def run(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Incident Logbook")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("incident-logbook")
    translations.install(app)  # the user's language, where a translation ships (resources/translations)
    use_number_locale()  # digits grouped even where the system's locale is C
    app.setDesktopFileName(APP_ID)  # Wayland finds the desktop entry, and so the icon, by this name
    app.setWindowIcon(app_icon())
    theme.apply_colour_scheme(app, settings().value(theme.SETTING, "system", type=str))
    sys.excepthook = report_unexpected
    window = MainWindow(None, start_target(argv))  # its first rows, while the logbook opens
    window.show()
    # Once open, the 80,000 objects of start-up (modules, classes, widgets), which live as long as the process,
    # are kept out of the cycle collector's full passes, which otherwise pause the GUI thread for 40-50 ms.
    open_in_window(window, gc.freeze)
    status = app.exec()
    window.dispose()
    return status
