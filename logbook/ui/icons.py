"""Action icons drawn from the app's own SVGs in the palette's text colour, sharp at any scale.

The SVGs in resources/icons/actions/ are monochrome line drawings in ``currentColor``. Each icon is rendered
when it is painted, at the requested size times the screen's device pixel ratio, in the colour the current
palette gives its mode: so it is crisp at 200 % and reads on a light or a dark palette, and a change of colour
scheme while the app runs repaints it in the new colour (cached pixmaps are keyed by colour).

Our icons always, never the desktop theme's (QIcon.fromTheme): theme sets differ in style and coverage (many
have no icon for "import history" or "sample logbook"), so mixing them gives a toolbar of unmatched drawings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap, QPixmapCache
from PySide6.QtSvg import QSvgRenderer

from logbook.ui.resources import APP_ID, action_icon_path, app_icon_path

PLACEHOLDER = b"currentColor"  # what the SVGs draw with; replaced by the palette's colour


@cache
def _template(path: Path) -> bytes:
    if not path.is_file():
        raise FileNotFoundError(f"no icon named {path.stem!r} in {path.parent}")
    return path.read_bytes()


def icon_colour(mode: QIcon.Mode) -> QColor:
    """The text colour of the application palette for ``mode``: selected items sit on the highlight colour."""
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorRole.WindowText)


class SvgIconEngine(QIconEngine):
    """Renders one icon from its SVG, in the palette's colour for the mode, at the exact pixel size."""

    def __init__(self, path: Path, name: str) -> None:
        super().__init__()
        self._path = path
        self._name = name
        self._template = _template(path)

    def _renderer(self, colour: QColor) -> QSvgRenderer:
        svg = self._template.replace(PLACEHOLDER, colour.name(QColor.NameFormat.HexRgb).encode())
        return QSvgRenderer(QByteArray(svg))

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        colour = icon_colour(mode)
        width, height = round(size.width() * scale), round(size.height() * scale)
        key = f"logbook-icon:{self._name}:{width}x{height}@{scale}:{colour.rgba():08x}"
        pixmap = QPixmap()
        if QPixmapCache.find(key, pixmap):
            return pixmap
        pixmap = QPixmap(max(width, 1), max(height, 1))
        pixmap.fill(Qt.GlobalColor.transparent)
        side = min(width, height)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(colour.alphaF())  # SVG colours have no alpha
        self._renderer(colour).render(painter, QRectF((width - side) / 2, (height - side) / 2, side, side))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        QPixmapCache.insert(key, pixmap)
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatio() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def iconName(self) -> str:
        return self._name

    def key(self) -> str:
        return "logbook-svg"

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._path, self._name)


def icon(name: str) -> QIcon:
    """The action icon ``name`` (a file in resources/icons/actions/ without .svg); a wrong name raises at once."""
    return QIcon(SvgIconEngine(action_icon_path(name), name))


def app_icon() -> QIcon:
    """The app's own full-colour icon, the SVG the desktop entry and the bundle use (it has no currentColor to
    replace); drawn by the same engine, so it needs no SVG icon plugin and is sharp on every screen."""
    return QIcon(SvgIconEngine(app_icon_path(), APP_ID))
