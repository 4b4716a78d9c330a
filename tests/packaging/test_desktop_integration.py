"""The Linux desktop files pass the validators software centres and distributions run, and the icon set is current."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PySide6.QtGui import QImage

from tests.packaging.project import APP_ICON, APP_ID, DESKTOP_FILE, HICOLOR, LINUX, METAINFO, load_script, required_tool


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False)


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    validate = required_tool("desktop-file-validate", "desktop-file-utils")
    result = _run(validate, DESKTOP_FILE)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")  # no error, and no warning or hint either


def test_the_metainfo_passes_appstreamcli_validate(tmp_path: Path) -> None:
    """Validated as installed (share/applications, share/metainfo, share/icons), so appstreamcli also checks that
    the launchable desktop entry is there. Any error or warning fails; infos do not, as the <developer> tag Flathub
    asks for is an unknown tag to AppStream before 1.0 (Debian 12's), and its older <developer_name> is a
    deprecated one after."""
    appstreamcli = required_tool("appstreamcli", "appstream")
    share = tmp_path / "usr" / "share"
    for source, folder in ((DESKTOP_FILE, "applications"), (METAINFO, "metainfo")):
        (share / folder).mkdir(parents=True)
        shutil.copy(source, share / folder)
    shutil.copytree(HICOLOR, share / "icons" / "hicolor")
    result = _run(appstreamcli, "validate-tree", "--no-net", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "W:" not in result.stdout and "E:" not in result.stdout


def test_the_icon_set_has_every_size_the_theme_spec_wants() -> None:
    render_icons = load_script(LINUX / "render_icons.py")
    expected = render_icons.icon_files(HICOLOR)
    assert sorted(path for path in HICOLOR.rglob("*") if path.is_file()) == sorted(expected)
    for size, png in zip(render_icons.SIZES, expected[:-1], strict=True):
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size), png
        assert png.parent == HICOLOR / f"{size}x{size}" / "apps"
    assert (HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == APP_ICON.read_bytes()


def test_the_rendered_icons_match_the_svg(tmp_path: Path) -> None:
    """A changed SVG without re-running packaging/linux/render_icons.py fails here. Compared pixel by pixel with
    a little tolerance, so a newer Qt's anti-aliasing alone does not."""
    render_icons = load_script(LINUX / "render_icons.py")
    fresh = render_icons.render(APP_ICON, tmp_path)
    kept = render_icons.icon_files(HICOLOR)
    assert [path.relative_to(tmp_path) for path in fresh] == [path.relative_to(HICOLOR) for path in kept]
    for new, old in zip(fresh[:-1], kept[:-1], strict=True):
        assert _differing_values(QImage(str(new)), QImage(str(old))) <= 0.01, f"{old} is stale: run render_icons.py"


def _differing_values(first: QImage, second: QImage) -> float:
    """The share of colour and opacity values that differ by more than a rounding error."""
    assert first.size() == second.size()
    a, b = (_rgba(image) for image in (first, second))
    return sum(abs(x - y) > 8 for x, y in zip(a, b, strict=True)) / len(a)


def _rgba(image: QImage) -> bytes:
    converted = image.convertToFormat(QImage.Format.Format_RGBA8888)  # kept alive while its bits are copied
    return bytes(converted.constBits())
