"""Every question and message the window asks or shows, behind classmethods that tests replace
(tests never exec() a real dialog)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from logbook.services.formats import ExportFormat, format_for_path
from logbook.ui.translations import TranslationContext

LOGBOOK_FILTER = QT_TRANSLATE_NOOP("Dialogs", "Incident logbooks (*.sqlite3 *.sqlite *.db);;All files (*)")
EXPORT_FILTERS = ";;".join(export_format.file_filter for export_format in ExportFormat)
IMPORT_FILTER = QT_TRANSLATE_NOOP("Dialogs", "CSV files (*.csv *.tsv *.txt);;All files (*)")
PRESET_FILTER = QT_TRANSLATE_NOOP("Dialogs", "Import mapping presets (*.toml);;All files (*)")


class Dialogs(TranslationContext):
    """The translation context of the questions and messages below."""


def yes_or_cancel(show: Callable[..., QMessageBox.StandardButton], parent: QWidget | None, title: str,
                  text: str) -> bool:  # fmt: skip
    """``show`` (QMessageBox.warning or .question) with Yes and Cancel, Cancel the default: for a step that is
    hard to take back, Enter must not take it."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    return show(parent, title, text, buttons, QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Yes


class Ask:
    @classmethod
    def confirm_delete(cls, parent: QWidget, count: int) -> bool:
        text = Dialogs.tr("Move %Ln incident(s) to the trash? You can restore them from Edit › Trash.", "", count)
        answer = QMessageBox.question(parent, Dialogs.tr("Delete incidents"), text)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def confirm_purge(cls, parent: QWidget, count: int) -> bool:
        text = Dialogs.tr("Delete %Ln incident(s) for good? This cannot be undone.", "", count)
        return yes_or_cancel(QMessageBox.warning, parent, Dialogs.tr("Delete for good"), text)

    @classmethod
    def open_logbook(cls, parent: QWidget, folder: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, Dialogs.tr("Open logbook"), str(folder), Dialogs.tr(LOGBOOK_FILTER)
        )
        return Path(name) if name else None

    @classmethod
    def new_logbook(cls, parent: QWidget, folder: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, Dialogs.tr("New logbook"), str(folder / "logbook.sqlite3"), Dialogs.tr(LOGBOOK_FILTER)
        )
        return Path(name) if name else None

    @classmethod
    def sample_copy(cls, parent: QWidget, path: Path) -> Literal["existing", "fresh"] | None:
        """A copy of the sample is there already and may hold the user's edits: open it as it is ("existing"),
        replace it with a fresh copy of the sample ("fresh"), or neither (None)."""
        text = Dialogs.tr("You already have a copy of the sample logbook ({0}). Open it as you left it, or start again "
                   "from a fresh copy of the sample? A fresh copy replaces it, with your changes.")  # fmt: skip
        text = text.format(path.name)
        box = QMessageBox(QMessageBox.Icon.Question, Dialogs.tr("Open sample logbook"), text, parent=parent)
        existing = box.addButton(Dialogs.tr("Open my copy"), QMessageBox.ButtonRole.AcceptRole)
        fresh = box.addButton(Dialogs.tr("Start a fresh copy"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(existing)
        box.exec()
        clicked = box.clickedButton()
        return "existing" if clicked is existing else "fresh" if clicked is fresh else None

    @classmethod
    def export_file(cls, parent: QWidget, suggested: Path, chosen: ExportFormat) -> tuple[Path, ExportFormat] | None:
        name, picked = QFileDialog.getSaveFileName(
            parent, Dialogs.tr("Export incidents"), str(suggested), EXPORT_FILTERS, chosen.file_filter
        )
        return export_target(name, picked, chosen) if name else None

    @classmethod
    def import_file(cls, parent: QWidget, folder: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, Dialogs.tr("Import a CSV file"), str(folder), Dialogs.tr(IMPORT_FILTER)
        )
        return Path(name) if name else None

    @classmethod
    def open_preset(cls, parent: QWidget, folder: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, Dialogs.tr("Load a mapping preset"), str(folder), Dialogs.tr(PRESET_FILTER)
        )
        return Path(name) if name else None

    @classmethod
    def save_preset(cls, parent: QWidget, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, Dialogs.tr("Save the mapping as a preset"), str(suggested),
                                              Dialogs.tr(PRESET_FILTER))  # fmt: skip
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_name(path.name + ".toml")

    @classmethod
    def confirm_remove_import(cls, parent: QWidget, file_name: str, count: int) -> bool:
        text = Dialogs.tr("Move the %Ln incident(s) imported from {0} to the trash? You can restore them from the "
                          "import history or from Edit › Trash.", "", count).format(file_name)  # fmt: skip
        answer = QMessageBox.question(parent, Dialogs.tr("Remove an import"), text)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def confirm_empty_trash(cls, parent: QWidget, count: int) -> bool:
        text = Dialogs.tr(
            "Empty the trash? The %Ln incident(s) in it will be gone for good. This cannot be undone.", "", count
        )
        return yes_or_cancel(QMessageBox.warning, parent, Dialogs.tr("Empty trash"), text)

    @classmethod
    def confirm_restore_version(cls, parent: QWidget, version: int, when: str) -> bool:
        text = Dialogs.tr("Restore the values this incident had after the change of {0} (version {1})? The current "
                          "values stay in its history, and Edit › Undo takes the restore back.")  # fmt: skip
        text = text.format(when, version)
        answer = QMessageBox.question(parent, Dialogs.tr("Restore an earlier version"), text)
        return answer == QMessageBox.StandardButton.Yes


def export_target(name: str, picked: str, chosen: ExportFormat) -> tuple[Path, ExportFormat]:
    """The file and the format of a save dialog's answer: the name's extension when it is a known one, else the
    picked type (or ``chosen``), whose extension the name then gets."""
    path = Path(name)
    named = format_for_path(path)
    if named is not None:
        return path, named
    export_format = next((each for each in ExportFormat if each.file_filter == picked), chosen)
    return path.with_name(path.name + export_format.extension), export_format


class Tell:
    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def unexpected(cls, parent: QWidget | None, text: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, Dialogs.tr("Something went wrong"), text, parent=parent)
        box.setDetailedText(details)
        box.exec()
