"""Take the README's and the AppStream metainfo's screenshots of the real window: light, dark and 200 %.

    python3 packaging/screenshots.py [OUT_DIR]          # default: resources/screenshots

Each picture is taken in a child process of its own (a scale factor is fixed when Qt starts), offscreen, with
settings and data in a temporary folder, on a synthetic demo logbook of 2,000 incidents filtered to one
country, with one incident selected, so the table, the filter bar and the summary all show something.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROWS = 2000
SHOTS = {  # file name: (colour scheme, scale factor)
    "main-window-light.png": ("light", "1"),
    "main-window-dark.png": ("dark", "1"),
    "main-window-200.png": ("light", "2"),
}


def take(path: Path, scheme: str, logbook: Path) -> None:
    """In this process: open ``logbook`` in the main window and save a picture of it to ``path``."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from logbook.store.engine import open_logbook
    from logbook.store.repository import Repository
    from logbook.ui import theme
    from logbook.ui.main_window import MainWindow

    app = QApplication([sys.argv[0]])
    theme.apply_colour_scheme(app, scheme)
    window = MainWindow(Repository(open_logbook(logbook)), logbook)
    window.resize(1360, 780)
    window.show()

    def settle(milliseconds: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(milliseconds, loop.quit)
        loop.exec()

    settle(1500)
    window.filter_bar.country.setCurrentIndex(window.filter_bar.country.findData("IQ"))
    settle(1500)
    window.table.selectRow(2)
    settle(300)
    window.grab().save(str(path))
    window.close()
    window.dispose()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--take"]:
        take(Path(argv[1]), argv[2], Path(argv[3]))
        return 0
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "resources" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), LANG="en_GB.UTF-8")
        for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            environment[variable] = str(home / variable.lower())
        logbook = home / "Incidents.sqlite3"
        subprocess.run([sys.executable, "-m", "logbook", "demo", "--rows", str(ROWS), "--db", str(logbook)],
                       env=environment, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        for name, (scheme, scale) in SHOTS.items():
            subprocess.run([sys.executable, __file__, "--take", str(out / name), scheme, str(logbook)],
                           env=dict(environment, QT_SCALE_FACTOR=scale), check=True)  # fmt: skip
            print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
