"""Edit › Preferences…: what each preference changes where the user sees it, and numbers in the locale's format."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from logbook import cli, paths
from logbook.domain.summary import Casualties, Summary
from logbook.store import backups
from logbook.store.engine import open_logbook
from logbook.store.repository import Repository
from logbook.store.rows import ROW_COLUMNS
from logbook.ui import app, theme
from logbook.ui.backup_dialog import BackupDialog
from logbook.ui.incident_table_model import COL_DATE, COL_INJURED, COL_KILLED
from logbook.ui.main_window import MainWindow
from logbook.ui.numbers import DateStyle, count_text
from logbook.ui.preferences import PreferencesDialog, settings
from logbook.ui.summary_panel import SummaryPanel
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, refreshed

Locale = QLocale


def open_preferences(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    """Edit › Preferences… as the user opens it (window-modal, never exec()). The dialog is the window's child,
    closed with it, and deletes itself once closed, so it is not given to qtbot.addWidget."""
    window.preferences_action.trigger()
    dialog = next(each for each in window.findChildren(PreferencesDialog) if each.isVisible())
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def preferences(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    return open_preferences(qtbot, window)


@pytest.fixture
def locale() -> Iterator[None]:
    """The test sets the default locale; it is put back afterwards."""
    before = QLocale()
    yield
    QLocale.setDefault(before)


def test_the_logbook_opened_at_start_is_the_chosen_one(preferences: PreferencesDialog, tmp_path: Path) -> None:
    assert app.start_target([]) == paths.default_logbook()
    assert preferences.logbook_path.placeholderText() == str(paths.default_logbook())
    preferences.logbook_path.setText(str(tmp_path / "team.sqlite3"))
    preferences.ok_button.click()
    assert app.start_target([]) == tmp_path / "team.sqlite3"
    assert app.start_target(["other.sqlite3"]) == "other.sqlite3"


def test_logbook_db_and_an_empty_field_win_over_the_chosen_logbook(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.logbook_path.setText("~/logbooks/mine.sqlite3")
    dialog.ok_button.click()
    assert app.start_target([]) == Path.home() / "logbooks" / "mine.sqlite3"
    monkeypatch.setenv("LOGBOOK_DB", str(tmp_path / "env.sqlite3"))
    assert app.start_target([]) == str(tmp_path / "env.sqlite3")
    monkeypatch.delenv("LOGBOOK_DB")
    dialog = open_preferences(qtbot, window)
    assert dialog.logbook_path.text() == "~/logbooks/mine.sqlite3"
    dialog.logbook_path.clear()
    dialog.ok_button.click()
    assert app.start_target([]) == paths.default_logbook()


@pytest.mark.parametrize(
    "folder",
    [
        "plain",
        "with spaces ",
        "comma, semicolon; and = sign",
        'back\\slash "quoted"',
        "ünïcødé العربية",
        "@first",
        "a\ttab",
    ],
)
def test_the_command_line_reads_the_logbook_chosen_in_preferences(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    """A script and the window read the same logbook when neither names one; the command line reads the
    settings file without Qt, so it must read back every path exactly as QSettings wrote it."""
    chosen = tmp_path / folder / "team.sqlite3"
    chosen.parent.mkdir()
    Repository(open_logbook(chosen)).add(make_draft(title="In the team logbook"))
    dialog = open_preferences(qtbot, window)
    dialog.logbook_path.setText(str(chosen))
    dialog.ok_button.click()
    assert paths.start_logbook() == str(chosen)
    assert cli.main(["summary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["incidents"] == 1


def test_browse_fills_in_the_chosen_file_and_a_folder_is_refused(
    preferences: PreferencesDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PreferencesDialog, "choose_logbook", classmethod(lambda cls, parent, current: tmp_path))
    preferences.findChild(type(preferences.ok_button), "browseDefaultLogbook").click()
    assert preferences.logbook_path.text() == str(tmp_path)
    preferences.ok_button.click()
    assert preferences.isVisible() and preferences.problem.isVisibleTo(preferences)
    assert "is a folder" in preferences.problem.text()
    assert app.start_target([]) == paths.default_logbook()


def test_the_date_format_changes_the_table_the_summary_and_the_filter(
    qtbot: QtBot, window: MainWindow, repo: Repository, preferences: PreferencesDialog
) -> None:
    repo.add(make_draft(date_start=dt.date(2023, 11, 2)))
    repo.add(make_draft(date_start=dt.date(2023, 10, 1), date_precision="month", title="Mid-October"))
    bar = window.filter_bar
    refreshed(qtbot, window, lambda: bar.date_from.setDate(bar.date_from.date().fromString("2023-10-01", "yyyy-MM-dd")))
    assert [window.model.index(row, COL_DATE).data() for row in range(2)] == ["2023-11-02", "2023-10"]
    preferences.date_format.setCurrentIndex(preferences.date_format.findData(DateStyle.MEDIUM.value))
    preferences.ok_button.click()
    assert [window.model.index(row, COL_DATE).data() for row in range(2)] == ["2 Nov 2023", "Oct 2023"]
    assert window.summary_panel.scope.text() == "Incidents matching the filter since 1 Oct 2023"
    assert bar.date_from.text() == "1 Oct 2023"
    stored = repo.fetch_rows([1])[1]
    assert stored[ROW_COLUMNS.index("date_start")] == dt.date(2023, 11, 2)  # stored as it was


def test_a_new_window_shows_dates_in_the_chosen_format(
    qtbot: QtBot, window: MainWindow, repo: Repository, preferences: PreferencesDialog, db_path: Path
) -> None:
    repo.add(make_draft(date_start=dt.date(2023, 11, 2)))
    preferences.date_format.setCurrentIndex(preferences.date_format.findData(DateStyle.MEDIUM.value))
    preferences.ok_button.click()
    again = MainWindow(repo, db_path)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.model.loaded, timeout=WAIT_MS):
        again.show()
    assert again.model.index(0, COL_DATE).data() == "2 Nov 2023"
    again.close()


def test_the_bom_option_starts_an_exported_csv_with_a_byte_order_mark(
    qtbot: QtBot, window: MainWindow, repo: Repository, tmp_path: Path
) -> None:
    repo.add(make_draft(location="Saïda"))
    refreshed(qtbot, window, window.refresh)
    for bom in (True, False):
        dialog = open_preferences(qtbot, window)
        dialog.bom.setChecked(bom)
        dialog.ok_button.click()
        target = tmp_path / f"bom-{bom}.csv"
        with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS):
            window.start_export(target)
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfuid,") if bom else data.startswith(b"uid,")
        assert "Saïda" in data.decode("utf-8-sig")


def test_neutralise_formulas_is_the_file_menus_setting(qtbot: QtBot, window: MainWindow) -> None:
    window.neutralise_action.setChecked(False)
    dialog = open_preferences(qtbot, window)
    assert not dialog.neutralise.isChecked()
    dialog.neutralise.setChecked(True)
    dialog.ok_button.click()
    assert window.neutralise_action.isChecked()


def test_the_backup_count_is_the_backup_dialogs(
    qtbot: QtBot, window: MainWindow, preferences: PreferencesDialog, db_path: Path
) -> None:
    assert preferences.keep.value() == backups.KEEP_DEFAULT
    preferences.keep.setValue(3)
    preferences.ok_button.click()
    assert backups.keep_setting() == 3
    listing = BackupDialog(db_path, window)
    qtbot.addWidget(listing)
    assert listing.keep_spin.value() == 3
    dialog = open_preferences(qtbot, window)
    dialog.keep.setValue(0)
    assert dialog.keep.text() == "none (daily backups off)"
    dialog.ok_button.click()
    assert backups.daily_backup(db_path) is None


def test_cancel_keeps_and_restore_defaults_offers_the_defaults(
    qtbot: QtBot, window: MainWindow, preferences: PreferencesDialog, tmp_path: Path
) -> None:
    preferences.logbook_path.setText(str(tmp_path / "x.sqlite3"))
    preferences.keep.setValue(30)
    preferences.bom.setChecked(True)
    preferences.reject()
    assert app.start_target([]) == paths.default_logbook() and backups.keep_setting() == backups.KEEP_DEFAULT
    dialog = open_preferences(qtbot, window)
    dialog.date_format.setCurrentIndex(dialog.date_format.findData(DateStyle.LOCALE.value))
    dialog.keep.setValue(30)
    dialog.neutralise.setChecked(False)
    dialog.defaults_button.click()
    assert dialog.date_format.currentData() == DateStyle.ISO.value and dialog.keep.value() == backups.KEEP_DEFAULT
    assert dialog.neutralise.isChecked() and not dialog.bom.isChecked() and dialog.logbook_path.text() == ""
    assert dialog.colour_scheme.currentData() == "system"


def test_the_colour_scheme_is_applied_at_once_and_kept(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, preferences: PreferencesDialog
) -> None:
    preferences.colour_scheme.setCurrentIndex(preferences.colour_scheme.findData("dark"))
    try:
        preferences.ok_button.click()
        qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 80)
        assert settings().value(theme.SETTING) == "dark"
        assert open_preferences(qtbot, window).colour_scheme.currentData() == "dark"
    finally:
        theme.apply_colour_scheme(qapp, "system")


def test_preferences_has_a_shortcut_and_every_field_a_name(window: MainWindow, preferences: PreferencesDialog) -> None:
    keys = window.preferences_action.shortcuts()
    assert keys and (QKeySequence("Ctrl+,") in keys or QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences))
    for field in (preferences.logbook_path, preferences.date_format, preferences.colour_scheme, preferences.neutralise,
                  preferences.bom, preferences.keep, preferences.ok_button, preferences.defaults_button):  # fmt: skip
        assert field.accessibleName()


# ---- numbers --------------------------------------------------------------------------------------------------


def big_summary() -> Summary:
    return Summary(
        incidents=1_234_567,
        by_country={"Iraq": 1_000_000, "Syria": 234_567},
        by_outcome={"intercepted": 1_200_000, "missed": 30_000, "hit": 4_567, "unknown": 0},
        killed=Casualties(min=1_234, max=1_500, unknown=2_000),
        injured=Casualties(min=45, max=45, open=True),
    )


@pytest.mark.parametrize(
    ("language", "country", "sep"),
    [
        (Locale.Language.English, Locale.Country.UnitedStates, ","),
        (Locale.Language.German, Locale.Country.Germany, "."),
    ],
)
def test_the_summary_panel_groups_digits_as_the_locale_does(
    qtbot: QtBot, locale: None, language: QLocale.Language, country: QLocale.Country, sep: str
) -> None:
    QLocale.setDefault(QLocale(language, country))
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    panel.show_summary(big_summary(), filtered=False)
    assert panel.incidents.text() == f"1{sep}234{sep}567"
    assert panel.killed.text() == f"1{sep}234–1{sep}500 (2{sep}000 unknown)" and panel.injured.text() == "45+"
    assert panel.outcomes["intercepted"].text() == f"1{sep}200{sep}000"
    assert panel.country_model.index(0, 1).data() == f"1{sep}000{sep}000"


def test_the_status_bar_table_and_export_progress_group_digits(
    qtbot: QtBot, window: MainWindow, repo: Repository, locale: None, tmp_path: Path
) -> None:
    QLocale.setDefault(QLocale(Locale.Language.English, Locale.Country.UnitedStates))
    repo.upsert_many(
        [make_draft(date_start=dt.date(2020, 1, 1) + dt.timedelta(days=n), title=f"n{n}") for n in range(1_233)]
    )
    repo.add(make_draft(date_start=dt.date(2024, 1, 1), killed_min=1_234, killed_max=1_500, injured_min=1_000,
                        injured_max=None))  # fmt: skip
    refreshed(qtbot, window, window.refresh)
    assert window.count_label.text() == "1,234 of 1,234 incidents"
    assert window.model.index(0, COL_KILLED).data() == "1,234–1,500"
    assert window.model.index(0, COL_INJURED).data() == "1,000+"
    assert window.summary_panel.incidents.text() == "1,234"
    assert window.summary_panel.country_model.index(0, 1).data() == "1,234"
    with qtbot.waitSignal(window.export_finished, timeout=WAIT_MS):
        progress = window.start_export(tmp_path / "all.csv")
        assert progress.labelText() == "Exporting 1,234 incidents…"


def test_a_c_locale_still_groups_digits(locale: None) -> None:
    """LANG=C (a container, a minimal system) chose no number format: the C locale's comma groups them."""
    QLocale.setDefault(QLocale.c())
    assert count_text(1_234_567) == "1,234,567"
    assert QLocale().toString(1_234_567) == "1234567"  # Qt's own C locale leaves the separators out
