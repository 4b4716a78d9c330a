"""Edit › Preferences…: the logbook opened at start, how dates are shown, the colour scheme, the CSV export's
options and how many daily backups are kept. Each preference is one key in the settings file, read where it is
used (the export reads the BOM option when it starts, store/backups.py reads the backup count headless), so OK
only writes them, then has the window show the new date format and File menu check and the app its colours.

The settings file itself (an INI file at paths.settings_file(), so tests move it with the user folders) is
opened here for the whole window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QSettings, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from logbook import paths
from logbook.store import backups
from logbook.store.engine import is_url
from logbook.ui import theme
from logbook.ui.accessibility import fill_in
from logbook.ui.backup_dialog import KEEP_KEY, keep_spin
from logbook.ui.dialogs import LOGBOOK_FILTER
from logbook.ui.numbers import DateStyle

if TYPE_CHECKING:
    from logbook.ui.main_window import MainWindow

START_LOGBOOK_KEY = "/".join(paths.START_LOGBOOK_SETTING)  # empty: the default logbook (paths.default_logbook())
DATE_STYLE_KEY = "display/date_format"
NEUTRALISE_KEY = "export/neutralise_formulas"  # also File › Neutralise formulas in CSV exports
BOM_KEY = "export/csv_bom"


def settings() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def preferred_logbook() -> str | Path:
    """The logbook to open when none is named: the one chosen in Preferences, else the platform's default (the
    command line reads the same setting, through paths)."""
    chosen = paths.start_logbook()
    if not chosen:
        return paths.default_logbook()
    return chosen if is_url(chosen) else Path(chosen).expanduser()


def date_style() -> DateStyle:
    value = settings().value(DATE_STYLE_KEY, DateStyle.ISO.value)
    return DateStyle(value) if value in DateStyle.__members__.values() else DateStyle.ISO


def colour_scheme() -> str:
    value = settings().value(theme.SETTING, theme.CHOICES[0])
    return value if value in theme.CHOICES else theme.CHOICES[0]


def neutralise_formulas() -> bool:
    return bool(settings().value(NEUTRALISE_KEY, True, type=bool))


def csv_bom() -> bool:
    return bool(settings().value(BOM_KEY, False, type=bool))


def apply_preferences(window: MainWindow) -> None:
    """Show the preferences in the window: dates in the table, the summary and the filter's range, and the File
    menu's neutralise check (the same setting as the dialog's)."""
    style = date_style()
    window.model.set_date_style(style)
    window.summary_panel.set_date_style(style)
    window.filter_bar.set_date_format(style.qt_format())
    window.neutralise_action.setChecked(neutralise_formulas())


class PreferencesDialog(QDialog):
    """OK writes every preference and emits applied; Cancel keeps them as they were; Restore Defaults fills in
    the defaults (written only by OK)."""

    applied = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        layout = QVBoxLayout(self)
        self._labels: list[QLabel] = []

        logbook_box = QGroupBox(self.tr("Logbook"), self)
        logbook_form = QFormLayout(logbook_box)
        self.logbook_path = QLineEdit(self)
        self.logbook_path.setObjectName("defaultLogbook")
        self.logbook_path.setAccessibleName(self.tr("Logbook opened at start"))
        self.logbook_path.setPlaceholderText(str(paths.default_logbook()))
        self.logbook_path.setClearButtonEnabled(True)
        self.logbook_path.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 48)
        self.logbook_path.setToolTip(
            self.tr("Opened when Incident Logbook starts without a file named on its command line or in "
                    "$LOGBOOK_DB; leave empty for the usual place. A file or a database URL.")
        )  # fmt: skip
        browse = QPushButton(self.tr("Browse…"), self)
        browse.setObjectName("browseDefaultLogbook")
        browse.setAccessibleName(self.tr("Browse for the logbook opened at start"))
        browse.setToolTip(self.tr("Choose the logbook file opened at start"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.logbook_path, 1)
        path_row.addWidget(browse)
        logbook_form.addRow(self._label(self.tr("Open at start:"), self.logbook_path), path_row)
        hint = QLabel(self.tr("Empty: the usual place, shown in grey. A logbook named when starting, or in "
                              "$LOGBOOK_DB, comes first."), self)  # fmt: skip
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        logbook_form.addRow("", hint)
        layout.addWidget(logbook_box)

        display_box = QGroupBox(self.tr("Display"), self)
        display_form = QFormLayout(display_box)
        self.date_format = QComboBox(self)
        self.date_format.setObjectName("dateFormat")
        self.date_format.setAccessibleName(self.tr("Date format"))
        self.date_format.setToolTip(self.tr("How the table, the summary and the filter show dates; files keep ISO"))
        for style in DateStyle:
            self.date_format.addItem(style.label, style.value)
        display_form.addRow(self._label(self.tr("Date format:"), self.date_format), self.date_format)
        self.colour_scheme = QComboBox(self)
        self.colour_scheme.setObjectName("colourScheme")
        self.colour_scheme.setAccessibleName(self.tr("Colour scheme"))
        self.colour_scheme.setToolTip(self.tr("Light or dark, or as the system is (following it when it changes)"))
        for choice, label in zip(
            theme.CHOICES, (self.tr("As the system"), self.tr("Light"), self.tr("Dark")), strict=True
        ):
            self.colour_scheme.addItem(label, choice)
        display_form.addRow(self._label(self.tr("Colour scheme:"), self.colour_scheme), self.colour_scheme)
        layout.addWidget(display_box)

        csv_box = QGroupBox(self.tr("CSV export"), self)
        csv_layout = QVBoxLayout(csv_box)
        self.neutralise = QCheckBox(self.tr("Neutralise formulas (prefix ' to cells starting with = + - @)"), self)
        self.neutralise.setObjectName("neutraliseFormulas")
        self.neutralise.setAccessibleName(self.tr("Neutralise formulas"))
        self.neutralise.setToolTip(self.tr("So a spreadsheet never runs a cell of the log as a formula"))
        self.bom = QCheckBox(self.tr("Start with a byte order mark (BOM), so Excel reads accents right"), self)
        self.bom.setObjectName("csvBom")
        self.bom.setAccessibleName(self.tr("Byte order mark for Excel"))
        self.bom.setToolTip(self.tr("Excel takes a CSV file without one for the system's code page"))
        csv_layout.addWidget(self.neutralise)
        csv_layout.addWidget(self.bom)
        layout.addWidget(csv_box)

        backups_box = QGroupBox(self.tr("Backups"), self)
        backups_form = QFormLayout(backups_box)
        self.keep = keep_spin(self)
        backups_form.addRow(self._label(self.tr("Daily backups to keep:"), self.keep), self.keep)
        layout.addWidget(backups_box)

        self.problem = QLabel(self)
        self.problem.setObjectName("preferencesProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addStretch(1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.defaults_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setObjectName("restoreDefaults")
        self.defaults_button.clicked.connect(self.restore_defaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._align_labels()
        fill_in(self)
        self._show(
            paths.start_logbook(),
            date_style(),
            colour_scheme(),
            neutralise_formulas(),
            csv_bom(),
            backups.keep_setting(),
        )

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        self._labels.append(label)
        return label

    def _align_labels(self) -> None:
        """One label column through every group, as if they were one form."""
        width = max(label.sizeHint().width() for label in self._labels)
        for label in self._labels:
            label.setMinimumWidth(width)

    def _show(self, logbook: str, style: DateStyle, scheme: str, neutralise: bool, bom: bool, keep: int) -> None:
        self.logbook_path.setText(logbook)
        self.date_format.setCurrentIndex(self.date_format.findData(style.value))
        self.colour_scheme.setCurrentIndex(self.colour_scheme.findData(scheme))
        self.neutralise.setChecked(neutralise)
        self.bom.setChecked(bom)
        self.keep.setValue(keep)

    def restore_defaults(self) -> None:
        self._show("", DateStyle.ISO, theme.CHOICES[0], True, False, backups.KEEP_DEFAULT)

    @classmethod
    def choose_logbook(cls, parent: QWidget, current: Path) -> Path | None:
        """A new or existing logbook file (an existing one is opened, never replaced: no overwrite question)."""
        name, _ = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("PreferencesDialog", "Logbook opened at start"), str(current),
            QCoreApplication.translate("Dialogs", LOGBOOK_FILTER),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        return Path(name) if name else None

    def _browse(self) -> None:
        current = self.logbook_path.text().strip()
        chosen = self.choose_logbook(self, Path(current).expanduser() if current else paths.default_logbook())
        if chosen is not None:
            self.logbook_path.setText(str(chosen))

    def accept(self) -> None:
        """Write the preferences, unless the logbook named is a folder (said in the dialog, which stays open)."""
        logbook = self.logbook_path.text().strip()
        if logbook and not is_url(logbook) and Path(logbook).expanduser().is_dir():
            self.problem.setText(self.tr("{0} is a folder: name a logbook file in it.").format(logbook))
            self.problem.show()
            self.logbook_path.setFocus()
            return
        scheme, scheme_before = self.colour_scheme.currentData(), colour_scheme()
        store = settings()
        store.setValue(START_LOGBOOK_KEY, logbook)
        store.setValue(theme.SETTING, scheme)
        store.setValue(DATE_STYLE_KEY, self.date_format.currentData())
        store.setValue(NEUTRALISE_KEY, self.neutralise.isChecked())
        store.setValue(BOM_KEY, self.bom.isChecked())
        store.setValue(KEEP_KEY, self.keep.value())
        store.sync()
        if scheme != scheme_before:
            theme.apply_colour_scheme(cast(QGuiApplication, QGuiApplication.instance()), scheme)
        self.applied.emit()
        super().accept()
