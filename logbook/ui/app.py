"""Starting the window: the Qt application, the logbook to open, and what to do when it cannot be opened."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from logbook import __version__, paths
from logbook.store.engine import open_logbook
from logbook.store.errors import LogbookError
from logbook.store.repository import Repository
from logbook.ui.dialogs import Ask, Tell
from logbook.ui.main_window import MainWindow


def start_target(argv: list[str]) -> str | Path:
    """``logbook PATH`` opens PATH; otherwise $LOGBOOK_DB, otherwise the default logbook."""
    if argv:
        return argv[0]
    return os.environ.get("LOGBOOK_DB") or paths.default_logbook()


def open_first_logbook(target: str | Path) -> tuple[Repository, str | Path] | None:
    """Open ``target``; if it is not a usable logbook say why and let the user choose another, or give up."""
    while True:
        try:
            return Repository(open_logbook(target)), target
        except LogbookError as error:
            Tell.error(None, QApplication.translate("App", "Cannot open logbook"), str(error))
        chosen = Ask.open_logbook(None, paths.data_dir())
        if chosen is None:
            return None
        target = chosen


def run(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Incident Logbook")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("incident-logbook")
    opened = open_first_logbook(start_target(argv))
    if opened is None:
        return 1
    window = MainWindow(*opened)
    window.show()
    status = app.exec()
    window.dispose()
    return status
