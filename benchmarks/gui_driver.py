"""The benchmark's user: runs in gui_bench's child process, starts the real app and drives its window.

Imported only after PySide6.QtWidgets, so everything imported here counts in "after Qt is imported".
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QTableView

from logbook.ui import app as logbook_app
from logbook.ui.incident_table_model import COL_DATE, IdRole
from logbook.ui.main_window import MainWindow

if TYPE_CHECKING:
    from logbook.ui.incident_form import IncidentForm  # the app imports it once a form opens, as here

SETTLE_TIMEOUT_S = 600.0
COMMON_WORDS = ("synthetic", "drone")  # in every title; in about a third of them
FIRST_ROWS_TIMEOUT_S = 120.0


class StallProbe(QObject):
    """A 10 ms timer on the GUI thread; the longest gap between its ticks is the longest stall."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self, interval=10, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.worst = 0.0

    def start(self) -> None:
        self._last, self.worst = time.monotonic(), 0.0
        self._timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self._last)
        self._last = now

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return self.worst


class PaintWatch(QObject):
    """When each paint of a table's viewport finished (a zero timer queued during the paint runs right after it),
    and where the table was scrolled to then."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.paints: list[tuple[float, int]] = []
        self._scroll_bar = table.verticalScrollBar()
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            scrolled_to = self._scroll_bar.value()
            QTimer.singleShot(0, lambda: self.paints.append((time.monotonic(), scrolled_to)))
        return False

    def first_after(self, moment: float | None, scrolled_to: int | None = None) -> float | None:
        """The first paint after ``moment`` (at ``scrolled_to``, if given)."""
        if moment is None:
            return None
        return next((painted for painted, at in self.paints if painted > moment and scrolled_to in (None, at)), None)


class Start(QObject):
    """Installed on the application before the window exists. When the main window is shown (before any of its
    workers can report back) it starts watching the window's signals; at the end of the first paint of the
    incident table's viewport with rows in it, it calls ``then`` with the time."""

    def __init__(self, home: Path, then: Callable[[float], None]) -> None:
        super().__init__()
        self._home = home
        self._then = then
        self.driver: Driver | None = None
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.driver is None and event.type() == QEvent.Type.Show and isinstance(watched, MainWindow):
            self.driver = Driver(watched, self._home)
        elif self._first_rows_painted(watched, event):
            self.seen = True
            QTimer.singleShot(0, lambda: self._then(time.monotonic()))
        return False

    def _first_rows_painted(self, watched: QObject, event: QEvent) -> bool:
        if self.driver is None or self.seen or event.type() != QEvent.Type.Paint:
            return False
        return watched is self.driver.window.table.viewport() and self.driver.window.model.rowCount() > 0


