"""The import wizard and the import history as a user meets them: a messy CSV chosen, its detected layout checked,
columns mapped, a date format and values chosen, the preview read, the import run (and cancelled), and one
import's incidents removed and restored; on real files and a real logbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QProgressDialog,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from logbook.domain.mapping import FieldMapping, Mapping, load_preset
from logbook.services.mapped_import import import_mapped
from logbook.store.repository import Repository
from logbook.ui.import_history_dialog import ImportHistoryDialog
from logbook.ui.import_wizard import ImportWizard, ProblemRole, ValueMapModel
from logbook.ui.incident_table_model import COL_COUNTRY, COL_DATE, COL_PERPETRATOR, COL_WEAPON
from logbook.ui.main_window import MainWindow
from logbook.ui.numbers import count_text
from logbook.ui.theme import PROBLEM_BACKGROUND, WARNING_BACKGROUND
from tests.conftest import make_draft
from tests.gui.conftest import WAIT_MS, refreshed

HEADER = ("Event date", "Country", "Place", "Weapon", "Fatalities", "Wounded", "Blamed on", "Status", "Description")
ROWS = (
    ("07/10/2023", "Syria", "Al-Tanf", "UAV", "0", "3-7", "Islamic Resistance in Iraq", "Confirmed", "Two drones"),
    ("08/10/2023", "Iraq", "Erbil", "Rocket", "N/A", "1", "", "Claimed", ""),
    ("09/10/2023", "Atlantis", "Nowhere", "Drone", "0", "0", "", "Confirmed", "A bad row"),
    ("01/01/2099", "Iraq", "Ain al-Asad", "drone", "?", "at least 2", "", "Confirmed", "A date in the future"),
)


def write(path: Path, rows: Sequence[Sequence[str]] = ROWS, header: Sequence[str] = HEADER,
          delimiter: str = ";", encoding: str = "utf-8") -> Path:  # fmt: skip
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def widget(wizard: ImportWizard, name: str) -> QWidget:
    found = wizard.findChild(QWidget, name)
    assert found is not None, f"no widget named {name}"
    return found


def combo(wizard: ImportWizard, name: str) -> QComboBox:
    found = widget(wizard, name)
    assert isinstance(found, QComboBox)
    return found


def choose(qtbot: QtBot, box: QComboBox, text: str) -> None:
    """Pick with Home and Down on the closed combo, as a keyboard user does."""
    position = box.findText(text)
    assert position >= 0, f"{text!r} is not among {[box.itemText(i) for i in range(box.count())]}"
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(position):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == text


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def next_button(wizard: ImportWizard) -> QAbstractButton:
    return wizard.button(QWizard.WizardButton.NextButton)


def open_wizard(qtbot: QtBot, window: MainWindow) -> ImportWizard:
    """File › Import… as a user opens it."""
    window.import_action.trigger()
    [wizard] = [each for each in window.findChildren(ImportWizard) if each.isVisible()]  # a closed one may linger
    qtbot.waitExposed(wizard)
    return wizard


def choose_file(qtbot: QtBot, wizard: ImportWizard, answer: Callable[[str, object], None], path: Path) -> None:
    answer("import_file", path)
    with qtbot.waitSignal(wizard.sample_read, timeout=WAIT_MS):
        click(qtbot, wizard.file_page.browse_button)


def to_mapping(qtbot: QtBot, wizard: ImportWizard) -> None:
    with qtbot.waitSignal(wizard.mapping_page.values_read, timeout=WAIT_MS):
        click(qtbot, next_button(wizard))
    assert wizard.currentPage() is wizard.mapping_page


def to_preview(qtbot: QtBot, wizard: ImportWizard) -> None:
    page = wizard.preview_page
    with qtbot.waitSignals([page.preview_shown, page.scan_finished], timeout=WAIT_MS):
        click(qtbot, next_button(wizard))
    assert wizard.currentPage() is page


def map_value(qtbot: QtBot, wizard: ImportWizard, field: str, value: str, reading: str) -> None:
    """Values… beside ``field``, then read the file's ``value`` as ``reading`` in the value map."""
    click(qtbot, widget(wizard, f"values_{field}"))
    panel = wizard.mapping_page.panel
    assert panel.row is not None and panel.row.name == field
    model = panel.model
    [row] = [row for row in range(model.rowCount()) if model.index(row, 0).data() == value]
    editor = panel.table.indexWidget(model.index(row, ValueMapModel.COL_READ_AS))
    assert isinstance(editor, QComboBox)
    choose(qtbot, editor, reading)
    assert model.index(row, ValueMapModel.COL_READ_AS).data() == reading


