"""Icons and colour scheme: every action has one of our icons, crisp at 200 %, in the palette's colour; the app
turns light or dark on request and when the system's scheme changes while it runs."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from logbook.ui import icons, theme
from logbook.ui.main_window import MainWindow
from logbook.ui.resources import action_icon_names, app_icon_path, resource_path

UI_SOURCES = Path(icons.__file__).parent


@pytest.fixture(autouse=True)
def system_scheme(qapp: QApplication) -> Iterator[None]:
    """Every test ends with the system's scheme and palette again, whatever it switched to."""
    yield
    theme.apply_colour_scheme(qapp, "system")


def menu_and_toolbar_actions(window: MainWindow) -> list[QAction]:
    """Every action a user can pick from the menus (submenus included) and the toolbars, without separators."""
    found: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                found.append(action)
                walk(action.menu())  # type: ignore[arg-type]
            elif not action.isSeparator():
                found.append(action)

    for top in window.menuBar().actions():
        walk(top.menu())  # type: ignore[arg-type]
    for toolbar in window.findChildren(QToolBar):
        found.extend(action for action in toolbar.actions() if not action.isSeparator())
    return found


def opaque_lightness(image: QImage) -> float:
    """The mean lightness of an icon's drawn pixels (its transparent background left out)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    drawn = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    strokes = [colour.lightness() for colour in drawn if colour.alpha() == 255]
    assert strokes, "the icon drew nothing"
    return sum(strokes) / len(strokes)


def edge_share(image: QImage) -> float:
    """The share of drawn pixels that are only partly covered: the blur of an edge."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    alphas = [image.pixelColor(x, y).alpha() for x in range(image.width()) for y in range(image.height())]
    drawn = [alpha for alpha in alphas if alpha > 0]
    return sum(1 for alpha in drawn if alpha < 255) / len(drawn)


def test_every_menu_and_toolbar_action_has_one_of_our_icons(window: MainWindow) -> None:
    ours = set(action_icon_names())
    actions = menu_and_toolbar_actions(window)
    assert {window.undo_action, window.redo_action, window.import_action, window.new_action} <= set(actions)
    # a checkable menu item shows its check mark where an icon would go
    without = [action.text() for action in actions if not action.isCheckable() and action.icon().name() not in ours]
    assert without == []
    assert not window.windowIcon().isNull()


def test_icon_at_200_percent_is_drawn_at_twice_the_pixels_not_enlarged() -> None:
    undo = icons.icon("edit-undo")
    single, double = undo.pixmap(QSize(24, 24), 1.0), undo.pixmap(QSize(24, 24), 2.0)
    assert (single.size(), single.devicePixelRatio()) == (QSize(24, 24), 1.0)
    assert (double.size(), double.devicePixelRatio()) == (QSize(48, 48), 2.0)
    enlarged = single.toImage().scaled(
        48, 48, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    assert edge_share(double.toImage()) < 0.6 * edge_share(enlarged)  # sharp edges, not a blurred 24 px icon

    screen = QImage(48, 48, QImage.Format.Format_ARGB32_Premultiplied)  # a 200 % screen: painted the same way
    screen.setDevicePixelRatio(2.0)
    screen.fill(Qt.GlobalColor.transparent)
    painter = QPainter(screen)
    undo.paint(painter, QRect(0, 0, 24, 24))
    painter.end()
    assert screen.convertToFormat(QImage.Format.Format_ARGB32) == double.toImage().convertToFormat(
        QImage.Format.Format_ARGB32
    )


def test_dark_scheme_gives_a_dark_window_and_light_icons_and_back(
    qapp: QApplication, qtbot: QtBot, window: MainWindow
) -> None:
    delete = window.delete_action.icon()

    theme.apply_colour_scheme(qapp, "light")
    assert window.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert opaque_lightness(delete.pixmap(QSize(24, 24)).toImage()) < 60

    theme.apply_colour_scheme(qapp, "dark")
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 80)
    assert window.table.palette().color(QPalette.ColorRole.Base).lightness() < 80
    assert window.table.palette().color(QPalette.ColorRole.Text).lightness() > 200
    assert opaque_lightness(delete.pixmap(QSize(24, 24)).toImage()) > 200
    disabled = delete.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
    assert 80 < opaque_lightness(disabled) < 200  # dimmer than enabled, still visible on the dark window
    toolbar_button = window.findChild(QToolBar).widgetForAction(window.new_action)  # type: ignore[union-attr]
    assert toolbar_button.grab().toImage().pixelColor(1, 1).lightness() < 80  # drawn dark, not only told

    theme.apply_colour_scheme(qapp, "light")
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() > 200)
    assert opaque_lightness(delete.pixmap(QSize(24, 24)).toImage()) < 60


def test_following_the_system_turns_dark_and_light_while_running(
    qapp: QApplication, qtbot: QtBot, window: MainWindow
) -> None:
    """The platform here (offscreen) never changes scheme itself: its change is announced as a desktop's would be."""
    theme.apply_colour_scheme(qapp, "system")
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    qtbot.waitUntil(lambda: theme.is_dark(window.palette()))
    assert opaque_lightness(window.undo_action.icon().pixmap(QSize(16, 16)).toImage()) > 200
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: not theme.is_dark(window.palette()))

    theme.apply_colour_scheme(qapp, "light")  # a scheme chosen in Preferences wins over the system's
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme.is_dark(qapp.palette())


def test_error_text_is_recoloured_for_the_scheme(qapp: QApplication, qtbot: QtBot) -> None:
    dialog = QWidget()
    qtbot.addWidget(dialog)
    label = QLabel("Not a date", dialog)
    dialog.show()

    def text_colour() -> QColor:
        return label.palette().color(label.foregroundRole())

    theme.show_as_error(label)
    assert text_colour() == QColor(theme.ERROR_TEXT.light)
    theme.apply_colour_scheme(qapp, "dark")
    qtbot.waitUntil(lambda: text_colour() == QColor(theme.ERROR_TEXT.dark))
    theme.show_as_error(label, False)
    assert text_colour() == qapp.palette().color(QPalette.ColorRole.WindowText)


def test_every_svg_is_valid_and_action_icons_draw_only_in_the_text_colour() -> None:
    svgs = sorted(resource_path("icons").rglob("*.svg"))
    assert app_icon_path() in svgs
    assert [path.name for path in svgs if not QSvgRenderer(str(path)).isValid()] == []
    colours = re.compile(r"(?:fill|stroke)=\"(?!none|currentColor)[^\"]*\"")
    for name in action_icon_names():
        text = resource_path("icons", "actions", f"{name}.svg").read_text(encoding="utf-8")
        assert 'viewBox="0 0 24 24"' in text, name
        assert colours.findall(text) == [], name


def icon_names_in_code() -> set[str]:
    """Icon names written in logbook/ui: icon("name") and the icon argument of MainWindow._action."""
    names = set()
    for source in UI_SOURCES.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            argument = {"icon": 0, "_action": 3}.get(called)
            if argument is not None and len(node.args) > argument:
                value = node.args[argument]
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    names.add(value.value)
    return names


def test_every_icon_named_in_the_code_exists() -> None:
    named = icon_names_in_code()
    assert {"document-import", "edit-delete", "view-calendar"} <= named  # the scan sees both kinds of use
    assert sorted(named - set(action_icon_names())) == []
