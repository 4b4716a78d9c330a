"""Builds the one-folder bundle of Incident Logbook with PyInstaller (pip install -e ".[package]" first).

    python3 packaging/build_bundle.py [DIST]

The bundle is DIST/logbook/ (default dist/logbook/), to be copied or zipped as a whole; PyInstaller's work files go
to a temporary folder. Prints the path of the bundle's `logbook` executable.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

SPEC = Path(__file__).resolve().with_name("incident-logbook.spec")


def build(dist: Path) -> Path:
    """Build into ``dist`` (replacing an earlier bundle there) and return the bundle's executable."""
    with tempfile.TemporaryDirectory(prefix="logbook-pyinstaller-") as work:
        command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
        subprocess.run([*command, "--distpath", str(dist), "--workpath", work, str(SPEC)], check=True)
    return dist / "logbook" / ("logbook.exe" if sys.platform == "win32" else "logbook")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=Path, default=Path("dist"), help="where to put the bundle")
    args = parser.parse_args(argv)
    try:
        print(build(args.dist.resolve()))
    except subprocess.CalledProcessError as error:
        print(f"build_bundle: PyInstaller failed with status {error.returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
