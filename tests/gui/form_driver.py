"""Driving the incident form as a user does: typing into fields, picking from combos, clicking buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from logbook.ui.incident_form import IncidentForm

WAIT_MS = 5000


def field(form: IncidentForm, name: str) -> QWidget:
    widget = form.findChild(QWidget, name)
    assert widget is not None, f"no widget named {name}"
    return widget


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace what the field holds, as a user does after tabbing into it (which selects everything)."""
    target = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    assert isinstance(target, QLineEdit | QAbstractSpinBox)
    target.selectAll()
    qtbot.keyClicks(target, text)


def choose(qtbot: QtBot, form: IncidentForm, name: str, label: str) -> None:
    """Pick with Home and Down on the closed combo, as a keyboard user does (typed search would need pauses
    between two picks on one combo, and a space opens its popup)."""
    combo = field(form, name)
    assert isinstance(combo, QComboBox)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findText(label)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == label


def click(qtbot: QtBot, form: IncidentForm, name: str) -> None:
    qtbot.mouseClick(field(form, name), Qt.MouseButton.LeftButton)


def save(qtbot: QtBot, form: IncidentForm, button: str = "saveButton") -> int:
    with qtbot.waitSignal(form.incident_saved, timeout=WAIT_MS) as blocker:
        click(qtbot, form, button)
    return blocker.args[0]
