"""Every question and message the window asks or shows, behind classmethods that tests replace
(tests never exec() a real dialog)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

LOGBOOK_FILTER = "Incident logbooks (*.sqlite3 *.sqlite *.db);;All files (*)"
CSV_FILTER = "CSV files (*.csv);;All files (*)"


def _tr(text: str, count: int = -1) -> str:
    return QCoreApplication.translate("Dialogs", text, None, count)


class Ask:
    @classmethod
    def confirm_delete(cls, parent: QWidget, count: int) -> bool:
        text = _tr("Move %n incident(s) to the trash? You can restore them from Edit › Trash.", count)
        answer = QMessageBox.question(parent, _tr("Delete incidents"), text)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def confirm_purge(cls, parent: QWidget, count: int) -> bool:
        text = _tr("Delete %n incident(s) for good? This cannot be undone.", count)
        answer = QMessageBox.warning(
            parent,
            _tr("Delete for good"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def open_logbook(cls, parent: QWidget, folder: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, _tr("Open logbook"), str(folder), _tr(LOGBOOK_FILTER))
        return Path(name) if name else None

    @classmethod
    def new_logbook(cls, parent: QWidget, folder: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, _tr("New logbook"), str(folder / "logbook.sqlite3"), _tr(LOGBOOK_FILTER)
        )
        return Path(name) if name else None

    @classmethod
    def export_file(cls, parent: QWidget, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, _tr("Export CSV"), str(suggested), _tr(CSV_FILTER))
        return Path(name) if name else None


class Tell:
    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def unexpected(cls, parent: QWidget | None, text: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, _tr("Something went wrong"), text, parent=parent)
        box.setDetailedText(details)
        box.exec()
