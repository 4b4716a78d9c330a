"""What a screen reader says about each control: its accessible name (what it is, usually its label) and its
accessible description (what it does). Windows call ``fill_in`` once built, so names and descriptions come from
the labels, texts and tooltips the controls already have; ``describe`` gives the rest by hand."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QToolButton,
    QWidget,
    QWizard,
)

# The kinds of widget people operate; a QDateEdit is a QAbstractSpinBox, a QCheckBox a QAbstractButton.
CONTROLS = (
    QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit, QSlider,
)  # fmt: skip

Widget = TypeVar("Widget", bound=QWidget)
_BUTTON = QDialogButtonBox.StandardButton
_STANDARD = {  # what the buttons Qt makes do, in every dialog
    _BUTTON.Close: QT_TRANSLATE_NOOP("Accessibility", "Close this window"),
    _BUTTON.Ok: QT_TRANSLATE_NOOP("Accessibility", "Keep the changes and close this window"),
    _BUTTON.Cancel: QT_TRANSLATE_NOOP("Accessibility", "Close this window without changing anything"),
    _BUTTON.RestoreDefaults: QT_TRANSLATE_NOOP("Accessibility", "Put back the settings the app came with"),
}
_WIZARD = QWizard.WizardButton
_STEPS = {  # and the buttons of a wizard
    _WIZARD.BackButton: QT_TRANSLATE_NOOP("Accessibility", "Back to the previous step"),
    _WIZARD.NextButton: QT_TRANSLATE_NOOP("Accessibility", "On to the next step"),
    _WIZARD.FinishButton: QT_TRANSLATE_NOOP("Accessibility", "Finish: do what the steps have set up"),
    _WIZARD.CancelButton: QT_TRANSLATE_NOOP("Accessibility", "Close without doing anything"),
}


def describe(widget: Widget, description: str, name: str | None = None) -> Widget:
    """Say what ``widget`` does (and, where its label or text does not say what it is, its name)."""
    if name is not None:
        widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    return widget


def controls(root: QWidget) -> list[QWidget]:
    """The controls under ``root`` that people operate, not the parts inside one (a combo box's line edit,
    a table's header, a spin box's editor): assistive technology reaches those through their control."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.objectName().startswith("qt_"):
            continue
        parent = widget.parentWidget()
        while parent is not None and parent is not root and not isinstance(parent, CONTROLS):
            parent = parent.parentWidget()
        if parent is None or parent is root:
            found.append(widget)
    return found


def plain(text: str) -> str:
    """A label or action text as it is spoken: without the mnemonic's &, a trailing colon or ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":…").strip()


def fill_in(root: QWidget) -> None:
    """Give each control under ``root`` that has none the name its label (the QLabel whose buddy it is), text or
    action gives it, and the description its tooltip or placeholder gives it."""
    buddies = {label.buddy(): label.text() for label in root.findChildren(QLabel) if label.buddy() is not None}
    for widget in controls(root):
        if not widget.accessibleName():
            widget.setAccessibleName(plain(_name(widget, buddies.get(widget, ""))))
        if not widget.accessibleDescription():
            tip = widget.toolTip()
            if plain(tip) == widget.accessibleName():
                tip = ""  # a tooltip that repeats the name describes nothing
            widget.setAccessibleDescription(tip or _placeholder(widget) or widget.statusTip() or _standard(widget))


def _name(widget: QWidget, label: str) -> str:
    if label:
        return label
    if isinstance(widget, QToolButton) and widget.defaultAction() is not None:
        return widget.defaultAction().text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    return _placeholder(widget)


def _standard(widget: QWidget) -> str:
    """What a standard button of a dialog or a wizard does."""
    box, window = widget.parentWidget(), widget.window()
    if isinstance(box, QDialogButtonBox) and isinstance(widget, QAbstractButton):
        text = _STANDARD.get(box.standardButton(widget), "")
    elif isinstance(window, QWizard):
        text = next((text for which, text in _STEPS.items() if window.button(which) is widget), "")
    else:
        text = ""
    return QCoreApplication.translate("Accessibility", text) if text else ""


def _placeholder(widget: QWidget) -> str:
    if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
        widget = widget.lineEdit()
    return widget.placeholderText() if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit) else ""
