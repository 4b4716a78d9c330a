"""The GUI benchmark's child process (gui_bench starts it): Python, then Qt, then the app, each timed.

Nothing but the standard library is imported before Qt: "after Python and Qt are imported" must count every
import of the app, SQLAlchemy's included (importing gui_bench first hid 0.16 s of it from that figure).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

APP_STACK = ("sqlalchemy", "sqlmodel", "pydantic", "logbook.store")


def main(argv: list[str]) -> None:
    db, started, home = argv
    early = sorted(name for name in sys.modules if name.startswith(APP_STACK))
    if early:
        raise SystemExit(f"imported before Qt, so left out of the start-up figure: {', '.join(early)}")
    import PySide6.QtWidgets  # noqa: F401 - "after Qt is imported" starts here

    qt_imported = time.monotonic()
    from benchmarks import gui_driver

    gui_driver.run(db, float(started), qt_imported, time.monotonic(), Path(home))


if __name__ == "__main__":
    main(sys.argv[1:])
