"""Export to the canonical CSV: exactly the incidents the user is looking at (filter and sort order), streamed
a chunk at a time so a million rows cost no more memory than a few thousand.

On SQLite the lines come finished from the database (store/csv_lines.py); elsewhere each incident is read and
formatted here with format_row. Both write the same bytes.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from logbook.domain.csv_schema import COLUMNS, format_row
from logbook.domain.filters import IncidentFilter, SortOrder
from logbook.services.files import replace_on_success
from logbook.store.csv_lines import csv_lines

if TYPE_CHECKING:
    from logbook.store.repository import Repository

Progress = Callable[[int, int], bool]
"""Called with (rows done, rows in all); returning False cancels."""

PROGRESS_EVERY = 4000  # rows per chunk, and so between progress reports: a few hundredths of a second


class ExportCancelled(Exception):
    """The progress callback asked to stop; nothing usable was written."""


def export_csv(
    repo: Repository,
    incident_filter: IncidentFilter,
    order: SortOrder,
    out: TextIO,
    *,
    neutralise_formulas: bool = True,
    bom: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write the header and the matching incidents to ``out`` (RFC 4180, CRLF); returns the number of rows.

    ``out`` should be opened with ``newline=""`` so the CRLF and newlines inside cells pass unchanged. ``bom``
    starts it with a byte order mark, by which Excel tells UTF-8 from the system's code page (without it,
    "Saïda" opens as "SaÃ¯da"); other readers take the file as it is either way.
    """
    ids = repo.snapshot(incident_filter, order)
    total = len(ids)

    def report(done: int) -> None:
        if progress is not None and not progress(done, total):
            raise ExportCancelled(f"export cancelled after {done} of {total} incidents")

    if bom:
        out.write("\ufeff")
    csv.writer(out).writerow(COLUMNS)
    report(0)
    done = 0
    # closing(): a cancelled export gives the reading connection back at once, not when the generator is collected.
    with closing(_lines(repo, ids, neutralise_formulas)) as chunks:
        for lines in chunks:
            out.write("".join(lines))
            done += len(lines)
            if done < total:
                report(done)
    report(done)
    return done


def _lines(repo: Repository, ids: Sequence[int], neutralise_formulas: bool) -> Generator[list[str]]:
    """The CSV lines of ``ids`` in their order, PROGRESS_EVERY incidents at a time."""
    if repo.engine.dialect.name == "sqlite":
        yield from csv_lines(repo.engine, ids, neutralise_formulas=neutralise_formulas, chunk=PROGRESS_EVERY)
        return
    lines = _Lines()
    writer = csv.writer(lines)
    with closing(repo.export_records(ids)) as records:
        for record in records:
            writer.writerow(format_row(record.values, record.sources, record.tags, neutralise_formulas))
            if len(lines) == PROGRESS_EVERY:
                yield lines
                lines = _Lines()
                writer = csv.writer(lines)
    yield lines


class _Lines(list[str]):
    """Collects what csv.writer writes: one write() per row."""

    def write(self, line: str) -> None:
        self.append(line)


def export_csv_file(
    path: Path | str,
    repo: Repository,
    incident_filter: IncidentFilter,
    order: SortOrder,
    *,
    neutralise_formulas: bool = True,
    bom: bool = False,
    progress: Progress | None = None,
) -> int:
    """export_csv into ``path`` (UTF-8, with a BOM only if asked), which is replaced only once the whole export
    has succeeded."""
    with replace_on_success(Path(path)) as out:
        return export_csv(
            repo, incident_filter, order, out, neutralise_formulas=neutralise_formulas, bom=bom, progress=progress
        )