def map_the_messy_file(qtbot: QtBot, wizard: ImportWizard) -> None:
    """What the messy file needs beyond the suggestions: who is blamed, day-first dates, the event type (the file
    has none), and the two values the fields cannot read."""
    choose(qtbot, combo(wizard, "source_perpetrator"), "Blamed on")
    choose(qtbot, combo(wizard, "dateFormat_date_start"), "Day first (07/10/2023)")
    choose(qtbot, combo(wizard, "source_event_type"), "Fixed value")
    choose(qtbot, combo(wizard, "value_event_type"), "Attack")
    map_value(qtbot, wizard, "weapon", "UAV", "Drone")
    map_value(qtbot, wizard, "verification", "Claimed", "Reported")


def shown(window: MainWindow, column: int) -> list[str]:
    return [window.model.index(row, column).data() for row in range(window.model.rowCount())]


# ---- from the file to the rows in the table --------------------------------------------------------------------


def test_a_messy_file_from_choice_to_the_rows_in_the_table(
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    tmp_path: Path,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    path = write(tmp_path / "tracker.csv")
    wizard = open_wizard(qtbot, window)
    assert not next_button(wizard).isEnabled()

    choose_file(qtbot, wizard, answer, path)
    page = wizard.file_page
    assert page.file_edit.text() == str(path)
    assert (page.encoding_combo.currentData(), page.delimiter_combo.currentData()) == ("utf-8", ";")
    assert page.header_check.isChecked()
    assert "Detected: UTF-8, semicolon (;), a header row" in page.detected_label.text()
    raw = page.raw_model
    assert raw.headerData(0, Qt.Orientation.Horizontal) == "Event date" and raw.rowCount() == 4
    assert raw.index(1, 4).data() == "N/A"

    to_mapping(qtbot, wizard)
    suggested = {name: combo(wizard, f"source_{name}").currentText() for name in
                 ("date_start", "country", "location", "weapon", "killed", "injured", "verification", "notes",
                  "perpetrator", "event_type")}  # fmt: skip
    assert suggested == {
        "date_start": "Event date", "country": "Country", "location": "Place", "weapon": "Weapon",
        "killed": "Fatalities", "injured": "Wounded", "verification": "Status", "notes": "Description",
        "perpetrator": "— ignore —", "event_type": "— ignore —",
    }  # fmt: skip
    problems = widget(wizard, "mappingProblems")
    assert "nothing is mapped to event_type" in problems.text()  # type: ignore[attr-defined]
    assert not next_button(wizard).isEnabled()
    assert widget(wizard, "values_weapon").text() == "Values… (1 to map)"  # type: ignore[attr-defined]

    map_the_messy_file(qtbot, wizard)
    assert widget(wizard, "values_weapon").text() == "Values…"  # type: ignore[attr-defined]
    assert "event_type" not in problems.text()  # type: ignore[attr-defined]

    to_preview(qtbot, wizard)
    preview = wizard.preview_page
    model = preview.model
    rows = {model.index(row, 0).data(): row for row in range(model.rowCount())}
    assert list(rows) == ["2", "3", "4", "5"]

    def cell(number: str, column: str, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.index(rows[number], model.column_of(column)).data(role)

    assert (cell("2", "date_start"), cell("2", "weapon"), cell("2", "verification")) == (
        "2023-10-07", "drone", "confirmed"
    )  # fmt: skip
    assert (cell("2", "injured_min"), cell("2", "injured_max"), cell("2", "event_type")) == ("3", "7", "attack")
    assert (cell("3", "killed_min"), cell("3", "killed_max"), cell("3", "verification")) == ("", "", "reported")
    assert cell("4", "country") == "Atlantis"  # a rejected row shows what the file holds
    assert cell("4", "country", ProblemRole) == "problem"
    assert cell("4", "country", Qt.ItemDataRole.BackgroundRole).color() == PROBLEM_BACKGROUND.colour()  # type: ignore[attr-defined]
    assert "'Atlantis'" in str(cell("4", "country", Qt.ItemDataRole.ToolTipRole))
    assert cell("4", "location", ProblemRole) is None
    assert cell("5", "date_start", ProblemRole) == "warning"
    assert cell("5", "date_start", Qt.ItemDataRole.BackgroundRole).color() == WARNING_BACKGROUND.colour()  # type: ignore[attr-defined]
    assert "2099-01-01 is in the future" in str(cell("5", "date_start", Qt.ItemDataRole.ToolTipRole))
    problems_column = model.columnCount() - 1
    assert model.index(rows["4"], problems_column).data().startswith("Rejected: country:")
    assert (
        preview.counts.text() == "First 4 row(s): 3 can be stored (1 with warnings), 1 rejected, 0 possible duplicates."
    )
    assert preview.scan_summary.text().startswith(
        "Whole file: 4 row(s). 3 will be imported (1 with warnings), 1 rejected"
    )
    assert any("Row 4, country" in preview.findings_list.item(i).text() for i in range(preview.findings_list.count()))
    assert not preview.scan_progress.isVisible()

    reports: list[object] = []
    window.import_finished.connect(reports.append)
    with qtbot.waitSignals([window.import_finished, window.model.loaded, window.summary_shown], timeout=WAIT_MS):
        click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    [report] = reports
    assert (report.added, report.rejected, report.warned, report.skipped) == (3, 1, 1, 0)
    assert shown(window, COL_DATE) == ["2099-01-01", "2023-10-08", "2023-10-07"]
    assert shown(window, COL_COUNTRY) == ["Iraq", "Iraq", "Syria"]
    assert shown(window, COL_WEAPON)[2] == "Drone" and shown(window, COL_PERPETRATOR)[2] == "Islamic Resistance in Iraq"
    rejects = tmp_path / "tracker.rejects.csv"
    assert window.statusBar().currentMessage() == (
        f"Imported 3 incident(s) (1 with warnings), rejected 1 (see {rejects})."
    )
    with rejects.open(encoding="utf-8", newline="") as file:
        [line] = list(csv.DictReader(file))
    assert (line["row"], line["field"], line["Country"]) == ("4", "country", "Atlantis")
    assert [entry.file_name for entry in repo.imports()] == ["tracker.csv"]
    assert told == []


def test_the_detected_layout_can_be_changed_and_the_rows_follow(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    answer,  # type: ignore[no-untyped-def]
) -> None:
    path = write(tmp_path / "western.csv", [("26.10.2023", "Zürich", "Süd", "Drohne", "", "", "", "", "€")],
                 delimiter="\t", encoding="cp1252")  # fmt: skip
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    page = wizard.file_page
    assert (page.encoding_combo.currentData(), page.delimiter_combo.currentData()) == ("cp1252", "\t")
    assert page.raw_model.index(0, 1).data() == "Zürich"

    with qtbot.waitSignal(wizard.sample_read, timeout=WAIT_MS):
        choose(qtbot, page.encoding_combo, "UTF-8")
    assert "not UTF-8 text" in page.status.text() and "Choose its encoding" in page.status.text()
    assert not next_button(wizard).isEnabled()
    with qtbot.waitSignal(wizard.sample_read, timeout=WAIT_MS):
        choose(qtbot, page.encoding_combo, "Latin-1 (ISO 8859-1)")
    assert page.raw_model.index(0, 1).data() == "Zürich" and next_button(wizard).isEnabled()

    with qtbot.waitSignal(wizard.sample_read, timeout=WAIT_MS):
        choose(qtbot, page.delimiter_combo, "Comma (,)")
    assert page.raw_model.columnCount() == 1
    with qtbot.waitSignal(wizard.sample_read, timeout=WAIT_MS):
        choose(qtbot, page.delimiter_combo, "Tab")
    with qtbot.waitSignal(wizard.sample_read, timeout=WAIT_MS):
        page.header_check.click()
    assert page.raw_model.headerData(0, Qt.Orientation.Horizontal) == "Column 1"
    assert page.raw_model.rowCount() == 2 and page.raw_model.index(0, 0).data() == "Event date"
    assert "Detected: Windows-1252" in page.detected_label.text()  # what was detected stays in view


def test_a_file_that_is_not_text_is_refused_on_the_page(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    assert "photo.csv is not a text file" in wizard.file_page.status.text()
    assert not next_button(wizard).isEnabled() and told == []


def test_a_mapping_saved_as_a_preset_is_loaded_again(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    answer,  # type: ignore[no-untyped-def]
) -> None:
    path = write(tmp_path / "tracker.csv")
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    to_mapping(qtbot, wizard)
    map_the_messy_file(qtbot, wizard)
    preset = tmp_path / "tracker.toml"
    answer("save_preset", preset)
    click(qtbot, widget(wizard, "savePresetButton"))  # type: ignore[arg-type]
    saved = load_preset(preset)
    assert saved.name == "tracker" and saved.delimiter is None  # as detected: left out, so detected next time
    assert saved.fields["weapon"].values == {"UAV": "drone"}
    assert saved.fields["event_type"] == FieldMapping(value="attack")
    assert saved.fields["date_start"].date_format.value == "dd/mm/yyyy"
    wizard.reject()

    again = open_wizard(qtbot, window)
    answer("open_preset", preset)
    click(qtbot, again.file_page.load_preset_button)
    assert "Preset: tracker" in again.file_page.preset_label.text()
    choose_file(qtbot, again, answer, path)
    to_mapping(qtbot, again)
    assert combo(again, "source_perpetrator").currentText() == "Blamed on"
    assert combo(again, "dateFormat_date_start").currentText() == "Day first (07/10/2023)"
    assert combo(again, "value_event_type").currentText() == "Attack"
    assert widget(again, "values_weapon").text() == "Values…"  # type: ignore[attr-defined]
    assert next_button(again).isEnabled()


def test_a_preset_that_cannot_be_read_is_told(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    preset = tmp_path / "broken.toml"
    preset.write_text("format = 1\n[fields.deaths]\ncolumn = 'x'\n", encoding="utf-8")
    wizard = open_wizard(qtbot, window)
    answer("open_preset", preset)
    click(qtbot, wizard.file_page.load_preset_button)
    [(_title, text)] = told
    assert "broken.toml" in text and "fields.deaths: not a field" in text and "Traceback" not in text


def test_possible_duplicates_are_listed_and_skipped_or_imported(
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    tmp_path: Path,
    answer,  # type: ignore[no-untyped-def]
) -> None:
    import datetime as dt

    known = repo.add(make_draft(date_start=dt.date(2023, 10, 8), country="IQ", location="Erbil", weapon="rocket"))
    path = write(tmp_path / "tracker.csv")
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    to_mapping(qtbot, wizard)
    map_the_messy_file(qtbot, wizard)
    to_preview(qtbot, wizard)
    page = wizard.preview_page
    assert page.duplicate_list.count() == 1
    assert page.duplicate_list.item(0).text().startswith(f"Row 3 looks like incident #{known} (2023-10-08, Iraq, Erbil")
    assert page.skip_duplicates.isChecked()
    assert "2 will be imported" in page.scan_summary.text() and "1 skipped" in page.scan_summary.text()
    page.skip_duplicates.click()
    assert "3 will be imported" in page.scan_summary.text()
    with qtbot.waitSignal(window.import_finished, timeout=WAIT_MS) as done:
        click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert (done.args[0].added, done.args[0].skipped) == (3, 0)
    assert repo.count() == 4


def test_a_row_like_an_earlier_row_is_listed_to_check_and_imported(
    qtbot: QtBot, window: MainWindow, repo: Repository, tmp_path: Path, answer: Callable[[str, object], None]
) -> None:
    rows = [("2023-10-05", "Iraq", "attack", "Base 1", "0"), ("2023-10-05", "Iraq", "attack", "base  1", "2"),
            ("2023-10-06", "Iraq", "attack", "Base 1", "0")]  # fmt: skip
    path = write(tmp_path / "two-sources.csv", rows, header=("Date", "Country", "Type", "Place", "Killed"))
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    to_mapping(qtbot, wizard)
    to_preview(qtbot, wizard)
    page = wizard.preview_page
    assert [page.duplicate_list.item(n).text() for n in range(page.duplicate_list.count())] == [
        "Row 3 looks like row 2 of this file: imported, as it may be another attack; check it"
    ]
    assert page.model.index(1, page.model.columnCount() - 1).data() == "Like row 2 of this file (imported: check it)"
    assert "3 will be imported" in page.scan_summary.text()
    assert "1 row(s) look like an earlier row of the file" in page.scan_summary.text()
    with qtbot.waitSignal(window.import_finished, timeout=WAIT_MS) as done:
        click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert (done.args[0].added, done.args[0].skipped) == (3, 0)


def test_a_mapping_changed_while_the_whole_file_is_read_is_read_again(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, answer: Callable[[str, object], None], told: list[tuple[str, str]]
) -> None:
    """Back to the mapping while the whole file is read (in a child process), a change, Next: the reading for
    the old mapping stops unseen, and the counts are the new mapping's."""
    path = big_file(tmp_path / "big.csv")
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    to_mapping(qtbot, wizard)
    page = wizard.preview_page
    summaries: list[str] = []
    page.scan_finished.connect(lambda: summaries.append(page.scan_summary.text()))
    with qtbot.waitSignal(page.preview_shown, timeout=WAIT_MS):
        click(qtbot, next_button(wizard))
    assert page.scan_summary.text() == "Reading the whole file…"
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    choose(qtbot, combo(wizard, "source_date_start"), "Place")
    to_preview(qtbot, wizard)
    thousands = count_text(3000)
    assert summaries == [f"Whole file: {thousands} row(s). 0 will be imported (0 with warnings), {thousands} "
                         "rejected, 0 skipped as possible duplicates."]  # fmt: skip
    assert told == []


# ---- nothing changes when an import is cancelled or fails ---------------------------------------------------------


def big_file(path: Path, rows: int = 3000) -> Path:
    header = ("Date", "Country", "Type", "Place", "Killed")
    return write(path, [(f"2023-10-{day % 28 + 1:02d}", "Iraq", "attack", f"Base {day}", "0") for day in range(rows)],
                 header=header, delimiter=",")  # fmt: skip


def test_a_cancelled_import_leaves_the_logbook_unchanged(
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    tmp_path: Path,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    repo.add(make_draft())
    path = big_file(tmp_path / "big.csv")
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    to_mapping(qtbot, wizard)
    to_preview(qtbot, wizard)
    thousands = count_text(3000)  # grouped as the locale groups digits: "3,000" in English
    assert f"Whole file: {thousands} row(s). {thousands} will be imported" in wizard.preview_page.scan_summary.text()
    with qtbot.waitSignal(window.import_finished, timeout=WAIT_MS) as done:
        click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
        progress = window.findChild(QProgressDialog, "importProgress")
        assert progress is not None
        progress.canceled.emit()  # what its Cancel button does
    assert done.args == [None]
    assert repo.count() == 1 and repo.imports() == []
    assert not (tmp_path / "big.rejects.csv").exists()
    assert window.statusBar().currentMessage() == "Import cancelled; nothing was imported."
    assert told == []


def test_an_import_that_fails_says_why_and_changes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    tmp_path: Path,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    path = big_file(tmp_path / "big.csv", rows=3)
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, path)
    to_mapping(qtbot, wizard)
    to_preview(qtbot, wizard)
    path.unlink()  # moved away by someone else meanwhile
    with qtbot.waitSignal(window.import_finished, timeout=WAIT_MS) as done:
        click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert done.args == [None]
    [(title, text)] = told
    assert title == "Import" and "big.csv" in text and "Traceback" not in text
    assert repo.count() == 0 and repo.imports() == []


# ---- the import history -----------------------------------------------------------------------------------------


def test_the_history_removes_an_imports_incidents_and_restores_them(
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    tmp_path: Path,
    answer,
    told,  # type: ignore[no-untyped-def]
) -> None:
    repo.add(make_draft(title="Entered by hand"))
    mapping = Mapping(
        fields={
            "date_start": FieldMapping(columns=("Date",)),
            "country": FieldMapping(columns=("Country",)),
            "event_type": FieldMapping(columns=("Type",)),
            "location": FieldMapping(columns=("Place",)),
        },
        name="Bases",
    )
    import_mapped(repo, big_file(tmp_path / "first.csv", rows=2), mapping)
    import_mapped(repo, big_file(tmp_path / "second.csv", rows=3), mapping, skip_duplicates=False)
    with qtbot.waitSignals([window.model.loaded, window.summary_shown], timeout=WAIT_MS):
        window.refresh()
    assert window.model.rowCount() == 6

    window.import_history_action.trigger()
    dialog = window.findChild(ImportHistoryDialog, "importHistoryDialog")
    assert dialog is not None
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        pass
    model = dialog.model
    assert [model.index(row, model.COL_FILE).data() for row in range(model.rowCount())] == ["second.csv", "first.csv"]
    assert [model.index(0, column).data() for column in (model.COL_MAPPING, model.COL_ADDED, model.COL_LIVE)] == [
        "Bases", "3", "3"
    ]  # fmt: skip
    assert dialog.remove_button.isEnabled() and not dialog.restore_button.isEnabled()

    answer("confirm_remove_import", False)
    click(qtbot, dialog.remove_button)
    assert repo.count() == 6

    answer("confirm_remove_import", True)
    signals = [dialog.changed, dialog.loaded, window.model.loaded, window.summary_shown]
    with qtbot.waitSignals(signals, timeout=WAIT_MS):
        click(qtbot, dialog.remove_button)
    assert window.model.rowCount() == 3 and repo.count() == 3 and len(repo.trash()) == 3
    assert dialog.status.text() == "Moved 3 incident(s) imported from second.csv to the trash."
    assert model.index(0, model.COL_LIVE).data() == "0"
    assert dialog.restore_button.isEnabled() and not dialog.remove_button.isEnabled()

    assert window.undo_action.text() == "Undo Remove the incidents imported from second.csv"

    with qtbot.waitSignals(signals, timeout=WAIT_MS):
        click(qtbot, dialog.restore_button)
    assert window.model.rowCount() == 6 and repo.trash() == []
    assert dialog.status.text() == "Restored 3 incident(s) imported from second.csv."

    # both are undo steps: Edit › Undo takes the restore back, then the removal
    refreshed(qtbot, window, window.undo_action.trigger)
    assert window.model.rowCount() == 3 and len(repo.trash()) == 3
    refreshed(qtbot, window, window.undo_action.trigger)
    assert window.model.rowCount() == 6 and repo.trash() == []
    refreshed(qtbot, window, window.redo_action.trigger)
    assert window.model.rowCount() == 3
    assert told == []


# ---- models and accessibility -------------------------------------------------------------------------------------


def test_the_wizards_and_historys_models_pass_the_model_tester(
    qtmodeltester,
    qtbot: QtBot,
    window: MainWindow,
    repo: Repository,
    tmp_path: Path,
    answer,  # type: ignore[no-untyped-def]
) -> None:
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, write(tmp_path / "tracker.csv"))
    qtmodeltester.check(wizard.file_page.raw_model)
    to_mapping(qtbot, wizard)
    map_the_messy_file(qtbot, wizard)
    qtmodeltester.check(wizard.mapping_page.panel.model)
    to_preview(qtbot, wizard)
    qtmodeltester.check(wizard.preview_page.model)
    with qtbot.waitSignal(window.import_finished, timeout=WAIT_MS):
        click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    dialog = ImportHistoryDialog(repo, window.workers, window)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        pass
    qtmodeltester.check(dialog.model)


@pytest.mark.parametrize("page", [0, 1, 2])
def test_every_input_and_button_of_the_wizard_has_an_accessible_name(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    answer,
    page: int,  # type: ignore[no-untyped-def]
) -> None:
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, answer, write(tmp_path / "tracker.csv"))
    if page >= 1:
        to_mapping(qtbot, wizard)
        map_the_messy_file(qtbot, wizard)
        choose(qtbot, combo(wizard, "source_notes"), "Several columns joined")
    if page >= 2:
        to_preview(qtbot, wizard)
    controls = [
        each
        for each in wizard.findChildren(QWidget)
        if isinstance(each, QAbstractButton | QLineEdit | QComboBox | QAbstractItemView)
        and each.isVisibleTo(wizard)
        and not isinstance(each.parent(), QComboBox | QAbstractItemView)  # parts of other controls
    ]
    assert len(controls) > 5
    for each in controls:
        name = each.accessibleName()
        if isinstance(each, QAbstractButton) and each.text():
            name = name or each.text()
            assert name.replace("&", "") == each.text().replace("&", ""), each.objectName()
        assert name, f"{type(each).__name__} {each.objectName()!r} has no accessible name"
