"""Files the services write: whole or not at all, so a failed or cancelled run never leaves half a file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO


@contextmanager
def replace_on_success(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file (no BOM, newlines as written) that replaces ``path`` only if the block succeeds.

    It is written beside ``path`` so the final rename stays on one file system and is atomic; it is opened
    with ``x`` rather than through tempfile so it gets the user's usual permissions, not 0600.
    """
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with partial.open("x", encoding="utf-8", newline="") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def replace_bytes_on_success(path: Path) -> Iterator[BinaryIO]:
    """replace_on_success for bytes (an XLSX workbook): the same partial file, written through its buffer."""
    with replace_on_success(path) as file:
        yield file.buffer
