"""Renders the app icon's SVG into the PNG sizes of the freedesktop hicolor icon theme, beside a copy of the SVG.

The rendered files are kept in the repository (the Flatpak manifest and the PyInstaller spec install them as they
are); tests/packaging/test_desktop_integration.py fails when they no longer match the SVG. After changing
resources/icons/<app id>.svg run, from the repository root:

    python3 packaging/linux/render_icons.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "io.github.incidentlogbook.IncidentLogbook"
ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "resources" / "icons" / f"{APP_ID}.svg"
HICOLOR = Path(__file__).resolve().parent / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # the theme spec's usual fixed sizes, up to what software centres show


def icon_files(theme: Path) -> list[Path]:
    """Every file render() writes under ``theme``: one PNG per size and the scalable SVG."""
    return [theme / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in SIZES] + [
        theme / "scalable" / "apps" / f"{APP_ID}.svg"
    ]


def render(source: Path, theme: Path) -> list[Path]:
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise ValueError(f"{source} is not an SVG Qt can draw")
    *pngs, svg = icon_files(theme)
    for size, png in zip(SIZES, pngs, strict=True):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        png.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(png)):
            raise OSError(f"could not write {png}")
    svg.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, svg)
    return [*pngs, svg]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=HICOLOR, help=f"the hicolor folder (default: {HICOLOR})")
    args = parser.parse_args(argv)
    for written in render(SOURCE, args.output):
        print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
