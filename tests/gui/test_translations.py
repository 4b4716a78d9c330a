"""Translations: the documented command writes a template with the text of every part of the app, in the contexts
the app asks for at run time, so that a translation made from it shows in the window."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from logbook.domain.enums import Weapon
from logbook.store.repository import Repository
from logbook.ui import translations
from logbook.ui.incident_form import IncidentForm
from tests.gui.conftest import open_window

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as README says to make it, written into a temporary folder."""
    folder = tmp_path_factory.mktemp("translations")
    command = [sys.executable, "-m", "logbook.ui.translations", "--folder", str(folder)]
    subprocess.run(command, cwd=REPOSITORY, check=True, capture_output=True, timeout=120)
    return folder / "incident_logbook.ts"


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source text) -> its <message>."""
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name", ""), message.findtext("source", "")): message
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_the_template_holds_the_text_of_every_part_of_the_app(template: Path) -> None:
    found = messages(template)
    for context, text in (
        ("MainWindow", "New incident"),  # a menu
        ("MainWindow", "Sorted by {0}, {1}"),  # what the table tells a screen reader
        ("IncidentForm", "Attributed by"),  # a field of the form
        ("IncidentForm", "Start date"),  # ... which the history and the conflict dialog name alike
        ("IncidentForm", "Discard changes?"),  # a question asked outside the form's class
        ("FilePage", "Choose a file"),  # the import wizard
        ("Dialogs", "Delete incidents"),
        ("Dialogs", "Incident logbooks (*.sqlite3 *.sqlite *.db);;All files (*)"),
        ("UndoCommands", "Edit {0}"),
        ("Labels", "Small arms"),  # a label of the domain, which has no Qt
        ("ShortcutsDialog", "Keyboard shortcuts"),
        ("Accessibility", "Close this window"),
    ):
        assert (context, text) in found, (context, text)
    plurals = {text: message.get("numerus") for (_context, text), message in found.items() if re.search("%L?n", text)}
    assert plurals and set(plurals.values()) == {"yes"}, plurals  # each with its plural forms to translate
    # a text lupdate files under no context is one the app asks for under another: it could never be translated
    assert [text for context, text in found if not context] == []


@pytest.fixture
def french(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A French translation made from the template with lrelease: two texts translated, the rest left English.
    Installed for the test, taken away after it."""
    tree = ET.parse(template)
    tree.getroot().set("language", "fr")
    wanted = {("MainWindow", "&File"): "&Fichier", ("Labels", "Small arms"): "Armes légères"}
    for context in tree.getroot().iter("context"):
        for message in context.iter("message"):
            translation = wanted.get((context.findtext("name", ""), message.findtext("source", "")))
            if translation is not None:
                element = message.find("translation")
                assert element is not None
                element.text = translation
                element.attrib.pop("type", None)
    tree.write(tmp_path / "incident_logbook_fr.ts", encoding="utf-8", xml_declaration=True)
    assert translations.release(tmp_path) == [tmp_path / "incident_logbook_fr.qm"]
    monkeypatch.setattr(translations, "translations_dir", lambda: tmp_path)
    app = QApplication.instance()
    installed = translations.install(app, QLocale(QLocale.Language.French, QLocale.Country.France))
    yield tmp_path
    for translator in installed:
        app.removeTranslator(translator)


def test_a_translation_shows_in_the_menus_and_the_labels(
    qtbot: QtBot, french: Path, repo: Repository, db_path: Path, told: list[tuple[str, str]]
) -> None:
    window = open_window(qtbot, repo, db_path)
    assert window.menuBar().actions()[0].text() == "&Fichier"
    form = IncidentForm(repo)
    qtbot.addWidget(form)
    weapon = form.findChild(QComboBox, "weapon")
    assert weapon.itemText(weapon.findData(Weapon.SMALL_ARMS.value)) == "Armes légères"
    assert Weapon.SMALL_ARMS.label == "Small arms"  # what the CSV files and the command line say stays English
    window.close()


def test_a_language_without_a_translation_of_the_app_gets_only_qts_own(french: Path) -> None:
    app = QApplication.instance()
    installed = translations.install(app, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        assert [Path(translator.filePath()).name for translator in installed] == ["qtbase_de.qm"]
    finally:
        for translator in installed:
            app.removeTranslator(translator)
