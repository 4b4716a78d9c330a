"""The ``logbook`` command: a headless verb goes to the CLI, anything else opens the window.

The window's module is imported only when it is wanted, so the verbs never load Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

HEADLESS = frozenset(("import", "export", "summary", "demo", "backup", "restore", "-h", "--help", "--version"))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in HEADLESS:
        from logbook import cli

        return cli.main(arguments)
    from logbook.ui.app import run

    return run(arguments)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # in a bundle, the window's import process (services/apart.py) starts here
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
