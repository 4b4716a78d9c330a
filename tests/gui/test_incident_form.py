"""The incident form, driven as a user drives it: typing, picking from combos, clicking buttons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from logbook.domain.record import IncidentDraft, SourceDraft
from logbook.domain.validation import validate
from logbook.store.repository import Repository
from logbook.ui import incident_form
from logbook.ui.incident_form import ConfirmDiscard, DateInput, IncidentForm
from logbook.ui.sources_editor import COL_KIND, COL_NAME, COL_PUBLISHED, COL_URL, SourcesModel
from tests.conftest import make_draft
from tests.gui.form_driver import WAIT_MS, choose, click, field, save, type_into


@pytest.fixture
def open_form(qtbot: QtBot, repo: Repository) -> Callable[..., IncidentForm]:
    """A shown, active form, so focus and keyboard shortcuts behave as on a desktop."""

    def opener(incident_id: int | None = None) -> IncidentForm:
        form = IncidentForm(repo, incident_id)
        qtbot.addWidget(form)
        form.show()
        qtbot.waitExposed(form)
        form.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=WAIT_MS)
        return form

    return opener


def edit_cell(qtbot: QtBot, form: IncidentForm, row: int, column: int, text: str) -> None:
    """F2 on the cell, type, Enter: the keyboard way through the sources table."""
    table = field(form, "sourcesTable")
    assert isinstance(table, QTableView)
    table.setCurrentIndex(table.model().index(row, column))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and table.isAncestorOf(editor)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=WAIT_MS)  # the editor has closed


def add_source(qtbot: QtBot, form: IncidentForm, name: str, kind: str, url: str, published: str) -> None:
    table = field(form, "sourcesTable")
    assert isinstance(table, QTableView)
    click(qtbot, form, "addSourceButton")
    row = table.model().rowCount() - 1
    editor = QApplication.focusWidget()  # Add source opens the new row's name for typing at once
    assert isinstance(editor, QLineEdit) and table.isAncestorOf(editor)
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=WAIT_MS)
    edit_cell(qtbot, form, row, COL_KIND, kind)
    edit_cell(qtbot, form, row, COL_URL, url)
    edit_cell(qtbot, form, row, COL_PUBLISHED, published)


def fill_required(qtbot: QtBot, form: IncidentForm) -> None:
    type_into(qtbot, field(form, "dateStart"), "2023-11-02")
    type_into(qtbot, field(form, "country"), "Iraq")
    choose(qtbot, form, "eventType", "Attack")


def error_text(form: IncidentForm, name: str) -> str:
    label = form.findChild(QLabel, f"{name}Error")
    assert label is not None
    return label.text() if label.isVisibleTo(form) else ""


# ---- entering a new incident ------------------------------------------------------------------------------


def test_typing_a_full_incident_stores_every_value(qtbot: QtBot, repo: Repository, open_form, warned) -> None:
    form = open_form()
    assert form.windowTitle() == "New incident"
    type_into(qtbot, field(form, "dateStart"), "2023-10-17")
    type_into(qtbot, field(form, "dateEnd"), "2023-11-02")
    choose(qtbot, form, "datePrecision", "Week")
    type_into(qtbot, field(form, "country"), "Syria")
    type_into(qtbot, field(form, "admin1"), "Deir ez-Zor")
    type_into(qtbot, field(form, "location"), "Conoco gas field")
    type_into(qtbot, field(form, "latitude"), "35.27")
    type_into(qtbot, field(form, "longitude"), "40.11")
    choose(qtbot, form, "geoPrecision", "Near")
    type_into(qtbot, field(form, "title"), "Rocket attack on Conoco")
    choose(qtbot, form, "eventType", "Attack")
    choose(qtbot, form, "weapon", "Small arms")
    choose(qtbot, form, "targetType", "Military base")
    type_into(qtbot, field(form, "target"), "US forces")
    choose(qtbot, form, "outcome", "Missed")
    choose(qtbot, form, "damage", "Minor")
    type_into(qtbot, field(form, "perpetrator"), "Islamic Resistance in Iraq")
    choose(qtbot, form, "attribution", "Claimed")
    type_into(qtbot, field(form, "attributedBy"), "Telegram channel")
    choose(qtbot, form, "killedMode", "Exactly")
    type_into(qtbot, field(form, "killedMin"), "0")
    choose(qtbot, form, "injuredMode", "Between")
    type_into(qtbot, field(form, "injuredMin"), "2")
    type_into(qtbot, field(form, "injuredMax"), "7")
    choose(qtbot, form, "verification", "Corroborated")
    add_source(qtbot, form, "Reuters", "Media", "https://www.reuters.com/", "2023-11-03")
    add_source(qtbot, form, "US DoD", "Official", "https://www.defense.gov/", "")
    notes = field(form, "notes")
    qtbot.keyClicks(notes, "Two rockets.")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "No damage to the base.")
    type_into(qtbot, field(form, "tags"), "rocket; Syria")

    incident_id = save(qtbot, form)

    assert not form.isVisible() and form.result() == form.DialogCode.Accepted
    assert warned == []
    stored = repo.get(incident_id)
    assert stored == IncidentDraft(
        date_start=dt.date(2023, 10, 17),
        date_end=dt.date(2023, 11, 2),
        date_precision="week",
        country="SY",
        admin1="Deir ez-Zor",
        location="Conoco gas field",
        latitude=35.27,
        longitude=40.11,
        geo_precision="near",
        event_type="attack",
        weapon="small_arms",
        target_type="military_base",
        target="US forces",
        perpetrator="Islamic Resistance in Iraq",
        attribution="claimed",
        attributed_by="Telegram channel",
        outcome="missed",
        damage="minor",
        killed_min=0,
        killed_max=0,
        injured_min=2,
        injured_max=7,
        verification="corroborated",
        title="Rocket attack on Conoco",
        notes="Two rockets.\nNo damage to the base.",
        sources=[
            SourceDraft("Reuters", "media", "https://www.reuters.com/", dt.date(2023, 11, 3)),
            SourceDraft("US DoD", "official", "https://www.defense.gov/", None),
        ],
        tags=["Syria", "rocket"],
        uid=stored.uid,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        version=1,
    )


@pytest.mark.parametrize(
    ("mode", "numbers", "expected"),
    [
        ("Unknown", {}, (None, None)),
        ("Exactly", {"Min": "0"}, (0, 0)),
        ("Exactly", {"Min": "12"}, (12, 12)),
        ("At least", {"Min": "5"}, (5, None)),
        ("Between", {"Min": "3", "Max": "8"}, (3, 8)),
    ],
)
def test_casualty_modes_keep_unknown_apart_from_zero(
    qtbot: QtBot, repo: Repository, open_form, mode: str, numbers: dict[str, str], expected: tuple
) -> None:
    form = open_form()
    fill_required(qtbot, form)
    if mode != "Unknown":
        choose(qtbot, form, "killedMode", mode)
    for suffix, text in numbers.items():
        type_into(qtbot, field(form, f"killed{suffix}"), text)

    stored = repo.get(save(qtbot, form))

    assert (stored.killed_min, stored.killed_max) == expected
    assert (stored.injured_min, stored.injured_max) == (None, None)  # never touched: unknown, not 0


def test_casualty_numbers_show_only_when_the_mode_needs_them(open_form, qtbot: QtBot) -> None:
    form = open_form()
    low, high = field(form, "killedMin"), field(form, "killedMax")
    assert not low.isVisible() and not high.isVisible()
    choose(qtbot, form, "killedMode", "At least")
    assert low.isVisible() and not high.isVisible()
    assert low.accessibleName() == "Killed, at least"
    choose(qtbot, form, "killedMode", "Between")
    assert low.isVisible() and high.isVisible()


def test_country_is_found_by_any_part_of_its_name(qtbot: QtBot, repo: Repository, open_form) -> None:
    form = open_form()
    country = field(form, "country")
    assert isinstance(country, QComboBox)
    assert country.count() > 240  # every country, not a short list
    type_into(qtbot, country, "nited sta")
    popup = country.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert country.currentText() == "United States"
    type_into(qtbot, field(form, "dateStart"), "2023-11-02")
    choose(qtbot, form, "eventType", "Strike")
    assert repo.get(save(qtbot, form)).country == "US"


def test_a_country_alias_is_accepted(qtbot: QtBot, repo: Repository, open_form) -> None:
    form = open_form()
    fill_required(qtbot, form)
    type_into(qtbot, field(form, "country"), "USA")
    assert repo.get(save(qtbot, form)).country == "US"


def test_free_text_fields_complete_from_earlier_entries(qtbot: QtBot, repo: Repository, open_form) -> None:
    repo.add(make_draft())
    form = open_form()
    location = field(form, "location")
    assert isinstance(location, QLineEdit)
    type_into(qtbot, location, "asad")
    assert location.completer().currentCompletion() == "Ain al-Asad air base"
    perpetrator = field(form, "perpetrator")
    assert isinstance(perpetrator, QLineEdit)
    type_into(qtbot, perpetrator, "resistance")
    assert perpetrator.completer().currentCompletion() == "Islamic Resistance in Iraq"


def test_calendar_button_picks_a_date(qtbot: QtBot, open_form) -> None:
    form = open_form()
    start = field(form, "dateStart")
    assert isinstance(start, DateInput)
    type_into(qtbot, start, "2023-11-02")
    menu = start.show_calendar()
    calendar = menu.findChild(QCalendarWidget)
    assert calendar.selectedDate() == QDate(2023, 11, 2)
    calendar.setSelectedDate(QDate(2023, 11, 5))
    with qtbot.waitSignal(menu.aboutToHide, timeout=WAIT_MS):
        calendar.activated.emit(calendar.selectedDate())
    assert start.text() == "2023-11-05"

    qtbot.keyClick(start, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the keyboard way to the calendar
    popup = QApplication.activePopupWidget()
    assert popup is not None and popup.findChild(QCalendarWidget).selectedDate() == QDate(2023, 11, 5)
    with qtbot.waitSignal(popup.aboutToHide, timeout=WAIT_MS):
        popup.close()


# ---- validation ---------------------------------------------------------------------------------------------


def _end_before_start(qtbot: QtBot, form: IncidentForm) -> None:
    type_into(qtbot, field(form, "dateEnd"), "2023-11-01")


def _min_above_max(qtbot: QtBot, form: IncidentForm) -> None:
    choose(qtbot, form, "killedMode", "Between")
    type_into(qtbot, field(form, "killedMin"), "9")
    type_into(qtbot, field(form, "killedMax"), "4")


def _latitude_100(qtbot: QtBot, form: IncidentForm) -> None:
    type_into(qtbot, field(form, "latitude"), "100")
    type_into(qtbot, field(form, "longitude"), "40")


def _latitude_not_a_number(qtbot: QtBot, form: IncidentForm) -> None:
    type_into(qtbot, field(form, "latitude"), "33N")
    type_into(qtbot, field(form, "longitude"), "40")


def _longitude_alone(qtbot: QtBot, form: IncidentForm) -> None:
    type_into(qtbot, field(form, "longitude"), "40")


def _no_country(qtbot: QtBot, form: IncidentForm) -> None:
    field(form, "country").lineEdit().clear()


def _not_a_country(qtbot: QtBot, form: IncidentForm) -> None:
    type_into(qtbot, field(form, "country"), "Atlantis")


def _no_event_type(qtbot: QtBot, form: IncidentForm) -> None:
    field(form, "eventType").setCurrentIndex(-1)


def _no_start_date(qtbot: QtBot, form: IncidentForm) -> None:
    field(form, "dateStart").clear()


def _start_not_a_date(qtbot: QtBot, form: IncidentForm) -> None:
    type_into(qtbot, field(form, "dateStart"), "2023-02-30")


def _source_without_name(qtbot: QtBot, form: IncidentForm) -> None:
    click(qtbot, form, "addSourceButton")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def _source_bad_date(qtbot: QtBot, form: IncidentForm) -> None:
    add_source(qtbot, form, "Reuters", "Media", "", "3 Nov 2023")


@pytest.mark.parametrize(
    ("spoil", "error_name", "focused", "message"),
    [
        (_end_before_start, "dateEnd", "dateEnd", "The end date is before the start date."),
        (_min_above_max, "killed", "killedMax", "The maximum (4) is less than the minimum (9)."),
        (_latitude_100, "latitude", "latitude", "100.0 is outside -90 to 90."),
        (_latitude_not_a_number, "latitude", "latitude", "“33N” is not a number"),
        (_longitude_alone, "latitude", "latitude", "Give both latitude and longitude, or neither."),
        (_no_country, "country", "country", "The country is required."),
        (_not_a_country, "country", "country", "“Atlantis” is not a country: pick one from the list."),
        (_no_event_type, "eventType", "eventType", "The event type is required."),
        (_no_start_date, "dateStart", "dateStart", "The start date is required."),
        (_start_not_a_date, "dateStart", "dateStart", "“2023-02-30” is not a date: write it as YYYY-MM-DD."),
        (_source_without_name, "sources", "sourcesTable", "Source 1 needs a name or a URL."),
        (_source_bad_date, "sources", "sourcesTable", "Source 1: “3 Nov 2023” is not a date (YYYY-MM-DD)."),
    ],
)
def test_a_problem_shows_beside_its_field_and_nothing_is_saved(
    qtbot: QtBot, repo: Repository, open_form, spoil, error_name: str, focused: str, message: str
) -> None:
    form = open_form()
    fill_required(qtbot, form)
    spoil(qtbot, form)
    saved: list[int] = []
    form.incident_saved.connect(saved.append)

    click(qtbot, form, "saveButton")

    assert saved == [] and repo.count() == 0
    assert form.isVisible()
    assert error_text(form, error_name).startswith(message)
    shown = [label.objectName() for label in form.findChildren(QLabel) if label.objectName().endswith("Error")]
    assert [name for name in shown if error_text(form, name.removesuffix("Error"))] == [f"{error_name}Error"]
    target = field(form, focused)
    assert form.focusWidget() is target or target.isAncestorOf(form.focusWidget())
    assert target.accessibleDescription().startswith(message)
    # "beside its field": the message sits in the same row container as the field
    error = form.findChild(QLabel, f"{error_name}Error")
    assert error.parentWidget().isAncestorOf(target)


def test_focus_goes_to_the_first_wrong_field(qtbot: QtBot, open_form) -> None:
    form = open_form()
    type_into(qtbot, field(form, "latitude"), "x")
    click(qtbot, form, "saveButton")
    for name in ("dateStart", "country", "latitude", "eventType"):
        assert error_text(form, name), name
    assert form.focusWidget() is field(form, "dateStart")


def test_errors_clear_when_fixed_and_saved_again(qtbot: QtBot, repo: Repository, open_form) -> None:
    form = open_form()
    type_into(qtbot, field(form, "country"), "Iraq")
    click(qtbot, form, "saveButton")
    assert error_text(form, "dateStart") and error_text(form, "eventType")

    type_into(qtbot, field(form, "dateStart"), "2023-11-02")
    click(qtbot, form, "saveButton")
    assert not error_text(form, "dateStart") and error_text(form, "eventType")
    # the problem is gone from what a screen reader says; what the field is stays
    assert field(form, "dateStart").accessibleDescription() == field(form, "dateStart").toolTip()

    choose(qtbot, form, "eventType", "Attack")
    save(qtbot, form)
    assert repo.count() == 1


def test_every_field_validation_can_name_has_a_place(qtbot: QtBot, repo: Repository, open_form, monkeypatch) -> None:
    """A problem with no field to show it beside would be a silent refusal."""
    bad = make_draft(
        date_start=None, country="", event_type="", latitude=500.0, longitude=None, date_precision="x",
        geo_precision="x", weapon="x", target_type="x", attribution="x", outcome="x", damage="x", verification="x",
        killed_min=-1, killed_max=-2, injured_min=None, injured_max=3, tags=[""], sources=[SourceDraft(kind="x")],
    )  # fmt: skip
    end_before_start = make_draft(date_end=dt.date(2023, 1, 1))
    problems = validate(bad) + validate(end_before_start)
    assert {problem.field for problem in problems} >= {"date_start", "date_end", "latitude", "longitude", "tags"}
    monkeypatch.setattr(incident_form, "validate", lambda draft: problems)
    form = open_form()

    click(qtbot, form, "saveButton")

    shown = "\n".join(label.text() for label in form.findChildren(QLabel) if label.isVisibleTo(form))
    for problem in problems:
        assert problem.message[1:] in shown, problem
    assert repo.count() == 0


# ---- save and new, editing, conflicts ------------------------------------------------------------------------


def test_save_and_new_keeps_the_report_context(qtbot: QtBot, repo: Repository, open_form) -> None:
    form = open_form()
    type_into(qtbot, field(form, "dateStart"), "2023-11-01")
    type_into(qtbot, field(form, "dateEnd"), "2023-11-02")
    choose(qtbot, form, "datePrecision", "Week")
    type_into(qtbot, field(form, "country"), "Iraq")
    type_into(qtbot, field(form, "location"), "Ain al-Asad air base")
    choose(qtbot, form, "eventType", "Attack")
    choose(qtbot, form, "weapon", "Drone")
    type_into(qtbot, field(form, "title"), "First drone")
    choose(qtbot, form, "killedMode", "Exactly")
    add_source(qtbot, form, "Pentagon briefing", "Official", "", "2023-11-03")

    first = save(qtbot, form, "saveAndNewButton")

    assert form.isVisible() and form.windowTitle() == "New incident"
    assert form.incident_id is None
    assert field(form, "dateStart").text() == "2023-11-01"
    assert field(form, "dateEnd").text() == "2023-11-02"
    assert field(form, "datePrecision").currentText() == "Week"
    assert field(form, "country").currentText() == "Iraq"
    assert field(form, "sourcesTable").model().rowCount() == 1
    for name in ("title", "location"):
        assert field(form, name).text() == "", name
    assert field(form, "eventType").currentIndex() == -1
    assert field(form, "weapon").currentText() == "Unknown"
    assert field(form, "killedMode").currentText() == "Unknown"
    assert not form.has_unsaved_edits()
    assert form.focusWidget() is field(form, "admin1")
    type_into(qtbot, field(form, "location"), "asad")
    assert field(form, "location").completer().currentCompletion() == "Ain al-Asad air base"  # just saved

    type_into(qtbot, field(form, "location"), "Erbil air base")
    type_into(qtbot, field(form, "title"), "Second drone")
    choose(qtbot, form, "eventType", "Attack")
    second = save(qtbot, form)

    assert second != first and repo.count() == 2
    stored = [repo.get(first), repo.get(second)]
    assert [s.title for s in stored] == ["First drone", "Second drone"]
    assert [s.location for s in stored] == ["Ain al-Asad air base", "Erbil air base"]
    assert [s.killed_min for s in stored] == [0, None]
    for incident in stored:
        assert (incident.date_start, incident.date_end) == (dt.date(2023, 11, 1), dt.date(2023, 11, 2))
        assert (incident.date_precision, incident.country) == ("week", "IQ")
        assert incident.sources == [SourceDraft("Pentagon briefing", "official", None, dt.date(2023, 11, 3))]


def test_editing_loads_the_incident_and_saves_an_update(qtbot: QtBot, repo: Repository, open_form) -> None:
    original = make_draft(
        date_end=dt.date(2023, 11, 3), admin1="Al Anbar", latitude=33.8, longitude=42.44, geo_precision="exact",
        killed_min=None, killed_max=None, injured_min=3, injured_max=None, notes="Two drones.", tags=["drone", "Iraq"],
    )  # fmt: skip
    incident_id = repo.add(original)
    form = open_form(incident_id)

    assert form.windowTitle() == "Edit incident — Drone attack on Ain al-Asad"
    assert not form.has_unsaved_edits()
    assert field(form, "dateStart").text() == "2023-11-02"
    assert field(form, "dateEnd").text() == "2023-11-03"
    assert field(form, "country").currentText() == "Iraq"
    assert field(form, "admin1").text() == "Al Anbar"
    assert field(form, "location").text() == "Ain al-Asad air base"
    assert (field(form, "latitude").text(), field(form, "longitude").text()) == ("33.8", "42.44")
    assert field(form, "geoPrecision").currentText() == "Exact"
    assert field(form, "eventType").currentText() == "Attack"
    assert field(form, "weapon").currentText() == "Drone"
    assert field(form, "outcome").currentText() == "Intercepted"
    assert field(form, "attribution").currentText() == "Attributed"
    assert field(form, "attributedBy").text() == "US Department of Defense"
    assert field(form, "verification").currentText() == "Reported"
    assert field(form, "killedMode").currentText() == "Unknown"
    assert (field(form, "injuredMode").currentText(), field(form, "injuredMin").value()) == ("At least", 3)
    assert field(form, "notes").toPlainText() == "Two drones."
    assert field(form, "tags").text() == "Iraq; drone"
    model = field(form, "sourcesTable").model()
    assert [model.index(0, column).data() for column in range(4)] == [
        "US Department of Defense",
        "Official",
        "https://www.defense.gov/",
        "2023-11-03",
    ]

    choose(qtbot, form, "outcome", "Hit")
    choose(qtbot, form, "killedMode", "At least")
    type_into(qtbot, field(form, "killedMin"), "1")
    assert form.has_unsaved_edits()
    assert save(qtbot, form) == incident_id

    stored = repo.get(incident_id)
    assert stored.version == 2
    assert (stored.outcome, stored.killed_min, stored.killed_max) == ("hit", 1, None)
    assert (stored.injured_min, stored.injured_max) == (3, None)
    assert stored.sources == original.sources and stored.tags == ["Iraq", "drone"]
    assert stored.uid == repo.get(incident_id).uid and repo.count() == 1


def test_a_conflicting_save_shows_both_versions_and_cancel_keeps_the_input(
    qtbot: QtBot, repo: Repository, open_form, warned, conflicts
) -> None:
    incident_id = repo.add(make_draft())
    form = open_form(incident_id)
    type_into(qtbot, field(form, "title"), "My version")
    behind_the_back = repo.get(incident_id)
    behind_the_back.title = "Their version"
    repo.update(incident_id, behind_the_back)
    saved: list[int] = []
    form.incident_saved.connect(saved.append)

    click(qtbot, form, "saveButton")  # the conftest's ConflictDialog.ask cancels

    assert [(theirs.title, yours.title, opened.title) for theirs, yours, opened in conflicts] == [
        ("Their version", "My version", "Drone attack on Ain al-Asad")
    ]
    assert saved == [] and form.isVisible() and warned == []
    assert field(form, "title").text() == "My version" and form.has_unsaved_edits()
    assert repo.get(incident_id).title == "Their version"


def test_saving_an_incident_deleted_for_good_warns(qtbot: QtBot, repo: Repository, open_form, warned) -> None:
    incident_id = repo.add(make_draft())
    form = open_form(incident_id)
    repo.delete([incident_id])
    repo.purge([incident_id])

    click(qtbot, form, "saveButton")

    assert form.isVisible()
    assert len(warned) == 1 and "no longer in the logbook" in warned[0][1]


# ---- keyboard, closing, accessibility, size ------------------------------------------------------------------


CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.mark.parametrize(
    ("focus", "key", "modifier"),
    [
        ("title", Qt.Key.Key_S, CTRL),
        ("notes", Qt.Key.Key_Return, CTRL),  # Ctrl+Return saves even where Return makes a new line
        ("country", Qt.Key.Key_Enter, CTRL),
        ("tags", Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),  # Save is the default button
    ],
)
def test_keyboard_saves(qtbot: QtBot, repo: Repository, open_form, focus: str, key: Qt.Key, modifier) -> None:
    form = open_form()
    fill_required(qtbot, form)
    field(form, focus).setFocus()
    with qtbot.waitSignal(form.incident_saved, timeout=WAIT_MS):
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    assert repo.count() == 1 and not form.isVisible()


def test_return_in_notes_is_a_new_line(qtbot: QtBot, repo: Repository, open_form) -> None:
    form = open_form()
    fill_required(qtbot, form)
    notes = field(form, "notes")
    qtbot.keyClicks(notes, "a")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    assert notes.toPlainText() == "a\n" and form.isVisible() and repo.count() == 0


def test_cancel_without_edits_closes_without_asking(qtbot: QtBot, open_form, asked) -> None:
    form = open_form()
    click(qtbot, form, "cancelButton")
    assert asked == [] and not form.isVisible()


def test_escape_with_edits_asks_first(qtbot: QtBot, repo: Repository, open_form, asked, monkeypatch) -> None:
    form = open_form()
    type_into(qtbot, field(form, "title"), "Half typed")
    monkeypatch.setattr(ConfirmDiscard, "ask", classmethod(lambda cls, parent: asked.append(parent) or False))

    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked == [form] and form.isVisible()
    assert field(form, "title").text() == "Half typed"

    monkeypatch.setattr(ConfirmDiscard, "ask", classmethod(lambda cls, parent: asked.append(parent) or True))
    click(qtbot, form, "cancelButton")
    assert len(asked) == 2 and not form.isVisible() and repo.count() == 0


def test_every_input_and_button_is_named_by_its_label(open_form) -> None:
    form = open_form()
    inputs = [
        widget
        for widget in form.findChildren(QWidget)
        if isinstance(widget, QLineEdit | QComboBox | QAbstractSpinBox | QPlainTextEdit | QAbstractButton | QTableView)
        and not isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox)  # their own inner line edits
        and not widget.objectName().startswith("qt_")  # Qt's own parts, such as the table's corner button
    ]
    labelled = {label.buddy(): label.text() for label in form.findChildren(QLabel) if label.buddy() is not None}
    assert len(labelled) == 24
    for widget in inputs:
        name = widget.accessibleName()
        assert name, widget.objectName()
        assert widget.objectName(), name
        if widget in labelled:
            assert name == labelled[widget]
        elif isinstance(widget, QPushButton):
            assert name == widget.text()
    names = {widget.accessibleName() for widget in inputs}
    for expected in (
        "Start date", "End date", "Date precision", "Country", "Province", "Location", "Latitude", "Longitude",
        "Place precision", "Title", "Event type", "Weapon", "Target type", "Target", "Outcome", "Damage",
        "Perpetrator", "Attribution", "Attributed by", "Killed", "Injured", "Verification", "Sources",
        "Add source", "Remove source", "Notes", "Tags", "Save", "Save and new", "Cancel",
    ):  # fmt: skip
        assert expected in names


def test_tab_runs_top_to_bottom(open_form) -> None:
    form = open_form()
    expected = [
        "dateStart", "dateEnd", "datePrecision", "country", "admin1", "location", "latitude", "longitude",
        "geoPrecision", "title", "eventType", "weapon", "targetType", "target", "outcome", "damage", "killedMode",
        "killedMin", "killedMax", "injuredMode", "injuredMin", "injuredMax", "perpetrator", "attribution",
        "attributedBy", "verification", "sourcesTable", "addSourceButton", "removeSourceButton", "notes", "tags",
        "saveButton", "saveAndNewButton", "cancelButton",
    ]  # fmt: skip
    order = []
    widget = field(form, "dateStart")
    for _ in range(len(form.findChildren(QWidget)) + 1):
        if widget.objectName() in expected and widget.objectName() not in order:
            order.append(widget.objectName())
        widget = widget.nextInFocusChain()
    assert order == expected


def test_the_form_fits_a_1280_by_800_screen(open_form) -> None:
    form = open_form()
    content = field(form, "formContent").sizeHint()
    assert content.width() + 60 <= 1280 and content.height() + 140 <= 800  # frame, buttons and a desktop panel
    assert form.sizeHint().width() <= form.screen().availableGeometry().width()


# ---- the sources model ---------------------------------------------------------------------------------------


def test_sources_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = SourcesModel()
    model.set_sources(
        [
            SourceDraft("US Department of Defense", "official", "https://www.defense.gov/", dt.date(2023, 11, 3)),
            SourceDraft("Reuters", "media", None, None),
        ]
    )
    qtmodeltester.check(model)
    model.insertRows(1, 2)
    model.setData(model.index(1, COL_PUBLISHED), "not a date")
    model.removeRows(0, 1)
    qtmodeltester.check(model)
    assert model.rowCount() == 3


def test_sources_model_keeps_codes_and_shows_labels() -> None:
    model = SourcesModel()
    model.insertRows(0, 1)
    assert model.setData(model.index(0, COL_KIND), "Social media")
    assert model.index(0, COL_KIND).data(Qt.ItemDataRole.EditRole) == "social_media"
    assert model.index(0, COL_KIND).data() == "Social media"
    assert not model.setData(model.index(0, COL_KIND), "rumour")
    model.setData(model.index(0, COL_NAME), "  X  ")
    model.setData(model.index(0, COL_PUBLISHED), "2023-13-01")
    assert model.index(0, COL_PUBLISHED).data(Qt.ItemDataRole.ToolTipRole)
    assert model.problems() == ["Source 1: “2023-13-01” is not a date (YYYY-MM-DD)"]
    assert model.sources() == [SourceDraft("X", "social_media", None, None)]


def test_remove_source_removes_the_selected_row(qtbot: QtBot, open_form) -> None:
    form = open_form()
    add_source(qtbot, form, "A", "Media", "", "")
    add_source(qtbot, form, "B", "NGO", "", "")
    table = field(form, "sourcesTable")
    remove = field(form, "removeSourceButton")
    table.clearSelection()
    assert not remove.isEnabled()
    table.selectRow(0)
    click(qtbot, form, "removeSourceButton")
    assert [source.name for source in table.model().sources()] == ["B"]
    assert table.model().sources()[0].kind == "ngo"


def test_spin_boxes_refuse_negative_numbers(open_form) -> None:
    form = open_form()
    spin = field(form, "killedMin")
    assert isinstance(spin, QSpinBox) and spin.minimum() == 0
