"""Translations: the template of every user-visible text, and the translation for the user's language.

``python3 -m logbook.ui.translations`` runs Qt's lupdate over logbook/ and writes the template
resources/translations/incident_logbook.ts (and brings any incident_logbook_<language>.ts up to date);
``--release`` then compiles each language's .ts into the .qm the app loads at start (``install``).

lupdate reads the source, not the running program, so a text is only in the template when it is written in a
call lupdate recognises, with its context spelled out: ``self.tr("…")`` (the class is the context),
``SomeClass.tr("…")``, ``QCoreApplication.translate("Context", "…")`` or ``QT_TRANSLATE_NOOP("Context", "…")``.
Module-level text outside a QObject uses a TranslationContext subclass (``Dialogs.tr("…")``); the domain's
labels, which must not import Qt, are marked with the domain's own QT_TRANSLATE_NOOP (see translated_label).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Protocol

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from logbook.domain.enums import LABEL_CONTEXT
from logbook.ui.resources import resource_path

TEMPLATE_NAME = "incident_logbook"
PACKAGE = Path(__file__).resolve().parents[1]  # logbook/


class TranslationContext:
    """The translation context of a module's free-standing text, named by the subclass: lupdate reads
    ``Dialogs.tr("Delete incidents")`` as the text "Delete incidents" in the context "Dialogs"."""

    @classmethod
    def tr(cls, text: str, disambiguation: str | None = None, n: int = -1) -> str:
        return QCoreApplication.translate(cls.__name__, text, disambiguation, n)


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


def translated_label(member: Labelled) -> str:
    """A code's readable label (an enum member's, a backup kind's) in the user's language."""
    return QCoreApplication.translate(LABEL_CONTEXT, member.label)


def translations_dir() -> Path:
    return resource_path("translations")


def install(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load the app's translation for ``locale`` (the system's by default) and Qt's own (standard buttons,
    file dialogs), where they exist; English needs neither. The translators are returned, owned by ``app``."""
    locale = locale or QLocale.system()
    installed = []
    for name, folder in (
        (TEMPLATE_NAME, translations_dir()),
        ("qtbase", Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))),
    ):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", str(folder)) and app.installTranslator(translator):
            installed.append(translator)
        else:
            translator.deleteLater()
    return installed


def _tool(name: str) -> str:
    """Qt's lupdate or lrelease as PySide6 ships them (pyside6-lupdate runs the same binary)."""
    bundled = Path(PySide6.__file__).parent / (name + (".exe" if sys.platform == "win32" else ""))
    found = str(bundled) if bundled.is_file() else shutil.which(f"pyside6-{name}")
    if found is None:
        raise FileNotFoundError(f"Qt's {name} was not found: install PySide6-Essentials")
    return found


def update(folder: Path) -> list[Path]:
    """Write the template into ``folder`` and update the languages there; the .ts files written."""
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / f"{TEMPLATE_NAME}.ts", *sorted(folder.glob(f"{TEMPLATE_NAME}_*.ts"))]
    sources = sorted(str(path) for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)
    command = [_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "relative", *sources, "-ts"]
    subprocess.run([*command, *map(str, targets)], check=True)
    return targets


def release(folder: Path) -> list[Path]:
    """Compile each language's .ts in ``folder`` into its .qm (the template has no translations to compile)."""
    compiled = []
    for source in sorted(folder.glob(f"{TEMPLATE_NAME}_*.ts")):
        target = source.with_suffix(".qm")
        subprocess.run([_tool("lrelease"), "-silent", str(source), "-qm", str(target)], check=True)
        compiled.append(target)
    return compiled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m logbook.ui.translations", description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=translations_dir(), help="where the .ts files are")
    parser.add_argument("--release", action="store_true", help="compile each language's .ts into a .qm instead")
    arguments = parser.parse_args(argv)
    for path in (release if arguments.release else update)(arguments.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
