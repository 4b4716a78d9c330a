"""The colour scheme: the system's (following it while the app runs), or always light, or always dark.

Qt asks the platform for the scheme (QStyleHints.setColorScheme). Windows, macOS and the GNOME and GTK platform
themes switch and hand out a matching palette; where none does (a bare window manager, the offscreen platform),
or where a platform reports a dark scheme but its palette stays light, the palette is set here: Fusion's own
light or dark colours, so a dark scheme always gives a really dark window. Icons follow the palette (icons.py);
the app's few colours of its own (error text, problem cells) come as a Shade with a light and a dark variant.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

SETTING = "appearance/colour_scheme"
CHOICES = ("system", "light", "dark")
_SCHEMES = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}

Role = QPalette.ColorRole
# Fusion's palettes in Qt 6.11, link colours made readable on each: role: light, its disabled, dark, its disabled
_COLOURS = {
    Role.Window: ("#efefef", "#efefef", "#323232", "#323232"),
    Role.WindowText: ("#000000", "#bebebe", "#f0f0f0", "#828282"),
    Role.Base: ("#ffffff", "#efefef", "#242424", "#323232"),
    Role.AlternateBase: ("#f7f7f7", "#f7f7f7", "#2b2b2b", "#2b2b2b"),
    Role.Text: ("#000000", "#bebebe", "#f0f0f0", "#828282"),
    Role.PlaceholderText: ("#80000000", "#80000000", "#80f0f0f0", "#80f0f0f0"),
    Role.Button: ("#efefef", "#efefef", "#323232", "#323232"),
    Role.ButtonText: ("#000000", "#bebebe", "#f0f0f0", "#828282"),
    Role.BrightText: ("#ffffff", "#ffffff", "#ffffff", "#ffffff"),
    Role.Light: ("#ffffff", "#ffffff", "#4b4b4b", "#4b4b4b"),
    Role.Midlight: ("#cacaca", "#cacaca", "#2a2a2a", "#2a2a2a"),
    Role.Mid: ("#b8b8b8", "#b8b8b8", "#262626", "#262626"),
    Role.Dark: ("#9f9f9f", "#bebebe", "#212121", "#212121"),
    Role.Shadow: ("#767676", "#b1b1b1", "#191919", "#252525"),
    Role.Highlight: ("#308cc6", "#919191", "#308cc6", "#4a4a4a"),
    Role.HighlightedText: ("#ffffff", "#ffffff", "#f0f0f0", "#f0f0f0"),
    Role.Accent: ("#308cc6", "#919191", "#308cc6", "#4a4a4a"),
    Role.Link: ("#0b5cad", "#0b5cad", "#6cb4f0", "#6cb4f0"),
    Role.LinkVisited: ("#7a3aa8", "#7a3aa8", "#c49ae8", "#c49ae8"),
    Role.ToolTipBase: ("#ffffdc", "#ffffdc", "#3c3c3c", "#3c3c3c"),
    Role.ToolTipText: ("#000000", "#000000", "#f0f0f0", "#f0f0f0"),
}


def fusion_palette(dark: bool) -> QPalette:
    palette = QPalette()
    for role, colours in _COLOURS.items():
        enabled, disabled = colours[2:] if dark else colours[:2]
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, QColor.fromString(enabled))
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor.fromString(disabled))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.WindowText).lightness() > palette.color(Role.Window).lightness()


class Shade(NamedTuple):
    """A colour of our own with a variant for each palette, read when painting so it follows the scheme."""

    light: str
    dark: str

    def colour(self) -> QColor:
        return QColor.fromString(self.dark if is_dark(QGuiApplication.palette()) else self.light)


ERROR_TEXT = Shade("#b3261e", "#ff8a80")
PROBLEM_BACKGROUND = Shade("#f6c9c4", "#6e2c27")  # behind text in the palette's own text colour
WARNING_BACKGROUND = Shade("#fbe7a6", "#5e4b12")
DIM_TEXT = Shade("#6b6b6b", "#9a9a9a")  # readable, but plainly less than the rest


class _ErrorRecolour(QObject):
    """Gives error text the error colour of a new palette: a widget with a colour of its own keeps it otherwise."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange and isinstance(watched, QWidget):
            _colour_error(watched)
        return False


def _colour_error(widget: QWidget) -> None:
    palette = QPalette()  # only the text roles set: the rest still comes from the parent and the application
    if widget.property("error"):
        for role in (Role.WindowText, Role.Text, Role.ButtonText):
            palette.setColor(role, ERROR_TEXT.colour())
    widget.setPalette(palette)  # no change, no new PaletteChange


def show_as_error(widget: QWidget, error: bool = True) -> None:
    """Draw ``widget``'s text in the error colour (or not), in light and dark and when the scheme changes."""
    app = QGuiApplication.instance()
    recolour = app.findChild(_ErrorRecolour) or _ErrorRecolour(app)
    widget.removeEventFilter(recolour)  # installed once
    widget.installEventFilter(recolour)
    widget.setProperty("error", error)
    _colour_error(widget)


class ColourScheme(QObject):
    """Holds the user's choice; with "system" it follows the system's scheme when that changes."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self.choice = "system"
        self._set_here = False  # the palette is one of ours, not the platform's
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def apply(self, choice: str) -> None:
        self.choice = choice if choice in CHOICES else "system"
        wanted = _SCHEMES[self.choice]
        QGuiApplication.styleHints().setColorScheme(wanted)  # platforms that can switch do it now
        self._match(wanted if wanted != Qt.ColorScheme.Unknown else QGuiApplication.styleHints().colorScheme())

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self._match(scheme)

    def _match(self, scheme: Qt.ColorScheme) -> None:
        """Make the palette light or dark like ``scheme``: the platform's own when it is, else Fusion's."""
        if self._set_here:
            QGuiApplication.setPalette(QPalette())  # back to the platform's palette
            self._set_here = False
        if scheme != Qt.ColorScheme.Unknown and is_dark(QGuiApplication.palette()) != (scheme == Qt.ColorScheme.Dark):
            QGuiApplication.setPalette(fusion_palette(scheme == Qt.ColorScheme.Dark))
            self._set_here = True


def apply_colour_scheme(app: QGuiApplication, choice: str) -> None:
    """Show the app in ``choice``: "system", "light" or "dark" (anything else counts as "system")."""
    scheme = app.findChild(ColourScheme) or ColourScheme(app)
    scheme.apply(choice)