class Driver:
    def __init__(self, window: MainWindow, home: Path) -> None:
        self.window = window
        self.home = home
        self.probe = StallProbe()
        self.table_paints = PaintWatch(window.table)
        self.signals: dict[str, float] = {}
        for name, signal in (
            ("first_page", window.model.first_page_shown),
            ("loaded", window.model.loaded),
            ("summary", window.summary_shown),
            ("exported", window.export_finished),
            ("imported", window.import_finished),
        ):
            signal.connect(lambda *_args, name=name: self.signals.setdefault(name, time.monotonic()))
        self.figures: dict[str, tuple[float, str]] = {}
        self.started = 0.0  # when the action being timed began

    # ---- waiting and timing -----------------------------------------------------------------------------

    def settled(self) -> bool:
        return not self.window.workers.busy()

    @staticmethod
    def wait(condition: Callable[[], bool], timeout: float = SETTLE_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        loop = QEventLoop()
        poll = QTimer(interval=2)
        poll.timeout.connect(lambda: (condition() or time.monotonic() > deadline) and loop.quit())
        if not condition():
            poll.start()
            loop.exec()
            poll.stop()
        if not condition():
            raise TimeoutError("the window did not get there in time")

    def timed(
        self, label: str, action: Callable[[], Any], shown: Callable[[], float | None]
    ) -> tuple[float, float, float]:
        """Run ``action`` once earlier work has settled; returns when it started, when ``shown`` gave a time,
        and the longest stall from the start until its own work settled."""
        print(f"{time.monotonic():.3f} {label}", file=sys.stderr, flush=True)
        self.wait(self.settled)
        QTest.qWait(30)  # repaints still queued from the step before must not count as this one's
        self.signals.clear()
        self.probe.start()
        started = self.started = time.monotonic()
        action()
        self.wait(lambda: shown() is not None and self.settled())
        stall = self.probe.stop()
        moment = shown()
        assert moment is not None
        return started, moment, stall

    def table_shown(self, signal: str = "first_page") -> Callable[[], float | None]:
        return lambda: self.table_paints.first_after(self.signals.get(signal))

    def summary_shown(self) -> float | None:
        return self.signals.get("summary")

    def worst(self, key: str, value: float, note: str) -> None:
        if key not in self.figures or value > self.figures[key][0]:
            self.figures[key] = (value, note)

    # ---- the scenario -----------------------------------------------------------------------------------

    def start_up(self, total: float, after_qt: float, importing: float) -> None:
        """``importing``: how long the window's modules took to import after Qt (SQLAlchemy and SQLModel load in
        a worker once the first rows are painted)."""
        self.figures["start_total"] = (total, "")
        self.figures["start_after_qt"] = (
            after_qt,
            f"Python and Qt imported at {total - after_qt:.2f} s; then importing the window took {importing:.2f} s "
            f"and its own work {after_qt - importing:.2f} s; SQLAlchemy loads after",
        )
        self.probe.start()
        self.wait(lambda: "loaded" in self.signals and "summary" in self.signals and self.settled())
        self.figures["stall_start"] = (self.probe.stop(), "")

    def sort_every_column(self) -> None:
        model, header = self.window.model, self.window.table.horizontalHeader()
        for column in range(model.columnCount()):
            name = model.headerData(column, Qt.Orientation.Horizontal)
            for order, label in (
                (Qt.SortOrder.AscendingOrder, "ascending"),
                (Qt.SortOrder.DescendingOrder, "descending"),
            ):
                started, shown, stall = self.timed(
                    f"sort by {name}, {label}",
                    lambda c=column, o=order: header.setSortIndicator(c, o),
                    self.table_shown(),
                )
                self.worst("sort", shown - started, f"{name}, {label}")
                self.worst("stall_sort", stall, f"{name}, {label}")
        self.timed(
            "back to date", lambda: header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder), self.table_shown()
        )

    def filter_step(self, kind: str, label: str, action: Callable[[], Any]) -> None:
        """A filter change: the table's first page under ``kind``, the summary under "summary" (or, for a text
        search, which reads each match's own row, under "summary_search")."""

        def both() -> float | None:
            table, summary = self.table_shown()(), self.summary_shown()
            return None if table is None or summary is None else max(table, summary)

        started, _both, stall = self.timed(label, action, both)
        table, summary = self.table_shown()(), self.summary_shown()
        assert table is not None and summary is not None
        if kind != "summary":
            self.worst(kind, table - started, label)
        self.worst("summary_search" if kind == "search" else "summary", summary - started, label)
        self.worst("stall_filter", stall, label)

    def search_and_filter(self) -> None:
        bar = self.window.filter_bar
        rare = str(self.window.model.index(0, 0).data(IdRole))  # "#<number>" ends each synthetic title

        def search(word: str) -> Callable[[], None]:
            def enter() -> None:
                bar.search.setText(word)
                QTest.keyClick(bar.search, Qt.Key.Key_Return)

            return enter

        for word in (*COMMON_WORDS, rare):
            self.filter_step("search", f"search {word!r}", search(word))
            self.filter_step("summary", "clear the search", bar.clear)
        biggest = self.window.summary_panel.country_model.index(0, 0).data()
        country = bar.country.findText(biggest)
        self.filter_step("filter", f"country {biggest}", lambda: bar.country.setCurrentIndex(country))
        self.filter_step("summary", "clear the country", bar.clear)
        self.filter_step("filter", "from 2020-01-01", lambda: bar.date_from.setDate(QDate(2020, 1, 1)))
        self.filter_step("filter", "from 2020-01-01 to 2020-03-31", lambda: bar.date_to.setDate(QDate(2020, 3, 31)))
        self.filter_step("summary", "clear the dates", bar.clear)

    def jumps(self) -> None:
        table = self.window.table
        bar = table.verticalScrollBar()

        def drag_to_middle() -> None:
            bar.setSliderDown(True)
            bar.setSliderPosition(bar.maximum() // 2)
            bar.setSliderDown(False)

        first_row = table.visualRect(self.window.model.index(0, 0)).center()
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first_row)  # as a user: a row first
        for label, action, scrolled_to in (
            ("Ctrl+End", lambda: QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier),
             bar.maximum()),
            ("scrollbar to the middle", drag_to_middle, bar.maximum() // 2),
            ("Ctrl+Home", lambda: QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier), 0),
        ):  # fmt: skip
            started, shown, stall = self.timed(
                label, action, lambda at=scrolled_to: self.table_paints.first_after(self.started, at)
            )
            self.worst("jump", shown - started, label)
            self.worst("stall_jump", stall, label)

    def save_step(self, label: str, trigger: Callable[[], Any], fill: Callable[[IncidentForm], None]) -> None:
        """Open the form (its own stall counts too), fill it, and time Save until table and summary show it."""
        from logbook.ui.incident_form import IncidentForm

        forms: list[IncidentForm] = []

        def open_form() -> None:
            trigger()
            forms.append(self.window.findChildren(IncidentForm)[-1])

        opened, visible, open_stall = self.timed(
            f"open the form to {label}", open_form, lambda: time.monotonic() if forms[0].isVisible() else None
        )
        form = forms[0]
        fill(form)
        save = form.findChild(QPushButton, "saveButton")

        def shown() -> float | None:
            table, summary = self.table_shown("loaded")(), self.summary_shown()
            return None if table is None or summary is None else max(table, summary)

        started, moment, stall = self.timed(
            f"save ({label})", lambda: QTest.mouseClick(save, Qt.MouseButton.LeftButton), shown
        )
        self.worst("save", moment - started, f"{label}; the form took {visible - opened:.2f} s to open")
        self.worst("stall_save", max(stall, open_stall), f"{label}, opening the form included")

    def add_and_edit(self) -> None:
        def fill_new(form: IncidentForm) -> None:
            date = form.findChild(QLineEdit, "dateStart")
            date.setText("2020-06-15")
            country = form.findChild(QComboBox, "country")
            country.setCurrentIndex(country.findText("Iraq"))
            event_type = form.findChild(QComboBox, "eventType")
            event_type.setCurrentIndex(event_type.findText("Attack"))
            form.findChild(QLineEdit, "title").setText("Benchmark: one more drone attack")

        def fill_edit(form: IncidentForm) -> None:
            title = form.findChild(QLineEdit, "title")
            title.setText(title.text() + " (edited)")

        self.save_step("add", self.window.new_action.trigger, fill_new)
        self.window.table.selectRow(10)
        self.save_step("edit", self.window.edit_action.trigger, fill_edit)

    def export(self) -> None:
        target = self.home / "everything.csv"
        started, finished, stall = self.timed(
            "export", lambda: self.window.start_export(target), lambda: self.signals.get("exported")
        )
        self.figures["stall_export"] = (stall, f"the export took {finished - started:.1f} s")
        target.unlink(missing_ok=True)

    def import_a_year(self) -> None:
        """Export the incidents of 2020 as CSV, then bring the file back in through the import wizard's import
        (the suggested mapping; possible duplicates imported too), timing the GUI thread's longest stall."""
        from logbook.domain.mapping import suggest_mapping  # as the app does: only once someone imports
        from logbook.services.mapped_import import read_sample
        from logbook.ui.import_wizard import ImportRequest

        year = self.home / "2020.csv"
        bar = self.window.filter_bar
        self.filter_step("filter", "from 2020-01-01", lambda: bar.date_from.setDate(QDate(2020, 1, 1)))
        self.filter_step("filter", "from 2020-01-01 to 2020-12-31", lambda: bar.date_to.setDate(QDate(2020, 12, 31)))
        rows = self.window.model.rowCount()
        self.timed("export 2020", lambda: self.window.start_export(year), lambda: self.signals.get("exported"))
        self.filter_step("summary", "clear the dates", bar.clear)
        sample = read_sample(year)
        request = ImportRequest(year, suggest_mapping(sample.columns, sample.rows), skip_duplicates=False)
        started, finished, stall = self.timed(
            "import 2020", lambda: self.window.start_import(request), lambda: self.signals.get("imported")
        )
        self.figures["stall_import"] = (stall, f"{rows:,} incidents imported in {finished - started:.1f} s")
        year.unlink()

    def peak_rss(self, key: str, note: str) -> None:
        status = Path("/proc/self/status").read_text(encoding="ascii")
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        self.figures[key] = (peak / 1024, note)


def run(db: str, started: float, qt_imported: float, app_imported: float, home: Path) -> None:
    application = QApplication.instance() or QApplication([sys.argv[0]])
    outcome: dict[str, Any] = {}

    def first_rows(painted: float) -> None:
        application.removeEventFilter(start)
        driver = start.driver
        assert driver is not None
        try:
            driver.start_up(painted - started, painted - qt_imported, app_imported - qt_imported)
            driver.sort_every_column()
            driver.search_and_filter()
            driver.jumps()
            driver.add_and_edit()
            driver.export()
            driver.peak_rss("rss", "VmHWM before the import below")
            driver.import_a_year()
            driver.peak_rss("rss_import", "VmHWM at the end of the run")
            outcome["figures"] = driver.figures
        finally:
            driver.window.close()

    start = Start(home, first_rows)
    application.installEventFilter(start)
    QTimer.singleShot(int(FIRST_ROWS_TIMEOUT_S * 1000), lambda: start.seen or application.quit())
    logbook_app.run([db])
    if "figures" not in outcome:
        raise SystemExit("the table never painted its first rows, or a step failed (see above)")
    print(json.dumps({key: [value, note] for key, (value, note) in outcome["figures"].items()}))
