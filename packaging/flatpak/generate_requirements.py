"""Writes python3-requirements.json, the Flatpak module that installs the app's Python dependencies.

A Flatpak build has no network, so every wheel is listed with its URL and checksum for flatpak-builder to fetch
first. The list is pyproject.toml's dependencies as pip resolves them today for the runtime's Python, for each
architecture Flathub builds; PySide6 itself comes from the io.qt.PySide.BaseApp base app. Run it again after
changing the dependencies or moving to another runtime version (it asks PyPI, so it needs the network):

    python3 packaging/flatpak/generate_requirements.py
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYPROJECT = HERE.parents[1] / "pyproject.toml"
OUTPUT = HERE / "python3-requirements.json"
RUNTIME_PYTHON = "3.13"  # the Python of org.kde.Platform 6.10 (freedesktop SDK 25.08)
ARCHES = {"x86_64": "x86_64", "aarch64": "aarch64"}  # Flatpak's name: the manylinux tags' name
FROM_BASE_APP = re.compile(r"pyside6|shiboken6", re.IGNORECASE)


def requirements() -> list[str]:
    """pyproject.toml's dependencies without markers, less what the PySide base app provides."""
    listed = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    return sorted({line.split(";")[0].strip() for line in listed if not FROM_BASE_APP.match(line)})


def resolve(wanted: list[str], arch: str, python: str) -> list[dict[str, str]]:
    """What pip would install on ``arch`` for ``python``: name, version, wheel URL and sha256, from PyPI only."""
    abi = "cp" + python.replace(".", "")
    platforms = [f"--platform={tag}_{arch}" for tag in ("manylinux_2_28", "manylinux_2_17", "manylinux2014")]
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder, "report.json")
        command = [sys.executable, "-m", "pip", "--isolated", "install", "--dry-run", "--ignore-installed", "--quiet"]
        command += ["--index-url=https://pypi.org/simple", "--only-binary=:all:", *platforms]
        command += [f"--python-version={python}", "--implementation=cp", f"--abi={abi}", f"--target={folder}/t"]
        subprocess.run([*command, f"--report={report}", *wanted], check=True)
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return [
        {
            "name": item["metadata"]["name"],
            "version": item["metadata"]["version"],
            "url": item["download_info"]["url"],
            "sha256": item["download_info"]["archive_info"]["hashes"]["sha256"],
        }
        for item in installs
    ]


def module(resolved: dict[str, list[dict[str, str]]]) -> dict[str, object]:
    """One module: every wheel as a file source (limited to its architecture when it has one), one pip call."""
    arches_of: dict[tuple[str, str], list[str]] = {}
    for arch, wheels in resolved.items():
        for wheel in wheels:
            arches_of.setdefault((wheel["url"], wheel["sha256"]), []).append(arch)
    sources: list[dict[str, object]] = []
    for (url, sha256), arches in sorted(arches_of.items(), key=lambda item: item[0][0].rsplit("/", 1)[1]):
        source: dict[str, object] = {"type": "file", "url": url, "sha256": sha256}
        if len(arches) < len(resolved):
            source["only-arches"] = arches
        sources.append(source)
    pins = sorted({f"{wheel['name']}=={wheel['version']}" for wheels in resolved.values() for wheel in wheels})
    install = 'pip3 install --no-index --find-links="file://${PWD}" --prefix=${FLATPAK_DEST} --no-build-isolation'
    return {
        "name": "python3-requirements",
        "buildsystem": "simple",
        "build-commands": [" ".join([install, *pins])],
        "sources": sources,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=RUNTIME_PYTHON, help=f"the runtime's Python (default {RUNTIME_PYTHON})")
    args = parser.parse_args(argv)
    wanted = requirements()
    resolved = {flatpak_arch: resolve(wanted, tag, args.python) for flatpak_arch, tag in ARCHES.items()}
    OUTPUT.write_text(json.dumps(module(resolved), indent=4) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {len(wanted)} requirements for {', '.join(resolved)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
